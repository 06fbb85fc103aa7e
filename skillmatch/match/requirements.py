"""What a JD asks for: its extracted skills, each weighted by how essential the wording makes it.

Wording wins ("must", "required" vs "nice to have", "a plus"), first in the sentence, then in
its section heading. Where the wording says nothing and the JD's title names an ESCO
occupation, the occupation's essential skills count as essential.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from skillmatch.types import Evidence, ExtractedSkill

ESSENTIAL = re.compile(r"\b(?:must|required|requirements?|essential|mandatory|need(?:s|ed)? to|minimum|at least|"
                       r"\d+\+?\s*(?:years|yrs)|proven|qualifications|what you (?:bring|need)|you have)\b", re.I)
OPTIONAL = re.compile(r"\b(?:nice[- ]to[- ]have|a plus|plus if|bonus|preferred|preferably|desirable|desired|ideally|"
                      r"optional|advantage(?:ous)?|would be great|is an asset|good to have)\b", re.I)
HEADING = re.compile(r"^\s*(?:#{1,6}\s+.*|[^.!?\n]{2,60}:\s*|[A-Z][A-Z &/-]{3,60})$")



@dataclass(frozen=True)
class Requirement:
    skill: ExtractedSkill
    importance: str
    reason: str
    weight: float

    @property
    def evidence(self) -> Evidence | None:
        return self.skill.evidence[0] if self.skill.evidence else None


def _cue(text: str) -> str | None:
    if OPTIONAL.search(text):
        return "optional"
    if ESSENTIAL.search(text):
        return "essential"
    return None


def section_importance(text: str) -> list[tuple[int, str | None]]:
    """(line start offset, importance set by the latest heading) for every line."""
    sections, current, position = [], None, 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped and HEADING.match(stripped):
            current = _cue(stripped)
        sections.append((position, current))
        position += len(line)
    return sections


def jd_occupation(taxonomy, text: str) -> str | None:
    """The ESCO occupation named by the JD's title line, if any."""
    for line in text.splitlines():
        title = re.sub(r"^[#\s*-]+", "", line).strip()
        if title:
            break
    else:
        return None
    candidates = [title, re.split(r"\s[—–|-]\s|\(|,", title)[0]]
    candidates.append(re.sub(r"\b(?:senior|junior|lead|principal|staff|head|sr\.?|jr\.?)\b", "", candidates[1],
                             flags=re.I))
    for candidate in candidates:
        found = taxonomy.find(candidate.strip(), "occupation")
        if found:
            return found[0].uri
    return None


def requirements_from(taxonomy, text: str, skills: tuple[ExtractedSkill, ...],
                      config=None) -> tuple[list[Requirement], str | None]:
    """Requirements with weights: importance × (extraction confidence) × (reuse-level weight)."""
    from skillmatch.config import MatchConfig

    config = config or MatchConfig()
    sections = section_importance(text)
    occupation = jd_occupation(taxonomy, text)
    profile = taxonomy.occupation_skills(occupation) if occupation else {"essential": (), "optional": ()}
    requirements = []
    for skill in skills:
        importance, reason = None, ""
        for evidence in skill.evidence:
            cue = _cue(evidence.sentence)
            if cue:
                importance, reason = cue, f'wording of "{evidence.sentence[:80]}"'
                break
        if importance is None:
            for evidence in skill.evidence:
                heading = next((imp for start, imp in reversed(sections) if start <= evidence.start), None)
                if heading:
                    importance, reason = heading, "section heading"
                    break
        if importance is None and skill.uri in profile["essential"]:
            importance, reason = "essential", f"essential skill of the ESCO occupation {taxonomy.label(occupation)}"
        if importance is None:
            importance, reason = "unspecified", "no cue in the JD"
        weight = config.importance_weights[importance] * (skill.score if config.confidence_weighting else 1.0)
        concept = taxonomy.concept(skill.uri) if skill.uri in taxonomy else None
        weight *= config.reuse_weights.get(concept.reuse_level if concept else "", 1.0)
        requirements.append(Requirement(skill, importance, reason, round(weight, 6)))
    return requirements, occupation
