"""Does a sentence state a skill, knowledge or a requirement at all?

Most wrong skills on real documents do not come from a poor ranking but from sentences that
state no skill: a company blurb, a benefit, a heading, a date line. Their best-ranked skill
can still pass the threshold. Human span annotations (SkillSpan's job-ad sentences, each marked
with the skill and knowledge spans it holds, or none) teach a linear probe on the encoder's
sentence vector — the vector extraction computes anyway, so the check costs one dot product
per sentence. A sentence the probe gives less than its threshold yields literal matches only
(a named skill stands on its face; its semantic neighbours do not).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class StatementGate:
    """Logistic probe P(sentence states a skill) over the unit sentence vector, and the
    probability below which a sentence yields no evidence."""

    weights: tuple[float, ...]
    bias: float
    threshold: float
    provenance: dict = field(default_factory=dict, compare=False)

    def probability(self, vectors: np.ndarray) -> np.ndarray:
        logit = np.asarray(vectors, dtype=np.float64) @ np.asarray(self.weights, dtype=np.float64) + self.bias
        return 1.0 / (1.0 + np.exp(-logit))

    def to_dict(self) -> dict:
        return {"weights": [round(float(w), 6) for w in self.weights], "bias": round(float(self.bias), 6),
                "threshold": round(float(self.threshold), 4), "provenance": self.provenance}

    @classmethod
    def from_dict(cls, record: dict) -> "StatementGate":
        return cls(tuple(record["weights"]), float(record["bias"]), float(record["threshold"]),
                   dict(record.get("provenance", {})))
