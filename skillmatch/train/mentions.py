"""Fitting the mention gate (:mod:`skillmatch.extract.mentions`) on span-annotated documents.

The examples are exactly what the gate will judge: every literal match the extractor keeps
(mention gate off) in documents rebuilt from annotated sentences, labelled by whether its words
overlap a span annotators marked as a skill or knowledge. Regularisation is chosen by
cross-validated ROC AUC over folds of whole documents and the threshold is 0.5
(:mod:`skillmatch.train.linear_gate`).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Sequence

import numpy as np

from skillmatch.extract.linear_gate import LinearGate
from skillmatch.extract.mentions import mention_features
from skillmatch.extract.zones import STATED_ZONES
from skillmatch.train.linear_gate import fit_linear_gate
from skillmatch.train.statements import SpanDocument


def mention_examples(extractor, documents: Sequence[SpanDocument]):
    """(features, sentences, labels, document numbers) of every literal match extraction keeps.
    The verdict gate, fitted downstream on what this gate lets through, is off too: a model that
    already has one must not thin out the examples of the gate that feeds it."""
    plain = extractor.variant(replace(extractor.settings, mention_gate=False, verdict_gate=False))
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
                     source: str = "") -> LinearGate:
    """The gate over sparse features and sentence vectors (:func:`fit_linear_gate`)."""
    gate, _ = fit_linear_gate(features, vectors, labels, groups,
                              {"matches": int(len(labels)), "skill_mentions": int(labels.sum()),
                               "documents": int(len(set(groups))), "source": source})
    return gate


def card_section(gate: LinearGate, command: str) -> str:
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
