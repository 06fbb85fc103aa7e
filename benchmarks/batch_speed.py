"""Batch scoring throughput and where the time goes: local 1 worker, local 2 workers, Dask 2 workers.

Resumes are the 166 unique real resumes of `resumes/UpdatedResumeDataSet.csv`, replicated to
the requested size with light perturbation (lines rotated, a line added) so no two are
identical; each is scored against 2 of the category JDs (benchmarks/data/category_jds.jsonl)
in blind mode. Side by side in one run: the engines, rows compared between them (identical
scores expected), peak memory of the largest worker, and a per-stage breakdown (read,
redact, split, encode, candidate gathering, the rest of profiling, score, write) measured in
one process with one thread, each stage's exclusive time.

    python benchmarks/batch_speed.py [--data DIR] [--sizes 500] [--breakdown 100]

Writes benchmarks/results/batch_speed.json.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).parent
RESULTS = HERE / "results" / "batch_speed.json"
sys.path.insert(0, str(HERE))

from matchdata import category_set  # noqa: E402

from skillmatch.batch import Job, score  # noqa: E402
from skillmatch.config import BatchConfig, SkillmatchConfig  # noqa: E402
from results_file import write_results  # noqa: E402

CONFIGS = (("local, 1 worker", "local", 1), ("local, 2 workers", "local", 2),
           ("dask LocalCluster, 2 workers", "dask", 2))


def write_inputs(texts: list[str], size: int, path: Path) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        for i in range(size):
            lines = texts[i % len(texts)].splitlines()
            shift = (i // len(texts)) % max(len(lines), 1)
            perturbed = "\n".join(lines[shift:] + lines[:shift] + [f"Reference {i}."])
            handle.write(json.dumps({"id": f"r{i}", "text": perturbed}) + "\n")


class StageClock:
    """Exclusive wall time per stage: a stage called inside another is not counted twice."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._stack: list[list[float]] = []

    def wrap(self, owner, attribute: str, stage: str) -> None:
        function = getattr(owner, attribute)

        def timed(*args, **kwargs):
            self._stack.append([time.perf_counter(), 0.0])
            try:
                return function(*args, **kwargs)
            finally:
                started, nested = self._stack.pop()
                spent = time.perf_counter() - started
                self.seconds[stage] = self.seconds.get(stage, 0.0) + spent - nested
                if self._stack:
                    self._stack[-1][1] += spent

        setattr(owner, attribute, timed)

    def stage(self, name: str, function, *args):
        holder = type("Holder", (), {"call": staticmethod(function)})
        self.wrap(holder, "call", name)
        return holder.call(*args)


