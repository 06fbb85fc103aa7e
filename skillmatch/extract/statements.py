"""Does a sentence state a skill, knowledge or a requirement at all?

Most wrong skills on real documents do not come from a poor ranking but from sentences that
state no skill: a company blurb, a benefit, a heading, a date line. Their best-ranked skill
can still pass the threshold. Human span annotations (SkillSpan's job-ad sentences, each marked
with the skill and knowledge spans it holds, or none) teach a linear probe on the encoder's
sentence vector — the vector extraction computes anyway — and on the sentence's words and word
pairs ("experience with", "benefits", "equal opportunity"), which the vector blurs: together
they separate the sentences better than either (cross-validated ROC AUC 0.956 against 0.925
for the vector alone). A sentence the probe gives less than its threshold yields literal
matches only (a named skill stands on its face; its semantic neighbours do not).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

_WORD = re.compile(r"\b\w+\b")


def sentence_terms(text: str) -> list[str]:
    """The lower-cased words and adjacent word pairs of a sentence, each once."""
    words = _WORD.findall(text.lower())
    return list(dict.fromkeys(words + [f"{a} {b}" for a, b in zip(words, words[1:])]))


@dataclass(frozen=True)
class StatementGate:
    """Logistic probe P(sentence states a skill) over the unit sentence vector and the sentence's
    terms (:func:`sentence_terms`), and the probability below which a sentence yields no evidence."""

    weights: tuple[float, ...]
    bias: float
    threshold: float
    provenance: dict = field(default_factory=dict, compare=False)
    term_weights: dict[str, float] = field(default_factory=dict)

    def probability(self, vectors: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        logit = np.asarray(vectors, dtype=np.float64) @ np.asarray(self.weights, dtype=np.float64) + self.bias
        if self.term_weights:
            logit = logit + np.array([sum(self.term_weights.get(term, 0.0) for term in sentence_terms(text))
                                      for text in texts], dtype=np.float64)
        return 1.0 / (1.0 + np.exp(-logit))

    def to_dict(self) -> dict:
        return {"weights": [round(float(w), 6) for w in self.weights], "bias": round(float(self.bias), 6),
                "threshold": round(float(self.threshold), 4), "provenance": self.provenance,
                "term_weights": {term: round(float(w), 6) for term, w in sorted(self.term_weights.items())}}

    @classmethod
    def from_dict(cls, record: dict) -> "StatementGate":
        return cls(tuple(record["weights"]), float(record["bias"]), float(record["threshold"]),
                   dict(record.get("provenance", {})),
                   {str(term): float(w) for term, w in record.get("term_weights", {}).items()})
