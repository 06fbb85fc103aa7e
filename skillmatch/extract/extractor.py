"""SkillExtractor: documents → sentences → skills with evidence.

Assembled from the model's recipe (``skillmatch.json``): an encoder, the skill space it
fills, the candidate sources the recipe names (semantic always; literal and lexical when
listed) and the calibration that turns their signals into one probability. Ranking and the
extraction threshold use that one number.
"""
from __future__ import annotations

import logging
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Sequence

import numpy as np

from skillmatch._io import kb_cached
from skillmatch.config import ExtractionConfig, resolve_cache_dir
from skillmatch.extract.candidates import CandidateTable, LexicalSource, LiteralSource, SemanticSource, gather
from skillmatch.extract.encoder import make_encoder
from skillmatch.extract.lexical import LexicalSkillScorer
from skillmatch.extract.literal import LiteralMatcher
from skillmatch.extract.mentions import mention_features
from skillmatch.extract.model import ModelSpec
from skillmatch.extract.sentences import SPLITTERS, Sentence
from skillmatch.extract.skill_space import SkillSpace, load_or_build
from skillmatch.extract.text import Document, make_document, read_document
from skillmatch.extract.verdicts import verdict_features
from skillmatch.extract.zones import LITERAL_ONLY_ZONES, SKIPPED_ZONES, STATED_ZONES, assign_zones
from skillmatch.types import Evidence, ExtractedSkill, Method, RankedSkill

log = logging.getLogger(__name__)

MIN_SEMANTIC_WORDS = 3
SEMANTIC_THRESHOLD = 0.5  # without a verdict gate, a skill no words name must be more likely right than wrong
# the skill profile: per sentence, its best PROFILE_TOP_K candidates with P ≥ PROFILE_MIN_SCORE
PROFILE_TOP_K = 10
PROFILE_MIN_SCORE = 0.05
PROFILE_SIZE = 200
# recipe fields that decide the encoder's vectors: a variant changing none of them reuses them
ENCODER_FIELDS = ("base_model", "weights", "max_seq_length", "quantize")


@dataclass(frozen=True)
class ExtractionResult:
    """All skills of one document, best first, with the provenance needed to reproduce it.

    ``vector`` (the mean of the sentence vectors, unit length) is for matching and is left
    out of :meth:`to_dict`.
    """

    source: str
    skills: tuple[ExtractedSkill, ...]
    sentence_count: int
    model: str
    knowledge_base: str
    warnings: tuple[str, ...] = ()
    zones: dict[str, int] = field(default_factory=dict)  # sentences per document zone
    vector: np.ndarray | None = field(default=None, repr=False, compare=False)
    # (uri, mass, sentence start, sentence end, best P): every candidate's probability summed
    # over the document, not thresholded — the document's soft skill profile, for matching
    skill_profile: tuple[tuple[str, float, int, int, float], ...] = field(default=(), repr=False, compare=False)

    def to_dict(self) -> dict:
        record = asdict(self)
        record.pop("vector")
        record.pop("skill_profile")
        return record


