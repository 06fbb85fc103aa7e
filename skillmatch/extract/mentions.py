"""Is this literal match a skill mention, in its context?

After the statement gate, most wrong skills on real job ads were literal matches: an ESCO label's
words in a sentence that uses them otherwise ("access to technology" is not Microsoft Access,
"Logistic regression" is not logistics, "ML" is rarely the ML language), or in a sentence that
states a skill while the matched words are not the one it states. Whether annotators marked the
words as a skill depends on the words around them (lists, "experience with", "knowledge of"),
on the match's own words and shape, and on what the sentence is about — features a linear
model reads cheaply: sparse context and match features plus the sentence vector extraction
already computes. It is fitted on SkillSpan's train spans (``skillmatch.train.mentions``).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

_WORD = re.compile(r"\w+|[^\w\s]")
CONTEXT_WORDS = 5  # bag of words on each side of the match
POSITIONED_WORDS = 3  # words on each side that also count with their position


def mention_features(sentence: str, start: int, end: int, method: str, score: float, zone: str,
                     skill_type: str) -> dict[str, float]:
    """Sparse features of the literal match ``sentence[start:end]``."""
    left = _WORD.findall(sentence[:start].lower())[-CONTEXT_WORDS:]
    right = _WORD.findall(sentence[end:].lower())[:CONTEXT_WORDS]
    matched = sentence[start:end]
    features = {f"match={matched.lower()}": 1.0, f"method={method}": 1.0, f"zone={zone}": 1.0,
                f"type={skill_type}": 1.0, "score": float(score),
                "capitalised": float(matched[:1].isupper()), "upper": float(matched.isupper() and len(matched) > 1),
                "words": min(len(matched.split()), 5) / 5, "sentence_start": float(not left),
                "sentence_end": float(not right or right == ["."]),
                "sentence_words": min(len(sentence.split()), 40) / 40}
    for position, word in enumerate(reversed(left[-POSITIONED_WORDS:]), start=1):
        features[f"left{position}={word}"] = 1.0
    for position, word in enumerate(right[:POSITIONED_WORDS], start=1):
        features[f"right{position}={word}"] = 1.0
    for word in left:
        features[f"left={word}"] = 1.0
    for word in right:
        features[f"right={word}"] = 1.0
    if left and right:
        features[f"around={left[-1]}_{right[0]}"] = 1.0
    return features


@dataclass(frozen=True)
class MentionGate:
    """Logistic model P(the literal match is a skill mention) over sparse features and the unit
    sentence vector; matches below ``threshold`` yield no evidence."""

    weights: dict[str, float]
    vector_weights: tuple[float, ...]
    bias: float
    threshold: float = 0.5
    provenance: dict = field(default_factory=dict, compare=False)

    def probability(self, features: dict[str, float], vector: np.ndarray) -> float:
        logit = self.bias + sum(self.weights.get(name, 0.0) * value for name, value in features.items())
        logit += float(np.dot(np.asarray(vector, dtype=np.float64), self.vector_weights))
        return 1.0 / (1.0 + math.exp(-max(min(logit, 50.0), -50.0)))

    def to_dict(self) -> dict:
        return {"weights": {name: round(float(w), 6) for name, w in sorted(self.weights.items())},
                "vector_weights": [round(float(w), 6) for w in self.vector_weights], "bias": round(float(self.bias), 6),
                "threshold": round(float(self.threshold), 4), "provenance": self.provenance}

    @classmethod
    def from_dict(cls, record: dict) -> "MentionGate":
        return cls({str(k): float(v) for k, v in record["weights"].items()},
                   tuple(float(w) for w in record["vector_weights"]), float(record["bias"]),
                   float(record["threshold"]), dict(record.get("provenance", {})))
