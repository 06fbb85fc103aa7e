"""Fitting the statement gate (:mod:`skillmatch.extract.statements`) on span-annotated sentences.

The probe's regularisation is chosen by 5-fold cross-validation (ROC AUC), and its threshold
is the probability that maximises F1 of "states a skill" over cross-fitted predictions on the
same training sentences, so no evaluation sentence steers either.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from skillmatch.errors import DataFileError
from skillmatch.extract.statements import StatementGate

CS = (0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0)


def read_span_sentences(path: str | Path) -> list[tuple[str, bool]]:
    """(sentence, holds an annotated span) from a CoNLL file of ``token<TAB>skill tag<TAB>knowledge tag``
    lines, sentences separated by blank lines (SkillSpan's format)."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(path, f"cannot read the span annotations ({exc})") from exc
    sentences: list[tuple[str, bool]] = []
    tokens: list[str] = []
    tagged = False
    for number, line in enumerate(lines + [""], start=1):
        if not line.strip():
            if tokens:
                sentences.append((" ".join(tokens), tagged))
            tokens, tagged = [], False
            continue
        columns = line.split("\t")
        if len(columns) < 2:
            raise DataFileError(path, "no tags after the token", line=number,
                                    expected="token, skill tag, knowledge tag separated by tabs")
        tokens.append(columns[0])
        tagged = tagged or any(tag != "O" for tag in columns[1:3])
    if not sentences or all(has for _, has in sentences) or not any(has for _, has in sentences):
        raise DataFileError(path, "needs sentences with and without annotated spans to fit the statement gate")
    return sentences


def fit_statement_gate(vectors: np.ndarray, labels: np.ndarray, source: str = "", seed: int = 0) -> StatementGate:
    """The probe over sentence vectors and 0/1 labels (1 = the sentence holds a skill or knowledge span)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import precision_recall_curve, roc_auc_score
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    labels = np.asarray(labels, dtype=int)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
    aucs = {}
    for c in CS:
        predicted = cross_val_predict(LogisticRegression(C=c, max_iter=2000), vectors, labels, cv=folds,
                                      method="predict_proba")[:, 1]
        aucs[c] = (roc_auc_score(labels, predicted), predicted)
    best = max(CS, key=lambda c: aucs[c][0])
    auc, predicted = aucs[best]
    precision, recall, thresholds = precision_recall_curve(labels, predicted)
    f1 = 2 * precision[:-1] * recall[:-1] / np.maximum(precision[:-1] + recall[:-1], 1e-12)
    at = int(np.argmax(f1))
    model = LogisticRegression(C=best, max_iter=2000).fit(vectors, labels)
    provenance = {"sentences": int(len(labels)), "with_spans": int(labels.sum()), "source": source, "C": best,
                  "cross_validated_auc": round(float(auc), 4), "cross_validated_f1": round(float(f1[at]), 4),
                  "precision_at_threshold": round(float(precision[at]), 4),
                  "recall_at_threshold": round(float(recall[at]), 4)}
    return StatementGate(tuple(float(w) for w in model.coef_[0]), float(model.intercept_[0]), float(thresholds[at]),
                         provenance)


def write_card_section(folder: str | Path, gate: StatementGate, command: str) -> None:
    """Put (or replace) the statement gate's section in the model card, before ``## Versions``."""
    card = Path(folder) / "MODEL_CARD.md"
    text = card.read_text(encoding="utf-8") if card.exists() else f"# {Path(folder).name}\n"
    facts = gate.provenance
    section = (f"## Statement gate\n\nA logistic probe on the sentence vector, P(the sentence states a skill or "
               f"knowledge), fitted by `{command}` on {facts['sentences']:,} span-annotated job-ad sentences "
               f"({facts['with_spans']:,} with a span; {facts['source']}). C = {facts['C']} by 5-fold "
               f"cross-validated ROC AUC ({facts['cross_validated_auc']}); threshold {gate.threshold:.3f} = best "
               f"cross-fitted F1 ({facts['cross_validated_f1']}: precision {facts['precision_at_threshold']}, recall "
               f"{facts['recall_at_threshold']}). Sentences below it yield literal matches only (a resume's skills "
               f"list is not judged).\n\n")
    start = text.find("## Statement gate")
    if start >= 0:
        end = text.find("\n## ", start + 1)
        text = text[:start] + text[end + 1 if end >= 0 else len(text):]
    anchor = text.find("## Versions")
    text = text[:anchor] + section + text[anchor:] if anchor >= 0 else text.rstrip("\n") + "\n\n" + section
    card.write_text(text, encoding="utf-8")
