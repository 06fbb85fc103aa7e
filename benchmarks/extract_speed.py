"""Extraction speed on 2 CPU cores: ranking throughput, documents per second, cold start, RSS.

Side by side in one run: the shipped extractor (encoder + FAISS + literal + lexical signals),
the bare zero-shot encoder + FAISS ranker, and the TF-IDF baseline. Sentences are SkillSpan
dev job-ad sentences; documents are real 1-page Indeed postings.

    python benchmarks/extract_speed.py [--data DIR] [--sentences 2000] [--documents 100]

Writes benchmarks/results/extract_speed.json.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

from skillmatch.train.corpus import conll_sentences

RESULTS = Path(__file__).parent / "results" / "extract_speed.json"

COLD_START = """
import resource, sys, time
start = time.perf_counter()
from skillmatch.extract import SkillExtractor
extractor = SkillExtractor.from_data(sys.argv[1], cache_dir=sys.argv[2] or None, model=sys.argv[3] or None)
extractor.extract("Warm-up: Python and SQL.")
print(round(time.perf_counter() - start, 3), round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1))
"""


def skillspan_sentences(data: Path, limit: int) -> list[str]:
    sentences = [s for name in ("skillspan_house_dev.conll", "skillspan_tech_dev.conll")
                 for s in conll_sentences(data / "skillspan" / name)]
    return sentences[:limit]


def postings(data: Path, limit: int) -> list[str]:
    csv.field_size_limit(sys.maxsize)
    with open(data / "jobposts" / "indeed_data_science_postings.csv", encoding="utf-8") as handle:
        return [row["body"] for row, _ in zip(csv.DictReader(handle), range(limit))]


def timed(function, *args):
    started = time.perf_counter()
    value = function(*args)
    return value, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=os.environ.get("SKILLMATCH_DATA", "../shared/data"))
    parser.add_argument("--cache-dir", default=os.environ.get("SKILLMATCH_CACHE", ""))
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument("--model", default=None, help="model folder (default: models/default)")
    parser.add_argument("--out", default=str(RESULTS))
    parser.add_argument("--compare-model", default=None, help="another model folder to rank with, side by side")
    args = parser.parse_args()
    data = Path(args.data)
    from skillmatch.extract import SkillExtractor
    from skillmatch.extract.lexical import LexicalSkillScorer

    # cold start first, in fresh processes, once caches exist (the first call builds them)
    subprocess.run([sys.executable, "-c", COLD_START, str(data), args.cache_dir, args.model or ""], check=True,
                   capture_output=True)
    cold = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", COLD_START, str(data), args.cache_dir, args.model or ""],
                             check=True, capture_output=True, text=True)
        seconds, rss = out.stdout.split()
        cold.append({"seconds": float(seconds), "peak_rss_mb": float(rss)})

    extractor = SkillExtractor.from_data(data, cache_dir=args.cache_dir or None, model=args.model)
    sentences = skillspan_sentences(data, args.sentences)
    documents = postings(data, args.documents)
    words = sum(len(s.split()) for s in sentences)
    extractor.rank(sentences[:64], 10)  # warm-up
    results = {"cold_start": min(cold, key=lambda r: r["seconds"]) | {"runs": [c["seconds"] for c in cold]}}
    _, seconds = timed(extractor.rank, sentences, 10)
    results["rank: skillmatch default"] = {"sentences_per_second": round(len(sentences) / seconds, 1)}
    bare = SkillExtractor(extractor.taxonomy, cache_dir=args.cache_dir or None, use_literal=False, use_lexical=False,
                          skill_text="label", encoder=extractor.encoder)
    _ = bare.index
    _, seconds = timed(bare.rank, sentences, 10)
    results["rank: zero-shot encoder + FAISS only"] = {"sentences_per_second": round(len(sentences) / seconds, 1)}
    if args.compare_model:
        other = SkillExtractor(extractor.taxonomy, model=args.compare_model, cache_dir=args.cache_dir or None)
        other.prepare()
        other.rank(sentences[:64], 10)
        _, seconds = timed(other.rank, sentences, 10)
        results[f"rank: {other.version}"] = {"sentences_per_second": round(len(sentences) / seconds, 1)}
    lexical = LexicalSkillScorer().fit(extractor.taxonomy)
    _, seconds = timed(lexical.similarity, sentences)
    results["rank: baseline TF-IDF"] = {"sentences_per_second": round(len(sentences) / seconds, 1)}
    extracted, seconds = timed(lambda: [extractor.extract(d) for d in documents])
    total_sentences = sum(r.sentences for r in extracted)
    results["extract: 1-page JDs"] = {
        "documents_per_second": round(len(documents) / seconds, 2),
        "sentences_per_second": round(total_sentences / seconds, 1),
        "mean_characters": round(sum(map(len, documents)) / len(documents)),
        "mean_sentences": round(total_sentences / len(documents), 1),
        "mean_skills": round(sum(len(r.skills) for r in extracted) / len(documents), 1)}
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    import torch

    report = {"benchmark": "extract_speed", "date": time.strftime("%Y-%m-%d"),
              "machine": {"cpus": os.cpu_count(), "torch_threads": torch.get_num_threads(),
                          "python": platform.python_version()},
              "model": extractor.version, "sentences": len(sentences), "mean_words_per_sentence":
              round(words / len(sentences), 1), "documents": len(documents), "results": results}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
