"""Matcher: JD ↔ resume matching over a persistent profile index, with explanations."""
from __future__ import annotations

import hashlib
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from skillmatch import __version__
from skillmatch.errors import DocumentError, SkillmatchError
from skillmatch.extract.text import Document, make_document, read_document
from skillmatch.match.redact import Redactor
from skillmatch.match.requirements import requirements_from
from skillmatch.config import MatchConfig, SkillmatchConfig
from skillmatch.match.scoring import Aligner, score_candidate
from skillmatch.match.store import ProfileStore
from skillmatch.types import Evidence, ExtractedSkill, Match

log = logging.getLogger(__name__)


@dataclass
class AddReport:
    """What happened to each document given to ``add_resumes``: nothing is dropped silently."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (id, id already holding the same text)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (id, error)

    def to_dict(self) -> dict:
        return asdict(self)


def skills_from_dicts(items: list[dict]) -> tuple[ExtractedSkill, ...]:
    return tuple(ExtractedSkill(uri=s["uri"], label=s["label"], score=s["score"], method=s["method"],
                                skill_type=s.get("skill_type", ""), path=tuple(s.get("path", ())),
                                evidence=tuple(Evidence(**{**e, "alternatives": tuple(e.get("alternatives", ()))})
                                               for e in s.get("evidence", ())))
                 for s in items)


class Matcher:
    """Rank indexed candidates for a JD; explain any JD–resume pair.

    ``index_dir`` holds the profiles (SQLite + FAISS); with ``blind=True`` names, contact
    details and gender/age cues are redacted before extraction, so they can neither move a
    score nor appear in an explanation.
    """

    def __init__(self, extractor, index_dir: str | Path | None = None, config: MatchConfig | None = None,
                 redactor: Redactor | None = None) -> None:
        self.extractor = extractor
        self.index_dir = index_dir
        self.config = config or MatchConfig()
        self.redactor = redactor
        self._store: ProfileStore | None = None
        self._aligner: Aligner | None = None

    # parts ---------------------------------------------------------------------------------
    @property
    def store(self) -> ProfileStore:
        if self._store is None:
            if self.index_dir is None:
                raise SkillmatchError("this Matcher has no index folder; pass index_dir to add or rank resumes")
            self._store = ProfileStore(self.index_dir)
        return self._store

    @property
    def aligner(self) -> Aligner:
        if self._aligner is None:
            self._aligner = Aligner(self.extractor.taxonomy, self.extractor.space, self.config)
        return self._aligner

    def active_redactor(self) -> Redactor:
        """The redactor blind mode uses (by default one that spares skill labels)."""
        if self.redactor is None:
            taxonomy = self.extractor.taxonomy
            self.redactor = Redactor(is_protected=lambda text: bool(taxonomy.find(text)))
        return self.redactor

    @property
    def provenance(self) -> dict:
        return {"model": self.extractor.version, "knowledge_base": f"{self.extractor.taxonomy.version}@"
                f"{self.extractor.taxonomy.fingerprint}", "config": self.settings_fingerprint(), "blind": self.config.blind,
                "skillmatch": __version__}

    def settings_fingerprint(self) -> str:
        """Hash of the extraction and matching settings behind these results."""
        return SkillmatchConfig(extraction=self.extractor.settings, matching=self.config).fingerprint()

    # documents → profiles -----------------------------------------------------------------
    def document(self, text_or_path, source: str | None = None) -> Document:
        """A Document from text or a file path, redacted in blind mode."""
        if isinstance(text_or_path, Path):
            document = read_document(text_or_path, self.extractor.settings.max_chars)
        else:
            document = make_document(str(text_or_path), source or "<text>", self.extractor.settings.max_chars)
        if not self.config.blind:
            return document
        redacted = self.active_redactor().redact(document.original)
        # the redacted text *is* the document from here on: offsets and evidence refer to it
        blind = make_document(redacted.text, document.source, self.extractor.settings.max_chars)
        blind.warnings = document.warnings + [f"blind mode redacted {n} {kind.lower()}" for kind, n in
                                              sorted(redacted.counts().items())]
        return blind

    def profile(self, document: Document) -> tuple[dict, np.ndarray]:
        result = self.extractor.extract_document(document)
        profile = {"source": document.source, "skills": [s.to_dict() for s in result.skills],
                   "warnings": list(result.warnings), "sentences": result.sentence_count}
        return profile, result.vector

    # index maintenance ---------------------------------------------------------------------
    def add_resumes(self, items: Iterable, ids: Sequence[str] | None = None, update: bool = False,
                    allow_duplicates: bool = False) -> AddReport:
        """Add texts or paths (``pathlib.Path``); ids default to file stems or ``resume-N``."""
        items = list(items)
        if ids is not None and len(ids) != len(items):
            raise SkillmatchError(f"{len(ids)} ids for {len(items)} resumes")
        report = AddReport()
        store = self.store
        store.check_compatible(self.extractor.version, self.extractor.taxonomy.version)
        pending = []
        for position, item in enumerate(items):
            profile_id = ids[position] if ids is not None else (
                item.stem if isinstance(item, Path) else f"resume-{len(store) + position + 1}")
            if profile_id in store and not update:
                report.failed.append((profile_id, "id already in the index (use update=True / --update)"))
                continue
            try:
                document = self.document(item, str(item) if isinstance(item, Path) else profile_id)
            except DocumentError as exc:
                report.failed.append((profile_id, str(exc)))
                continue
            text_hash = hashlib.blake2b(document.text.encode(), digest_size=16).hexdigest()
            holder = store.id_with_hash(text_hash)
            if holder is not None and holder != profile_id and not allow_duplicates:
                report.duplicates.append((profile_id, holder))
                continue
            try:
                profile, vector = self.profile(document)
            except SkillmatchError as exc:
                report.failed.append((profile_id, str(exc)))
                continue
            pending.append((profile_id, document.source, text_hash, profile, vector))
        with store.writing() as db:
            for profile_id, source, text_hash, profile, vector in pending:
                (report.updated if profile_id in store else report.added).append(profile_id)
                store.put(db, profile_id, source, text_hash, profile, vector)
        return report

    def remove(self, ids: Sequence[str]) -> list[str]:
        return self.store.remove(list(ids))

    # matching ------------------------------------------------------------------------------
    def prepare_job(self, job) -> tuple[Document, list, np.ndarray, str | None]:
        document = self.document(job, "<job>") if not isinstance(job, Document) else job
        result = self.extractor.extract_document(document)
        requirements, occupation = requirements_from(self.extractor.taxonomy, document.text, result.skills,
                                                     self.config)
        return document, requirements, result.vector, occupation

    def score_profile(self, requirements, occupation, job_vector, candidate_id, skills, vector,
                      provenance: dict | None = None) -> Match:
        provenance = dict(provenance or self.provenance, occupation=occupation)
        score, explanation = score_candidate(requirements, skills, float(np.dot(job_vector, vector)), self.aligner,
                                             self.config, provenance)
        return Match(candidate_id, score, 0, explanation)

    def match(self, job, top_k: int = 20) -> list[Match]:
        """Candidates for a JD (text, Path or Document), best first."""
        _, requirements, job_vector, occupation = self.prepare_job(job)
        shortlist = max(self.config.shortlist, 5 * top_k)
        rowids = dict.fromkeys(self.store.search(job_vector, shortlist))
        rowids.update(dict.fromkeys(self.store.by_skills([r.skill.uri for r in requirements], shortlist)))
        matches = []
        provenance = self.provenance
        for profile_id, profile, vector in self.store.get(list(rowids)).values():
            matches.append(self.score_profile(requirements, occupation, job_vector, profile_id,
                                              skills_from_dicts(profile["skills"]), vector, provenance))
        matches.sort(key=lambda m: (-m.score, m.id))
        return [Match(m.id, m.score, rank, m.explanation) for rank, m in enumerate(matches[:top_k], 1)]

    def explain(self, job, resume, resume_id: str = "resume") -> Match:
        """Score one JD–resume pair without an index."""
        _, requirements, job_vector, occupation = self.prepare_job(job)
        profile, vector = self.profile(self.document(resume, resume_id))
        match = self.score_profile(requirements, occupation, job_vector, resume_id,
                                   skills_from_dicts(profile["skills"]), vector)
        return Match(match.id, match.score, 1, match.explanation)
