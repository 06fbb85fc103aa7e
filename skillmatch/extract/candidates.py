"""Candidate skills for sentences, from three sources, in one typed table.

Each source proposes (sentence, skill) pairs for its own reason:

- :class:`SemanticSource`: the skills nearest to the sentence vector in the skill space;
- :class:`LexicalSource`: the skills whose labels share the most TF-IDF weight with the sentence;
- :class:`LiteralSource`: the skills one of whose labels occurs in the sentence.

:func:`gather` merges their proposals into a :class:`CandidateTable` with every signal filled
in for every pair (the cosine of a literal-only candidate is computed, its lexical value
looked up), so the calibrator scores all candidates with the same features whichever
source found them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from skillmatch.extract.literal import LiteralHit, LiteralMatcher


@dataclass
class CandidateTable:
    """One row per (sentence, candidate skill); columns are the calibrator's features.

    ``literal_hit[i]`` is the label occurrence behind a literal candidate (None otherwise),
    ``alternatives[i]`` the other skills an ambiguous label could denote, and
    ``semantic_rank[i]`` the candidate's rank among the sentence's nearest skills (-1 when the
    semantic source did not propose it).
    """

    sentence: np.ndarray
    skill: np.ndarray
    cosine: np.ndarray
    literal: np.ndarray
    lexical: np.ndarray
    semantic_rank: np.ndarray
    literal_hit: list[LiteralHit | None] = field(default_factory=list)
    alternatives: list[tuple[str, ...]] = field(default_factory=list)
    sentences: int = 0

    def __len__(self) -> int:
        return len(self.sentence)

    def rows_by_sentence(self) -> list[np.ndarray]:
        """Row indices of each sentence's candidates (sentences without any get an empty array)."""
        order = np.argsort(self.sentence, kind="stable")
        bounds = np.searchsorted(self.sentence[order], np.arange(self.sentences + 1))
        return [order[bounds[i]:bounds[i + 1]] for i in range(self.sentences)]

    def features(self) -> np.ndarray:
        """``n × 3`` matrix (cosine, literal, lexical) in float64."""
        return np.column_stack([self.cosine, self.literal, self.lexical]).astype(np.float64, copy=False)


class SemanticSource:
    """The ``top_k`` nearest skills of each sentence vector in the skill space."""

    name = "semantic"

    def __init__(self, top_k: int = 10) -> None:
        self.top_k = top_k

    def propose(self, space, vectors: np.ndarray, top_k: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(skill positions, cosines), ``len(vectors) × top_k``, best first; -1 where none."""
        return space.search(vectors, top_k or self.top_k)


class LexicalSource:
    """TF-IDF similarity of sentences to skill labels (a fitted ``LexicalSkillScorer``)."""

    name = "lexical"

    def __init__(self, scorer, top_k: int = 10) -> None:
        self.scorer = scorer
        self.top_k = top_k

    def similarity(self, sentences: Sequence[str]):
        """Sparse sentences × skills matrix, columns in ``scorer.uris`` order."""
        return self.scorer.similarity(list(sentences))


class LiteralSource:
    """Label occurrences found by the literal matcher."""

    name = "literal"

    def __init__(self, matcher: LiteralMatcher) -> None:
        self.matcher = matcher

    def propose(self, sentence: str) -> list[LiteralHit]:
        return self.matcher.find(sentence)


def gather(space, sentences: Sequence[str], vectors: np.ndarray, top_k: int, semantic: SemanticSource,
           lexical: LexicalSource | None = None, literal: LiteralSource | None = None) -> CandidateTable:
    """All sources' candidates for ``sentences`` as one table.

    A sentence's candidates are its semantic neighbours, then its best lexical matches not
    already there, then its literal hits. An ambiguous label goes to a concept whose
    preferred label it is, then to the concept the context fits best; the others are kept
    as alternatives.
    """
    positions, cosines = semantic.propose(space, vectors, top_k)
    similarity = lexical.similarity(sentences) if lexical is not None else None
    rows: list[tuple[int, int, float, int]] = []  # sentence, skill, cosine, semantic rank
    hits: dict[tuple[int, int], tuple[LiteralHit, tuple[str, ...]]] = {}
    lexical_values: list[float] = []
    for row, sentence in enumerate(sentences):
        found: dict[int, tuple[float, int]] = {}
        for rank, (position, cosine) in enumerate(zip(positions[row], cosines[row])):
            if position >= 0:
                found[int(position)] = (float(cosine), rank)
        lexical_row: dict[int, float] = {}
        if similarity is not None:
            start, end = similarity.indptr[row], similarity.indptr[row + 1]
            columns, values = similarity.indices[start:end], similarity.data[start:end]
            for i in np.argsort(-values)[:top_k]:
                position = space.position(lexical.scorer.uris[columns[i]])
                if position is not None and position not in found:
                    found[position] = (space.cosine(vectors[row], position), -1)
            lexical_row = dict(zip(columns.tolist(), values.tolist()))
        if literal is not None:
            for hit in literal.propose(sentence):
                options = [space.position(uri) for uri in hit.uris]
                options = [(uri, p) for uri, p in zip(hit.uris, options) if p is not None]
                if not options:
                    continue
                scored = sorted(options, key=lambda o: (o[0] not in hit.preferred,
                                                        -(found[o[1]][0] if o[1] in found
                                                          else space.cosine(vectors[row], o[1]))))
                chosen = scored[0][1]
                if chosen not in found:
                    found[chosen] = (space.cosine(vectors[row], chosen), -1)
                hits[(row, chosen)] = (hit, tuple(uri for uri, _ in scored[1:]))
        for position, (cosine, rank) in found.items():
            rows.append((row, position, cosine, rank))
            if similarity is not None:
                column = lexical.scorer.columns.get(space.uris[position], -1)
                lexical_values.append(lexical_row.get(column, 0.0))
            else:
                lexical_values.append(0.0)
    literal_hits = [hits.get((r, p), (None, ()))[0] for r, p, _, _ in rows]
    return CandidateTable(
        sentence=np.array([r[0] for r in rows], dtype=np.int64),
        skill=np.array([r[1] for r in rows], dtype=np.int64),
        cosine=np.array([r[2] for r in rows], dtype=np.float64),
        literal=np.array([hit is not None for hit in literal_hits], dtype=np.float64),
        lexical=np.array(lexical_values, dtype=np.float64),
        semantic_rank=np.array([r[3] for r in rows], dtype=np.int64),
        literal_hit=literal_hits,
        alternatives=[hits.get((r, p), (None, ()))[1] for r, p, _, _ in rows],
        sentences=len(sentences))
