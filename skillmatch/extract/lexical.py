"""Lexical similarity between sentences and skills: TF-IDF over each skill's labels.

Strong where job ads name tools and technologies verbatim, weak on paraphrase; the encoder
is the reverse. The extractor feeds both into one calibrated score.

Fitted with scikit-learn's ``TfidfVectorizer``; at inference the fitted vocabulary, IDF and
stop words are applied by a few lines of numpy (the same analysis: lower case,
``\\b\\w\\w+\\b`` tokens, English stop words out, word unigrams and bigrams, sublinear TF, L2
norm), so extraction imports neither scikit-learn nor scipy (scipy's import alone was a tenth of
a cold start).
"""
from __future__ import annotations

import re
from typing import NamedTuple

import numpy as np

MAX_LABELS = 13
TOKEN = re.compile(r"(?u)\b\w\w+\b")


class SparseRows(NamedTuple):
    """Rows of a sparse matrix in CSR layout: row ``i``'s columns are ``indices[indptr[i]:indptr[i + 1]]``."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    columns: int

    def toarray(self) -> np.ndarray:
        dense = np.zeros((len(self.indptr) - 1, self.columns), dtype=self.data.dtype)
        rows = np.repeat(np.arange(len(self.indptr) - 1), np.diff(self.indptr))
        dense[rows, self.indices] = self.data
        return dense


class LexicalSkillScorer:
    """Fit on a taxonomy's skills; ``similarity`` gives sentence × skill cosines."""

    def __init__(self, ngram_range: tuple[int, int] = (1, 2)) -> None:
        self.ngram_range = ngram_range
        self.uris: list[str] = []
        self.columns: dict[str, int] = {}

    def fit(self, taxonomy, uris: list[str] | None = None) -> "LexicalSkillScorer":
        """Learn the vocabulary and IDF from the labels of ``uris`` (default: every skill)."""
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

        self.uris = list(uris if uris is not None else taxonomy.uris("skill"))
        self.columns = {uri: i for i, uri in enumerate(self.uris)}
        documents = [" ".join(taxonomy.concept(uri).labels[:MAX_LABELS]) for uri in self.uris]
        vectorizer = TfidfVectorizer(ngram_range=self.ngram_range, sublinear_tf=True, stop_words="english",
                                     dtype=np.float32)
        matrix = vectorizer.fit_transform(documents)
        self.vocabulary_ = dict(vectorizer.vocabulary_)
        self.idf_ = vectorizer.idf_.astype(np.float32)
        self.stop_words_ = frozenset(ENGLISH_STOP_WORDS)
        by_term = matrix.T.tocsr()  # term -> the skills whose labels hold it
        self._term_indptr, self._term_skills, self._term_weights = by_term.indptr, by_term.indices, by_term.data
        return self

    def _vectors(self, sentences: list[str]):
        """Each sentence's TF-IDF vector as (term ids in ascending order, weights)."""
        empty = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        low, high = self.ngram_range
        for sentence in sentences:
            tokens = [t for t in TOKEN.findall(sentence.lower()) if t not in self.stop_words_]
            counts: dict[int, int] = {}
            for n in range(low, high + 1):
                for i in range(len(tokens) - n + 1):
                    column = self.vocabulary_.get(" ".join(tokens[i:i + n]))
                    if column is not None:
                        counts[column] = counts.get(column, 0) + 1
            if not counts:
                yield empty
                continue
            keys = np.fromiter(counts, dtype=np.int64, count=len(counts))  # in order of appearance: the norm's sum
            tf = np.log(np.fromiter(counts.values(), dtype=np.float32, count=len(counts))) + np.float32(1.0)
            weights = tf * self.idf_[keys]
            weights /= np.float32(np.sqrt(np.sum(weights * weights)))
            ascending = np.argsort(keys)
            yield keys[ascending], weights[ascending]

    def similarity(self, sentences: list[str]) -> SparseRows:
        """Sparse (sentences × skills) cosines, in ``self.uris`` order.

        Summed in float32 term by term and listed in the order scipy's sparse product gives
        (in a row, the skill reached last first), so scores and the order of ties are scipy's
        to the bit.
        """
        vectors = list(self._vectors(sentences))
        keys = np.concatenate([np.zeros(0, dtype=np.int64), *(k for k, _ in vectors)])
        weights = np.concatenate([np.zeros(0, dtype=np.float32), *(w for _, w in vectors)])
        sentence_of_key = np.repeat(np.arange(len(vectors)), [len(k) for k, _ in vectors])
        starts = self._term_indptr[keys]
        lengths = self._term_indptr[keys + 1] - starts
        # every (term, skill) posting of every sentence's terms, in sentence and term order
        postings = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        products = self._term_weights[postings] * np.repeat(weights, lengths)
        sentence = np.repeat(sentence_of_key, lengths)
        cells, first, inverse = np.unique(sentence * len(self.uris) + self._term_skills[postings],
                                          return_index=True, return_inverse=True)
        sums = np.zeros(len(cells), dtype=np.float32)
        np.add.at(sums, inverse, products)
        rows = cells // len(self.uris)
        order = np.lexsort((-first, rows))
        indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=len(vectors)))])
        return SparseRows(indptr, (cells % len(self.uris))[order].astype(self._term_skills.dtype), sums[order],
                          len(self.uris))
