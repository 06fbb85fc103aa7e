"""Sentence-level ESCO skill ranking on the TECH and HOUSE validation sets.

Scores, side by side in one run: a lexical baseline (TF-IDF over ESCO labels), the
zero-shot base encoder on preferred labels only, and skillmatch configurations (skill text
recipe × literal-match signal × lexical TF-IDF signal). Calibration weights are
cross-fitted: fitted on one set, reported on the other. Any other ranker can be
scored with --ranker-command (one sentence per stdin line, one JSON line out, as
`skillmatch rank-skills`).

    python benchmarks/skill_extraction_val.py [--data DIR] [--write-model models/default]

Writes benchmarks/results/skill_extraction_val.json.
"""
from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from skillmatch.extract import ModelSpec, SkillExtractor
from skillmatch.extract.calibration import Calibrator, calibrate, labelled_candidates
from skillmatch.extract.evaluation import load_validation, score_rankings
from skillmatch.ontology import load_taxonomy

from results_file import write_results

RESULTS = Path(__file__).parent / "results" / "skill_extraction_val.json"
DEPTH = 100
SETS = {"TECH": "tech_validation.jsonl", "HOUSE": "house_validation.jsonl"}
RECIPES = ("label", "label+description", "labels", "labels+description")


def tfidf_rankings(taxonomy, sentences):
    from sklearn.feature_extraction.text import TfidfVectorizer

    uris = taxonomy.uris("skill")
    documents = [" ".join(taxonomy.concept(u).labels[:13]) for u in uris]
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, stop_words="english").fit(documents)
    similarity = (vectorizer.transform(sentences) @ vectorizer.transform(documents).T).toarray()
    order = np.argsort(-similarity, axis=1)[:, :DEPTH]
    return [[uris[j] for j in row] for row in order]


def command_rankings(command: str, sentences):
    out = subprocess.run(shlex.split(command), input="\n".join(s.replace("\n", " ") for s in sentences) + "\n",
                         capture_output=True, text=True, check=True)
    return [[s["uri"] for s in json.loads(line)["skills"]] for line in out.stdout.splitlines() if line.strip()]


def extractor_rankings(extractor, sentences):
    return [[s.uri for s in ranked] for ranked in extractor.rank(sentences, DEPTH)]


