"""Fitting the score calibration and the extraction threshold on labelled sentences.

The calibrated score is P(skill mentioned | cosine, literal match), a logistic regression
over the candidates the extractor itself proposes (semantic top-k ∪ literal hits). The
extraction threshold is the score that maximises micro-F1 of extracted skills.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from skillmatch.extract.encoder import Calibration
from skillmatch.extract.evaluation import LabelledSentence


@dataclass
class CandidateTable:
    cosine: np.ndarray
    literal: np.ndarray
    lexical: np.ndarray
    label: np.ndarray
    sentence: np.ndarray
    gold_total: int


def candidate_table(extractor, items: Sequence[LabelledSentence], top_k: int = 20) -> CandidateTable:
    texts = [item.sentence for item in items]
    vectors = extractor.encoder.encode(texts)
    rows = []
    for position, (item, candidates) in enumerate(zip(items, extractor._candidates(texts, vectors, top_k))):
        for uri, candidate in candidates.items():
            rows.append((candidate.cosine, 1.0 if candidate.literal is not None else 0.0, candidate.lexical,
                         1.0 if uri in item.gold else 0.0, position))
    array = np.array(rows, dtype=np.float64).reshape(-1, 5)
    return CandidateTable(array[:, 0], array[:, 1], array[:, 2], array[:, 3], array[:, 4].astype(int),
                          sum(len(item.gold) for item in items))


def merge_tables(tables: Sequence[CandidateTable]) -> CandidateTable:
    offsets = np.cumsum([0] + [int(t.sentence.max()) + 1 if len(t.sentence) else 0 for t in tables[:-1]])
    return CandidateTable(*(np.concatenate([getattr(t, f) for t in tables]) for f in ("cosine", "literal", "lexical", "label")),
                          np.concatenate([t.sentence + o for t, o in zip(tables, offsets)]),
                          sum(t.gold_total for t in tables))


def fit_calibration(table: CandidateTable, literal: bool, lexical: bool) -> Calibration:
    """Logistic regression on the enabled signals; disabled ones keep weight 0."""
    from sklearn.linear_model import LogisticRegression

    columns = [table.cosine] + ([table.literal] if literal else []) + ([table.lexical] if lexical else [])
    model = LogisticRegression(C=10.0, max_iter=1000).fit(np.column_stack(columns), table.label)
    weights = iter(float(w) for w in model.coef_[0])
    return Calibration(cosine_weight=round(next(weights), 4),
                       literal_weight=round(next(weights), 4) if literal else 0.0,
                       lexical_weight=round(next(weights), 4) if lexical else 0.0,
                       bias=round(float(model.intercept_[0]), 4))


def best_threshold(table: CandidateTable, calibration: Calibration) -> tuple[float, dict[str, float]]:
    """Threshold maximising micro-F1 (gold skills outside the candidates count as misses)."""
    scores = calibration.probability(table.cosine, table.literal, table.lexical)
    best = (0.5, {"precision": 0.0, "recall": 0.0, "f1": 0.0})
    for threshold in np.round(np.arange(0.05, 0.96, 0.01), 2):
        chosen = scores >= threshold
        true_positive = float(table.label[chosen].sum())
        precision = true_positive / max(chosen.sum(), 1)
        recall = true_positive / max(table.gold_total, 1)
        f1 = 2 * precision * recall / max(precision + recall, 1e-9)
        if f1 > best[1]["f1"]:
            best = (float(threshold), {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)})
    return best


def calibrate_tables(tables: Sequence[CandidateTable], literal: bool, lexical: bool
                     ) -> tuple[Calibration, float, dict[str, float]]:
    """Calibration and extraction threshold fitted on all the labelled tables together."""
    merged = merge_tables(list(tables))
    calibration = fit_calibration(merged, literal, lexical)
    threshold, quality = best_threshold(merged, calibration)
    return calibration, threshold, quality
