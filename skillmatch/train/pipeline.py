"""corpus → distant supervision → training → (evaluation, calibration) → model folder, in one call.

What ``skillmatch train`` runs. Evaluation and calibration happen on the staged model before
it is moved into place, so the folder a user sees always has its card and its metrics.
"""
from __future__ import annotations

import logging
import math
from dataclasses import replace
from pathlib import Path
from typing import Sequence

from skillmatch.train.corpus import CorpusReader
from skillmatch.train.distant import DistantSupervision
from skillmatch.train.trainer import BiEncoderTrainer, TrainingConfig

log = logging.getLogger(__name__)
EVALUATION_DEPTH = 100


def evaluate_encoder(taxonomy, model: str | Path, files: Sequence[str | Path], cache_dir=None,
                     sets: dict | None = None) -> dict[str, dict]:
    """RP@5 / RP@10 / MRR of the encoder alone (cosine to preferred labels) on labelled JSONL
    files and on in-memory ``sets`` (name → list of LabelledSentence)."""
    from skillmatch.extract import ModelSpec, SkillExtractor
    from skillmatch.extract.evaluation import load_validation, score_rankings

    encoder_only = ModelSpec.load(model).replace(skill_text="label", sources=("semantic",), kinds=("skill",))
    extractor = SkillExtractor(taxonomy, model=encoder_only, cache_dir=cache_dir)
    named = {Path(path).stem: load_validation(path) for path in files} | dict(sets or {})
    metrics = {}
    for name, items in named.items():
        if items:
            ranked = extractor.rank([item.sentence for item in items], EVALUATION_DEPTH)
            metrics[name] = score_rankings([[s.uri for s in r] for r in ranked], items)
    return metrics


def calibrate_model(taxonomy, model: str | Path, files: Sequence[str | Path], cache_dir=None,
                    data_root: str | Path | None = None) -> dict:
    """Fit the model's score calibration (cosine + literal + lexical) and threshold on labelled files."""
    from skillmatch.extract import ModelSpec, SkillExtractor
    from skillmatch.extract.calibration import calibrate, labelled_candidates
    from skillmatch._io import describe_file
    from skillmatch.extract.evaluation import load_validation

    spec = ModelSpec.load(model).replace(sources=("semantic", "literal", "lexical"))
    extractor = SkillExtractor(taxonomy, model=spec, cache_dir=cache_dir)
    parts = [labelled_candidates(extractor, load_validation(path)) for path in files]
    calibration, threshold, quality = calibrate(parts, literal=True, lexical=True)
    spec.replace(calibration=calibration, threshold=threshold).save(Path(model))
    return {"files": [describe_file(p, data_root) for p in files], "calibration": calibration.to_dict(),
            "threshold": threshold, "quality": quality}


def exclusion_sentences(files: Sequence[str | Path]) -> list[str]:
    """Sentences to keep out of training: labelled JSONL (``sentence`` field) or one per line."""
    import json

    found = []
    for path in files:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if line.strip():
                try:
                    found.append(json.loads(line)["sentence"] if line.lstrip().startswith("{") else line)
                except (json.JSONDecodeError, KeyError, TypeError):
                    found.append(line)
    return found


def train_model(taxonomy, corpus: Sequence[str | Path], out: str | Path, config: TrainingConfig | None = None,
                supervision: DistantSupervision | None = None, exclude: Sequence[str | Path] = (),
                evaluate: Sequence[str | Path] = (), calibrate: Sequence[str | Path] = (),
                cache_dir=None, overwrite: bool = False, command: str | None = None,
                show_progress: bool = True, text_columns: Sequence[str] = (), epochs: float | None = None,
                data_root: str | Path | None = None) -> Path:
    """Train a model folder from raw corpus files.

    Parameters
    ----------
    taxonomy : Taxonomy
    corpus : sequence of str or Path
        Corpus files, folders or globs (see :class:`CorpusReader`).
    out : str or Path
        The model folder to write.
    config : TrainingConfig, optional
    supervision : DistantSupervision, optional
    exclude, evaluate, calibrate : sequences of paths
        Sentences kept out of training; labelled files to evaluate on, and to fit the
        calibration and threshold on (both also kept out).
    epochs : float, optional
        Passes over the training pairs; replaces ``config.max_steps`` once the pair count is
        known, so a recipe can be stated independently of the corpus size.
    data_root : str or Path, optional
        The data directory: files under it are recorded as ``$SKILLMATCH_DATA/…`` with their
        content hash, so the model card names no path of this machine.

    Returns
    -------
    Path
        The model folder.
    """
    from skillmatch._io import describe_file
    from skillmatch.errors import ConfigurationError
    from skillmatch.extract import SkillExtractor

    config = config or TrainingConfig()
    if epochs is not None and not epochs > 0:
        raise ConfigurationError(f"epochs must be a positive number, not {epochs}")
    supervision = supervision or DistantSupervision(seed=config.seed)
    reader = CorpusReader(exclude=exclusion_sentences([*exclude, *evaluate, *calibrate]),
                          **({"text_columns": tuple(text_columns)} if text_columns else {}))
    sentences = reader.read(corpus)
    log.info("corpus: %s", reader.stats_.to_dict())
    matcher = SkillExtractor(taxonomy, cache_dir=cache_dir).literal_matcher  # the extractor's own label matcher
    training_set = supervision.build(sentences, taxonomy, matcher)
    log.info("distant supervision: %s", {k: v for k, v in training_set.stats.items() if k != "top_labels"})
    if epochs is not None:
        config = replace(config, max_steps=math.ceil(epochs * len(training_set.pairs) / config.batch_size))

    def finalize(staging: Path, record: dict) -> None:
        # the ONNX export is what users run: evaluate and calibrate on its vectors
        from skillmatch.train.export import export_onnx

        export_onnx(staging, quantize=config.quantize)
        from skillmatch.extract.evaluation import LabelledSentence

        holdout = [LabelledSentence(text, frozenset(gold)) for text, gold in sorted(training_set.holdout.items())]
        if evaluate or holdout:
            record["metrics"] = evaluate_encoder(taxonomy, staging, evaluate, cache_dir,
                                                 {"distant-held-out": holdout[:2000]})
        if calibrate:
            record["calibration"] = calibrate_model(taxonomy, staging, calibrate, cache_dir, data_root)

    card = {"corpus": [describe_file(p, data_root) for p in corpus], "corpus_stats": reader.stats_.to_dict(),
            "supervision": dict(supervision.__dict__)}
    if epochs is not None:
        card["epochs"] = epochs
    if command:
        card["command"] = command
    trainer = BiEncoderTrainer(config, cache_dir=cache_dir, show_progress=show_progress)
    return trainer.fit(training_set, taxonomy, out, overwrite=overwrite, card=card, finalize=finalize)
