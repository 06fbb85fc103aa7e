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


def distant_training_set(taxonomy, corpus: Sequence[str | Path], supervision: DistantSupervision | None = None,
                         exclude: Sequence[str | Path] = (), text_columns: Sequence[str] = (), cache_dir=None,
                         data_root: str | Path | None = None):
    """Read the corpus files and build their distant supervision; returns the
    :class:`TrainingSet` and what a model card says of the data (files with content hashes,
    reading statistics, supervision settings). Separate from training so that one data set
    can train several recipes (``benchmarks/negative_sampling.py``)."""
    from skillmatch._io import describe_file
    from skillmatch.extract import SkillExtractor

    supervision = supervision or DistantSupervision()
    reader = CorpusReader(exclude=exclusion_sentences(exclude),
                          **({"text_columns": tuple(text_columns)} if text_columns else {}))
    sentences = reader.read(corpus)
    log.info("corpus: %s", reader.stats_.to_dict())
    matcher = SkillExtractor(taxonomy, cache_dir=cache_dir).literal_matcher  # the extractor's own label matcher
    training_set = supervision.build(sentences, taxonomy, matcher)
    log.info("distant supervision: %s", {k: v for k, v in training_set.stats.items() if k != "top_labels"})
    card = {"corpus": [describe_file(p, data_root) for p in corpus], "text_columns": list(reader.text_columns),
            "corpus_stats": reader.stats_.to_dict(), "supervision": dict(supervision.__dict__)}
    return training_set, card


def holdout_sentences(training_set, limit: int = 2000) -> list:
    """The distant held-out split as labelled sentences (in a fixed order), at most ``limit``."""
    from skillmatch.extract.evaluation import LabelledSentence

    return [LabelledSentence(text, frozenset(gold)) for text, gold in sorted(training_set.holdout.items())][:limit]


def masked_holdout_sentences(taxonomy, training_set, mask_token: str = "[MASK]", cache_dir=None,
                             limit: int = 2000) -> list:
    """The distant held-out split with every literal mention of its gold skills replaced by the
    mask token, as in masked training pairs. Each plain held-out sentence names its skills word
    for word, so that split rewards spotting labels; masked, the encoder must tell the skill from
    its context, as it must for the skills the human-annotated sets tag without their label."""
    from skillmatch.extract import SkillExtractor
    from skillmatch.extract.evaluation import LabelledSentence

    matcher = SkillExtractor(taxonomy, cache_dir=cache_dir).literal_matcher
    masked = []
    for item in holdout_sentences(training_set, limit):
        text = item.sentence
        spans = sorted((hit.start, hit.end) for hit in matcher.find(text) if item.gold & set(hit.uris))
        merged: list[list[int]] = []
        for start, end in spans:
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        for start, end in reversed(merged):
            text = text[:start] + mask_token + text[end:]
        masked.append(LabelledSentence(text, item.gold))
    return masked


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
    from skillmatch.errors import ConfigurationError

    config = config or TrainingConfig()
    if epochs is not None and not epochs > 0:
        raise ConfigurationError(f"epochs must be a positive number, not {epochs}")
    training_set, card = distant_training_set(taxonomy, corpus, supervision or DistantSupervision(seed=config.seed),
                                              [*exclude, *evaluate, *calibrate], text_columns, cache_dir, data_root)
    if epochs is not None:
        config = replace(config, max_steps=math.ceil(epochs * len(training_set.pairs) / config.batch_size))
        card["epochs"] = epochs
    return fit_training_set(taxonomy, training_set, out, config, card, evaluate, calibrate, cache_dir, overwrite,
                            command, show_progress, data_root)


def holdout_sets(taxonomy, training_set, mask_token: str = "[MASK]", cache_dir=None) -> dict:
    """The distant held-out split as scored everywhere: plain and with its gold labels masked."""
    return {"distant-held-out": holdout_sentences(training_set),
            "distant-held-out-masked": masked_holdout_sentences(taxonomy, training_set, mask_token, cache_dir)}


def fit_training_set(taxonomy, training_set, out: str | Path, config: TrainingConfig, card: dict,
                     evaluate: Sequence[str | Path] = (), calibrate: Sequence[str | Path] = (), cache_dir=None,
                     overwrite: bool = False, command: str | None = None, show_progress: bool = True,
                     data_root: str | Path | None = None) -> Path:
    """Train on a built training set and write the model folder, evaluated (labelled files and
    the distant held-out split) and calibrated on its ONNX export, the vectors users run."""

    def finalize(staging: Path, record: dict) -> None:
        from skillmatch.train.export import export_onnx

        export_onnx(staging, quantize=config.quantize)
        if evaluate or training_set.holdout:
            mask_token = card.get("supervision", {}).get("mask_token", "[MASK]")
            record["metrics"] = evaluate_encoder(taxonomy, staging, evaluate, cache_dir,
                                                 holdout_sets(taxonomy, training_set, mask_token, cache_dir))
        if calibrate:
            record["calibration"] = calibrate_model(taxonomy, staging, calibrate, cache_dir, data_root)

    card = dict(card) | ({"command": command} if command else {})
    trainer = BiEncoderTrainer(config, cache_dir=cache_dir, show_progress=show_progress)
    return trainer.fit(training_set, taxonomy, out, overwrite=overwrite, card=card, finalize=finalize)
