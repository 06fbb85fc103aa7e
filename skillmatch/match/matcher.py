"""Matcher: candidates for a job, or jobs for a candidate, over a persistent index, explained.

Every entry point (``match``, ``jobs``, ``explain``, batch scoring, the Streamlit app) goes
documents → profiles → :func:`~skillmatch.match.scoring.rank` with one
:class:`~skillmatch.match.scoring.Scorer`.
"""
from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from skillmatch import __version__
from skillmatch._io import kb_cached
from skillmatch.config import MatchConfig, SkillmatchConfig, resolve_cache_dir
from skillmatch.errors import DocumentError, SkillmatchError
from skillmatch.extract.text import Document, make_document, read_document
from skillmatch.match.profile import Kind, OccupationFinder, PreparedJob, Profile, Profiler, TermWeights
from skillmatch.match.redact import Redactor
from skillmatch.match.scoring import Scorer, rank
from skillmatch.match.store import ProfileStore
from skillmatch.types import Match

log = logging.getLogger(__name__)

INDEX_KINDS = {"resume": "resumes", "posting": "postings"}


@dataclass
class AddReport:
    """What happened to each document given to ``add``: nothing is dropped silently."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (id, id already holding the same text)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (id, error)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (id, warning): added, but read with a caveat

    def to_dict(self) -> dict:
        return asdict(self)


class Matcher:
    """Rank indexed candidates for a job (or indexed jobs for a candidate); explain any pair.

    Parameters
    ----------
    extractor : SkillExtractor
    index_dir : str or Path, optional
        The index folder (SQLite + FAISS), created on the first ``add``.
    config : MatchConfig, optional
        Scoring settings; ``blind`` (on by default) redacts names, contact details and
        gender/age cues before extraction, so they can neither move a score nor appear in an
        explanation.
    redactor : Redactor, optional
        The redactor blind mode uses (default: one that spares skill labels).
    """

    def __init__(self, extractor, index_dir: str | Path | None = None, config: MatchConfig | None = None,
                 redactor: Redactor | None = None) -> None:
        self.extractor = extractor
        self.index_dir = index_dir
        self.config = config
        self.redactor = redactor
        self._parts: dict[str, object] = {}

    def _part(self, name: str, build):
        if name not in self._parts:
            self._parts[name] = build()
        return self._parts[name]

    # parts ---------------------------------------------------------------------------------
    @property
    def settings(self) -> MatchConfig:
        return self.config or MatchConfig()

    @property
    def store(self) -> ProfileStore:
        if self.index_dir is None:
            raise SkillmatchError("this Matcher has no index folder; pass index_dir to add or rank documents")
        return self._part("store", lambda: ProfileStore(self.index_dir))

    @property
    def profiler(self) -> Profiler:
        def build():
            taxonomy, cache = self.extractor.taxonomy, resolve_cache_dir(self.extractor.cache_dir)
            background = self.extractor.spec.terms()
            terms = (TermWeights.from_dict(background) if background is not None
                     else kb_cached(taxonomy, cache, TermWeights, lambda: TermWeights().fit(taxonomy)))
            occupations = kb_cached(taxonomy, cache, OccupationFinder, lambda: OccupationFinder().fit(taxonomy))
            return Profiler(self.extractor, self.settings, terms, occupations)
        return self._part("profiler", build)

    @property
    def scorer(self) -> Scorer:
        return self._part("scorer", lambda: Scorer(self.extractor.taxonomy, self.extractor.space, self.settings,
                                                   self.extractor.spec.matching, self.provenance,
                                                   self.extractor.spec.skill_frequencies()))

    def active_redactor(self) -> Redactor:
        """The redactor blind mode uses (by default one that spares skill, technology and job-title names)."""
        if self.redactor is None:
            from skillmatch.extract.technology import plain_english, vocabulary

            words = vocabulary(self.extractor.taxonomy)
            self.redactor = Redactor(is_protected=self._protector(), is_common_word=lambda w: plain_english(w, words))
        return self.redactor

    def _protector(self):
        """Whether a would-be name is a skill, technology or job title ("Python", "Adobe Premiere",
        "Senior Data Scientist"): a label of the knowledge base; or a product of a technology
        vendor; or mostly covered by skill, technology or title matches, its last word included."""
        import re

        from skillmatch.extract.technology import vendor_words

        taxonomy = self.extractor.taxonomy
        vendors = vendor_words(taxonomy)
        finders = (self.extractor.literal_matcher, self.profiler.occupations.matcher_)

        def protected(text: str) -> bool:
            words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
            if not words or taxonomy.find(text):
                return True
            if text[words[0][0]:words[0][1]] in vendors and len(words) > 1:
                return True
            # a lone letter is an initial ("Karthihayini C"), not the language C
            covered = {i for finder in finders for hit in finder.find(text)
                       for i, (s, e) in enumerate(words) if s >= hit.start and e <= hit.end and e - s > 1}
            return (len(words) - 1) in covered and 2 * len(covered) >= len(words)
        return protected

    def settings_fingerprint(self) -> str:
        """Hash of the extraction and matching settings behind these results."""
        return SkillmatchConfig(extraction=self.extractor.settings, matching=self.settings).fingerprint()

    @property
    def provenance(self) -> dict:
        return {"model": self.extractor.version, "knowledge_base": f"{self.extractor.taxonomy.version}@"
                f"{self.extractor.taxonomy.fingerprint}", "config": self.settings_fingerprint(),
                "blind": self.settings.blind, "skillmatch": __version__}

    # documents → profiles -----------------------------------------------------------------
    def document(self, text_or_path: str | Path | Document, source: str | None = None,
                 kind: Kind = "resume") -> Document:
        """A Document from text (``str``) or a file (``Path``), redacted in blind mode (a
        posting's contact data and cues only: blind mode hides who a candidate is)."""
        if isinstance(text_or_path, Document):
            document = text_or_path
        elif isinstance(text_or_path, Path):
            document = read_document(text_or_path, self.extractor.settings.max_chars)
        else:
            document = make_document(str(text_or_path), source or "<text>", self.extractor.settings.max_chars)
        if not self.settings.blind:
            return document
        redacted = self.active_redactor().redact(document.original, find_people=kind == "resume")
        # the redacted text *is* the document from here on: offsets and evidence refer to it
        blind = make_document(redacted.text, document.source, self.extractor.settings.max_chars)
        blind.warnings = document.warnings + [f"blind mode redacted {n} {what.lower()}" for what, n in
                                              sorted(redacted.counts().items())]
        return blind

    def profile(self, item: str | Path | Document, profile_id: str = "resume", kind: Kind = "resume",
                source: str | None = None) -> Profile:
        """The profile of a resume (or posting) given as text, a file or a Document."""
        return self.profiler.profile(self.document(item, source or profile_id, kind), profile_id, kind)

    def prepare_job(self, job: str | Path | Document | PreparedJob, job_id: str = "job") -> PreparedJob:
        """A job ready to score candidates against (text, a file, a Document; a PreparedJob as is)."""
        if isinstance(job, PreparedJob):
            return job
        return self.profiler.prepare_job(self.document(job, job_id, "posting"), job_id)

    # index maintenance ---------------------------------------------------------------------
    def add(self, items: Iterable, ids: Sequence[str] | None = None, kind: Kind = "resume", update: bool = False,
            allow_duplicates: bool = False) -> AddReport:
        """Add texts or files (``Path``) to the index; ids default to file stems or ``<kind>-N``.

        Parameters
        ----------
        items : iterable of str or Path
        ids : sequence of str, optional
        kind : {"resume", "posting"}
            What the index holds; an index holds one kind (fixed by its first ``add``).
        update : bool
            Replace documents whose id is already there.
        allow_duplicates : bool
            Keep a document whose text another id already holds.

        Returns
        -------
        AddReport
        """
        items = list(items)
        if ids is not None and len(ids) != len(items):
            raise SkillmatchError(f"{len(ids)} ids for {len(items)} documents")
        report = AddReport()
        store = self.store
        store.check_compatible(self.extractor.version, self.extractor.taxonomy.version, INDEX_KINDS[kind])
        base = len(store)
        chosen = [ids[position] if ids is not None else (item.stem if isinstance(item, Path) else
                                                         f"{kind}-{base + position + 1}")
                  for position, item in enumerate(items)]
        _check_ids(chosen, items)
        pending = []
        for profile_id, item in zip(chosen, items):
            if profile_id in store and not update:
                report.failed.append((profile_id, "id already in the index (use update=True / --update)"))
                continue
            try:
                document = self.document(item, str(item) if isinstance(item, Path) else profile_id, kind)
                if not document.text.strip():
                    raise DocumentError(document.source, "the document is empty (no text to extract skills from)")
                if kind == "posting":
                    record = self.profiler.prepare_job(document, profile_id)
                    profile = record.profile
                else:
                    record = profile = self.profiler.profile(document, profile_id, kind)
            except SkillmatchError as exc:
                report.failed.append((profile_id, str(exc)))
                continue
            pending.append((profile_id, record, profile))
        with store.writing() as db:
            # decided under the lock, at commit time: another writer may have added the same ids
            for profile_id, record, profile in pending:
                exists = profile_id in store
                if exists and not update:
                    report.failed.append((profile_id, "added by another process while this one ran; nothing "
                                                      "replaced (use update=True / --update to replace it)"))
                    continue
                holder = store.id_with_hash(profile.text_hash)
                if holder is not None and holder != profile_id and not allow_duplicates:
                    report.duplicates.append((profile_id, holder))
                    continue
                (report.updated if exists else report.added).append(profile_id)
                report.warnings.extend((profile_id, w) for w in profile.warnings)
                skills = record.requirements if kind == "posting" else profile.skills
                store.put(db, profile_id, profile.source, profile.text_hash, record.to_dict(), profile.vector,
                          [(s.skill.uri, s.weight) if kind == "posting" else (s.uri, s.score) for s in skills])
        return report

    def add_resumes(self, items: Iterable, ids: Sequence[str] | None = None, update: bool = False,
                    allow_duplicates: bool = False) -> AddReport:
        """Add resumes (texts or ``Path`` files); see :meth:`add`."""
        return self.add(items, ids, "resume", update, allow_duplicates)

    def remove(self, ids: Sequence[str]) -> list[str]:
        return self.store.remove(list(ids))

    # matching ------------------------------------------------------------------------------
    def _shortlist(self, vector, uris: list[str], top_k: int) -> list[int]:
        size = max(self.settings.shortlist, 5 * top_k)
        rowids = dict.fromkeys(self.store.search(vector, size))
        rowids.update(dict.fromkeys(self.store.by_skills(uris, size)))
        return list(rowids)

    def match(self, job: str | Path | Document | PreparedJob, top_k: int = 20) -> list[Match]:
        """Indexed candidates for a job (text, ``Path``, Document or PreparedJob), best first.

        Returns
        -------
        list of Match
            Each with an explanation whose contributions add up to its score.
        """
        self.store.check_compatible(self.extractor.version, self.extractor.taxonomy.version, "resumes")
        job = self.prepare_job(job)
        rowids = self._shortlist(job.profile.vector, [r.skill.uri for r in job.requirements], top_k)
        compact = self.store.get_for_scoring(rowids)
        rowid_of = {record["id"]: rowid for rowid, record in compact}

        def full_profiles(ids: list[str]) -> list[Profile]:
            return [Profile.from_dict(record) for record in self.store.get([rowid_of[i] for i in ids])]

        return rank(job, [Profile.from_dict(record) for _, record in compact], self.scorer, top_k, full_profiles)

    def jobs(self, resume: str | Path | Document | Profile, top_k: int = 20) -> list[Match]:
        """Indexed postings for a candidate, best first; the same scores and explanations as
        :meth:`match` gives that candidate for each posting."""
        from dataclasses import replace

        self.store.check_compatible(self.extractor.version, self.extractor.taxonomy.version, "postings")
        profile = resume if isinstance(resume, Profile) else self.profile(resume, "resume")
        rowids = self._shortlist(profile.vector, [s.uri for s in profile.skills], top_k)
        postings = [PreparedJob.from_dict(record) for record in self.store.get(rowids)]
        matches = sorted(((posting.id, self.scorer.score(posting, profile)) for posting in postings),
                         key=lambda item: (-item[1].score, item[0]))[:top_k]
        return [replace(match, id=posting_id, rank=position) for position, (posting_id, match) in enumerate(matches, 1)]

    def explain(self, job: str | Path | Document | PreparedJob, resume: str | Path | Document | Profile,
                resume_id: str = "resume") -> Match:
        """Score one job–resume pair without an index."""
        job = self.prepare_job(job)
        profile = resume if isinstance(resume, Profile) else self.profile(resume, resume_id)
        return rank(job, [profile], self.scorer)[0]


def _check_ids(ids: list[str], items: list) -> None:
    """Every document of one call needs its own non-empty id: refuse the whole call otherwise,
    before anything is written (one id for two files would silently keep only one of them)."""
    problems = []
    seen: dict[str, int] = {}
    for position, profile_id in enumerate(ids):
        where = str(items[position]) if isinstance(items[position], Path) else f"document {position + 1}"
        if not str(profile_id).strip():
            problems.append(f"{where}: empty id")
        elif profile_id in seen:
            first = seen[profile_id]
            earlier = str(items[first]) if isinstance(items[first], Path) else f"document {first + 1}"
            problems.append(f"id {profile_id!r} given twice ({earlier} and {where})")
        else:
            seen[profile_id] = position
    if problems:
        raise SkillmatchError("; ".join(problems[:10]) + (f" (and {len(problems) - 10} more)" if len(problems) > 10
                                                          else "") + "; nothing was added: give each document its "
                              "own id (rename the files, or use --table with an id column)")
