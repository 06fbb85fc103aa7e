"""Document-level extraction precision and recall on human span annotations, side by side for
several models at each model's own threshold.

What users see is the thresholded list of skills for a whole document, so this measures it
on documents, against spans people marked as skills:

- SkillSpan dev (HOUSE 952 and TECH 1,507 job-ad sentences, kept out of training): sentences
  rebuilt into 10-sentence documents; annotated skill and knowledge spans. An extracted
  skill's evidence is *right* when its matched words overlap an annotated span (literal
  evidence) or, for semantic evidence, when its sentence holds an annotated span; a skill is
  right when its best evidence is. Recall: annotated spans overlapped by the evidence of some
  extracted skill (literal) or in a sentence that yields a skill (any). The semantic criterion
  is lenient: every skill of a sentence that holds any span counts as right, however unrelated
  (read by hand, semantic skills below P 0.5 were right about one time in four:
  ``judged_precision.py``).
- The 220 annotated resumes ("Entity Recognition in Resumes"): an extracted skill is right
  when its best evidence lies inside a span annotated ``Skills`` (the annotators marked skill
  sections, not skills in experience lines, so this precision is a lower bound); recall:
  ``Skills`` spans holding at least one extracted skill.

    python benchmarks/extraction_precision.py [--data DIR] [--model M ...] [--compare-model M ...] [--sweep T ...] [--statement-sweep T ...]
        [--mention-sweep T ...]

A model with a verdict gate is also run without it, and its other variants run with it off (it
judges their output). A model with a statement gate is also run with the gate on every match and
without it, and (for the first such model) with the gate on every match at each
``--statement-sweep`` threshold; a model with a mention gate also without it and without either
gate (also with every semantic skill: the extraction of the model before its gates; and at each
``--mention-sweep`` threshold). The verdict gate was fitted on other documents (hand-read
postings and resumes), so these job ads are out of sample for it.

Writes benchmarks/results/extraction_precision.json.
"""
from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from judged_precision import rule_before_2_5
from results_file import write_results

RESULTS = Path(__file__).parent / "results" / "extraction_precision.json"


def skillspan_documents(data: Path, size: int = 10):
    """(text, annotated spans, sentence spans) of 10-sentence job-ad documents."""
    from skillmatch.train.statements import read_span_documents

    return [document for name in ("skillspan_house_dev.conll", "skillspan_tech_dev.conll")
            for document in read_span_documents(data / "skillspan" / name, size)]