def score_model(taxonomy, spec, recipes, sets, record, cache_dir) -> dict:
    """Every skill-text recipe × signal set of one model, its calibration cross-fitted; returns
    what ``--write-model`` needs of each system."""
    # one encoder for every variant; the benchmark ranks the ESCO skill pillar (its gold is ESCO)
    base = SkillExtractor(taxonomy, model=spec.replace(kinds=("skill",)), cache_dir=cache_dir)
    fitted = {}
    for recipe in recipes:
        for literal, lexical in ((False, False), (True, False), (False, True), (True, True)):
            signals = "".join([" + literal" if literal else "", " + lexical" if lexical else ""])
            system = f"{spec.name}: {recipe}{signals}"
            if recipe == "label" and not signals:
                system = (f"baseline: zero-shot {spec.name}, preferred labels only" if not (spec.weights or spec.static)
                          else f"encoder alone: {spec.name}, preferred labels only")
            sources = ("semantic",) + (("literal",) if literal else ()) + (("lexical",) if lexical else ())
            extractor = base.variant(skill_text=recipe, sources=sources)
            extractor.prepare()  # build (or load) outside the timed part
            tables = {name: labelled_candidates(extractor, items) for name, items in sets.items()}
            for name, items in sets.items():
                other = next(n for n in sets if n != name)
                # calibration weights are fitted on the other set (cross-fitting)
                calibrator = Calibrator(literal, lexical).fit(tables[other].table, tables[other].labels)
                crossfit = extractor.variant(calibration=calibrator.calibration_)
                started = time.perf_counter()
                rankings = extractor_rankings(crossfit, [i.sentence for i in items])
                record(system, name, rankings, time.perf_counter() - started, {"calibration_fitted_on": other})
            fitted[system] = (spec, recipe, literal, lexical, tables)
    return fitted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=os.environ.get("SKILLMATCH_DATA", "../shared/data"))
    parser.add_argument("--cache-dir", default=None)
    parser.add_argument("--model", action="append", default=[],
                        help="model folder to evaluate; repeat it to score several side by side in one run "
                             "(default: models/default)")
    parser.add_argument("--ranker-command", action="append", default=[], help="external ranker command")
    parser.add_argument("--out", default=str(RESULTS), help="where to write the JSON results")
    parser.add_argument("--recipes", nargs="+", default=list(RECIPES), choices=RECIPES,
                        help="skill text recipes to try (default: all)")
    parser.add_argument("--write-model", default=None,
                        help="write the best configuration, calibrated on both sets, into this model folder")
    args = parser.parse_args()
    data = Path(args.data)
    sets = {name: load_validation(data / "benchmarks" / "skill-extraction-val" / file) for name, file in SETS.items()}
    taxonomy = load_taxonomy(data, args.cache_dir)
    known = set(taxonomy.uris("skill"))
    report = {"benchmark": "skill_extraction_val", "date": time.strftime("%Y-%m-%d"), "depth": DEPTH,
              "gold_not_in_esco_1_1_1": {name: sum(len(i.gold - known) for i in items) for name, items in sets.items()},
              "gold_total": {name: sum(len(i.gold) for i in items) for name, items in sets.items()},
              "systems": {}}

    def record(system: str, name: str, rankings, seconds: float, extra=None):
        scores = score_rankings(rankings, sets[name]) | {"seconds": round(seconds, 2)} | (extra or {})
        report["systems"].setdefault(system, {})[name] = scores
        print(f"{system:<48} {name:<6} RP@5 {scores['RP@5']:6.2f}  RP@10 {scores['RP@10']:6.2f}  "
              f"MRR {scores['MRR']:6.2f}", flush=True)

    for name, items in sets.items():
        started = time.perf_counter()
        record("baseline: TF-IDF over ESCO labels", name, tfidf_rankings(taxonomy, [i.sentence for i in items]),
               time.perf_counter() - started)
    for command in args.ranker_command:
        for name, items in sets.items():
            started = time.perf_counter()
            record(f"command: {command}", name, command_rankings(command, [i.sentence for i in items]),
                   time.perf_counter() - started)
    specs = [ModelSpec.load(model) for model in args.model or [None]]
    if len({spec.name for spec in specs}) < len(specs):
        parser.error("two --model folders have one name: their rows would merge")
    fitted = {}
    for spec in specs:
        fitted |= score_model(taxonomy, spec, args.recipes, sets, record, args.cache_dir)
    candidates = {s: v for s, v in report["systems"].items() if s in fitted}
    best = max(candidates, key=lambda s: sum(v["MRR"] + v["RP@5"] for v in candidates[s].values()))
    report["best"] = best
    print(f"best: {best}")
    if args.write_model:
        spec, recipe, literal, lexical, tables = fitted[best]
        calibration, threshold, quality = calibrate(list(tables.values()), literal, lexical)
        sources = ("semantic",) + (("literal",) if literal else ()) + (("lexical",) if lexical else ())
        out = spec.replace(skill_text=recipe, sources=sources, calibration=calibration, threshold=threshold,
                           description=f"{best}; calibration and threshold fitted on TECH+HOUSE validation "
                           f"(candidate-level micro P={quality['precision']}, R={quality['recall']}, "
                           f"F1={quality['f1']} at threshold {threshold}) by "
                           f"benchmarks/skill_extraction_val.py --write-model")
        out.save(Path(args.write_model))
        report["written_model"] = {"folder": args.write_model, "threshold": threshold, "extraction": quality,
                                   "calibration": calibration.to_dict()}
    write_results(args.out, report)


if __name__ == "__main__":
    sys.exit(main())