class SkillExtractor:
    """Extract ESCO skills from JDs and resumes; rank skills for sentences.

    Parameters
    ----------
    taxonomy : Taxonomy
        The knowledge base (see :func:`skillmatch.load_taxonomy`).
    model : str, Path or ModelSpec, optional
        Model name, model folder or recipe; default: the ``default`` model.
    config : ExtractionConfig, optional
        Extraction settings (threshold override, candidates per sentence, splitter, bounds).
    cache_dir : str or Path, optional
        Where the skill space and other derived tables are cached.

    Nothing is loaded in the constructor; parts load on first use, or all at once with
    :meth:`prepare` (which :meth:`from_data` calls).
    """

    def __init__(self, taxonomy, model: str | Path | ModelSpec | None = None, config: ExtractionConfig | None = None,
                 cache_dir: str | Path | None = None) -> None:
        self.taxonomy = taxonomy
        self.model = model
        self.config = config
        self.cache_dir = cache_dir
        self._parts: dict[str, object] = {}

    # construction ------------------------------------------------------------------------
    @classmethod
    def from_data(cls, data: str | Path | None = None, model: str | Path | ModelSpec | None = None,
                  config: ExtractionConfig | None = None, cache_dir: str | Path | None = None) -> "SkillExtractor":
        """An extractor over the knowledge base in ``data`` (default ``$SKILLMATCH_DATA``), loaded.

        Parameters
        ----------
        data : str or Path, optional
            ESCO download (and O*NET release) or a folder holding them.
        model, config, cache_dir
            As for the constructor.

        Returns
        -------
        SkillExtractor
        """
        from skillmatch.ontology import load_taxonomy

        return cls(load_taxonomy(data, cache_dir), model=model, config=config, cache_dir=cache_dir).prepare()

    def prepare(self) -> "SkillExtractor":
        """Load every part now rather than on the first document; returns ``self``."""
        _ = self.space, self.sources
        return self

    def variant(self, config: ExtractionConfig | None = None, **changes) -> "SkillExtractor":
        """The same extractor with other settings or some recipe fields changed (e.g.
        ``calibration=``), sharing every loaded part the changes leave valid (encoder, skill
        space, label matcher).

        Parameters
        ----------
        config : ExtractionConfig, optional
            New extraction settings (default: the current ones).
        **changes
            Recipe fields to replace (see :class:`ModelSpec`).

        Returns
        -------
        SkillExtractor
        """
        spec = self.spec.replace(**changes)
        config = config or self.config
        other = SkillExtractor(self.taxonomy, model=spec, config=config, cache_dir=self.cache_dir)
        keep = {"lexical_scorer"} | ({"literal"} if spec.kinds == self.spec.kinds else set())
        if other.settings.splitter == self.settings.splitter:
            keep.add("splitter")
        if (all(getattr(spec, f) == getattr(self.spec, f) for f in ENCODER_FIELDS)
                and (other.settings.batch_size, other.settings.backend, other.settings.threads)
                == (self.settings.batch_size, self.settings.backend, self.settings.threads)):
            keep.add("encoder")
            if spec.skill_text == self.spec.skill_text:
                if spec.kinds == self.spec.kinds:
                    keep.add("space")
        other._parts = {name: part for name, part in self._parts.items() if name in keep}
        other._parts["spec"] = spec
        return other

    def _part(self, name: str, build):
        if name not in self._parts:
            self._parts[name] = build()
        return self._parts[name]

    # parts (read-only) -------------------------------------------------------------------
    @property
    def settings(self) -> ExtractionConfig:
        return self.config or ExtractionConfig()

    @property
    def spec(self) -> ModelSpec:
        """The model's recipe."""
        return self._part("spec", lambda: ModelSpec.load(self.model))

    @property
    def encoder(self):
        settings = self.settings
        return self._part("encoder", lambda: make_encoder(self.spec, settings.batch_size, settings.backend,
                                                          settings.threads))

    @property
    def space(self) -> SkillSpace:
        """Skill vectors and their FAISS index for this model and knowledge base."""
        return self._part("space", lambda: load_or_build(self.taxonomy, self.encoder, self.spec.skill_text,
                                                         resolve_cache_dir(self.cache_dir), kinds=self.spec.kinds))

    @property
    def literal_matcher(self) -> LiteralMatcher:
        """The label matcher over every skill label (also the distant-supervision signal)."""
        kinds = self.spec.kinds
        return self._part("literal", lambda: kb_cached(
            self.taxonomy, resolve_cache_dir(self.cache_dir), LiteralMatcher,
            lambda: LiteralMatcher.from_taxonomy(self.taxonomy, kinds), "+".join(kinds)))

    @property
    def lexical_scorer(self) -> LexicalSkillScorer:
        """TF-IDF over every skill's labels."""
        return self._part("lexical_scorer", lambda: kb_cached(self.taxonomy, resolve_cache_dir(self.cache_dir),
                                                            LexicalSkillScorer,
                                                            lambda: LexicalSkillScorer().fit(self.taxonomy)))

    @property
    def sources(self) -> dict[str, object]:
        """The candidate sources the recipe names, by name."""
        def build():
            found: dict[str, object] = {"semantic": SemanticSource(self.settings.top_k)}
            if "lexical" in self.spec.sources:
                found["lexical"] = LexicalSource(self.lexical_scorer, self.settings.top_k)
            if "literal" in self.spec.sources:
                found["literal"] = LiteralSource(self.literal_matcher)
            return found
        return self._part("sources", build)

    @property
    def sentence_splitter(self):
        return self._part("splitter", lambda: SPLITTERS[self.settings.splitter]())

    @property
    def threshold(self) -> float:
        """The extraction threshold in force: the configured one, else the model's."""
        return self.spec.threshold if self.settings.threshold is None else self.settings.threshold

    @property
    def semantic_threshold(self) -> float:
        """The score a skill no words name needs: the configured one, else 0 where the verdict
        gate judges every skill (it was fitted on all of them), else 0.5 — more likely right
        than wrong."""
        if self.settings.semantic_threshold is not None:
            return self.settings.semantic_threshold
        return 0.0 if self.settings.verdict_gate and self.spec.verdicts else SEMANTIC_THRESHOLD

    @property
    def version(self) -> str:
        """The model's identity: name, encoder fingerprint (of the back-end in use) and recipe hash
        (computed once: hashing a recipe with thousands of gate weights costs milliseconds)."""
        return self._part("version", lambda: self.spec.version_id(self.encoder.fingerprint))

    # candidates and ranking --------------------------------------------------------------
    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit vectors of ``texts`` under the model's encoder."""
        return self.encoder.encode(texts)

    def candidates(self, sentences: Sequence[str], vectors: np.ndarray | None = None,
                   top_k: int | None = None) -> CandidateTable:
        """Every source's candidate skills for ``sentences``, with all signals filled in.

        Parameters
        ----------
        sentences : sequence of str
        vectors : ndarray, optional
            The sentences' vectors, when already encoded.
        top_k : int, optional
            Semantic and lexical candidates per sentence (default: the configured ``top_k``).

        Returns
        -------
        CandidateTable
        """
        sources = self.sources
        vectors = self.encode(list(sentences)) if vectors is None else vectors
        return gather(self.space, sentences, vectors, top_k or self.settings.top_k, sources["semantic"],
                      sources.get("lexical"), sources.get("literal"))

    def scores(self, table: CandidateTable) -> np.ndarray:
        """Calibrated P(skill mentioned) for each candidate."""
        return self.spec.calibration.probability(table.cosine, table.literal, table.lexical)

    def _ranked_rows(self, table: CandidateTable) -> tuple[np.ndarray, list[list[int]]]:
        """Scores and, per sentence, its candidate rows best first (ties by URI)."""
        scores = self.scores(table)
        uris = self.space.uris
        ranked = [sorted(rows.tolist(), key=lambda r: (-scores[r], uris[table.skill[r]]))
                  for rows in table.rows_by_sentence()]
        return scores, ranked

    def rank(self, sentences: Sequence[str], top_k: int = 10) -> list[list[RankedSkill]]:
        """For each sentence, the ``top_k`` best skills over the whole pillar, best first.

        Parameters
        ----------
        sentences : sequence of str
        top_k : int

        Returns
        -------
        list of list of RankedSkill
        """
        if not sentences:
            return []
        table = self.candidates(sentences, top_k=max(top_k, self.settings.top_k))
        scores, ranked = self._ranked_rows(table)
        uris = self.space.uris
        return [[RankedSkill(uris[table.skill[r]], self.taxonomy.label(uris[table.skill[r]]), round(float(scores[r]), 6))
                 for r in rows[:top_k]] for rows in ranked]

    # extraction --------------------------------------------------------------------------
    def extract(self, text: str, source: str = "<text>") -> ExtractionResult:
        """Skills of a document given as text (``str`` is always text; use a ``Path`` for a file).

        Parameters
        ----------
        text : str
            The document's text.
        source : str
            A name for the document in results and messages.

        Returns
        -------
        ExtractionResult
        """
        if isinstance(text, Path):
            return self.extract_file(text)
        return self.extract_document(make_document(text, source, self.settings.max_chars))

    def extract_file(self, path: str | Path) -> ExtractionResult:
        """Skills of a text, Markdown, PDF or DOCX file."""
        return self.extract_document(read_document(path, self.settings.max_chars))

    def extract_document(self, document: Document) -> ExtractionResult:
        """Skills of an already read :class:`~skillmatch.extract.text.Document`, with its vector."""
        warnings = list(document.warnings)
        sentences = self.sentence_splitter.split(document.text)
        limit = self.settings.max_sentences
        if len(sentences) > limit:
            warnings.append(f"{len(sentences):,} sentences; only the first {limit:,} were processed")
            sentences = sentences[:limit]
        if not sentences:
            return ExtractionResult(document.source, (), 0, self.version, self.taxonomy.version,
                                    tuple(warnings or ["no sentences found"]),
                                    vector=np.zeros(self.space.dimension, dtype=np.float32))
        texts = [s.text for s in sentences]
        zones = assign_zones(document.text, [(s.start, s.end) for s in sentences])
        vectors = self.encode(texts)
        mean = vectors.mean(axis=0)
        mean /= max(float(np.linalg.norm(mean)), 1e-12)
        table = self.candidates(texts, vectors)
        scores, ranked = self._ranked_rows(table)
        gate = self._part("statement_gate", self.spec.statement_gate)
        statements = gate.probability(vectors, texts) if gate is not None else [None] * len(sentences)
        mode = self.settings.statement_gate
        gate_threshold = _gate_threshold(self.settings.statement_threshold, gate)
        mention_gate = self._part("mention_gate", self.spec.mention_gate)
        mention_threshold = _gate_threshold(self.settings.mention_threshold, mention_gate)
        semantic_threshold = self.semantic_threshold
        evidence: dict[str, list[Evidence]] = {}
        methods: dict[str, set[str]] = {}
        threshold = self.threshold
        uris = self.space.uris
        mass: dict[str, list] = {}
        for sentence, vector, zone, statement, rows in zip(sentences, vectors, zones, statements, ranked):
            if zone in SKIPPED_ZONES:
                continue  # headings, legal and benefits text, company blurbs state no requirement or experience
            for row in rows[:PROFILE_TOP_K]:
                score = float(scores[row])
                if score < PROFILE_MIN_SCORE:
                    break
                entry = mass.setdefault(uris[table.skill[row]], [0.0, sentence, 0.0])
                entry[0] += score
                if score > entry[2]:
                    entry[1:] = [sentence, score]
            # short fragments ("Python", "SQL" in a skills list) and degree lines yield literal
            # matches only, never semantic neighbours of a word
            literal_only = len(sentence.text.split()) < MIN_SEMANTIC_WORDS or zone in LITERAL_ONLY_ZONES
            if statement is not None:
                statement = round(float(statement), 4)
                if statement < gate_threshold and zone not in STATED_ZONES:
                    if mode == "all":
                        continue
                    # by default such a sentence yields literal matches only: its semantic neighbours were
                    # most of the wrong skills ("pack goods" from a company blurb), while a named skill
                    # ("Solid statistics …", which the gate scores 0.26) is one on its face
                    literal_only = literal_only or mode == "semantic"
            for row in rows:
                if scores[row] < threshold:
                    break
                hit = table.literal_hit[row]
                if hit is None and (literal_only or scores[row] < semantic_threshold):
                    continue  # a skill no words name needs the semantic threshold
                uri = uris[table.skill[row]]
                method = _method(table, row)
                mention = None
                if hit is not None and mention_gate is not None and zone not in STATED_ZONES:
                    features = mention_features(sentence.text, hit.start, hit.end, method, float(scores[row]), zone,
                                                skill_type(self.taxonomy.concept(uri)))
                    mention = round(mention_gate.probability(features, vector), 4)
                    if self.settings.mention_gate and mention < mention_threshold:
                        continue  # the label's words, not a skill mention here ("access to technology")
                evidence.setdefault(uri, []).append(_evidence(document, sentence, table, row, float(scores[row]),
                                                              method, zone, statement, mention))
                methods.setdefault(uri, set()).add(method)
        skills = [self._skill(uri, items, methods[uri]) for uri, items in evidence.items()]
        verdict_gate = self._part("verdict_gate", self.spec.verdict_gate)
        if verdict_gate is not None:
            verdict_threshold = _gate_threshold(self.settings.verdict_threshold, verdict_gate)
            skills = [replace(skill, stated=round(verdict_gate.probability(verdict_features(skill)), 4))
                      for skill in skills]
            if self.settings.verdict_gate:  # a skill a reader would more likely judge wrong than right
                skills = [skill for skill in skills if skill.stated >= verdict_threshold]
        skills.sort(key=lambda s: (-s.score, s.label))
        if not skills:
            warnings.append("no skill passed the threshold")
        profile = []
        for uri, (total, sentence, best) in sorted(mass.items(), key=lambda item: (-item[1][0], item[0]))[:PROFILE_SIZE]:
            start, end = document.original_span(sentence.start, sentence.end)
            profile.append((uri, round(total, 6), start, end, round(best, 6)))
        return ExtractionResult(document.source, tuple(skills), len(sentences), self.version, self.taxonomy.version,
                                tuple(warnings), dict(Counter(zones)), mean.astype(np.float32), tuple(profile))

    def _skill(self, uri: str, items: list[Evidence], methods: set[str]) -> ExtractedSkill:
        concept = self.taxonomy.concept(uri)
        method = "both" if "both" in methods or {"literal", "semantic"} <= methods else methods.pop()
        paths = self.taxonomy.hierarchy_paths(uri)
        path = tuple(self.taxonomy.label(u) for u in min(paths, key=len)) if paths else ()
        items.sort(key=lambda e: (-e.score, e.start))
        links = tuple(sorted({m.target if m.source == uri else m.source for m in self.taxonomy.mappings(uri)}))
        return ExtractedSkill(uri=uri, label=concept.label, score=items[0].score, method=method,
                              skill_type=skill_type(concept), path=path, evidence=tuple(items), links=links)


