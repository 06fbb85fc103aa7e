"""Matching quality, out of sample, side by side in one run: skillmatch vs TF-IDF cosine vs
document-embedding cosine vs each of skillmatch's signals alone.

- Category retrieval (candidates for a job): the 166 unique resumes of UpdatedResumeDataSet ×
  one JD per category (benchmarks/data/category_jds.jsonl); relevant = same category; mean
  nDCG@10 and P@5 over the 25 JDs.
- match-panoslin-641 (jobs for a candidate): one resume × 557 deduplicated postings labelled
  apply / don't apply by the candidate; ROC-AUC and average precision of the ranking of the
  postings for the resume (``Matcher.jobs`` direction: each posting is the job).

Three ways to set skillmatch's signal weights, each out of sample: the model's shipped weights
(fitted on the LiveCareer set, benchmarks/fit_match.py); weights fitted on the category set
and evaluated on it by leave-one-JD-out (the weights for a JD never see that JD's labels);
and, for panoslin, the weights fitted on the whole category set. Blind mode is on, as by default.

    python benchmarks/match_quality.py [--data DIR] [--model M] [--profile-cache DIR] [--out FILE]

Writes benchmarks/results/match_quality.json.
"""
from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np

from skillmatch.config import SIGNALS

from results_file import write_results

RESULTS = Path(__file__).parent / "results" / "match_quality.json"


def ranking_metrics(scores: np.ndarray, relevant: np.ndarray) -> dict[str, float]:
    """nDCG@10 and P@5 of one job's ranking (ties broken by input order)."""
    from skillmatch.match.fitting import ndcg_at

    order = np.lexsort((np.arange(len(scores)), -scores))
    relevance = [int(relevant[i]) for i in order]
    return {"nDCG@10": ndcg_at(relevance, int(relevant.sum())), "P@5": sum(relevance[:5]) / 5}


def mean_metrics(per_job: list[dict]) -> dict[str, float]:
    return {key: round(float(np.mean([m[key] for m in per_job])), 4) for key in per_job[0]}


