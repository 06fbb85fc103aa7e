"""Helpers for interactive use (the Streamlit demo): uploads, edited requirements, gap analysis."""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import numpy as np

from skillmatch.errors import DocumentError
from skillmatch.extract.text import TEXT_SUFFIXES, raw_text
from skillmatch.config import MatchConfig
from skillmatch.match.requirements import Requirement
from skillmatch.types import ExtractedSkill

UPLOAD_SUFFIXES = {".txt", ".md", ".pdf", ".docx"}
MAX_ZIP_MEMBERS = 2000


@dataclass(frozen=True)
class Upload:
    id: str
    text: str | None = None
    error: str | None = None


def read_uploads(name: str, data: bytes) -> list[Upload]:
    """One uploaded file, or every supported document inside an uploaded zip."""
    suffix = PurePath(name).suffix.lower()
    if suffix == ".zip":
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            return [Upload(PurePath(name).stem, error=f"{name}: not a valid zip archive")]
        uploads = []
        members = [m for m in archive.namelist() if PurePath(m).suffix.lower() in UPLOAD_SUFFIXES
                   and not m.startswith("__MACOSX")][:MAX_ZIP_MEMBERS]
        for member in members:
            uploads.extend(read_uploads(member, archive.read(member)))
        return uploads or [Upload(PurePath(name).stem, error=f"{name}: no .txt, .md, .pdf or .docx inside")]
    if suffix not in UPLOAD_SUFFIXES and suffix not in TEXT_SUFFIXES:
        return [Upload(PurePath(name).stem, error=f"{name}: unsupported file type {suffix}")]
    try:
        text = raw_text(data, name, suffix)
    except DocumentError as exc:
        return [Upload(PurePath(name).stem, error=str(exc))]
    if not text.strip():
        return [Upload(PurePath(name).stem, error=f"{name}: the document is empty")]
    return [Upload(PurePath(name).stem, text=text)]


def edited_requirement(skill: ExtractedSkill, importance: str, weight: float | None = None,
                       config: MatchConfig | None = None) -> Requirement:
    """A requirement after a person changed its importance or weight (the change is recorded)."""
    weights = (config or MatchConfig()).importance_weights
    if importance not in weights:
        raise ValueError(f"importance must be one of {', '.join(weights)}")
    value = weights[importance] * skill.score if weight is None else float(weight)
    return Requirement(skill, importance, "set by the recruiter", round(value, 6))


def manual_skill(taxonomy, uri: str) -> ExtractedSkill:
    """A skill added by hand: full confidence, no evidence in the JD."""
    concept = taxonomy.concept(uri)
    skill_type = "technology" if concept.kind == "technology" else concept.skill_type
    return ExtractedSkill(uri=uri, label=concept.label, score=1.0, method="manual", skill_type=skill_type)


def search_skills(extractor, query: str, limit: int = 8) -> list[tuple[str, str]]:
    """Skills and technologies for a name a recruiter types, best first, as (uri, label to show).

    An exact label (any label, any case) comes first, then names found in the query ("Docker",
    "AWS"), then the semantic neighbours that pass the extraction threshold. Empty when nothing
    is close enough: the caller says the requirement could not be mapped.
    """
    taxonomy = extractor.taxonomy
    space = set(extractor.space.uris)
    found: dict[str, None] = {}
    for concept in taxonomy.find(query.strip()):
        if concept.uri in space:
            found[concept.uri] = None
    for hit in extractor.literal_matcher.find(query):
        for uri in (*hit.preferred, *hit.uris):
            if uri in space:
                found[uri] = None
    for ranked in extractor.rank([query], top_k=limit)[0]:
        if ranked.score >= extractor.threshold:
            found[ranked.uri] = None

    def show(uri: str) -> str:
        kind = "O*NET technology" if taxonomy.kind(uri) == "technology" else "ESCO skill"
        return f"{taxonomy.label(uri)} ({kind})"

    return [(uri, show(uri)) for uri in list(found)[:limit]]


def closest_skills(index, requirement_uri: str, candidate_skills, top: int = 3) -> list[tuple[str, float]]:
    """The candidate's skills nearest to a missing requirement (cosine of skill vectors)."""
    position = index.position(requirement_uri)
    if position is None:
        return []
    target = index.skill_vector(position)
    scored = []
    for skill in candidate_skills:
        other = index.position(skill.uri)
        if other is not None:
            scored.append((skill.label, float(np.dot(target, index.skill_vector(other)))))
    return sorted(scored, key=lambda item: -item[1])[:top]
