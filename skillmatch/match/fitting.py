"""Fitting the match score: signal ranges and weights learned from labelled job–candidate pairs.

The score stays additive (so every point is explained): Σ_k w_k · n_k(raw_k), w_k ≥ 0,
Σ w_k = 1. Ranges first: n_k maps the typical value of an unrelated pair (the median over
irrelevant pairs) to 0 and a strong relevant value (the 90th percentile over relevant pairs)
to 1. Weights then minimise a pairwise logistic loss — for every job, every relevant
candidate should outscore every irrelevant one — with non-negative weights (L-BFGS-B), a
small L2 penalty, normalised to sum to 1. Evaluation is by leave-one-job-out: weights
fitted without a job rank that job's candidates.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from skillmatch.config import SIGNALS


@dataclass
class PairTable:
    """Raw signal values for labelled (job, candidate) pairs."""

    raw: np.ndarray  # pairs × signals, columns in SIGNALS order
    relevant: np.ndarray  # 0/1 per pair
    job: np.ndarray  # job index per pair


def pair_table(scorer, jobs, profiles, relevant) -> PairTable:
    """Every job × every profile, with its raw signals; ``relevant(i, j)`` labels job i × profile j."""
    rows, labels, groups = [], [], []
    for i, job in enumerate(jobs):
        for j, profile in enumerate(profiles):
            signals = scorer.signals(job, profile)
            rows.append([signals[k] for k in SIGNALS])
            labels.append(1.0 if relevant(i, j) else 0.0)
            groups.append(i)
    return PairTable(np.asarray(rows, dtype=np.float64), np.asarray(labels), np.asarray(groups))


def skill_frequencies(profiles) -> dict:
    """``{"documents": N, "df": {uri: n}}``: in how many profiles each skill has profile mass."""
    from collections import Counter

    counts: Counter[str] = Counter()
    for profile in profiles:
        counts.update({entry[0] for entry in profile.skill_profile})
    return {"documents": len(profiles), "df": dict(sorted(counts.items()))}


def fit_ranges(table: PairTable, low_quantile: float = 0.5, high_quantile: float = 0.9
               ) -> dict[str, tuple[float, float]]:
    """(lo, hi) per signal: the median irrelevant value and a strong relevant value."""
    ranges = {}
    negative, positive = table.raw[table.relevant == 0], table.raw[table.relevant == 1]
    for column, name in enumerate(SIGNALS):
        low = float(np.quantile(negative[:, column], low_quantile)) if len(negative) else 0.0
        high = float(np.quantile(positive[:, column], high_quantile)) if len(positive) else 1.0
        if high <= low + 1e-6:
            high = max(float(table.raw[:, column].max()), low + 1e-3)
        ranges[name] = (round(low, 6), round(high, 6))
    return ranges


def normalise(raw: np.ndarray, ranges: dict[str, tuple[float, float]]) -> np.ndarray:
    low = np.array([ranges[k][0] for k in SIGNALS])
    high = np.array([ranges[k][1] for k in SIGNALS])
    return np.clip((raw - low) / (high - low), 0.0, 1.0)


def fit_weights(features: np.ndarray, relevant: np.ndarray, job: np.ndarray, l2: float = 1e-3,
                max_pairs: int = 200_000, seed: int = 0) -> np.ndarray:
    """Non-negative weights (summing to 1) minimising the pairwise logistic loss within jobs."""
    from scipy.optimize import minimize

    rng = np.random.default_rng(seed)
    differences = []
    for group in np.unique(job):
        rows = np.flatnonzero(job == group)
        positive, negative = rows[relevant[rows] == 1], rows[relevant[rows] == 0]
        if len(positive) and len(negative):
            pairs = np.array(np.meshgrid(positive, negative)).reshape(2, -1).T
            differences.append(features[pairs[:, 0]] - features[pairs[:, 1]])
    if not differences:
        return np.full(features.shape[1], 1.0 / features.shape[1])
    x = np.vstack(differences)
    if len(x) > max_pairs:
        x = x[rng.choice(len(x), max_pairs, replace=False)]
    scale = 10.0  # the loss sees w·x × scale, so weights summing to 1 can still separate pairs

    def loss(w):
        margin = scale * (x @ w)
        value = np.mean(np.logaddexp(0.0, -margin)) + l2 * float(w @ w)
        gradient = -scale * (x.T @ (1.0 / (1.0 + np.exp(margin)))) / len(x) + 2 * l2 * w
        return value, gradient

    start = np.full(x.shape[1], 1.0 / x.shape[1])
    result = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=[(0.0, None)] * x.shape[1])
    weights = np.maximum(result.x, 0.0)
    return weights / weights.sum() if weights.sum() > 0 else start


def ndcg_at(relevance: list[int], total_relevant: int, k: int = 10) -> float:
    dcg = sum(rel / math.log2(i + 2) for i, rel in enumerate(relevance[:k]))
    ideal = sum(1 / math.log2(i + 2) for i in range(min(k, total_relevant)))
    return dcg / ideal if ideal else 0.0


def ranking_quality(scores: np.ndarray, table: PairTable, k: int = 10) -> dict[str, float]:
    """Mean nDCG@k and P@5 over jobs, ranking each job's candidates by ``scores``."""
    ndcg, precision = [], []
    for group in np.unique(table.job):
        rows = np.flatnonzero(table.job == group)
        order = rows[np.lexsort((rows, -scores[rows]))]
        relevance = [int(table.relevant[r]) for r in order]
        ndcg.append(ndcg_at(relevance, sum(relevance), k))
        precision.append(sum(relevance[:5]) / 5)
    return {f"nDCG@{k}": round(float(np.mean(ndcg)), 4), "P@5": round(float(np.mean(precision)), 4)}


def fit(table: PairTable) -> dict:
    """Ranges and weights on the whole table, plus leave-one-job-out quality of the procedure."""
    ranges = fit_ranges(table)
    features = normalise(table.raw, ranges)
    weights = fit_weights(features, table.relevant, table.job)
    held_out = np.zeros(len(table.relevant))
    for group in np.unique(table.job):
        inside = table.job != group
        sub = PairTable(table.raw[inside], table.relevant[inside], table.job[inside])
        sub_ranges = fit_ranges(sub)
        sub_weights = fit_weights(normalise(sub.raw, sub_ranges), sub.relevant, sub.job)
        held_out[~inside] = normalise(table.raw[~inside], sub_ranges) @ sub_weights
    return {"weights": {k: round(float(w), 4) for k, w in zip(SIGNALS, weights)}, "ranges": ranges,
            "leave_one_job_out": ranking_quality(held_out, table),
            "in_sample": ranking_quality(features @ weights, table),
            "pairs": int(len(table.relevant)), "relevant_pairs": int(table.relevant.sum()),
            "jobs": int(len(np.unique(table.job)))}