def stage_breakdown(config: SkillmatchConfig, inputs: Path, jobs: list[Job], limit: int, folder: Path) -> dict:
    """Seconds per resume for each stage of scoring ``limit`` resumes in this process, one thread."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    import skillmatch.match.scoring as match_scoring
    from skillmatch.batch.inputs import iter_resumes
    from skillmatch.batch.scoring import _worker_matcher, score_partition

    # the worker's own matcher (the one score_partition uses), so its parts are the ones timed
    matcher = _worker_matcher(config.replace(extraction=replace(config.extraction, threads=1)))
    extractor = matcher.extractor
    clock = StageClock()
    clock.wrap(matcher.active_redactor(), "redact", "redact")
    clock.wrap(extractor.sentence_splitter, "split", "split")
    clock.wrap(extractor.encoder, "encode", "encode")
    clock.wrap(extractor, "candidates", "candidates (FAISS, literal, lexical)")
    clock.wrap(matcher.profiler, "profile", "profile (zones, thresholding, terms, occupations)")
    original_rank = match_scoring.rank
    clock.wrap(match_scoring, "rank", "score")
    try:
        items = clock.stage("read", lambda: [item for item, _ in zip(iter_resumes(inputs), range(limit))])
        score_partition(items[:2], jobs, config)  # warm-up: the JDs are prepared once per partition
        clock.seconds = {"read": clock.seconds["read"]}
        started = time.perf_counter()
        rows = score_partition(items, jobs, config)
        total = time.perf_counter() - started
        clock.stage("write", lambda: pq.write_table(pa.Table.from_pylist(
            [dict(r, explanation=json.dumps(r["explanation"])) for r in rows]), folder / "breakdown.parquet"))
    finally:
        match_scoring.rank = original_rank
    per_resume = {stage: round(1000 * seconds / len(items), 2) for stage, seconds in clock.seconds.items()}
    return {"resumes": len(items), "ms_per_resume": per_resume,
            "resumes_per_second_one_core": round(len(items) / total, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=os.environ.get("SKILLMATCH_DATA", "../shared/data"))
    parser.add_argument("--sizes", type=int, nargs="+", default=[500])
    parser.add_argument("--breakdown", type=int, default=100, help="resumes for the per-stage breakdown")
    parser.add_argument("--engines", nargs="+", default=[f"{e}-{w}" for _, e, w in CONFIGS],
                        choices=[f"{e}-{w}" for _, e, w in CONFIGS], help="configurations to run (default: all)")
    parser.add_argument("--out", default=str(RESULTS), help="where to write the JSON results")
    args = parser.parse_args()
    jds, texts, _ = category_set(Path(args.data))
    jobs = [Job(record["category"], record["text"]) for record in jds[:2]]
    config = SkillmatchConfig(data=args.data)
    report = {"benchmark": "batch_speed", "date": time.strftime("%Y-%m-%d"), "cpus": os.cpu_count(),
              "command": "python benchmarks/batch_speed.py --sizes " + " ".join(map(str, args.sizes)),
              "jobs_per_resume": len(jobs), "blind": config.matching.blind, "results": []}
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        for size in args.sizes:
            inputs = folder / f"resumes-{size}.jsonl"
            write_inputs(texts, size, inputs)
            if args.breakdown and "stages" not in report:
                report["stages"] = stage_breakdown(config, inputs, jobs, args.breakdown, folder)
                print(json.dumps(report["stages"]), flush=True)
            outputs = {}
            for name, engine, workers in CONFIGS:
                if f"{engine}-{workers}" not in args.engines:
                    continue
                out = folder / f"out-{size}-{engine}-{workers}.jsonl"
                run = config.replace(batch=BatchConfig(engine=engine, workers=workers))
                batch = score(jobs, inputs, out, run, progress=False)
                outputs[name] = [(r["resume_id"], r["job_id"], r["score"]) for r in
                                 map(json.loads, out.read_text(encoding="utf-8").splitlines())]
                row = {"resumes": size, "config": name, "seconds": batch.seconds,
                       "resumes_per_second": round(size / batch.seconds, 2),
                       "resumes_per_second_per_core": round(size / batch.seconds / min(workers, os.cpu_count()), 2),
                       "rows": batch.rows, "error_rows": batch.errors,
                       "peak_rss_mb_main": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                       "peak_rss_mb_largest_worker": round(
                           resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)}
                report["results"].append(row)
                print(json.dumps(row), flush=True)
            first = next(iter(outputs.values()), None)
            report.setdefault("rows_identical_across_engines", {})[str(size)] = all(
                rows == first for rows in outputs.values())
            write_report(Path(args.out), report)  # a killed run keeps what finished


def write_report(path: Path, report: dict) -> None:
    best = max(r["resumes_per_second_per_core"] for r in report["results"])
    report["estimate_1M"] = {
        "per_core_resumes_per_second": best, "core_hours_for_1M_resumes": round(1_000_000 / best / 3600, 1),
        "note": "linear extrapolation from the best measured per-core rate; each worker holds its own model copy "
                "(peak_rss_mb_largest_worker); the scheduler only moves partitions of ids and texts"}
    write_results(path, report)


if __name__ == "__main__":
    main()
