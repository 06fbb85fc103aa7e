"""Batch scoring throughput: local 1 worker vs local 2 workers vs Dask LocalCluster 2 workers.

Resumes are the 166 unique real resumes of UpdatedResumeDataSet, replicated to the requested
size with light perturbation (sentence order rotated, a line added) so no two are identical;
each is scored against 2 of the benchmark JDs. Peak memory is the largest process (main or
worker). From the measured rate, an estimate of what 1M resumes need on a cluster.

    python benchmarks/batch_speed.py [--data DIR] [--sizes 1000 10000]

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
from pathlib import Path

HERE = Path(__file__).parent
RESULTS = HERE / "results" / "batch_speed.json"
sys.path.insert(0, str(HERE))

from match_quality import JDS, load_resumes  # noqa: E402

from skillmatch.batch import BatchSettings, Job, score  # noqa: E402

CONFIGS = (("local, 1 worker", "local", 1), ("local, 2 workers", "local", 2), ("dask LocalCluster, 2 workers", "dask", 2))


def write_inputs(texts: list[str], size: int, path: Path) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        for i in range(size):
            lines = texts[i % len(texts)].splitlines()
            shift = (i // len(texts)) % max(len(lines), 1)
            perturbed = "\n".join(lines[shift:] + lines[:shift] + [f"Reference {i}."])
            handle.write(json.dumps({"id": f"r{i}", "text": perturbed}) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=os.environ.get("SKILLMATCH_DATA", "../shared/data"))
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--engines", nargs="+", default=[f"{e}-{w}" for _, e, w in CONFIGS],
                        choices=[f"{e}-{w}" for _, e, w in CONFIGS], help="configurations to run (default: all)")
    parser.add_argument("--out", default=str(RESULTS), help="where to write the JSON results")
    args = parser.parse_args()
    texts, _ = load_resumes(Path(args.data))
    jobs = [Job(record["category"], record["text"]) for record in
            (json.loads(line) for line in JDS.read_text(encoding="utf-8").splitlines()[:2])]
    settings = BatchSettings(data=args.data, blind=True)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            inputs = Path(folder) / f"resumes-{size}.jsonl"
            write_inputs(texts, size, inputs)
            for name, engine, workers in CONFIGS:
                if f"{engine}-{workers}" not in args.engines:
                    continue
                out = Path(folder) / f"out-{size}-{engine}-{workers}.parquet"
                report = score(jobs, inputs, out, workers=workers, engine=engine, settings=settings,
                               partition_size=32, progress=False)
                row = {"resumes": size, "config": name, "seconds": report.seconds,
                       "resumes_per_second": round(size / report.seconds, 2), "rows": report.rows,
                       "error_rows": report.errors,
                       "peak_rss_mb_main": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                       "peak_rss_mb_largest_worker": round(
                           resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)}
                rows.append(row)
                print(json.dumps(row), flush=True)
                write_report(Path(args.out), rows, len(jobs))  # a killed run keeps what finished


def write_report(path: Path, rows: list[dict], jobs: int) -> None:
    best_per_core = max(r["resumes_per_second"] / (2 if "2" in r["config"] else 1) for r in rows)
    estimate = {"per_core_resumes_per_second": round(best_per_core, 2),
                "core_hours_for_1M_resumes": round(1_000_000 / best_per_core / 3600, 1),
                "hours_on_100_cores": round(1_000_000 / best_per_core / 3600 / 100, 2),
                "note": "linear extrapolation from the best measured per-core rate; each worker holds its own model "
                        "copy (see peak_rss_mb_largest_worker), the scheduler only moves partitions of ids/texts"}
    report = {"benchmark": "batch_speed", "date": time.strftime("%Y-%m-%d"), "cpus": os.cpu_count(),
              "jobs_per_resume": jobs, "results": rows, "estimate_1M": estimate}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