def auc_ap(scores: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    from sklearn.metrics import average_precision_score, roc_auc_score

    return {"AUC": round(float(roc_auc_score(labels, scores)), 4), "AP": round(float(average_precision_score(
        labels, scores)), 4)}


def tfidf(queries: list[str], documents: list[str]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit(documents + queries)
    return (vectorizer.transform(queries) @ vectorizer.transform(documents).T).toarray()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=os.environ.get("SKILLMATCH_DATA", "../shared/data"))
    parser.add_argument("--cache-dir", default=None)
    parser.add_argument("--model", default=None)
    parser.add_argument("--profile-cache", default=None, help="folder to cache profiles between runs")
    parser.add_argument("--out", default=str(RESULTS))
    args = parser.parse_args()

    from matchdata import category_set, panoslin_set, profiles

    from skillmatch.extract import SkillExtractor
    from skillmatch.extract.text import make_document
    from skillmatch.match import Matcher
    from skillmatch.match.scoring import rank

    data = Path(args.data)
    cache = Path(args.profile_cache) if args.profile_cache else None
    extractor = SkillExtractor.from_data(data, model=args.model, cache_dir=args.cache_dir)
    matcher = Matcher(extractor)
    scorer = matcher.scorer
    report = {"benchmark": "match_quality", "date": time.strftime("%Y-%m-%d"), "model": extractor.version,
              "weights": scorer.weights, "ranges": scorer.ranges, "blind": matcher.settings.blind,
              "fitted_on": (extractor.spec.matching or {}).get("provenance", {}).get("fitting_set"),
              "category": {}, "panoslin": {}}

    # category retrieval -----------------------------------------------------------------
    jds, texts, categories = category_set(data)
    started = time.perf_counter()
    resumes = profiles(matcher, texts, "category", cache)
    jobs = [matcher.prepare_job(jd["text"], f"jd-{n}") for n, jd in enumerate(jds)]
    report["category"]["profile_seconds"] = round(time.perf_counter() - started, 1)
    relevant = [np.array([c == jd["category"] for c in categories]) for jd in jds]
    systems: dict[str, list[np.ndarray]] = {
        "baseline: TF-IDF cosine": list(tfidf([jd["text"] for jd in jds], [make_document(t).text for t in texts])),
        "baseline: embedding cosine": [np.array([float(job.profile.vector @ p.vector) for p in resumes])
                                       for job in jobs]}
    ranked, per_signal = [], {k: [] for k in SIGNALS}
    started = time.perf_counter()
    for job in jobs:
        matches = {m.id: m for m in rank(job, resumes, scorer)}
        ranked.append(np.array([matches[p.id].score for p in resumes]))
        for k in SIGNALS:
            per_signal[k].append(np.array([matches[p.id].explanation.signals[k]["raw"] for p in resumes]))
    report["category"]["rank_seconds_per_job"] = round((time.perf_counter() - started) / len(jobs), 3)
    systems["skillmatch (shipped weights, fitted on LiveCareer)"] = ranked
    for k in SIGNALS:
        systems[f"skillmatch signal alone: {k}"] = per_signal[k]
    for name, scores in systems.items():
        report["category"][name] = mean_metrics([ranking_metrics(s, r) for s, r in zip(scores, relevant)])
    from skillmatch.match.fitting import PairTable, fit, normalise

    table = PairTable(np.vstack([np.column_stack([per_signal[k][n] for k in SIGNALS]) for n in range(len(jobs))]),
                      np.concatenate([r.astype(float) for r in relevant]),
                      np.concatenate([np.full(len(resumes), n) for n in range(len(jobs))]))
    category_fit = fit(table)
    report["category"]["skillmatch (weights cross-validated by JD on this set)"] = category_fit["leave_one_job_out"]
    report["category_fit"] = {k: category_fit[k] for k in ("weights", "ranges")}

    # panoslin: jobs for one resume --------------------------------------------------------
    resume_text, postings, labels = panoslin_set(data)
    resume = matcher.profile(resume_text, "panoslin-resume")
    started = time.perf_counter()
    posting_jobs = [matcher.prepare_job(text, f"posting-{n}") for n, text in enumerate(postings)]
    report["panoslin"]["profile_seconds"] = round(time.perf_counter() - started, 1)
    labels_array = np.array(labels)
    matches = [scorer.score(job, resume) for job in posting_jobs]
    panoslin = {"baseline: TF-IDF cosine": tfidf([make_document(resume_text).text],
                                                 [make_document(t).text for t in postings])[0],
                "baseline: embedding cosine": np.array([float(j.profile.vector @ resume.vector) for j in posting_jobs]),
                "skillmatch (shipped weights, fitted on LiveCareer)": np.array([m.score for m in matches])}
    raw = np.array([[m.explanation.signals[k]["raw"] for k in SIGNALS] for m in matches])
    weights = np.array([category_fit["weights"][k] for k in SIGNALS])
    panoslin["skillmatch (weights fitted on the category set)"] = normalise(raw, category_fit["ranges"]) @ weights
    for k in SIGNALS:
        panoslin[f"skillmatch signal alone: {k}"] = np.array([m.explanation.signals[k]["raw"] for m in matches])
    for name, scores in panoslin.items():
        report["panoslin"][name] = auc_ap(scores, labels_array)
    report["panoslin"]["postings"] = len(postings)
    report["panoslin"]["relevant"] = int(labels_array.sum())

    for part in ("category", "panoslin"):
        for name, value in report[part].items():
            if isinstance(value, dict):
                print(f"{part:<9} {name:<45} " + "  ".join(f"{k} {v:.4f}" for k, v in value.items()), flush=True)
    write_results(args.out, report)


if __name__ == "__main__":
    main()