def resume_documents(data: Path) -> list[tuple[str, list[tuple[int, int]]]]:
    """(text, ``Skills`` spans) of the annotated resumes."""
    documents = []
    with open(data / "resumes" / "Entity Recognition in Resumes.json", encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            record = json.loads(line)
            spans = [(p["start"], p["end"] + 1) for a in record.get("annotation") or [] if "Skills" in a["label"]
                     for p in a["points"]]
            documents.append((record["content"], spans))
    return documents


def _overlaps(start: int, end: int, spans) -> bool:
    return any(start < e and s < end for s, e in spans)


def _above(skills, threshold: float):
    """The skills (and evidence) extraction would keep at a higher threshold."""
    from dataclasses import replace

    kept = []
    for skill in skills:
        evidence = tuple(e for e in skill.evidence if e.score >= threshold)
        if evidence:
            kept.append(replace(skill, evidence=evidence, score=evidence[0].score))
    return kept


def score_skillspan(results, documents, threshold: float) -> dict:
    right = total = found_spans = all_spans = 0
    by_method: dict[str, list[int]] = {}
    for result, (text, spans, bounds) in zip(results, documents):
        sentences_with_skill = set()
        covered = set()
        for skill in _above(result.skills, threshold):
            best = skill.evidence[0]
            if best.match_start is not None:
                ok = _overlaps(best.match_start, best.match_end, spans)
            else:
                ok = _overlaps(best.start, best.end, spans)
            right += ok
            total += 1
            by_method.setdefault(best.method, [0, 0])
            by_method[best.method][0] += ok
            by_method[best.method][1] += 1
            for evidence in skill.evidence:
                sentences_with_skill.add((evidence.start, evidence.end))
                if evidence.match_start is not None:
                    covered.update(i for i, (s, e) in enumerate(spans) if evidence.match_start < e and s < evidence.match_end)
        for i, (s, e) in enumerate(spans):
            all_spans += 1
            found_spans += i in covered or any(a <= s and e <= b for a, b in sentences_with_skill)
    return {"documents": len(documents), "extracted": total, "precision": round(right / max(total, 1), 4),
            "recall": round(found_spans / max(all_spans, 1), 4), "annotated_spans": all_spans,
            "precision_by_method": {m: round(r / max(n, 1), 4) for m, (r, n) in sorted(by_method.items())},
            "skills_per_document": round(total / max(len(documents), 1), 2)}


def score_resumes(results, documents, threshold: float) -> dict:
    right = total = spans_found = spans_all = 0
    for result, (text, spans) in zip(results, documents):
        hit_spans = set()
        for skill in _above(result.skills, threshold):
            best = skill.evidence[0]
            start, end = ((best.match_start, best.match_end) if best.match_start is not None else (best.start, best.end))
            inside = [i for i, (s, e) in enumerate(spans) if s <= start and end <= e]
            right += bool(inside)
            total += 1
            for evidence in skill.evidence:
                hit_spans.update(i for i, (s, e) in enumerate(spans) if s <= evidence.start < e)
        spans_all += len(spans)
        spans_found += len(hit_spans)
    return {"documents": len(documents), "extracted": total, "precision_in_skill_sections": round(right / max(total, 1), 4),
            "skill_sections_with_a_skill": round(spans_found / max(spans_all, 1), 4),
            "skills_per_document": round(total / max(len(documents), 1), 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=os.environ.get("SKILLMATCH_DATA", "../shared/data"))
    parser.add_argument("--cache-dir", default=None)
    parser.add_argument("--model", action="append", default=[], help="model folder or name (repeatable; "
                                                                      "default: the default model)")
    parser.add_argument("--compare-model", action="append", default=[],
                        help="a model (e.g. an earlier release) to report as shipped only, without ablations "
                             "(repeatable); given without --model, only these run")
    parser.add_argument("--sweep", type=float, nargs="*", default=[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9],
                        help="also report these thresholds (the trade-off curve)")
    parser.add_argument("--statement-sweep", type=float, nargs="*", default=[0.5, 0.6, 0.7, 0.8, 0.9],
                        help="statement-gate thresholds to report with the gate on every match (SkillSpan "
                             "dev, first model that has a gate)")
    parser.add_argument("--mention-sweep", type=float, nargs="*", default=[0.3, 0.4, 0.6, 0.7],
                        help="mention-gate thresholds to report (SkillSpan dev, first model that has one)")
    parser.add_argument("--out", default=str(RESULTS))
    args = parser.parse_args()
    from skillmatch.extract import SkillExtractor
    from skillmatch.ontology import load_taxonomy

    data = Path(args.data)
    taxonomy = load_taxonomy(data, args.cache_dir)
    job_ads, resumes = skillspan_documents(data), resume_documents(data)
    report = {"benchmark": "extraction_precision", "date": time.strftime("%Y-%m-%d"),
              "command": "python benchmarks/extraction_precision.py " + " ".join(
                  [*(f"--model {m}" for m in args.model), *(f"--compare-model {m}" for m in args.compare_model)]),
              "systems": {}}
    from dataclasses import replace

    systems = []
    for model in args.model or ([] if args.compare_model else [None]):
        base = SkillExtractor(taxonomy, model=model, cache_dir=args.cache_dir)
        name = str(model or "default")
        systems.append((name, base))
        # the gates' ablations are run without the verdict gate, which judges their output
        plain = base.variant(replace(base.settings, verdict_gate=False))
        off = ", verdict gate off" if base.spec.verdicts else ""
        if base.spec.verdicts:
            systems.append((f"{name} without the verdict gate", plain))
            systems += rule_before_2_5(name, base)
        systems.append((f"{name}, semantic_threshold 0 (every semantic skill above the threshold){off}",
                        plain.variant(replace(plain.settings, semantic_threshold=0.0))))
        if base.spec.statements:  # the same model with its gate on every match, and without it, side by side
            systems.append((f"{name}, statement gate on every match{off}",
                            plain.variant(replace(plain.settings, statement_gate="all"))))
            systems.append((f"{name} without the statement gate{off}", plain.variant(statements=None)))
        if base.spec.mentions:  # and without its mention gate (and without either gate)
            no_mentions = replace(plain.settings, mention_gate=False)
            systems.append((f"{name} without the mention gate{off}", plain.variant(no_mentions)))
            if base.spec.statements:
                systems.append((f"{name} without either gate{off}", plain.variant(no_mentions, statements=None)))
                systems.append((f"{name} without either gate, semantic_threshold 0{off}",
                                plain.variant(replace(no_mentions, semantic_threshold=0.0), statements=None)))
    systems += [(str(model), SkillExtractor(taxonomy, model=model, cache_dir=args.cache_dir))
                for model in args.compare_model]
    for name, base in systems:
        # extract once at the lowest threshold of the sweep; higher ones only drop evidence
        lowest = min([base.threshold, *args.sweep])
        extractor = base.variant(replace(base.settings, threshold=lowest))
        started = time.perf_counter()
        ad_results = [extractor.extract(text) for text, _, _ in job_ads]
        resume_results = [extractor.extract(text) for text, _ in resumes]
        record = {"model": extractor.version, "threshold": base.threshold,
                  "skillspan_dev": score_skillspan(ad_results, job_ads, base.threshold),
                  "annotated_resumes": score_resumes(resume_results, resumes, base.threshold),
                  "sweep": {f"{t:.2f}": {"skillspan_dev": score_skillspan(ad_results, job_ads, t),
                                         "annotated_resumes": score_resumes(resume_results, resumes, t)}
                            for t in args.sweep}}
        record["seconds"] = round(time.perf_counter() - started, 1)
        report["systems"][name] = record
        print(f"{name} at its threshold {base.threshold}: "
              f"{json.dumps(record['skillspan_dev'])}", flush=True)
        for t, values in record["sweep"].items():
            job = values["skillspan_dev"]
            print(f"   threshold {t}: precision {job['precision']:.3f} recall {job['recall']:.3f} "
                  f"skills/doc {job['skills_per_document']}", flush=True)
    for recipe_field, values, settings, title in (
            ("statements", args.statement_sweep, {"statement_gate": "all"}, "statement gate on every match"),
            ("mentions", args.mention_sweep, {}, "mention gate")):
        gated = next(((name, base) for name, base in systems if getattr(base.spec, recipe_field)), None)
        if not (gated and values):
            continue
        name, base = gated
        threshold_field = recipe_field[:-1] + "_threshold"
        curve = report[f"{recipe_field[:-1]}_sweep"] = {"system": f"{name}, {title}", "points": {}}
        for value in values:
            extractor = base.variant(replace(base.settings, **settings, **{threshold_field: value}))
            record = score_skillspan([extractor.extract(text) for text, _, _ in job_ads], job_ads, base.threshold)
            curve["points"][f"{value:.2f}"] = record
            print(f"   {threshold_field} {value:.2f}: precision {record['precision']:.3f} recall "
                  f"{record['recall']:.3f} skills/doc {record['skills_per_document']}", flush=True)
    write_results(args.out, report)


if __name__ == "__main__":
    main()
