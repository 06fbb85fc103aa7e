"""What a job asks for: its extracted skills, each weighted by how much it says about fit.

A requirement's weight is importance × extraction confidence × specificity:

- importance comes from the wording ("must", "required" vs "nice to have", "a plus"; the cue
  rules are in :class:`~skillmatch.config.MatchConfig`), first in the sentence, then in its
  section heading, then from the zone it was written in (a "Requirements" section); where
  nothing says, and the job's title names an ESCO occupation, that occupation's essential
  skills count as essential;
- specificity: a skill few occupations list ("Django") says more about fit than one listed
  by almost every occupation ("communication"): ``log(N / n) / log(N)`` over the ESCO
  occupations (N) and those listing the skill (n), at least 0.1.

What is not a requirement is dropped: skills found only in zones that state no requirement
(handled by extraction), and language skills that the text does not name literally (the
language a posting happens to be written in is not asked for).
"""
from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass

from skillmatch.types import Evidence, ExtractedSkill, Importance

LANGUAGE_GROUP_LABEL = "languages"
MIN_SPECIFICITY = 0.1


@dataclass(frozen=True)
class Requirement:
    """One requirement of a job: the skill, how important, why, and its weight before normalising."""

    skill: ExtractedSkill
    importance: Importance
    reason: str
    weight: float
    specificity: float = 1.0

    @property
    def evidence(self) -> Evidence | None:
        return self.skill.evidence[0] if self.skill.evidence else None

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, record: dict) -> "Requirement":
        from skillmatch.types import skill_from_dict

        return cls(skill_from_dict(record["skill"]), record["importance"], record["reason"], record["weight"],
                   record.get("specificity", 1.0))


def _cue(text: str, config) -> str | None:
    if re.search(config.optional_cues, text, re.I):
        return "optional"
    if re.search(config.essential_cues, text, re.I):
        return "essential"
    return None


HEADING = re.compile(r"^\s*(?:#{1,6}\s+.*|[^.!?\n]{2,60}:\s*|[A-Z][A-Z &/-]{3,60})$")


def section_importance(text: str, config) -> list[tuple[int, str | None]]:
    """(line start offset, importance set by the latest heading) for every line."""
    sections, current, position = [], None, 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped and HEADING.match(stripped):
            current = _cue(stripped, config)
        sections.append((position, current))
        position += len(line)
    return sections


def job_title(text: str) -> str:
    """The first non-empty line, without Markdown marks: the job's title."""
    for line in text.splitlines():
        title = re.sub(r"^[#\s*-]+", "", line).strip()
        if title:
            return title
    return ""


def jd_occupation(taxonomy, text: str) -> str | None:
    """The ESCO occupation named by the JD's title line, if any."""
    title = job_title(text)
    if not title:
        return None
    candidates = [title, re.split(r"\s[—–|-]\s|\(|,", title)[0]]
    candidates.append(re.sub(r"\b(?:senior|junior|lead|principal|staff|head|sr\.?|jr\.?)\b", "", candidates[1],
                             flags=re.I))
    for candidate in candidates:
        found = taxonomy.find(candidate.strip(), "occupation")
        if found:
            return found[0].uri
    return None


def specificity(taxonomy, uri: str) -> float:
    """How specific a skill is: log(N / n) / log(N) over ESCO occupations, at least 0.1."""
    total = max(len(taxonomy.uris("occupation")), 2)
    listed = taxonomy.occupations_for_skill(uri)
    n = len(listed["essential"]) + len(listed["optional"])
    return round(max(MIN_SPECIFICITY, math.log((total + 1) / (n + 1)) / math.log(total + 1)), 4)


def _is_language(taxonomy, uri: str) -> bool:
    return any(taxonomy.label(a) == LANGUAGE_GROUP_LABEL for a in taxonomy.ancestors(uri))


def requirements_from(taxonomy, text: str, skills: tuple[ExtractedSkill, ...], config=None
                      ) -> tuple[list[Requirement], str | None]:
    """Requirements of a job text from its extracted skills, with their weights and reasons.

    Parameters
    ----------
    taxonomy : Taxonomy
    text : str
        The job's (normalised) text, for section headings and the title.
    skills : tuple of ExtractedSkill
        The job's extracted skills.
    config : MatchConfig, optional

    Returns
    -------
    (list of Requirement, str or None)
        The requirements and the ESCO occupation the title names.
    """
    from skillmatch.config import MatchConfig

    config = config or MatchConfig()
    sections = section_importance(text, config)
    occupation = jd_occupation(taxonomy, text)
    profile = taxonomy.occupation_skills(occupation) if occupation else {"essential": (), "optional": ()}
    requirements = []
    for skill in skills:
        if skill.uri in taxonomy and _is_language(taxonomy, skill.uri) and not any(
                e.matched_text for e in skill.evidence):
            continue  # the language the posting is written in, not one it asks for
        importance, reason = None, ""
        for evidence in skill.evidence:
            cue = _cue(evidence.sentence, config)
            if cue:
                importance, reason = cue, f'wording of "{evidence.sentence[:80]}"'
                break
        if importance is None:
            for evidence in skill.evidence:
                heading = next((imp for start, imp in reversed(sections) if start <= evidence.start), None)
                if heading:
                    importance, reason = heading, "section heading"
                    break
        if importance is None and any(e.zone == "requirements" for e in skill.evidence):
            importance, reason = "essential", "listed under the job's requirements"
        if importance is None and skill.uri in profile["essential"]:
            importance, reason = "essential", f"essential skill of the ESCO occupation {taxonomy.label(occupation)}"
        if importance is None:
            importance, reason = "unspecified", "no cue in the JD"
        weight = config.importance_weights[importance] * (skill.score if config.confidence_weighting else 1.0)
        concept = taxonomy.concept(skill.uri) if skill.uri in taxonomy else None
        weight *= config.reuse_weights.get(concept.reuse_level if concept else "", 1.0)
        specific = specificity(taxonomy, skill.uri) if config.specificity_weighting and concept else 1.0
        requirements.append(Requirement(skill, importance, reason, round(weight * specific, 6), specific))
    return requirements, occupation
