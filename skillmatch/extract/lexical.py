"""Lexical similarity between sentences and skills: TF-IDF over each skill's labels.

Strong where job ads name tools and technologies verbatim, weak on paraphrase; the encoder
is the reverse. The extractor feeds both into one calibrated score.
"""
from __future__ import annotations

import numpy as np

MAX_LABELS = 13


class LexicalSkillScorer:
    """Fit on a taxonomy's skills; ``similarity`` gives sentence × skill cosines."""

    def __init__(self, ngram_range: tuple[int, int] = (1, 2)) -> None:
        self.ngram_range = ngram_range
        self.uris: list[str] = []
        self.columns: dict[str, int] = {}
        self._vectorizer = None
        self._matrix = None

    def fit(self, taxonomy, kind: str = "skill") -> "LexicalSkillScorer":
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.uris = taxonomy.uris(kind)
        self.columns = {uri: i for i, uri in enumerate(self.uris)}
        documents = [" ".join(taxonomy.concept(uri).labels[:MAX_LABELS]) for uri in self.uris]
        self._vectorizer = TfidfVectorizer(ngram_range=self.ngram_range, sublinear_tf=True, stop_words="english",
                                           dtype=np.float32)
        self._matrix = self._vectorizer.fit_transform(documents).T.tocsr()
        return self

    def similarity(self, sentences: list[str]):
        """Sparse (sentences × skills) matrix of cosines, in ``self.uris`` order."""
        return (self._vectorizer.transform(sentences) @ self._matrix).tocsr()
