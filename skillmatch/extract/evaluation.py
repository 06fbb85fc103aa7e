"""Ranking metrics for sentence-level skill extraction, as defined by the benchmark's README.

RP@K (R-precision at K) = hits in the top K / min(K, number of gold skills); MRR = mean over
sentences of 1 / rank of the first gold skill (0 when none is ranked).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from skillmatch.errors import DataFileError


@dataclass(frozen=True)
class LabelledSentence:
    sentence: str
    gold: frozenset[str]


def load_validation(path: str | Path) -> list[LabelledSentence]:
    items = []
    path = Path(path)
    with open(path, encoding="utf-8") as handle:
        for line_number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                items.append(LabelledSentence(record["sentence"], frozenset(s["uri"] for s in record["skills"])))
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise DataFileError(path, f"invalid record ({exc})", line=line_number,
                                    expected='{"sentence": ..., "skills": [{"uri": ...}]}') from exc
    return items


def r_precision_at(ranked: Sequence[str], gold: frozenset[str], k: int) -> float:
    if not gold:
        return 0.0
    return sum(1 for uri in ranked[:k] if uri in gold) / min(k, len(gold))


def reciprocal_rank(ranked: Sequence[str], gold: frozenset[str]) -> float:
    for position, uri in enumerate(ranked, 1):
        if uri in gold:
            return 1.0 / position
    return 0.0


def score_rankings(rankings: Sequence[Sequence[str]], items: Sequence[LabelledSentence]) -> dict[str, float]:
    """Mean RP@5, RP@10 and MRR over sentences (as percentages, like the literature)."""
    if len(rankings) != len(items):
        raise ValueError(f"{len(rankings)} rankings for {len(items)} sentences")
    n = len(items)
    return {
        "RP@5": round(100 * sum(r_precision_at(r, i.gold, 5) for r, i in zip(rankings, items)) / n, 2),
        "RP@10": round(100 * sum(r_precision_at(r, i.gold, 10) for r, i in zip(rankings, items)) / n, 2),
        "MRR": round(100 * sum(reciprocal_rank(r, i.gold) for r, i in zip(rankings, items)) / n, 2),
        "sentences": n,
    }
