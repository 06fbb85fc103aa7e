"""Fitting a :class:`~skillmatch.extract.linear_gate.LinearGate` on labelled examples grouped by
document.

Regularisation is chosen by cross-validated ROC AUC over folds of whole documents (examples of
one document are never split between fitting and scoring); the threshold is 0.5 — an item is
dropped when the model finds it more likely wrong than right — so no evaluation document steers
either. The cross-fitted probabilities come back with the gate: what the gate would have said of
each example without having seen its document, the honest basis for the figures of a card. A gate
with a precision target instead takes the lowest threshold, from 0.5 up, at which those
cross-fitted probabilities keep a share of right examples at or above the target: the examples'
documents choose it, evaluation documents still do not.
"""
from __future__ import annotations

import numpy as np

from skillmatch.extract.linear_gate import LinearGate

CS = (0.03, 0.1, 0.3, 1.0, 3.0)
MIN_FEATURE_COUNT = 2  # sparse features seen once are noise and bloat the model file
THRESHOLD = 0.5
THRESHOLD_STEPS = tuple(round(0.5 + 0.05 * i, 2) for i in range(10))  # 0.5 … 0.95


def fit_linear_gate(features: list[dict], vectors: np.ndarray | None, labels: np.ndarray, groups: np.ndarray,
                    provenance: dict | None = None, target_precision: float | None = None
                    ) -> tuple[LinearGate, np.ndarray]:
    """The gate (C by grouped 5-fold AUC) and its cross-fitted probabilities of the examples.
    ``vectors`` (one row per example) join the sparse features unless None. Its threshold is 0.5,
    or with ``target_precision`` the lowest step at which the cross-fitted right share reaches it
    (the highest step where none does)."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import GroupKFold, cross_val_predict

    counts: dict[str, int] = {}
    for row in features:
        for name in row:
            counts[name] = counts.get(name, 0) + 1
    kept = [{k: v for k, v in row.items() if counts[k] >= MIN_FEATURE_COUNT} for row in features]
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform(kept)
    if vectors is not None:
        matrix = hstack([matrix, csr_matrix(np.asarray(vectors, dtype=np.float64))])
    matrix = matrix.tocsr()
    folds = GroupKFold(n_splits=min(5, len(set(groups))))
    results = {}
    for c in CS:
        predicted = cross_val_predict(LogisticRegression(C=c, max_iter=5000), matrix, labels, cv=folds, groups=groups,
                                      method="predict_proba")[:, 1]
        results[c] = (roc_auc_score(labels, predicted), predicted)
    best = max(CS, key=lambda c: results[c][0])
    auc, predicted = results[best]
    model = LogisticRegression(C=best, max_iter=5000).fit(matrix, labels)
    names = vectorizer.get_feature_names_out()
    coef = model.coef_[0]
    threshold = THRESHOLD if target_precision is None else _threshold_for(predicted, labels, target_precision)
    kept_share = predicted >= threshold
    facts = {**(provenance or {}), "C": best, "features": int(len(names)),
             "cross_validated_auc": round(float(auc), 4),
             "precision_before": round(float(labels.mean()), 4),
             "precision_at_threshold": round(float(labels[kept_share].sum() / max(kept_share.sum(), 1)), 4),
             "recall_at_threshold": round(float(labels[kept_share].sum() / max(labels.sum(), 1)), 4),
             "kept_at_threshold": round(float(kept_share.mean()), 4)}
    if target_precision is not None:
        facts["target_precision"] = target_precision
    weights = {str(name): float(w) for name, w in zip(names, coef[:len(names)]) if abs(w) > 1e-6}
    gate = LinearGate(weights, tuple(float(w) for w in coef[len(names):]), float(model.intercept_[0]), threshold, facts)
    return gate, predicted


def _threshold_for(predicted: np.ndarray, labels: np.ndarray, target: float) -> float:
    for step in THRESHOLD_STEPS:
        kept = predicted >= step
        if kept.any() and labels[kept].mean() >= target:
            return step
    return THRESHOLD_STEPS[-1]
