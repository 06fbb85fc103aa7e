"""Ablation: which negatives teach the sentence↔skill encoder most (issue 4's experiment).

Side by side in one run, on the TECH and HOUSE validation sets (ranking all ESCO skills by
cosine to their preferred labels, the encoder alone): the zero-shot base encoder, then the
same distant-supervision data trained with each negative strategy alone and with the
mixture, over several seeds (mean ± std), with training time. The validation sentences are
excluded from the training corpus.

    python benchmarks/negative_sampling.py [--seeds 0 1 2] [--steps 100] [--models-dir DIR]

Writes benchmarks/results/negative_sampling.json after every run; ``--resume`` skips runs
already in it (the whole ablation takes about an hour on 2 cores).

    python benchmarks/negative_sampling.py --recipe-of models/default --steps 100 --refresh-every 50

runs the same comparison on the data and recipe of a trained model instead (read from its
``training.json``: corpus files and text columns, distant supervision with its seed, so every run
sees the same pairs and the same distant held-out split; learning rate, warm-up share, negatives
per positive), with embedding negatives re-mined from the model being trained every
``--refresh-every`` steps and the checkpoint chosen on the held-out split, and reports the
distant held-out split beside the validation sets. Seeds vary batch order and negative draws.
Writes benchmarks/results/negative_sampling_shipped_recipe.json.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from skillmatch.extract.encoder import ModelSpec
from skillmatch.ontology import load_taxonomy
from skillmatch.train import DistantSupervision, TrainingConfig, distant_training_set, fit_training_set, train_model
from skillmatch.train.pipeline import evaluate_encoder, holdout_sentences

from results_file import write_results

RESULTS = Path(__file__).parent / "results" / "negative_sampling.json"
RECIPE_RESULTS = Path(__file__).parent / "results" / "negative_sampling_shipped_recipe.json"
STRATEGIES = {"random": ("random",), "in-batch": ("in-batch",), "taxonomy": ("taxonomy",),
              "embedding": ("embedding",), "mixture": ("random", "in-batch", "taxonomy", "embedding")}
CORPUS = ("skillspan/skillspan_tech_train.conll", "skillspan/skillspan_house_train.conll",
          "skillspan/skillspan_tech_dev.conll", "skillspan/skillspan_house_dev.conll",
          "jobposts/indeed_data_science_postings.csv")
VALIDATION = ("benchmarks/skill-extraction-val/tech_validation.jsonl",
              "benchmarks/skill-extraction-val/house_validation.jsonl")
METRICS = ("RP@5", "RP@10", "MRR")
SETS = ("tech_validation", "house_validation", "distant-held-out")


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
    zero = report["zero_shot"]
    sets = [name for name in SETS if name in zero]
    heads = {"tech_validation": "TECH", "house_validation": "HOUSE", "distant-held-out": "held-out"}
    lines = ["| encoder | " + " | ".join(f"{heads[s]} {m}" for s in sets for m in METRICS) + " | train s |",
             "|---" * (len(sets) * len(METRICS) + 2) + "|"]
    lines.append("| zero-shot MiniLM | " + " | ".join(f"{zero[s][m]:.2f}" for s in sets for m in METRICS) + " | 0 |")
    for strategy, summary in report["summary"].items():
        cells = [f"{summary[s][m]['mean']:.2f} ± {summary[s][m]['std']:.2f}" for s in sets for m in METRICS]
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
    parser.add_argument("--recipe-of", default=None, metavar="MODEL",
                        help="a trained model folder: train on its data with its recipe (see above)")
    parser.add_argument("--refresh-every", type=int, default=0,
                        help="re-mine embedding negatives and score the held-out split every N steps (0: never)")
    parser.add_argument("--out", default=None, help="results file (default: by the kind of run)")
    parser.add_argument("--resume", action="store_true", help="keep finished runs of --out and do the rest")
    args = parser.parse_args()
    data = Path(args.data)
    taxonomy = load_taxonomy(data, args.cache_dir)
    validation = [data / path for path in VALIDATION]
    training_set, held_out = None, {}
    if args.recipe_of:
        recipe = json.loads((Path(args.recipe_of) / "training.json").read_text())
        corpus_names = [item["path"] for item in recipe["corpus"]]
        corpus = [Path(name.replace("$SKILLMATCH_DATA", str(data))) for name in corpus_names]
        training_set, card = distant_training_set(taxonomy, corpus, DistantSupervision(**recipe["supervision"]),
                                                  validation, recipe["text_columns"], args.cache_dir, data)
        held_out = {"distant-held-out": holdout_sentences(training_set)}
        shipped = TrainingConfig(**recipe["config"])
        base = replace(shipped, quantize=False, refresh_every=args.refresh_every,
                       warmup_steps=max(1, round(shipped.warmup_steps * args.steps / shipped.max_steps)))
        origin = {"recipe_of": f"{recipe['name']} (training.json)", "pairs": training_set.stats["pairs"],
                  "holdout_sentences": len(held_out["distant-held-out"])}
    else:
        corpus_names, corpus = list(CORPUS), [data / path for path in CORPUS]
        base, origin = TrainingConfig(refresh_every=args.refresh_every), {}
    out = Path(args.out or (RECIPE_RESULTS if args.recipe_of else RESULTS))
    report = json.loads(out.read_text()) if args.resume and out.exists() else {}
    report.update({"benchmark": "negative_sampling", "date": time.strftime("%Y-%m-%d"), "steps": args.steps,
                   "corpus": corpus_names, "validation": list(VALIDATION), **origin,
                   "learning_rate": base.learning_rate, "warmup_steps": base.warmup_steps,
                   "refresh_every": base.refresh_every,
                   "ranking": "encoder alone: cosine to ESCO preferred labels, all 13,896 skills"})
    runs = report.setdefault("runs", {})

    def save() -> None:
        write_results(out, report)

    if "zero_shot" not in report:
        with tempfile.TemporaryDirectory() as folder:
            ModelSpec(name="minilm-zero-shot").save(Path(folder))
            report["zero_shot"] = evaluate_encoder(taxonomy, folder, validation, args.cache_dir, held_out)
        save()
    print("zero-shot", json.dumps(report["zero_shot"]), flush=True)
    for seed in args.seeds:
        for strategy in args.strategies:
            key = f"{strategy}/seed{seed}"
            if key in runs:
                continue
            config = replace(base, negatives=STRATEGIES[strategy], max_steps=args.steps, seed=seed)
            folder = Path(args.models_dir) / f"{strategy}-seed{seed}"
            command = f"benchmarks/negative_sampling.py run {key}"
            if training_set is None:
                train_model(taxonomy, corpus, folder, config, DistantSupervision(seed=seed), exclude=validation,
                            evaluate=validation, cache_dir=args.cache_dir, overwrite=True, show_progress=False,
                            command=command)
            else:
                fit_training_set(taxonomy, training_set, folder, config, card, evaluate=validation,
                                 cache_dir=args.cache_dir, overwrite=True, command=command, show_progress=False,
                                 data_root=data)
            record = json.loads((folder / "training.json").read_text())
            runs[key] = {"strategy": strategy, "seed": seed, "metrics": record["metrics"],
                         "train_seconds": round(record["report"]["seconds"], 1),
                         "negatives_fallback": record["report"]["negatives_fallback"],
                         "final_loss": round(statistics.mean(record["report"]["losses"][-20:]), 4),
                         "pairs": record["data"]["pairs"], "best_step": record["report"].get("best_step"),
                         "holdout_curve": record["report"].get("holdout_curve"), "model": folder.name}
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
