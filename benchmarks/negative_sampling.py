"""Ablation: which negatives teach the sentence↔skill encoder most (issue 4's experiment).

Side by side in one run, on the TECH and HOUSE validation sets (ranking all ESCO skills by
cosine to their preferred labels, the encoder alone): the zero-shot base encoder, then the
same distant-supervision data trained with each negative strategy alone and with the
mixture, over several seeds (mean ± std), with training time. The validation sentences are
excluded from the training corpus.

    python benchmarks/negative_sampling.py [--seeds 0 1 2] [--steps 100] [--models-dir DIR]

Writes benchmarks/results/negative_sampling.json after every run; ``--resume`` skips runs
already in it (the whole ablation takes about an hour on 2 cores).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from skillmatch.extract.encoder import ModelSpec
from skillmatch.ontology import load_taxonomy
from skillmatch.train import DistantSupervision, TrainingConfig, train_model
from skillmatch.train.pipeline import evaluate_encoder

RESULTS = Path(__file__).parent / "results" / "negative_sampling.json"
STRATEGIES = {"random": ("random",), "in-batch": ("in-batch",), "taxonomy": ("taxonomy",),
              "embedding": ("embedding",), "mixture": ("random", "in-batch", "taxonomy", "embedding")}
CORPUS = ("skillspan/skillspan_tech_train.conll", "skillspan/skillspan_house_train.conll",
          "skillspan/skillspan_tech_dev.conll", "skillspan/skillspan_house_dev.conll",
          "jobposts/indeed_data_science_postings.csv")
VALIDATION = ("benchmarks/skill-extraction-val/tech_validation.jsonl",
              "benchmarks/skill-extraction-val/house_validation.jsonl")
METRICS = ("RP@5", "RP@10", "MRR")


def summarise(runs: list[dict]) -> dict:
    summary = {}
    for name in runs[0]["metrics"]:
        values = {m: [run["metrics"][name][m] for run in runs] for m in METRICS}
        summary[name] = {m: {"mean": round(statistics.mean(v), 2),
                             "std": round(statistics.stdev(v), 2) if len(v) > 1 else 0.0} for m, v in values.items()}
    seconds = [run["train_seconds"] for run in runs]
    summary["train_seconds"] = {"mean": round(statistics.mean(seconds), 1),
                                "std": round(statistics.stdev(seconds), 1) if len(seconds) > 1 else 0.0}
    return summary


def table(report: dict) -> str:
    lines = ["| encoder | TECH RP@5 | TECH RP@10 | TECH MRR | HOUSE RP@5 | HOUSE RP@10 | HOUSE MRR | train s |",
             "|---|---|---|---|---|---|---|---|"]
    zero = report["zero_shot"]
    lines.append("| zero-shot MiniLM | " + " | ".join(f"{zero[s][m]:.2f}" for s in ("tech_validation", "house_validation")
                                                       for m in METRICS) + " | 0 |")
    for strategy, summary in report["summary"].items():
        cells = [f"{summary[s][m]['mean']:.2f} ± {summary[s][m]['std']:.2f}"
                 for s in ("tech_validation", "house_validation") for m in METRICS]
        lines.append(f"| {strategy} ({summary['runs']} seeds) | " + " | ".join(cells)
                     + f" | {summary['train_seconds']['mean']:.0f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=os.environ.get("SKILLMATCH_DATA", "../shared/data"))
    parser.add_argument("--cache-dir", default=None)
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--strategies", nargs="+", default=list(STRATEGIES), choices=list(STRATEGIES))
    parser.add_argument("--steps", type=int, default=TrainingConfig.max_steps)
    parser.add_argument("--models-dir", default=str(Path(tempfile.gettempdir()) / "skillmatch-ablation"))
    parser.add_argument("--out", default=str(RESULTS))
    parser.add_argument("--resume", action="store_true", help="keep finished runs of --out and do the rest")
    args = parser.parse_args()
    data = Path(args.data)
    taxonomy = load_taxonomy(data, args.cache_dir)
    corpus = [data / path for path in CORPUS]
    validation = [data / path for path in VALIDATION]
    out = Path(args.out)
    report = json.loads(out.read_text()) if args.resume and out.exists() else {}
    report.update({"benchmark": "negative_sampling", "date": time.strftime("%Y-%m-%d"), "steps": args.steps,
                   "corpus": list(CORPUS), "validation": list(VALIDATION),
                   "ranking": "encoder alone: cosine to ESCO preferred labels, all 13,896 skills"})
    runs = report.setdefault("runs", {})

    def save() -> None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=2) + "\n")

    if "zero_shot" not in report:
        with tempfile.TemporaryDirectory() as folder:
            ModelSpec(name="minilm-zero-shot").save(Path(folder))
            report["zero_shot"] = evaluate_encoder(taxonomy, folder, validation, args.cache_dir)
        save()
    print("zero-shot", json.dumps(report["zero_shot"]), flush=True)
    for seed in args.seeds:
        for strategy in args.strategies:
            key = f"{strategy}/seed{seed}"
            if key in runs:
                continue
            config = TrainingConfig(negatives=STRATEGIES[strategy], max_steps=args.steps, seed=seed)
            folder = Path(args.models_dir) / f"{strategy}-seed{seed}"
            train_model(taxonomy, corpus, folder, config, DistantSupervision(seed=seed), exclude=validation,
                        evaluate=validation, cache_dir=args.cache_dir, overwrite=True, show_progress=False,
                        command=f"benchmarks/negative_sampling.py run {key}")
            record = json.loads((folder / "training.json").read_text())
            runs[key] = {"strategy": strategy, "seed": seed, "metrics": record["metrics"],
                         "train_seconds": round(record["report"]["seconds"], 1),
                         "negatives_fallback": record["report"]["negatives_fallback"],
                         "final_loss": round(statistics.mean(record["report"]["losses"][-20:]), 4),
                         "pairs": record["data"]["pairs"], "model": str(folder)}
            print(key, json.dumps(runs[key]["metrics"]), runs[key]["train_seconds"], "s", flush=True)
            save()
    report["summary"] = {}
    for strategy in STRATEGIES:
        done = [run for run in runs.values() if run["strategy"] == strategy]
        if done:
            report["summary"][strategy] = summarise(done) | {"runs": len(done)}
    report["table"] = table(report)
    save()
    print(report["table"])


if __name__ == "__main__":
    sys.exit(main())
