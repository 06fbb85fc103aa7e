"""Would a person reading the whole document judge this extracted skill right?

The statement and mention gates are fitted on SkillSpan's job-ad sentences, where a named skill
is right three times in four. Read by hand on whole real postings and resumes
(``benchmarks/judged_precision.py``) the shipped extractor was right 0.70 of the time, and what
stayed wrong had a shape: a match only the literal matcher found (the encoder did not rank it),
at a low calibrated score; an acronym or alternative label standing in for the skill ("HSC",
"BIS", "Google" → search engines); one piece of evidence in a zone that rarely states skills.
No single threshold separates these, so a small logistic model reads them together over the
skill as extraction reports it (its method, score, gates' probabilities, zone, type, evidence
count and the shape of its matched words) and is fitted on those hand verdicts
(``skillmatch.train.verdicts``): P(right) is reported with every skill as ``stated`` and a
skill below 0.5 — more likely wrong than right — is dropped.

The same collisions recur from document to document ("ML" → the ML language, "Go-to-Market" →
Go, "Google" → search engines, "plan" as a verb), and so do skills a reader judges borderline
where they are named (degree fields such as "computer science" in an education line). The
skill's identity and its matched words are features too, so the gate learns what readers made
of that skill and those words elsewhere; the fitting keeps only identities and words judged at
least twice, and regularisation chosen by cross-validation decides how far they count.
"""
from __future__ import annotations

import math

from skillmatch.types import ExtractedSkill


def verdict_features(skill: ExtractedSkill) -> dict[str, float]:
    """Features of one extracted skill, read from what extraction reports about it."""
    best = skill.evidence[0]
    score = min(max(best.score, 1e-3), 1 - 1e-3)
    features = {f"skill={skill.uri}": 1.0, f"method={skill.method}": 1.0, f"type={skill.skill_type}": 1.0,
                f"zone={best.zone}": 1.0,
                "score": best.score, "score_logit": math.log(score / (1 - score)),
                "evidence": math.log1p(len(skill.evidence))}
    mentions = [e.mention for e in skill.evidence if e.mention is not None]
    if mentions:
        features["mention"] = max(mentions)
    else:
        features["mention_not_judged"] = 1.0
    if best.statement is not None:
        features["statement"] = best.statement
    matched = best.matched_text
    if matched:
        features[f"match={matched.lower()}"] = 1.0
        features["match_upper"] = float(matched.isupper())
        features["match_short"] = float(len(matched) <= 4)
        features["match_is_label"] = float(matched.lower() == skill.label.lower())
        features["match_words"] = float(len(matched.split()))
    return features
