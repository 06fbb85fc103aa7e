"""Candidate retrieval quality: skillmatch vs TF-IDF cosine vs embedding cosine, in one run.

Labelled set: the 166 unique resumes of ../shared/data/resumes/UpdatedResumeDataSet.csv
(25 job categories) and one job description per category written for this benchmark
(benchmarks/data/category_jds.jsonl). A resume is relevant to a JD when its category is the
JD's. Each system ranks all 166 resumes for each JD; we report mean nDCG@10 and P@10.

    python benchmarks/match_quality.py [--data DIR] [--no-blind] [--sweep] [--threshold T] [--out FILE]

Writes benchmarks/results/match_quality.json (or --out).
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).parent / "results" / "match_quality.json"
JDS = Path(__file__).parent / "data" / "category_jds.jsonl"


def load_resumes(data: Path) -> tuple[list[str], list[str]]:
    csv.field_size_limit(sys.maxsize)
    unique: dict[str, str] = {}
    with open(data / "resumes" / "UpdatedResumeDataSet.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            unique.setdefault(row["Resume"], row["Category"])
    return list(unique), list(unique.values())


def ndcg_at(ranked_relevance: list[int], total_relevant: int, k: int = 10) -> float:
    dcg = sum(rel / math.log2(i + 2) for i, rel in enumerate(ranked_relevance[:k]))
    ideal = sum(1 / math.log2(i + 2) for i in range(min(k, total_relevant)))
    return dcg / ideal if ideal else 0.0


def evaluate(rankings: dict[str, list[int]], categories: list[str]) -> dict[str, float]:
    ndcg, precision = [], []
    for category, order in rankings.items():
        relevance = [1 if categories[i] == category else 0 for i in order]
        ndcg.append(ndcg_at(relevance, categories.count(category)))
        precision.append(sum(relevance[:10]) / 10)
    return {"nDCG@10": round(float(np.mean(ndcg)), 4), "P@10": round(float(np.mean(precision)), 4)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=os.environ.get("SKILLMATCH_DATA", "../shared/data"))
    parser.add_argument("--cache-dir", default=None)
    parser.add_argument("--no-blind", action="store_true", help="score without redaction")
    parser.add_argument("--sweep", action="store_true", help="also score variants of the matching config")
    parser.add_argument("--threshold", type=float, default=None,
                        help="extraction threshold for JDs and resumes (default: the one fitted with the model)")
    parser.add_argument("--out", default=str(RESULTS), help="where to write the JSON results")
    args = parser.parse_args()
    from sklearn.feature_extraction.text import TfidfVectorizer

    from skillmatch.extract import SkillExtractor
    from skillmatch.extract.text import make_document
    from skillmatch.match import Matcher, MatchConfig

    data = Path(args.data)
    texts, categories = load_resumes(data)
    jds = [json.loads(line) for line in JDS.read_text(encoding="utf-8").splitlines() if line.strip()]
    extractor = SkillExtractor.from_data(data, cache_dir=args.cache_dir, threshold=args.threshold)
    report = {"benchmark": "match_quality", "date": time.strftime("%Y-%m-%d"), "resumes": len(texts),
              "jds": len(jds), "blind": not args.no_blind, "model": extractor.version,
              "extraction_threshold": extractor.effective_threshold, "systems": {}}

    clean = [make_document(t).text for t in texts]
    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit(clean + [j["text"] for j in jds])
    similarity = (vectorizer.transform([j["text"] for j in jds]) @ vectorizer.transform(clean).T).toarray()
    report["systems"]["baseline: TF-IDF cosine"] = evaluate(
        {j["category"]: list(np.argsort(-similarity[n], kind="stable")) for n, j in enumerate(jds)}, categories)

    started = time.perf_counter()
    resume_vectors = np.vstack([extractor.extract_with_embedding(make_document(t))[1] for t in texts])
    jd_vectors = np.vstack([extractor.extract_with_embedding(make_document(j["text"]))[1] for j in jds])
    embed_seconds = time.perf_counter() - started
    cosine = jd_vectors @ resume_vectors.T
    report["systems"]["baseline: embedding cosine (mean sentence vectors)"] = evaluate(
        {j["category"]: list(np.argsort(-cosine[n], kind="stable")) for n, j in enumerate(jds)}, categories)

    with tempfile.TemporaryDirectory() as folder:
        matcher = Matcher(extractor, folder, blind=not args.no_blind)
        started = time.perf_counter()
        added = matcher.add_resumes(texts, ids=[str(i) for i in range(len(texts))], allow_duplicates=True)
        build_seconds = time.perf_counter() - started
        assert not added.failed, added.failed
        report["skills_per_resume"] = round(matcher.store.info()["skills_indexed"] / len(texts), 1)
        mode = "blind" if not args.no_blind else "not blind"
        shipped = MatchConfig()
        variants = {f"skillmatch ({mode}), shipped config": shipped}
        if args.sweep:
            specific = {"transversal": 0.25, "cross-sector": 0.6, "sector-specific": 1.0, "occupation-specific": 1.0}
            variants.update({
                f"skillmatch ({mode}), text_share 0.3": replace(shipped, skill_share=0.7, text_share=0.3),
                f"skillmatch ({mode}), text_share 0.5": replace(shipped, skill_share=0.5, text_share=0.5),
                f"skillmatch ({mode}), no confidence weighting": replace(shipped, confidence_weighting=False),
                f"skillmatch ({mode}), reuse-level weights": replace(shipped, reuse_weights=specific),
                f"skillmatch ({mode}), reuse-level weights, text_share 0.3":
                    replace(shipped, skill_share=0.7, text_share=0.3, reuse_weights=specific)})
        for name, config in variants.items():
            matcher.config, matcher._aligner = config, None
            rankings, latencies = {}, []
            for jd in jds:
                started = time.perf_counter()
                ranking = matcher.match(jd["text"], top_k=len(texts))
                latencies.append(time.perf_counter() - started)
                ranked = [int(m.id) for m in ranking]
                ranked += [i for i in range(len(texts)) if i not in set(ranked)]  # outside the shortlist: last
                rankings[jd["category"]] = ranked
            report["systems"][name] = evaluate(rankings, categories) | {
                "config": config.fingerprint(), "index_build_seconds": round(build_seconds, 1),
                "match_p50_seconds": round(float(np.median(latencies)), 3)}
    report["embedding_seconds_for_all_documents"] = round(embed_seconds, 1)
    for system, scores in report["systems"].items():
        print(f"{system:<55} nDCG@10 {scores['nDCG@10']:.4f}  P@10 {scores['P@10']:.4f}", flush=True)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
