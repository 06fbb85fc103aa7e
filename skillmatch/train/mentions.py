"""Fitting the mention gate (:mod:`skillmatch.extract.mentions`) on span-annotated documents.

The examples are exactly what the gate will judge: every literal match the extractor keeps
(mention gate off) in documents rebuilt from annotated sentences, labelled by whether its words
overlap a span annotators marked as a skill or knowledge. Regularisation is chosen by
cross-validated ROC AUC over folds of whole documents; the threshold is 0.5 — a match is
dropped when the model finds it more likely wrong than right — so no evaluation document
steers either.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Sequence

import numpy as np

from skillmatch.extract.mentions import MentionGate, mention_features
from skillmatch.extract.zones import STATED_ZONES
from skillmatch.train.statements import SpanDocument

CS = (0.03, 0.1, 0.3, 1.0, 3.0)
MIN_FEATURE_COUNT = 2  # sparse features seen once are noise and bloat the model file


def mention_examples(extractor, documents: Sequence[SpanDocument]):
    """(features, sentences, labels, document numbers) of every literal match extraction keeps."""
    plain = extractor.variant(replace(extractor.settings, mention_gate=False))
    features, sentences, labels, groups = [], [], [], []
    for number, document in enumerate(documents):
        for skill in plain.extract(document.text).skills:
            for evidence in skill.evidence:
                if evidence.match_start is None or evidence.zone in STATED_ZONES:
                    continue
                start, end = evidence.match_start - evidence.start, evidence.match_end - evidence.start
                features.append(mention_features(evidence.sentence, start, end, evidence.method, evidence.score,
                                                 evidence.zone, skill.skill_type))
                sentences.append(evidence.sentence)
                labels.append(any(evidence.match_start < e and s < evidence.match_end for s, e in document.spans))
                groups.append(number)
    return features, sentences, np.array(labels, dtype=int), np.array(groups)


def fit_mention_gate(features: list[dict], vectors: np.ndarray, labels: np.ndarray, groups: np.ndarray,
                     source: str = "") -> MentionGate:
    """The logistic model over sparse features and sentence vectors, C by grouped 5-fold AUC."""
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
    matrix = hstack([vectorizer.fit_transform(kept), csr_matrix(np.asarray(vectors, dtype=np.float64))]).tocsr()
    folds = GroupKFold(n_splits=5)
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
    threshold = 0.5
    kept_share = predicted >= threshold
    provenance = {"matches": int(len(labels)), "skill_mentions": int(labels.sum()), "documents": int(len(set(groups))),
                  "source": source, "C": best, "features": int(len(names)),
                  "cross_validated_auc": round(float(auc), 4),
                  "precision_before": round(float(labels.mean()), 4),
                  "precision_at_threshold": round(float(labels[kept_share].mean()), 4),
                  "recall_at_threshold": round(float(labels[kept_share].sum() / max(labels.sum(), 1)), 4),
                  "kept_at_threshold": round(float(kept_share.mean()), 4)}
    weights = {str(name): float(w) for name, w in zip(names, coef[:len(names)]) if abs(w) > 1e-6}
    return MentionGate(weights, tuple(float(w) for w in coef[len(names):]), float(model.intercept_[0]), threshold,
                       provenance)


def card_section(gate: MentionGate, command: str) -> str:
    """The mention gate's section of the model card."""
    facts = gate.provenance
    return (f"A logistic model of P(a literal match is a skill mention in its context) over the words around "
            f"the match, its own words and shape, its score, zone and skill type, and the sentence vector; "
            f"fitted by `{command}` on the {facts['matches']:,} literal matches extraction keeps in "
            f"{facts['documents']:,} documents of span-annotated job-ad sentences ({facts['source']}; "
            f"{facts['skill_mentions']:,} overlap an annotated span). C = {facts['C']} by 5-fold cross-validated "
            f"ROC AUC over whole documents ({facts['cross_validated_auc']}), {facts['features']:,} sparse features. "
            f"Matches below {gate.threshold} (more likely wrong than right) yield no evidence; cross-fitted, "
            f"that keeps {facts['kept_at_threshold']:.0%} of the matches and raises their precision from "
            f"{facts['precision_before']} to {facts['precision_at_threshold']} at recall "
            f"{facts['recall_at_threshold']} (a resume's skills list is not judged).")
