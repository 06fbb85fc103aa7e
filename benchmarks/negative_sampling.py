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

At the shipped length (2,000 steps; 15 runs take about 27 hours on 2 cores) the runs were made
on a GPU machine that has no data directory and a 64 MiB upload:

    python benchmarks/negative_sampling.py --recipe-of models/default --save-data .device/recipe_data.pkl.xz
    python benchmarks/device_bundle.py          # the base encoder and an exact-search faiss stand-in
    python benchmarks/negative_sampling.py --load-data .device/recipe_data.pkl.xz --steps 2000 \
        --refresh-every 500 --jobs 5 --out benchmarks/results/negative_sampling_full_length.json

``--save-data`` writes the knowledge base, the distant supervision and the validation files into
one file, ``--load-data`` trains on it; ``--jobs`` trains several runs at once, each in its own
process (one small run leaves a GPU mostly idle); ``--compare-model`` scores trained model
folders (the shipped one) on the same sets beside the runs; ``--mask-share`` (with ``--recipe-of``)
masks another share of the sentence pairs' labels than the recipe's.

Every held-out sentence names its skills word for word (it was chosen for a literal label), unlike
most skills of the validation sets, so the held-out split is also scored masked (its gold label
spans replaced by the mask token): inference from context, on 14 times as many sentences.
"""
from __future__ import annotations

import argparse
import json
import lzma
import os
import pickle
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from skillmatch.extract.encoder import ModelSpec
from skillmatch.extract.evaluation import load_validation
from skillmatch.ontology import load_taxonomy
from skillmatch.train import DistantSupervision, TrainingConfig, distant_training_set, fit_training_set, train_model
from skillmatch.train.pipeline import evaluate_encoder, holdout_sets

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
SETS = ("tech_validation", "house_validation", "distant-held-out", "distant-held-out-masked")


def summarise(runs: list[dict]) -> dict:
    summary = {}
    for name in [name for name in runs[0]["metrics"] if all(name in run["metrics"] for run in runs)]:
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
    heads = {"tech_validation": "TECH", "house_validation": "HOUSE", "distant-held-out": "held-out",
             "distant-held-out-masked": "masked held-out"}
    lines = ["| encoder | " + " | ".join(f"{heads[s]} {m}" for s in sets for m in METRICS) + " | train s |",
             "|---" * (len(sets) * len(METRICS) + 2) + "|"]
    lines.append("| zero-shot MiniLM | " + " | ".join(f"{zero[s][m]:.2f}" for s in sets for m in METRICS) + " | 0 |")
    for name, metrics in report.get("compared", {}).items():
        cells = [f"{metrics[s][m]:.2f}" if s in metrics else "–" for s in sets for m in METRICS]
        lines.append(f"| {name} | " + " | ".join(cells) + " | |")
    for strategy, summary in report["summary"].items():
        # runs made before a set was scored (the masked held-out split, stop 43) leave its cells empty
        cells = [f"{summary[s][m]['mean']:.2f} ± {summary[s][m]['std']:.2f}" if s in summary else "–"
                 for s in sets for m in METRICS]
        lines.append(f"| {strategy} ({summary['runs']} seeds) | " + " | ".join(cells)
                     + f" | {summary['train_seconds']['mean']:.0f} |")
    return "\n".join(lines)


def recipe_data(recipe_of: str, data: Path, cache_dir, mask_share: float | None = None) -> dict:
    """Everything a ``--recipe-of`` comparison trains on and is scored on, built once from the
    data directory: the knowledge base, the distant supervision (with its held-out split), its
    card, and the validation files' text. ``--save-data`` writes it to one file, so a machine
    without the data directory (a GPU machine, whose uploads are capped) can run the
    comparison with ``--load-data``. ``mask_share`` replaces the recipe's share of sentence pairs
    whose matched label is masked (the held-out split, chosen by sentence text, stays the same)."""
    recipe = json.loads((Path(recipe_of) / "training.json").read_text())
    if mask_share is not None:
        recipe["supervision"]["mask_share"] = mask_share
    taxonomy = load_taxonomy(data, cache_dir)
    corpus_names = [item["path"] for item in recipe["corpus"]]
    corpus = [Path(name.replace("$SKILLMATCH_DATA", str(data))) for name in corpus_names]
    validation = [data / path for path in VALIDATION]
    training_set, card = distant_training_set(taxonomy, corpus, DistantSupervision(**recipe["supervision"]),
                                              validation, recipe["text_columns"], cache_dir, data)
    return {"recipe": recipe, "taxonomy": taxonomy, "training_set": training_set, "card": card,
            "corpus_names": corpus_names, "validation": {path: (data / path).read_text() for path in VALIDATION}}


def named_word_for_word(taxonomy, sets: dict, cache_dir) -> dict:
    """Per set: its gold skills, and how many of them one of their own labels names in the sentence
    (the extractor's label matcher). Every distant held-out skill is named, by construction; a set
    whose skills mostly are not asks the encoder for inference from context instead."""
    from skillmatch.extract import SkillExtractor

    matcher = SkillExtractor(taxonomy, cache_dir=cache_dir).literal_matcher
    counts = {}
    for name, items in sets.items():
        named = sum(len(item.gold & {uri for hit in matcher.find(item.sentence) for uri in hit.uris})
                    for item in items)
        counts[name] = {"gold": sum(len(item.gold) for item in items), "named": named}
    return counts


def save_data(bundle: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with lzma.open(path, "wb", preset=6) as handle:
        pickle.dump(bundle, handle, protocol=pickle.HIGHEST_PROTOCOL)


def load_data(path: Path) -> dict:
    with lzma.open(path, "rb") as handle:
        return pickle.load(handle)


def train_run(shared: dict, key: str, config: TrainingConfig, folder: Path) -> dict:
    """One (strategy, seed) run: train, evaluate, and the record the results file keeps."""
    command = f"benchmarks/negative_sampling.py run {key}"
    strategy, seed = strategy_and_seed(key)
    if shared["training_set"] is None:
        train_model(shared["taxonomy"], shared["corpus"], folder, config, DistantSupervision(seed=seed),
                    exclude=shared["validation"], evaluate=shared["validation"], cache_dir=shared["cache_dir"],
                    overwrite=True, show_progress=False, command=command)
    else:
        fit_training_set(shared["taxonomy"], shared["training_set"], folder, config, shared["card"],
                         evaluate=shared["validation"], cache_dir=shared["cache_dir"], overwrite=True,
                         command=command, show_progress=False, data_root=shared["data"])
    record = json.loads((folder / "training.json").read_text())
    return {"strategy": strategy, "seed": seed, "metrics": record.get("metrics", {}),
            "train_seconds": round(record["report"]["seconds"], 1),
            "negatives_fallback": record["report"]["negatives_fallback"],
            "final_loss": round(statistics.mean(record["report"]["losses"][-20:]), 4),
            "pairs": record["data"]["pairs"], "best_step": record["report"].get("best_step"),
            "holdout_curve": record["report"].get("holdout_curve"), "model": folder.name}


def strategy_and_seed(key: str) -> tuple[str, int]:
    """``"mixture/seed2"`` → ``("mixture", 2)``."""
    strategy, seed = key.split("/seed")
    return strategy, int(seed)


def run_order(key: str) -> tuple[int, int]:
    """Results list runs seed by seed, strategies in table order, however the workers finished."""
    strategy, seed = strategy_and_seed(key)
    return seed, list(STRATEGIES).index(strategy)


_WORKER: dict = {}


def _start_worker(shared: dict, threads: int) -> None:
    """A worker process of ``--jobs``: the shared data arrive once, torch gets its share of the cores."""
    import torch

    torch.set_num_threads(threads)
    _WORKER.update(shared)


def _worker_run(key: str, config: TrainingConfig, folder: Path) -> dict:
    return train_run(_WORKER, key, config, folder)


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
    parser.add_argument("--mask-share", type=float, default=None,
                        help="with --recipe-of: mask this share of the sentence pairs' matched labels instead "
                             "of the recipe's")
    parser.add_argument("--save-data", default=None, metavar="FILE",
                        help="with --recipe-of: build the knowledge base and the training data, write them to "
                             "FILE and stop")
    parser.add_argument("--load-data", default=None, metavar="FILE",
                        help="train on the data --save-data wrote (no data directory needed)")
    parser.add_argument("--jobs", type=int, default=1,
                        help="runs at once, each in its own process (on a GPU, one small run leaves it idle)")
    parser.add_argument("--compare-model", action="append", default=[], metavar="MODEL",
                        help="a trained model folder scored the same way beside the runs (e.g. the shipped one)")
    parser.add_argument("--out", default=None, help="results file (default: by the kind of run)")
    parser.add_argument("--resume", action="store_true", help="keep finished runs of --out and do the rest")
    args = parser.parse_args()
    data = Path(args.data)
    if args.mask_share is not None and not args.recipe_of:
        parser.error("--mask-share needs --recipe-of (a data file keeps the share it was made with)")
    if args.save_data:
        if not args.recipe_of:
            parser.error("--save-data needs --recipe-of")
        save_data(recipe_data(args.recipe_of, data, args.cache_dir, args.mask_share), Path(args.save_data))
        print(f"wrote {args.save_data}")
        return
    scratch = tempfile.TemporaryDirectory()
    bundle = load_data(Path(args.load_data)) if args.load_data else (
        recipe_data(args.recipe_of, data, args.cache_dir, args.mask_share) if args.recipe_of else None)
    held_out = {}
    if bundle is not None:
        taxonomy, training_set, recipe = bundle["taxonomy"], bundle["training_set"], bundle["recipe"]
        validation = []
        for name, text in bundle["validation"].items():
            validation.append(Path(scratch.name) / Path(name).name)
            validation[-1].write_text(text)
        mask_token = recipe["supervision"].get("mask_token", "[MASK]")
        held_out = holdout_sets(taxonomy, training_set, mask_token, args.cache_dir)
        shipped = TrainingConfig(**recipe["config"])
        base = replace(shipped, quantize=False, refresh_every=args.refresh_every,
                       checkpoint_every=max(shipped.checkpoint_every, args.refresh_every),
                       warmup_steps=max(1, round(shipped.warmup_steps * args.steps / shipped.max_steps)))
        corpus_names, corpus = bundle["corpus_names"], []
        card = bundle["card"]
        labelled = {Path(path).stem: load_validation(path) for path in validation}
        labelled["distant-held-out"] = held_out["distant-held-out"]
        origin = {"recipe_of": f"{recipe['name']} (training.json)", "supervision": recipe["supervision"],
                  "pairs": training_set.stats["pairs"], "pairs_by_origin": training_set.stats["pairs_by_origin"],
                  "holdout_sentences": len(held_out["distant-held-out"]),
                  "gold_skills_named_word_for_word": named_word_for_word(taxonomy, labelled, args.cache_dir)}
    else:
        taxonomy, training_set, card = load_taxonomy(data, args.cache_dir), None, {}
        validation = [data / path for path in VALIDATION]
        corpus_names, corpus = list(CORPUS), [data / path for path in CORPUS]
        base, origin = TrainingConfig(refresh_every=args.refresh_every), {}
    shared = {"taxonomy": taxonomy, "training_set": training_set, "card": card, "corpus": corpus,
              "validation": validation, "cache_dir": args.cache_dir, "data": data}
    out = Path(args.out or (RECIPE_RESULTS if bundle is not None else RESULTS))
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
    for model in args.compare_model:
        spec = ModelSpec.load(model)
        name = f"{spec.name} {spec.version}" + (" (int8 encoder)" if spec.quantize else "")
        report.setdefault("compared", {})[name] = evaluate_encoder(taxonomy, model, validation, args.cache_dir,
                                                                   held_out)
        print(name, json.dumps(report["compared"][name]), flush=True)
        save()
    todo = {}
    for seed in args.seeds:
        for strategy in args.strategies:
            key = f"{strategy}/seed{seed}"
            if key not in runs:
                todo[key] = (replace(base, negatives=STRATEGIES[strategy], max_steps=args.steps, seed=seed),
                             Path(args.models_dir) / f"{strategy}-seed{seed}")

    def finished(key: str, run: dict) -> None:
        runs[key] = run
        print(key, json.dumps(run["metrics"]), run["train_seconds"], "s", flush=True)
        save()

    if args.jobs > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        threads = max(1, (os.cpu_count() or 1) // args.jobs)
        with ProcessPoolExecutor(args.jobs, mp_context=multiprocessing.get_context("spawn"),
                                 initializer=_start_worker, initargs=(shared, threads)) as pool:
            futures = {pool.submit(_worker_run, key, *job): key for key, job in todo.items()}
            for future in as_completed(futures):
                finished(futures[future], future.result())
    else:
        for key, job in todo.items():
            finished(key, train_run(shared, key, *job))
    report["runs"] = {key: runs[key] for key in sorted(runs, key=run_order)}
    report["summary"] = {}
    for strategy in STRATEGIES:
        done = [run for run in report["runs"].values() if run["strategy"] == strategy]
        if done:
            report["summary"][strategy] = summarise(done) | {"runs": len(done)}
    report["table"] = table(report)
    save()
    print(report["table"])
    scratch.cleanup()


if __name__ == "__main__":
    sys.exit(main())
