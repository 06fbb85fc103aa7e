"""A logistic model over named sparse features (and optionally the sentence vector), stored as
plain JSON: the form of the mention gate and of the verdict gate.

Both gates answer "is this more likely right than wrong?" from a handful of cheap signals, so
they share one small, inspectable model rather than an sklearn pickle: weights by feature name
read like a table, load without sklearn and never break across library versions.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class LinearGate:
    """P(yes) = sigmoid(bias + Σ weight·feature + vector_weights·vector); below ``threshold`` the
    item is dropped."""

    weights: dict[str, float]
    vector_weights: tuple[float, ...]
    bias: float
    threshold: float = 0.5
    provenance: dict = field(default_factory=dict, compare=False)

    def probability(self, features: dict[str, float], vector: np.ndarray | None = None) -> float:
        logit = self.bias + sum(self.weights.get(name, 0.0) * value for name, value in features.items())
        if self.vector_weights:
            logit += float(np.dot(np.asarray(vector, dtype=np.float64), self.vector_weights))
        return 1.0 / (1.0 + math.exp(-max(min(logit, 50.0), -50.0)))

    def to_dict(self) -> dict:
        return {"weights": {name: round(float(w), 6) for name, w in sorted(self.weights.items())},
                "vector_weights": [round(float(w), 6) for w in self.vector_weights], "bias": round(float(self.bias), 6),
                "threshold": round(float(self.threshold), 4), "provenance": self.provenance}

    @classmethod
    def from_dict(cls, record: dict) -> "LinearGate":
        return cls({str(k): float(v) for k, v in record["weights"].items()},
                   tuple(float(w) for w in record["vector_weights"]), float(record["bias"]),
                   float(record["threshold"]), dict(record.get("provenance", {})))
