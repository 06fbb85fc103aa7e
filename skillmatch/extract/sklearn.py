"""A scikit-learn transformer: documents → skill-score vectors, for users' own models."""
from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted


class SkillVectorizer(TransformerMixin, BaseEstimator):
    """Each document becomes a sparse row: one column per skill, its best extraction score.

    ``vocabulary="fit"`` keeps the skills seen while fitting (like CountVectorizer);
    ``vocabulary="all"`` uses every skill of the knowledge base.
    """

    def __init__(self, data=None, model=None, cache_dir=None, threshold=None, vocabulary="fit", extractor=None):
        self.data = data
        self.model = model
        self.cache_dir = cache_dir
        self.threshold = threshold
        self.vocabulary = vocabulary
        self.extractor = extractor

    def _extractor(self):
        if self.extractor is not None:
            return self.extractor
        from skillmatch.extract import SkillExtractor

        from skillmatch.config import ExtractionConfig

        return SkillExtractor.from_data(self.data, model=self.model, cache_dir=self.cache_dir,
                                        config=ExtractionConfig(threshold=self.threshold))

    def fit(self, X, y=None):
        self.extractor_ = self._extractor()
        if self.vocabulary == "all":
            uris = self.extractor_.taxonomy.uris("skill")
        elif self.vocabulary == "fit":
            uris = sorted({skill.uri for text in X for skill in self.extractor_.extract(text).skills})
        else:
            raise ValueError(f"vocabulary must be 'fit' or 'all', not {self.vocabulary!r}")
        self.vocabulary_ = {uri: column for column, uri in enumerate(uris)}
        return self

    def transform(self, X):
        check_is_fitted(self, "vocabulary_")
        rows, columns, values = [], [], []
        for row, text in enumerate(X):
            for skill in self.extractor_.extract(text).skills:
                column = self.vocabulary_.get(skill.uri)
                if column is not None:
                    rows.append(row)
                    columns.append(column)
                    values.append(skill.score)
        return sparse.csr_matrix((values, (rows, columns)), shape=(len(X), len(self.vocabulary_)),
                                 dtype=np.float32)

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self, "vocabulary_")
        return np.array(sorted(self.vocabulary_, key=self.vocabulary_.get), dtype=object)
