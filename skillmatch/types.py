"""Result records that flow through the pipeline: documents → sentences → skills → matches.

All are frozen dataclasses of plain values, so ``dataclasses.asdict`` gives JSON directly.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

# fixed vocabularies of result fields
Method = Literal["literal", "semantic", "both", "manual"]
Relation = Literal["exact", "narrower", "crosswalk", "broader", "related", "sibling", "semantic", "unit_group",
                   "minor_group", "missing", ""]
Importance = Literal["essential", "unspecified", "optional", ""]
ContributionKind = Literal["requirement", "skill_profile", "occupation", "keywords", "text_similarity"]


@dataclass(frozen=True)
class Concept:
    """A node of the knowledge base: an ESCO skill, occupation or group, or an O*NET concept."""

    uri: str
    kind: str
    label: str
    alt_labels: tuple[str, ...] = ()
    hidden_labels: tuple[str, ...] = ()
    description: str = ""
    skill_type: str = ""
    reuse_level: str = ""
    code: str = ""
    source: str = ""
    version: str = ""

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.alt_labels, *self.hidden_labels)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Mapping:
    """A crosswalk link; ``provenance`` is 'curated' (from a file) or 'machine' (with its score)."""

    source: str
    target: str
    relation: str
    provenance: str
    method: str
    score: float


@dataclass(frozen=True)
class Skill:
    """A skill concept as reported in results: enough to show and to look up again."""

    uri: str
    label: str
    skill_type: str = ""


@dataclass(frozen=True)
class Evidence:
    """Why a skill was extracted: the sentence, where it sits in the original text, and how."""

    sentence: str
    start: int
    end: int
    score: float
    method: Method
    matched_text: str = ""
    match_start: int | None = None
    match_end: int | None = None
    alternatives: tuple[str, ...] = ()
    zone: str = ""  # the document zone of the sentence (see skillmatch.extract.zones)
    statement: float | None = None  # P(the sentence states a skill), where the model has a statement gate
    mention: float | None = None  # P(the literal match is a skill mention here), where the model has a mention gate


@dataclass(frozen=True)
class ExtractedSkill:
    """A skill found in one document, with every piece of evidence for it."""

    uri: str
    label: str
    score: float
    method: Method
    skill_type: str = ""
    path: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = field(default_factory=tuple)
    links: tuple[str, ...] = ()  # concepts the ESCO–O*NET crosswalk links to this one
    stated: float | None = None  # P(a reader judges that the document states it), where the model has a verdict gate

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class RankedSkill:
    """One entry of a sentence's ranking over the skill pillar."""

    uri: str
    label: str
    score: float


@dataclass(frozen=True)
class Contribution:
    """One line of a score: a JD requirement and how the candidate meets it, or a global term.

    ``value`` lines add up to the match score exactly.
    """

    kind: ContributionKind
    value: float
    requirement: Skill | None = None
    importance: Importance = ""
    weight: float = 0.0
    matched: Skill | None = None
    relation: Relation = ""
    path: tuple[Skill, ...] = ()
    credit: float = 0.0
    jd_evidence: Evidence | None = None
    resume_evidence: Evidence | None = None
    note: str = ""
    terms: tuple[tuple[str, float], ...] = ()  # keywords: the shared words and what each adds


@dataclass(frozen=True)
class Explanation:
    """Why a candidate scores what it does.

    ``contributions`` add up to the score; ``signals`` gives, per signal, its raw value, the
    0–1 value after scaling, its weight and the points it adds; ``missing`` are requirements
    nothing supports and ``extra`` the candidate's other skills.
    """

    contributions: tuple[Contribution, ...]
    missing: tuple[Skill, ...]
    extra: tuple[Skill, ...]
    provenance: dict[str, Any] = field(default_factory=dict)
    signals: dict[str, dict[str, float]] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Match:
    """A ranked candidate: the score is the sum of the explanation's contributions.

    ``fit`` is the score on 0–100 for people, ``summary`` the plain-language line (see
    :mod:`skillmatch.match.wording`).
    """

    id: str
    score: float
    rank: int
    explanation: Explanation
    fit: int = 0
    summary: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def evidence_from_dict(record: dict[str, Any]) -> Evidence:
    """An :class:`Evidence` from its ``asdict`` form (e.g. read back from JSON)."""
    return Evidence(**{**record, "alternatives": tuple(record.get("alternatives", ()))})


def skill_from_dict(record: dict[str, Any]) -> ExtractedSkill:
    """An :class:`ExtractedSkill` from its ``asdict`` form (e.g. read back from JSON)."""
    return ExtractedSkill(uri=record["uri"], label=record["label"], score=record["score"], method=record["method"],
                          skill_type=record.get("skill_type", ""), path=tuple(record.get("path", ())),
                          evidence=tuple(evidence_from_dict(e) for e in record.get("evidence", ())),
                          links=tuple(record.get("links", ())), stated=record.get("stated"))
