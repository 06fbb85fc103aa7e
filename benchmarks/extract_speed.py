"""Extraction speed on this machine's cores: cold start, ranking throughput, documents per second.

Side by side in one run:
- cold start of the whole `skillmatch extract` process on a one-line JD (warm caches), with
  the ONNX back-end (default) and the torch back-end (the inference path before ONNX), plus
  an in-process breakdown of where the ONNX start-up goes;
- sentence ranking (SkillSpan dev job-ad sentences) with the shipped extractor on ONNX and on
  torch, the encoder + FAISS alone, any extra model (e.g. the static student models/fast),
  and the TF-IDF baseline; each ranker's RP@5 / MRR on the TECH + HOUSE validation sets
  (ESCO skills, the model's own calibration) beside its speed, so a faster path shows what
  it costs in quality;
- whole-document extraction of real one-page Indeed postings.

    python benchmarks/extract_speed.py [--data DIR] [--sentences 2000] [--documents 100] \
        [--compare-model models/fast]

Writes benchmarks/results/extract_speed.json.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from skillmatch.train.corpus import conll_sentences

from results_file import write_results

RESULTS = Path(__file__).parent / "results" / "extract_speed.json"
VALIDATION = {"TECH": "tech_validation.jsonl", "HOUSE": "house_validation.jsonl"}

BREAKDOWN = """
import json, sys, time
marks = [("start", time.perf_counter())]
from skillmatch.extract import SkillExtractor
from skillmatch.ontology import load_taxonomy
marks.append(("import skillmatch", time.perf_counter()))
taxonomy = load_taxonomy(sys.argv[1])
marks.append(("knowledge base (cache)", time.perf_counter()))
extractor = SkillExtractor(taxonomy)
extractor.encoder.dimension
marks.append(("encoder (ONNX session)", time.perf_counter()))
extractor.space
marks.append(("skill space (vectors + FAISS)", time.perf_counter()))
extractor.literal_matcher
marks.append(("label matcher", time.perf_counter()))
extractor.lexical_scorer
marks.append(("lexical scorer", time.perf_counter()))
extractor.extract("We need a Python developer with SQL.")
marks.append(("first extraction", time.perf_counter()))
print(json.dumps({b[0]: round(b[1] - a[1], 3) for a, b in zip(marks, marks[1:])}))
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


def user_environment(**overrides: str) -> dict[str, str]:
    """This process's environment with bytecode caching on, as an installed package has it:
    with PYTHONDONTWRITEBYTECODE set, every start compiles skillmatch's modules again."""
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    return {**environment, **overrides}


