"""Profiles: everything scoring needs to know about one document, computed once.

documents → :class:`Profile` (a resume or a posting: skills with evidence, document vector,
occupations its titles name, distinctive terms) and :class:`PreparedJob` (a job: its
profile plus the requirements with their weights). Both are plain data with ``to_dict`` /
``from_dict``, so an index stores them and scoring never re-reads a document.

Occupations come from job titles: a literal matcher over every ESCO occupation label and
every O*NET title (occupation, alternate and reported titles). A posting's occupation is
named by its title line; a resume's by titles in its header, summary and experience.
Terms are TF-IDF weights of the document's words, with document frequencies taken from the
knowledge base's own texts (skill and occupation labels and descriptions, O*NET tasks and
technologies), so every profile is weighted the same way whether it sits in an index, in
a batch or in a one-off explanation.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from typing import Literal

import numpy as np

from skillmatch.match.requirements import Requirement, job_title, requirements_from
from skillmatch.types import Evidence, ExtractedSkill, evidence_from_dict, skill_from_dict

Kind = Literal["resume", "posting"]
OCCUPATION_KINDS = ("occupation", "onet_occupation")
MAX_OCCUPATIONS = 5
MAX_TERMS = 400
HEADER_LINES = 6
# where a title in a resume says most about the person: its header, then summary and experience
TITLE_WEIGHTS = {"header": 1.0, "summary": 0.9, "experience": 0.8, "other": 0.6}


@dataclass(frozen=True)
class OccupationHit:
    """An occupation a document's titles name, how strongly, and where."""

    uri: str
    label: str
    weight: float
    evidence: Evidence | None = None


@dataclass(frozen=True)
class Profile:
    """One document as scoring sees it.

    Parameters
    ----------
    id, source : str
        Identity and origin of the document.
    kind : {"resume", "posting"}
    skills : tuple of ExtractedSkill
        Extracted skills with evidence (offsets into ``text``).
    skill_profile : tuple
        The soft skill profile: every candidate skill's probability summed over the
        document, with its best sentence.
    vector : ndarray
        Mean sentence vector, unit length.
    occupations : tuple of OccupationHit
        Occupations the document's titles name, strongest first.
    terms : dict
        TF-IDF weights of the document's words (unit length), the strongest ``MAX_TERMS``.
    text : str
        The (redacted, in blind mode) text all evidence points into.
    text_hash : str
    warnings : tuple of str
    sentence_count : int
    """

    id: str
    source: str
    kind: Kind
    skills: tuple[ExtractedSkill, ...]
    vector: np.ndarray = field(repr=False, compare=False)
    occupations: tuple[OccupationHit, ...] = ()
    terms: dict[str, float] = field(default_factory=dict, repr=False)
    text: str = field(default="", repr=False)
    text_hash: str = ""
    warnings: tuple[str, ...] = ()
    sentence_count: int = 0
    # (uri, mass, sentence start, end, best P) — see ExtractionResult.skill_profile
    skill_profile: tuple[tuple[str, float, int, int, float], ...] = field(default=(), repr=False)

    def to_dict(self) -> dict:
        record = asdict(self)
        record["vector"] = self.vector.astype(float).tolist()  # float32 values, exactly
        return record

    @classmethod
    def from_dict(cls, record: dict) -> "Profile":
        return cls(id=record["id"], source=record["source"], kind=record.get("kind", "resume"),
                   skills=tuple(skill_from_dict(s) for s in record["skills"]),
                   vector=np.asarray(record["vector"], dtype=np.float32),
                   occupations=tuple(OccupationHit(o["uri"], o["label"], o["weight"],
                                                   evidence_from_dict(o["evidence"]) if o.get("evidence") else None)
                                     for o in record.get("occupations", ())),
                   terms=dict(record.get("terms", {})), text=record.get("text", ""),
                   text_hash=record.get("text_hash", ""), warnings=tuple(record.get("warnings", ())),
                   sentence_count=record.get("sentence_count", 0),
                   skill_profile=tuple(tuple(entry) for entry in record.get("skill_profile", ())))


