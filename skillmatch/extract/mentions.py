"""Is this literal match a skill mention, in its context?

After the statement gate, most wrong skills on real job ads were literal matches: an ESCO label's
words in a sentence that uses them otherwise ("access to technology" is not Microsoft Access,
"Logistic regression" is not logistics, "ML" is rarely the ML language), or in a sentence that
states a skill while the matched words are not the one it states. Whether annotators marked the
words as a skill depends on the words around them (lists, "experience with", "knowledge of"),
on the match's own words and shape, and on what the sentence is about — features a linear
model reads cheaply: sparse context and match features plus the sentence vector extraction
already computes (a :class:`~skillmatch.extract.linear_gate.LinearGate`). It is fitted on SkillSpan's
train spans (``skillmatch.train.mentions``).
"""
from __future__ import annotations

import re

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
