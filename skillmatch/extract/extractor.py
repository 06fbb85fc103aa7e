"""SkillExtractor: documents → sentences → skills with evidence.

Per sentence, candidates come from two places: the literal matcher (labels found in the
text) and the semantic index (nearest skills to the sentence vector). One calibrated
logistic score combines the cosine and the literal signal, so ranking and the extraction
threshold use the same number.
"""
from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from skillmatch.config import resolve_cache_dir
from skillmatch.extract.encoder import Encoder, ModelSpec
from skillmatch.extract.lexical import LexicalSkillScorer
from skillmatch.extract.literal import LiteralHit, LiteralMatcher
from skillmatch.extract.sentences import SPLITTERS, Sentence
from skillmatch.extract.skill_index import SkillIndex, load_or_build
from skillmatch.extract.text import DEFAULT_MAX_CHARS, Document, make_document, read_document
from skillmatch.errors import ConfigurationError
from skillmatch.types import Evidence, ExtractedSkill, RankedSkill

log = logging.getLogger(__name__)

METHODS = ("literal", "semantic", "both")
MIN_SEMANTIC_WORDS = 3


@dataclass(frozen=True)
class ExtractionResult:
    """All skills of one document, best first, with the provenance needed to reproduce it."""

    source: str
    skills: tuple[ExtractedSkill, ...]
    sentences: int
    model: str
    knowledge_base: str
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class _Candidate:
    cosine: float = 0.0
    lexical: float = 0.0
    literal: LiteralHit | None = None
    semantic_rank: int | None = None
    alternatives: tuple[str, ...] = field(default_factory=tuple)


