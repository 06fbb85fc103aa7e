"""Turning candidate signals into P(skill is mentioned), and choosing the extraction threshold.

The calibrated score is a logistic regression over the candidates the extractor itself
proposes (semantic top-k ∪ lexical top-k ∪ literal hits), with the cosine, the literal hit
and the TF-IDF value as features. Ranking and the extraction threshold use this one number.
The threshold is the score that maximises micro-F1 of extracted skills on labelled
sentences (gold skills outside the candidates count as misses).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Sequence

import numpy as np

from skillmatch.extract.candidates import CandidateTable
from skillmatch.extract.evaluation import LabelledSentence


@dataclass
class Calibration:
    """Logistic weights of (cosine, literal hit, lexical TF-IDF) and the bias.

    A zero weight switches a signal off: the extractor then does not gather its candidates.
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

    def to_dict(self) -> dict[str, float]:
        return asdict(self)


class Calibrator:
    """Fits a :class:`Calibration` on labelled candidate tables (scikit-learn style).

    Parameters
    ----------
    literal, lexical : bool
        Whether the literal and lexical signals take part; a signal left out keeps weight 0.
    C : float
        Inverse regularisation strength of the logistic regression.
    """

    def __init__(self, literal: bool = True, lexical: bool = True, C: float = 10.0) -> None:
        self.literal = literal
        self.lexical = lexical
        self.C = C

    def fit(self, table: CandidateTable, labels: np.ndarray) -> "Calibrator":
        """Learn the weights from candidates and their 0/1 labels (1 = a gold skill)."""
        from sklearn.linear_model import LogisticRegression

        columns = ([table.cosine] + ([table.literal] if self.literal else [])
                   + ([table.lexical] if self.lexical else []))
        model = LogisticRegression(C=self.C, max_iter=1000).fit(np.column_stack(columns), labels)
        weights = iter(float(w) for w in model.coef_[0])
        self.calibration_ = Calibration(cosine_weight=round(next(weights), 4),
                                        literal_weight=round(next(weights), 4) if self.literal else 0.0,
                                        lexical_weight=round(next(weights), 4) if self.lexical else 0.0,
                                        bias=round(float(model.intercept_[0]), 4))
        return self

    def predict_proba(self, table: CandidateTable) -> np.ndarray:
        """P(skill mentioned) for every row of ``table``."""
        return self.calibration_.probability(table.cosine, table.literal, table.lexical)


@dataclass
class LabelledCandidates:
    """A candidate table with a 0/1 label per row and the number of gold skills behind it."""

    table: CandidateTable
    labels: np.ndarray
    gold_total: int


def labelled_candidates(extractor, items: Sequence[LabelledSentence], top_k: int = 20) -> LabelledCandidates:
    """The extractor's candidates for labelled sentences, each marked gold or not."""
    table = extractor.candidates([item.sentence for item in items], top_k=top_k)
    uris = extractor.space.uris
    labels = np.array([1.0 if uris[skill] in items[sentence].gold else 0.0
                       for sentence, skill in zip(table.sentence, table.skill)], dtype=np.float64)
    return LabelledCandidates(table, labels, sum(len(item.gold) for item in items))


def merge(parts: Sequence[LabelledCandidates]) -> LabelledCandidates:
    """One labelled table from several (sentence numbers shifted so they stay distinct)."""
    offsets = np.cumsum([0] + [p.table.sentences for p in parts[:-1]])
    tables = [p.table for p in parts]

    def stack(name: str) -> np.ndarray:
        return np.concatenate([getattr(t, name) for t in tables])

    table = CandidateTable(sentence=np.concatenate([t.sentence + o for t, o in zip(tables, offsets)]),
                           skill=stack("skill"), cosine=stack("cosine"), literal=stack("literal"),
                           lexical=stack("lexical"), semantic_rank=stack("semantic_rank"),
                           literal_hit=[h for t in tables for h in t.literal_hit],
                           alternatives=[a for t in tables for a in t.alternatives],
                           sentences=sum(t.sentences for t in tables))
    return LabelledCandidates(table, np.concatenate([p.labels for p in parts]), sum(p.gold_total for p in parts))


def best_threshold(data: LabelledCandidates, calibration: Calibration) -> tuple[float, dict[str, float]]:
    """Threshold maximising micro-F1 (gold skills outside the candidates count as misses)."""
    table = data.table
    scores = calibration.probability(table.cosine, table.literal, table.lexical)
    best = (0.5, {"precision": 0.0, "recall": 0.0, "f1": 0.0})
    for threshold in np.round(np.arange(0.05, 0.96, 0.01), 2):
        chosen = scores >= threshold
        true_positive = float(data.labels[chosen].sum())
        precision = true_positive / max(chosen.sum(), 1)
        recall = true_positive / max(data.gold_total, 1)
        f1 = 2 * precision * recall / max(precision + recall, 1e-9)
        if f1 > best[1]["f1"]:
            best = (float(threshold), {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)})
    return best


def calibrate(parts: Sequence[LabelledCandidates], literal: bool = True, lexical: bool = True
              ) -> tuple[Calibration, float, dict[str, float]]:
    """Calibration and extraction threshold fitted on all the labelled tables together."""
    merged = merge(list(parts))
    calibration = Calibrator(literal, lexical).fit(merged.table, merged.labels).calibration_
    threshold, quality = best_threshold(merged, calibration)
    return calibration, threshold, quality