def cpu_name() -> str:
    """The processor's model name (the int8 kernels and the speed rows depend on it)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            return next((line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")), "")
    except OSError:
        return platform.processor()


def cold_starts(command: list[str], runs: int) -> dict:
    """Whole-process wall time of ``command``: one warm-up (fills caches, writes bytecode), then ``runs``."""
    environment = user_environment()
    subprocess.run(command, check=True, capture_output=True, env=environment)
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=environment)
        seconds.append(round(time.perf_counter() - started, 3))
    return {"median_seconds": statistics.median(seconds), "runs": seconds}


def validation_quality(extractor, data: Path) -> dict:
    from skillmatch.extract.evaluation import load_validation, score_rankings

    esco = extractor.variant(kinds=("skill",))
    quality = {}
    for name, file in VALIDATION.items():
        items = load_validation(data / "benchmarks" / "skill-extraction-val" / file)
        rankings = [[r.uri for r in ranked] for ranked in esco.rank([i.sentence for i in items], 100)]
        scores = score_rankings(rankings, items)
        quality[name] = {"RP@5": scores["RP@5"], "MRR": scores["MRR"]}
    return quality


def ranking(extractor, sentences: list[str], data: Path) -> dict:
    extractor.prepare()
    extractor.rank(sentences[:64], 10)  # warm-up
    _, seconds = timed(extractor.rank, sentences, 10)
    return {"sentences_per_second": round(len(sentences) / seconds, 1), "validation": validation_quality(extractor, data)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=os.environ.get("SKILLMATCH_DATA", "../shared/data"))
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument("--cold-runs", type=int, default=5)
    parser.add_argument("--compare-model", action="append", default=[], help="another model folder, side by side")
    parser.add_argument("--out", default=str(RESULTS))
    args = parser.parse_args()
    data = Path(args.data)
    from skillmatch.config import ExtractionConfig
    from skillmatch.extract import SkillExtractor
    from skillmatch.extract.lexical import LexicalSkillScorer

    cli = shutil.which("skillmatch", path=str(Path(sys.executable).parent)) or "skillmatch"
    results: dict = {}
    with tempfile.TemporaryDirectory() as folder:
        jd = Path(folder) / "jd.txt"
        jd.write_text("We are hiring a data analyst with Python and SQL.\n", encoding="utf-8")
        torch_config = Path(folder) / "torch.toml"
        torch_config.write_text('[extraction]\nbackend = "torch"\n', encoding="utf-8")
        base = [cli, "extract", str(jd), "--data", str(data)]
        results["cold start: skillmatch extract (ONNX)"] = cold_starts(base, args.cold_runs)
        results["cold start: skillmatch extract (torch)"] = cold_starts(
            base + ["--config", str(torch_config)], args.cold_runs)
    breakdown = subprocess.run([sys.executable, "-c", BREAKDOWN, str(data)], check=True, capture_output=True,
                               text=True, env=user_environment())
    results["cold start breakdown (ONNX, in process, seconds)"] = json.loads(breakdown.stdout.strip().splitlines()[-1])

    sentences = skillspan_sentences(data, args.sentences)
    extractor = SkillExtractor.from_data(data)
    results[f"rank: {extractor.spec.name} (ONNX)"] = ranking(extractor, sentences, data)
    torch_path = extractor.variant(config=ExtractionConfig(backend="torch"))
    results[f"rank: {extractor.spec.name} (torch)"] = ranking(torch_path, sentences, data)
    results[f"rank: {extractor.spec.name} encoder + FAISS only (ONNX)"] = ranking(
        extractor.variant(sources=("semantic",)), sentences, data)
    for folder in args.compare_model:
        other = SkillExtractor(extractor.taxonomy, model=folder)
        results[f"rank: {other.spec.name}"] = ranking(other, sentences, data)
    lexical = LexicalSkillScorer().fit(extractor.taxonomy)
    _, seconds = timed(lexical.similarity, sentences)
    results["rank: baseline TF-IDF"] = {"sentences_per_second": round(len(sentences) / seconds, 1)}

    documents = postings(data, args.documents)
    # with and without the statement, mention and verdict gates, alternating, best of two rounds
    # each: what the gates cost, apart from the machine's drift
    ungated = extractor.variant(statements=None, mentions=None, verdicts=None)
    rounds = {"gated": [], "ungated": []}
    for _ in range(2):
        for name, each in (("gated", extractor), ("ungated", ungated)):
            results_of_round, seconds = timed(lambda: [each.extract(d) for d in documents])
            rounds[name].append(seconds)
            if name == "gated":
                extracted = results_of_round
    seconds = min(rounds["gated"])
    total_sentences = sum(r.sentence_count for r in extracted)
    results["extract: 1-page JDs, without the statement, mention and verdict gates (ONNX)"] = {
        "documents_per_second": round(len(documents) / min(rounds["ungated"]), 2)}
    results["extract: 1-page JDs (ONNX)"] = {
        "documents_per_second": round(len(documents) / seconds, 2),
        "sentences_per_second": round(total_sentences / seconds, 1),
        "mean_characters": round(sum(map(len, documents)) / len(documents)),
        "mean_sentences": round(total_sentences / len(documents), 1),
        "mean_skills": round(sum(len(r.skills) for r in extracted) / len(documents), 1)}
    from skillmatch.match import Matcher

    matcher = Matcher(extractor)
    matcher.prepare_job(documents[0])  # warm-up: the matcher's own tables load once
    preparation = []
    for document in documents:
        _, seconds = timed(matcher.prepare_job, document)
        preparation.append(seconds)
    results["JD preparation for matching: 1-page JDs (extraction, requirements, terms, occupation; blind)"] = {
        "p50_ms": round(1000 * statistics.median(preparation), 1),
        "p95_ms": round(1000 * sorted(preparation)[int(0.95 * (len(preparation) - 1))], 1)}
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    words = sum(len(s.split()) for s in sentences)
    report = {"benchmark": "extract_speed", "date": time.strftime("%Y-%m-%d"),
              "command": "python benchmarks/extract_speed.py " + " ".join(
                  [f"--compare-model {m}" for m in args.compare_model]
                  + [f"--sentences {args.sentences} --documents {args.documents} --cold-runs {args.cold_runs}"]),
              "machine": {"cpus": os.cpu_count(), "cpu": cpu_name(), "python": platform.python_version()},
              "model": extractor.version, "sentences": len(sentences),
              "sentences_source": "skillspan/skillspan_{house,tech}_dev.conll",
              "documents_source": "jobposts/indeed_data_science_postings.csv",
              "mean_words_per_sentence": round(words / len(sentences), 1), "documents": len(documents),
              "results": results}
    write_results(args.out, report)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