def _gate_threshold(configured: float | None, gate) -> float:
    """The threshold a gate applies: the configured one, else the gate's own (0 without a gate)."""
    if configured is not None:
        return configured
    return gate.threshold if gate is not None else 0.0


def skill_type(concept) -> str:
    """What an extracted skill reports as its type: ESCO's skill type, or "technology"."""
    return "technology" if concept.kind == "technology" else concept.skill_type


def _method(table: CandidateTable, row: int) -> Method:
    if table.literal_hit[row] is None:
        return "semantic"
    return "both" if table.semantic_rank[row] >= 0 else "literal"


def _evidence(document: Document, sentence: Sentence, table: CandidateTable, row: int, score: float,
              method: Method, zone: str, statement: float | None, mention: float | None) -> Evidence:
    start, end = document.original_span(sentence.start, sentence.end)
    match_text, match_start, match_end = "", None, None
    hit = table.literal_hit[row]
    if hit is not None:
        match_start, match_end = document.original_span(sentence.start + hit.start, sentence.start + hit.end)
        match_text = document.original[match_start:match_end]
    return Evidence(sentence=document.original[start:end], start=start, end=end, score=round(score, 6),
                    method=method, matched_text=match_text, match_start=match_start, match_end=match_end,
                    alternatives=table.alternatives[row], zone=zone, statement=statement, mention=mention)