class SkillExtractor:
    """Extract ESCO skills from JDs and resumes; rank skills for sentences.

    Parameters are stored as given; the knowledge base, encoder, matcher and index are
    loaded on first use (or explicitly by :meth:`from_data`).
    """

    def __init__(self, taxonomy, model: str | Path | None = None, cache_dir: str | Path | None = None,
                 splitter: str = "rules", threshold: float | None = None, top_k: int = 10,
                 use_literal: bool | None = None, use_lexical: bool | None = None, skill_text: str | None = None, max_chars: int = DEFAULT_MAX_CHARS,
                 max_sentences: int = 4000, batch_size: int = 64, encoder: Encoder | None = None) -> None:
        self.taxonomy = taxonomy
        self.model = model
        self.cache_dir = cache_dir
        self.splitter = splitter
        self.threshold = threshold
        self.top_k = top_k
        self.use_literal = use_literal
        self.use_lexical = use_lexical
        self.skill_text = skill_text
        self.max_chars = max_chars
        self.max_sentences = max_sentences
        self.batch_size = batch_size
        self._spec: ModelSpec | None = None
        self._encoder = encoder  # share one loaded encoder between extractors
        self._index: SkillIndex | None = None
        self._matcher: LiteralMatcher | None = None
        self._lexical: LexicalSkillScorer | None = None
        self._splitter = None

    # construction ------------------------------------------------------------------------
    @classmethod
    def from_data(cls, data: str | Path | None = None, model: str | Path | None = None,
                  cache_dir: str | Path | None = None, **params) -> "SkillExtractor":
        """Knowledge base from ``data`` (default ``$SKILLMATCH_DATA``), ready to use."""
        from skillmatch.ontology import load_taxonomy

        extractor = cls(load_taxonomy(data, cache_dir), model=model, cache_dir=cache_dir, **params)
        return extractor.prepare()

    @classmethod
    def load(cls, model_dir: str | Path, data: str | Path | None = None, **params) -> "SkillExtractor":
        return cls.from_data(data, model=model_dir, **params)

    def prepare(self) -> "SkillExtractor":
        """Load everything now rather than on the first document."""
        _ = self.index, self.matcher, self.encoder.model
        return self

    @property
    def spec(self) -> ModelSpec:
        if self._spec is None:
            self._spec = ModelSpec.load(self.model)
            if self.skill_text:
                self._spec.skill_text = self.skill_text
        return self._spec

    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            self._encoder = Encoder(self.spec, batch_size=self.batch_size)
        return self._encoder

    @property
    def index(self) -> SkillIndex:
        if self._index is None:
            self._index = load_or_build(self.taxonomy, self.encoder, self.spec.skill_text,
                                        resolve_cache_dir(self.cache_dir))
        return self._index

    @property
    def matcher(self) -> LiteralMatcher:
        if self._matcher is None:
            self._matcher = _cached(self.taxonomy, resolve_cache_dir(self.cache_dir), LiteralMatcher,
                                    lambda: LiteralMatcher.from_taxonomy(self.taxonomy))
        return self._matcher

    @property
    def lexical(self) -> LexicalSkillScorer:
        if self._lexical is None:
            self._lexical = _cached(self.taxonomy, resolve_cache_dir(self.cache_dir), LexicalSkillScorer,
                                    lambda: LexicalSkillScorer().fit(self.taxonomy))
        return self._lexical

    @property
    def literal_enabled(self) -> bool:
        """Explicit setting, else on when the model's calibration gives the signal weight."""
        return self.spec.calibration.literal_weight != 0 if self.use_literal is None else self.use_literal

    @property
    def lexical_enabled(self) -> bool:
        return self.spec.calibration.lexical_weight != 0 if self.use_lexical is None else self.use_lexical

    @property
    def sentence_splitter(self):
        if self._splitter is None:
            if self.splitter not in SPLITTERS:
                raise ConfigurationError(f"unknown sentence splitter {self.splitter!r}; choose {', '.join(SPLITTERS)}")
            self._splitter = SPLITTERS[self.splitter]()
        return self._splitter

    @property
    def effective_threshold(self) -> float:
        return self.spec.threshold if self.threshold is None else self.threshold

    @property
    def version(self) -> str:
        return self.spec.version()

    # ranking ------------------------------------------------------------------------------
    def _candidates(self, sentences: Sequence[str], vectors: np.ndarray, top_k: int) -> list[dict[str, _Candidate]]:
        positions, cosines = self.index.search(vectors, top_k)
        lexical = self.lexical.similarity(list(sentences)) if self.lexical_enabled else None
        results = []
        for row, sentence in enumerate(sentences):
            candidates: dict[str, _Candidate] = {}
            for rank, (position, cosine) in enumerate(zip(positions[row], cosines[row])):
                if position >= 0:
                    candidates[self.index.uris[position]] = _Candidate(float(cosine), semantic_rank=rank)
            if lexical is not None:
                start, end = lexical.indptr[row], lexical.indptr[row + 1]
                columns, values = lexical.indices[start:end], lexical.data[start:end]
                for i in np.argsort(-values)[:top_k]:
                    uri = self.lexical.uris[columns[i]]
                    if uri not in candidates and self.index.position(uri) is not None:
                        candidates[uri] = _Candidate(self.index.cosine(vectors[row], uri))
                lexical_row = dict(zip(columns.tolist(), values.tolist()))
            if self.literal_enabled:
                for hit in self.matcher.find(sentence):
                    options = [uri for uri in hit.uris if self.index.position(uri) is not None]
                    if not options:
                        continue
                    # an ambiguous label goes to a concept whose preferred label it is, then to the
                    # concept the context fits best; the others are kept as alternatives
                    scored = sorted(options, key=lambda u: (u not in hit.preferred,
                                                            -(candidates[u].cosine if u in candidates
                                                              else self.index.cosine(vectors[row], u))))
                    chosen = scored[0]
                    candidate = candidates.get(chosen) or _Candidate(self.index.cosine(vectors[row], chosen))
                    candidate.literal = hit
                    candidate.alternatives = tuple(scored[1:])
                    candidates[chosen] = candidate
            if lexical is not None:
                for uri, candidate in candidates.items():
                    candidate.lexical = lexical_row.get(self.lexical.columns.get(uri, -1), 0.0)
            results.append(candidates)
        return results

    def _score(self, candidates: dict[str, _Candidate]) -> list[tuple[str, float, _Candidate]]:
        if not candidates:
            return []
        uris = list(candidates)
        cosine = np.array([candidates[u].cosine for u in uris])
        literal = np.array([1.0 if candidates[u].literal is not None else 0.0 for u in uris])
        lexical = np.array([candidates[u].lexical for u in uris])
        scores = self.spec.calibration.probability(cosine, literal, lexical)
        return sorted(((u, float(s), candidates[u]) for u, s in zip(uris, scores)), key=lambda t: (-t[1], t[0]))

    def rank(self, sentences: Sequence[str], top_k: int = 10) -> list[list[RankedSkill]]:
        """For each sentence, the ``top_k`` best ESCO skills over the whole pillar, best first."""
        if not sentences:
            return []
        vectors = self.encoder.encode(list(sentences))
        ranked = []
        for candidates in self._candidates(sentences, vectors, max(top_k, self.top_k)):
            ranked.append([RankedSkill(uri, self.taxonomy.label(uri), round(score, 6))
                           for uri, score, _ in self._score(candidates)[:top_k]])
        return ranked

    # extraction --------------------------------------------------------------------------
    def extract(self, text: str, source: str = "<text>") -> ExtractionResult:
        return self.extract_document(make_document(text, source, self.max_chars))

    def extract_file(self, path: str | Path) -> ExtractionResult:
        return self.extract_document(read_document(path, self.max_chars))

    def extract_document(self, document: Document) -> ExtractionResult:
        return self.extract_with_embedding(document)[0]

    def extract_with_embedding(self, document: Document) -> tuple[ExtractionResult, np.ndarray]:
        """The extraction and the document vector (mean of its sentence vectors, unit length)."""
        warnings = list(document.warnings)
        sentences = self.sentence_splitter.split(document.text)
        if len(sentences) > self.max_sentences:
            warnings.append(f"{len(sentences):,} sentences; only the first {self.max_sentences:,} were processed")
            sentences = sentences[: self.max_sentences]
        if not sentences:
            return (ExtractionResult(document.source, (), 0, self.version, self.taxonomy.version,
                                     tuple(warnings or ["no sentences found"])),
                    np.zeros(self.index.vectors.shape[1], dtype=np.float32))
        texts = [s.text for s in sentences]
        vectors = self.encoder.encode(texts)
        mean = vectors.mean(axis=0)
        mean /= max(float(np.linalg.norm(mean)), 1e-12)
        evidence: dict[str, list[Evidence]] = {}
        methods: dict[str, set[str]] = {}
        threshold = self.effective_threshold
        for sentence, candidates in zip(sentences, self._candidates(texts, vectors, self.top_k)):
            # a heading ("EXPERIENCE", "Skills") carries no skill of its own: short fragments
            # yield literal matches only, never semantic neighbours of the heading word
            fragment = len(sentence.text.split()) < MIN_SEMANTIC_WORDS
            for uri, score, candidate in self._score(candidates):
                if score < threshold:
                    break
                if fragment and candidate.literal is None:
                    continue
                method = self._method(candidate)
                evidence.setdefault(uri, []).append(self._evidence(document, sentence, candidate, score, method))
                methods.setdefault(uri, set()).add(method)
        skills = [self._skill(uri, items, methods[uri]) for uri, items in evidence.items()]
        skills.sort(key=lambda s: (-s.score, s.label))
        if not skills:
            warnings.append("no skill passed the threshold")
        return (ExtractionResult(document.source, tuple(skills), len(sentences), self.version, self.taxonomy.version,
                                 tuple(warnings)), mean.astype(np.float32))

    def extract_many(self, texts: Iterable[str]) -> list[ExtractionResult]:
        return [self.extract(text, f"<text {i}>") for i, text in enumerate(texts)]

    def _method(self, candidate: _Candidate) -> str:
        if candidate.literal is None:
            return "semantic"
        return "both" if candidate.semantic_rank is not None else "literal"

    @staticmethod
    def _evidence(document: Document, sentence: Sentence, candidate: _Candidate, score: float,
                  method: str) -> Evidence:
        start, end = document.original_span(sentence.start, sentence.end)
        match_text, match_start, match_end = "", None, None
        if candidate.literal is not None:
            hit = candidate.literal
            match_start, match_end = document.original_span(sentence.start + hit.start, sentence.start + hit.end)
            match_text = document.original[match_start:match_end]
        return Evidence(sentence=document.original[start:end], start=start, end=end, score=round(score, 6),
                        method=method, matched_text=match_text, match_start=match_start, match_end=match_end,
                        alternatives=candidate.alternatives)

    def _skill(self, uri: str, items: list[Evidence], methods: set[str]) -> ExtractedSkill:
        concept = self.taxonomy.concept(uri)
        method = "both" if "both" in methods or {"literal", "semantic"} <= methods else methods.pop()
        paths = self.taxonomy.hierarchy_paths(uri)
        path = tuple(self.taxonomy.label(u) for u in min(paths, key=len)) if paths else ()
        items.sort(key=lambda e: (-e.score, e.start))
        return ExtractedSkill(uri=uri, label=concept.label, score=items[0].score, method=method,
                              skill_type=concept.skill_type, path=path, evidence=tuple(items))


def _cached(taxonomy, cache_dir: Path, kind: type, build):
    """A knowledge-base-derived object, pickled beside the other caches; built on first use.

    Keyed by the knowledge base and by the source of the class, so new code rebuilds it.
    """
    import inspect
    import pickle

    from skillmatch._io import atomic_write, source_fingerprint

    name = kind.__name__
    code = source_fingerprint(Path(inspect.getfile(kind)))
    path = cache_dir / name / f"{taxonomy.fingerprint}-{code}.pickle"
    if path.exists():
        try:
            with open(path, "rb") as handle:
                return pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            log.warning("%s cache %s unreadable: rebuilding", name, path)
    value = build()
    with atomic_write(path, "wb") as handle:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return value
