"""Fitting the statement gate (:mod:`skillmatch.extract.statements`) on span-annotated sentences.

The probe's regularisation (and the weight of word features against the sentence vector) is
chosen by 5-fold cross-validation (ROC AUC), and its threshold
is the probability that maximises F1 of "states a skill" over cross-fitted predictions on the
same training sentences, so no evaluation sentence steers either.
"""
from __future__ import annotations

from pathlib import Path
from typing import NamedTuple, Sequence

import numpy as np

from skillmatch.errors import DataFileError
from skillmatch.extract.statements import StatementGate, sentence_terms

CS = (0.3, 1.0, 3.0, 10.0, 30.0)
TERM_SCALES = (0.3, 1.0)  # the term features' weight against the vector's (unit vector, 384 small values)
MIN_TERM_SENTENCES = 2  # a term seen in one training sentence teaches nothing


class SpanDocument(NamedTuple):
    """Annotated sentences joined into one text, as a document reaches the extractor."""

    text: str
    spans: tuple[tuple[int, int], ...]  # annotated skill or knowledge spans (characters of text)
    sentences: tuple[tuple[int, int], ...]  # where each annotated sentence lies in text


def read_span_documents(path: str | Path, size: int = 10) -> list[SpanDocument]:
    """Documents of ``size`` consecutive sentences from a CoNLL file of ``token<TAB>skill
    tag<TAB>knowledge tag`` lines, sentences separated by blank lines (SkillSpan's format);
    tokens joined by spaces, sentences by newlines (zones and sentence splitting then see text
    shaped like a posting, not one sentence at a time)."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(path, f"cannot read the span annotations ({exc})") from exc
    sentences: list[list[tuple[str, str]]] = []
    tokens: list[tuple[str, str]] = []
    for number, line in enumerate(lines + [""], start=1):
        if not line.strip():
            if tokens:
                sentences.append(tokens)
            tokens = []
            continue
        columns = line.split("\t")
        if len(columns) < 2:
            raise DataFileError(path, "no tags after the token", line=number,
                                expected="token, skill tag, knowledge tag separated by tabs")
        skill, knowledge = (columns[1:3] + ["O"])[:2]
        tokens.append((columns[0], skill if skill != "O" else knowledge))
    documents = []
    for first in range(0, len(sentences), size):
        text, spans, bounds = "", [], []
        for sentence in sentences[first:first + size]:
            sentence_start, open_span = len(text), None
            for position, (token, tag) in enumerate(sentence):
                text += " " if position else ""
                token_start = len(text)
                text += token
                if tag.startswith("B-") or (tag.startswith("I-") and open_span is None):
                    if open_span is not None:
                        spans.append(tuple(open_span))
                    open_span = [token_start, len(text)]
                elif tag.startswith("I-"):
                    open_span[1] = len(text)
                elif open_span is not None:
                    spans.append(tuple(open_span))
                    open_span = None
            if open_span is not None:
                spans.append(tuple(open_span))
            bounds.append((sentence_start, len(text)))
            text += "\n"
        documents.append(SpanDocument(text, tuple(spans), tuple(bounds)))
    return documents


def read_span_sentences(path: str | Path) -> list[tuple[str, bool]]:
    """(sentence, holds an annotated span) for each sentence of a CoNLL file (see
    :func:`read_span_documents`)."""
    sentences = [(document.text[start:end], any(start <= s < end for s, _ in document.spans))
                 for document in read_span_documents(path) for start, end in document.sentences]
    if not sentences or all(has for _, has in sentences) or not any(has for _, has in sentences):
        raise DataFileError(path, "needs sentences with and without annotated spans to fit the statement gate")
    return sentences


def fit_statement_gate(vectors: np.ndarray, labels: np.ndarray, texts: Sequence[str], source: str = "",
                       seed: int = 0) -> StatementGate:
    """The probe over sentence vectors, the sentences' terms and 0/1 labels (1 = the sentence
    holds a skill or knowledge span). C and the weight of the term features against the
    vector's are chosen together by cross-validated AUC."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import precision_recall_curve, roc_auc_score
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    labels = np.asarray(labels, dtype=int)
    terms = CountVectorizer(analyzer=sentence_terms, min_df=MIN_TERM_SENTENCES, binary=True, dtype=np.float64)
    counts = terms.fit_transform(texts)
    vectors = csr_matrix(np.asarray(vectors, dtype=np.float64))
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
    results = {}
    for scale in TERM_SCALES:
        matrix = hstack([vectors, counts * scale]).tocsr()
        for c in CS:
            predicted = cross_val_predict(LogisticRegression(C=c, max_iter=3000), matrix, labels, cv=folds,
                                          method="predict_proba")[:, 1]
            results[scale, c] = (roc_auc_score(labels, predicted), predicted)
    scale, best = max(results, key=lambda key: results[key][0])
    auc, predicted = results[scale, best]
    precision, recall, thresholds = precision_recall_curve(labels, predicted)
    f1 = 2 * precision[:-1] * recall[:-1] / np.maximum(precision[:-1] + recall[:-1], 1e-12)
    at = int(np.argmax(f1))
    model = LogisticRegression(C=best, max_iter=3000).fit(hstack([vectors, counts * scale]).tocsr(), labels)
    dimension = vectors.shape[1]
    coef = model.coef_[0]
    provenance = {"sentences": int(len(labels)), "with_spans": int(labels.sum()), "source": source, "C": best,
                  "term_scale": scale, "terms": int(len(terms.vocabulary_)),
                  "cross_validated_auc": round(float(auc), 4), "cross_validated_f1": round(float(f1[at]), 4),
                  "precision_at_threshold": round(float(precision[at]), 4),
                  "recall_at_threshold": round(float(recall[at]), 4)}
    term_weights = {term: float(coef[dimension + column]) * scale for term, column in terms.vocabulary_.items()}
    return StatementGate(tuple(float(w) for w in coef[:dimension]), float(model.intercept_[0]), float(thresholds[at]),
                         provenance, term_weights)


def card_section(gate: StatementGate, command: str) -> str:
    """The statement gate's section of the model card."""
    facts = gate.provenance
    return (f"A logistic probe on the sentence vector and the sentence's words and word pairs "
            f"({facts['terms']:,} seen in at least {MIN_TERM_SENTENCES} sentences, weighted {facts['term_scale']} "
            f"against the vector), P(the sentence states a skill or knowledge), fitted by "
            f"`{command}` on {facts['sentences']:,} span-annotated job-ad sentences ({facts['with_spans']:,} with a "
            f"span; {facts['source']}). C = {facts['C']} and the term weight by 5-fold cross-validated ROC AUC "
            f"({facts['cross_validated_auc']}); threshold {gate.threshold:.3f} = best cross-fitted F1 "
            f"({facts['cross_validated_f1']}: precision {facts['precision_at_threshold']}, recall "
            f"{facts['recall_at_threshold']}). Sentences below it yield literal matches only (a resume's skills "
            f"list is not judged).")
