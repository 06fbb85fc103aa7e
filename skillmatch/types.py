"""Result records that flow through the pipeline: documents → sentences → skills → matches.

All are frozen dataclasses of plain values, so ``dataclasses.asdict`` gives JSON directly.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


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
    method: str
    matched_text: str = ""
    match_start: int | None = None
    match_end: int | None = None
    alternatives: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExtractedSkill:
    """A skill found in one document, with every piece of evidence for it."""

    uri: str
    label: str
    score: float
    method: str
    skill_type: str = ""
    path: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class RankedSkill:
    """One entry of a sentence's ranking over the skill pillar."""

    uri: str
    label: str
    score: float
