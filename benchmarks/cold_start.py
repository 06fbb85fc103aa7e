"""Cold start of `skillmatch extract` side by side: versions of the code, and package overlays.

    python benchmarks/cold_start.py --arm "before=git:3b7961c" --arm "after=." \
        --arm "after, typer 0.29.2=.+typer==0.29.2" [--rounds 9] [--data DIR]

Each arm runs `python -m skillmatch.cli extract jd.txt --data DIR` on a one-line JD with its
code first on PYTHONPATH: `.` is this checkout, `git:REV` a `git archive` of REV, and
`+package==version` overlays packages installed without their dependencies into a folder of
their own, ahead of the environment's. Every arm runs once first (it builds its caches and
writes its bytecode); then each round runs every arm, whole process and the in-process
breakdown of `extract_speed.py`, in turn, so the machine's drift falls on all arms alike.

Bytecode is written and read whatever PYTHONDONTWRITEBYTECODE says: an installed package has
its bytecode, and compiling skillmatch's modules at every start (about 80 ms) is not a wait a
user has.

Writes benchmarks/results/cold_start.json.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from extract_speed import BREAKDOWN, cpu_name, user_environment
from results_file import write_results

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).parent / "results" / "cold_start.json"


def prepare_arm(spec: str, folder: Path) -> list[str]:
    """The PYTHONPATH entries of one arm, ``code[+package==version...]``."""
    code, *packages = spec.split("+")
    if code == ".":
        tree = ROOT
    elif code.startswith("git:"):
        tree = folder / "tree"
        tree.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", code[4:], "skillmatch", "models"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    else:
        raise SystemExit(f"--arm: unknown code {code!r} (expected '.' or 'git:REV')")
    paths = [str(tree)]
    if packages:
        overlay = folder / "overlay"
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(overlay),
                        *packages], check=True)
        paths.insert(0, str(overlay))
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--arm", action="append", required=True, metavar="LABEL=SPEC")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--data", default=os.environ.get("SKILLMATCH_DATA", "../shared/data"))
    parser.add_argument("--out", default=str(RESULTS))
    args = parser.parse_args()
    arms = dict(arm.split("=", 1) for arm in args.arm)
    with tempfile.TemporaryDirectory() as scratch:
        jd = Path(scratch) / "jd.txt"
        jd.write_text("We are hiring a data analyst with Python and SQL.\n", encoding="utf-8")
        environments = {}
        for number, (label, spec) in enumerate(arms.items()):
            folder = Path(scratch) / f"arm{number}"
            folder.mkdir()
            environments[label] = user_environment(PYTHONPATH=os.pathsep.join(prepare_arm(spec, folder)))
        command = [sys.executable, "-m", "skillmatch.cli", "extract", str(jd), "--data", args.data]
        for label, environment in environments.items():  # caches and bytecode, once per arm
            subprocess.run(command, check=True, capture_output=True, env=environment, cwd=scratch)
        seconds = {label: [] for label in arms}
        parts = {label: [] for label in arms}
        for _ in range(args.rounds):
            for label, environment in environments.items():
                started = time.perf_counter()
                subprocess.run(command, check=True, capture_output=True, env=environment, cwd=scratch)
                seconds[label].append(round(time.perf_counter() - started, 3))
                breakdown = subprocess.run([sys.executable, "-c", BREAKDOWN, args.data], check=True,
                                           capture_output=True, text=True, env=environment, cwd=scratch)
                parts[label].append(json.loads(breakdown.stdout.strip().splitlines()[-1]))
    results = {label: {"code": spec, "median_seconds": statistics.median(seconds[label]), "runs": seconds[label],
                       "breakdown_median_seconds": {part: round(statistics.median(run[part] for run in parts[label]), 3)
                                                    for part in parts[label][0]}}
               for label, spec in arms.items()}
    report = {"benchmark": "cold_start", "date": time.strftime("%Y-%m-%d"),
              "command": "python benchmarks/cold_start.py " + " ".join(f'--arm "{a}"' for a in args.arm)
                         + f" --rounds {args.rounds}",
              "machine": {"cpus": os.cpu_count(), "cpu": cpu_name()},
              "what": "whole `python -m skillmatch.cli extract jd.txt` process on a one-line JD, caches built, "
                      "bytecode cached; arms alternate within each round",
              "results": results}
    write_results(args.out, report)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
