"""Lexical similarity between sentences and skills: TF-IDF over each skill's labels.

Strong where job ads name tools and technologies verbatim, weak on paraphrase; the encoder
is the reverse. The extractor feeds both into one calibrated score.

Fitted with scikit-learn's ``TfidfVectorizer``; at inference the fitted vocabulary, IDF and
stop words are applied by a few lines of numpy and scipy (the same analysis: lower case,
``\\b\\w\\w+\\b`` tokens, English stop words out, word unigrams and bigrams, sublinear TF, L2
norm), so extraction never imports scikit-learn.
"""
from __future__ import annotations

import re

import numpy as np

MAX_LABELS = 13
TOKEN = re.compile(r"(?u)\b\w\w+\b")


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
        self._matrix = matrix.T.tocsr()
        return self

    def _vectors(self, sentences: list[str]):
        from scipy import sparse

        rows, columns, values = [], [], []
        low, high = self.ngram_range
        for row, sentence in enumerate(sentences):
            tokens = [t for t in TOKEN.findall(sentence.lower()) if t not in self.stop_words_]
            counts: dict[int, int] = {}
            for n in range(low, high + 1):
                for i in range(len(tokens) - n + 1):
                    column = self.vocabulary_.get(" ".join(tokens[i:i + n]))
                    if column is not None:
                        counts[column] = counts.get(column, 0) + 1
            if not counts:
                continue
            keys = np.fromiter(counts, dtype=np.int64, count=len(counts))
            tf = np.log(np.fromiter(counts.values(), dtype=np.float32, count=len(counts))) + np.float32(1.0)
            weights = tf * self.idf_[keys]
            weights /= np.float32(np.sqrt(np.sum(weights * weights)))
            rows.extend([row] * len(keys))
            columns.extend(keys.tolist())
            values.extend(weights.tolist())
        return sparse.csr_matrix((np.asarray(values, dtype=np.float32), (rows, columns)),
                                 shape=(len(sentences), len(self.idf_)))

    def similarity(self, sentences: list[str]):
        """Sparse (sentences × skills) matrix of cosines, in ``self.uris`` order."""
        return (self._vectors(sentences) @ self._matrix).tocsr()
