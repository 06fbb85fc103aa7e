"""The words a recruiter reads: a 0–100 fit, a one-line summary and a checklist.

One vocabulary for the CLI table, the HTML report, the JSON and the Streamlit app:

- **fit**: the score × 100, rounded (the score is the sum of the explanation's contributions);
- **points**: what one line adds to the fit (a contribution × 100);
- **must-have / nice-to-have / also asked**: a requirement the job's wording makes essential /
  optional / says nothing about;
- **met / partly met / missing**: the candidate has the skill (or a more specific one) /
  has a related skill, named in words / has nothing close among the extracted skills (with the
  resume line to check where one still scores more likely than not for it).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from skillmatch.types import Contribution, Match

# the same skill, a more specific one or its O*NET twin count as met; broader, related, similar ones as partly met
MET_RELATIONS = ("exact", "narrower", "crosswalk")
IMPORTANCE_WORDS = {"essential": "must-have", "optional": "nice-to-have", "unspecified": "also asked", "": "also asked"}
RELATION_WORDS = {
    "exact": "has it", "narrower": "has {held}, a more specific skill", "crosswalk": "has {held}, the same skill in O*NET",
    "broader": "has {held}, a broader skill", "related": "has {held}, a related skill",
    "sibling": "has {held}, a similar skill", "semantic": "has {held}, a similar skill"}
# a missing requirement shown with the resume line that scores best for it (see scoring.UNCONFIRMED_MIN_P)
UNCONFIRMED_WORDS = "not extracted, but a resume line may name it: check it"
SIGNAL_WORDS = {
    "skills": "Requirements met", "skill_profile": "Skills both documents speak of",
    "occupation": "Job titles", "keywords": "Words in common", "text_similarity": "Overall similarity of the texts"}


@dataclass(frozen=True)
class ChecklistLine:
    """One requirement as a recruiter reads it."""

    requirement: str
    importance: str  # must-have / nice-to-have / also asked
    status: str  # met / partly met / missing
    detail: str  # "has MySQL, a similar database skill", the note of a missing one with a line to check, or ""
    points: float
    jd_evidence: str = ""
    resume_evidence: str = ""


@dataclass(frozen=True)
class Wording:
    """A match in plain words: fit, summary, the requirement checklist and the other signals."""

    fit: int
    summary: str
    checklist: tuple[ChecklistLine, ...] = ()
    signals: tuple[tuple[str, float, str], ...] = ()  # (name in words, points, detail)
    warnings: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict:
        return asdict(self)


def status(contribution: Contribution) -> str:
    if contribution.relation in ("missing", "") or contribution.matched is None:
        return "missing"
    if contribution.relation in MET_RELATIONS:
        return "met"
    return "partly met"


def word(match: Match) -> Wording:
    """The plain-language view of a match."""
    explanation = match.explanation
    lines = []
    for c in explanation.contributions:
        if c.kind != "requirement":
            continue
        state = status(c)
        if state == "missing":
            detail = UNCONFIRMED_WORDS if c.resume_evidence is not None else ""
        else:
            detail = RELATION_WORDS.get(c.relation, "has {held}").format(held=c.matched.label if c.matched else "")
        lines.append(ChecklistLine(c.requirement.label, IMPORTANCE_WORDS.get(c.importance, "also asked"), state,
                                   detail, round(100 * c.value, 1),
                                   c.jd_evidence.sentence if c.jd_evidence else "",
                                   c.resume_evidence.sentence if c.resume_evidence else ""))
    counts = []
    for importance in ("must-have", "nice-to-have", "also asked"):
        group = [line for line in lines if line.importance == importance]
        if group:
            met = sum(line.status == "met" for line in group)
            partly = sum(line.status == "partly met" for line in group)
            noun = {"must-have": "must-haves", "nice-to-have": "nice-to-haves", "also asked": "other requirements"}
            text = f"meets {met} of {len(group)} {noun[importance]}"
            counts.append(text + (f" ({partly} partly)" if partly else ""))
    signals = []
    for name, record in explanation.signals.items():
        if name == "skills":
            continue
        signals.append((SIGNAL_WORDS.get(name, name), round(100 * record["points"], 1), _detail(name, explanation)))
    similar = [s for s in signals if s[1] >= 5]
    summary = "; ".join(counts) or "the job lists no recognised requirement"
    if similar:
        summary += "; " + ", ".join(f"{name.lower()} add {points:.0f} points" for name, points, _ in similar)
    return Wording(round(100 * match.score), summary, tuple(lines), tuple(signals), explanation.warnings)


def _detail(signal: str, explanation) -> str:
    parts = [c for c in explanation.contributions if c.kind == signal]
    if signal == "skill_profile":
        names = [c.requirement.label for c in parts if c.requirement is not None][:5]
        return ", ".join(names) if names else "no skill in common"
    if signal == "keywords":
        terms = [t for c in parts for t, _ in c.terms][:6]
        return ", ".join(terms) if terms else "no distinctive word in common"
    if signal == "occupation":
        found = next((c for c in parts if c.matched is not None), None)
        return (f"the job's title names {found.requirement.label}; the candidate's titles name {found.matched.label}"
                if found else (parts[0].note if parts else ""))
    if signal == "text_similarity":
        raw = explanation.signals.get(signal, {}).get("raw", 0.0)
        return f"cosine {raw:.2f} between the two documents' embeddings"
    return ""