@dataclass(frozen=True)
class PreparedJob:
    """A job ready to score candidates against: its profile and its weighted requirements."""

    profile: Profile
    requirements: tuple[Requirement, ...]
    title: str = ""
    occupation: str | None = None  # the ESCO occupation the title names exactly (for importance)

    @property
    def id(self) -> str:
        return self.profile.id

    def to_dict(self) -> dict:
        return {"profile": self.profile.to_dict(), "requirements": [r.to_dict() for r in self.requirements],
                "title": self.title, "occupation": self.occupation}

    @classmethod
    def from_dict(cls, record: dict) -> "PreparedJob":
        return cls(Profile.from_dict(record["profile"]),
                   tuple(Requirement.from_dict(r) for r in record["requirements"]), record.get("title", ""),
                   record.get("occupation"))


def text_hash(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


class TermWeights:
    """TF-IDF over words and word pairs, with document frequencies from a background collection.

    The background is fitted with the model's matching weights (real resumes and postings, see
    ``benchmarks/fit_match.py``) and shipped in the model folder as ``terms.json``; a model
    without one falls back to the knowledge base's own texts (labels, descriptions, tasks).
    """

    TOKENS = r"(?u)\b[a-zA-Z][a-zA-Z0-9+#.]*[a-zA-Z0-9+#]\b"

    def __init__(self, max_terms: int = MAX_TERMS) -> None:
        self.max_terms = max_terms

    def _vectorizer(self, **params):
        from sklearn.feature_extraction.text import TfidfVectorizer

        return TfidfVectorizer(sublinear_tf=True, stop_words="english", dtype=np.float32, token_pattern=self.TOKENS,
                               **params)

    def fit(self, taxonomy) -> "TermWeights":
        """Document frequencies from the knowledge base's texts (the fallback)."""
        documents = []
        for kind in ("skill", "occupation", "onet_occupation", "technology", "task", "skill_group"):
            for uri in taxonomy.uris(kind):
                concept = taxonomy.concept(uri)
                documents.append(" ".join((*concept.labels[:20], concept.description)))
        self.vectorizer_ = self._vectorizer(min_df=2).fit(documents)
        self.vocabulary_ = np.asarray(self.vectorizer_.get_feature_names_out())
        return self

    def fit_background(self, texts: list[str], min_df: int = 3) -> "TermWeights":
        """Document frequencies of words and word pairs in real documents."""
        self.vectorizer_ = self._vectorizer(min_df=min_df, ngram_range=(1, 2)).fit(texts)
        self.vocabulary_ = np.asarray(self.vectorizer_.get_feature_names_out())
        return self

    def to_dict(self) -> dict:
        return {"ngram_range": list(self.vectorizer_.ngram_range), "token_pattern": self.TOKENS,
                "idf": {str(t): round(float(v), 4) for t, v in zip(self.vocabulary_, self.vectorizer_.idf_)}}

    @classmethod
    def from_dict(cls, record: dict) -> "TermWeights":
        terms = cls()
        vocabulary = {term: i for i, term in enumerate(record["idf"])}
        terms.vectorizer_ = terms._vectorizer(vocabulary=vocabulary, ngram_range=tuple(record["ngram_range"]))
        terms.vectorizer_.idf_ = np.asarray(list(record["idf"].values()), dtype=np.float32)
        terms.vocabulary_ = np.asarray(list(record["idf"]))
        return terms

    def weights(self, text: str) -> dict[str, float]:
        row = self.vectorizer_.transform([text])
        order = np.argsort(-row.data, kind="stable")[:self.max_terms]
        values = row.data[order]
        norm = float(np.linalg.norm(values)) or 1.0
        return {str(self.vocabulary_[row.indices[i]]): round(float(v) / norm, 6) for i, v in zip(order, values)}


class OccupationFinder:
    """Occupations named by job titles in a text (literal matching of every occupation title)."""

    def fit(self, taxonomy) -> "OccupationFinder":
        from skillmatch.extract.literal import LiteralMatcher

        labels = []
        for kind in OCCUPATION_KINDS:
            for concept in taxonomy.concepts(kind):
                for position, label in enumerate(concept.labels):
                    # one-word titles other than a concept's own name ("Analyst") are too vague
                    if label and (position == 0 or len(label.split()) > 1):
                        labels.append((label, concept.uri, position == 0))
        self.matcher_ = LiteralMatcher().fit(labels)
        self.labels_ = {concept.uri: concept.label for kind in OCCUPATION_KINDS for concept in taxonomy.concepts(kind)}
        return self

    def find(self, text: str, spans: list[tuple[int, int, float]]) -> list[tuple[str, float, int, int]]:
        """(uri, weight, start, end) of titles found in weighted spans of ``text``."""
        found = []
        for start, end, weight in spans:
            for hit in self.matcher_.find(text, start, end):
                owners = hit.preferred or hit.uris
                for uri in owners:
                    # longer titles are more specific: "senior data scientist" > "scientist"
                    found.append((uri, weight * min(1.0, 0.6 + 0.2 * len(hit.text.split())), hit.start, hit.end))
        return found


class Profiler:
    """Turns extracted documents into :class:`Profile` and :class:`PreparedJob` records.

    Parameters
    ----------
    extractor : SkillExtractor
    config : MatchConfig
    terms, occupations : fitted TermWeights and OccupationFinder
    """

    def __init__(self, extractor, config, terms: TermWeights, occupations: OccupationFinder) -> None:
        self.extractor = extractor
        self.config = config
        self.terms = terms
        self.occupations = occupations

    def profile(self, document, profile_id: str, kind: Kind = "resume") -> Profile:
        """A document's profile (the document is already redacted when blind mode is on)."""
        result = self.extractor.extract_document(document)
        return Profile(id=profile_id, source=document.source, kind=kind, skills=result.skills, vector=result.vector,
                       occupations=self._occupations(document, kind), terms=self.terms.weights(document.text),
                       text=document.original, text_hash=text_hash(document.text), warnings=result.warnings,
                       sentence_count=result.sentence_count, skill_profile=result.skill_profile)

    def prepare_job(self, document, job_id: str = "job") -> PreparedJob:
        """A job's profile and weighted requirements."""
        profile = self.profile(document, job_id, "posting")
        requirements, occupation = requirements_from(self.extractor.taxonomy, document.text, profile.skills,
                                                     self.config)
        return PreparedJob(profile, tuple(requirements), job_title(document.text), occupation)

    def _occupations(self, document, kind: Kind) -> tuple[OccupationHit, ...]:
        text = document.text
        lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
        if kind == "posting":
            title = next(((s, e) for s, e in lines if text[s:e].strip()), None)
            spans = [(title[0], title[1], 1.0)] if title else []
        else:
            from skillmatch.extract.zones import assign_zones

            zones = assign_zones(text, lines)
            spans = []
            for index, ((start, end), zone) in enumerate(zip(lines, zones)):
                if index < HEADER_LINES:
                    spans.append((start, end, TITLE_WEIGHTS["header"]))
                elif zone in ("summary", "experience"):
                    spans.append((start, end, TITLE_WEIGHTS[zone]))
                elif zone not in ("education", "legal", "contact"):
                    spans.append((start, end, TITLE_WEIGHTS["other"]))
        best: dict[str, tuple[float, int, int]] = {}
        for uri, weight, start, end in self.occupations.find(text, spans):
            if uri not in best or weight > best[uri][0]:
                best[uri] = (weight, start, end)
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[1][1]))[:MAX_OCCUPATIONS]
        return tuple(OccupationHit(uri, self.occupations.labels_.get(uri, uri), round(weight, 4),
                                   _span_evidence(document, start, end))
                     for uri, (weight, start, end) in ranked)


def _span_evidence(document, start: int, end: int) -> Evidence:
    """Evidence for a span of the normalised text: its line, with the span marked, in original offsets."""
    text = document.text
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    s, e = document.original_span(line_start, line_end)
    ms, me = document.original_span(start, end)
    return Evidence(sentence=document.original[s:e], start=s, end=e, score=1.0, method="literal",
                    matched_text=document.original[ms:me], match_start=ms, match_end=me)
