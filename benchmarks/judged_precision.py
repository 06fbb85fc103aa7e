"""Skills extracted from whole real documents, read by hand as a recruiter would: is each one
stated by the document (a requirement of the posting, experience or a skill of the resume)?

SkillSpan's spans (``extraction_precision.py``) judge many more skills, but their annotators
left technology lists and some requirements unmarked and count a semantic skill right whenever
its sentence holds any span; here a person reads every extracted skill with its evidence.
Documents, picked by a rule that does not look at any output (the smallest hashes of their
ids): Indeed data-science postings, Google postings (``Responsibilities`` + both
qualification fields) and resumes of ``UpdatedResumeDataSet`` from several categories.
Systems side by side: each ``--model`` as shipped, with every semantic skill above its threshold
(``semantic_threshold`` 0) and, for a model with gates, without its statement and mention gates too.

Verdicts live in ``benchmarks/data/document_skills_judged.csv`` keyed by document id and skill
URI (no document text is stored): ``right`` (the document states it), ``borderline`` (related
or implied, e.g. "operating systems" from "Linux"), ``wrong``. A skill not judged yet (a new
model, a new document) is counted as such and left out of the precision, never guessed;
``--review`` prints the unjudged ones with their evidence for a person to judge.

    python benchmarks/judged_precision.py [--data DIR] [--model M ...] [--review]

Writes benchmarks/results/judged_precision.json.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).parent
RESULTS = HERE / "results" / "judged_precision.json"
JUDGED = HERE / "data" / "document_skills_judged.csv"
VERDICTS = ("right", "borderline", "wrong")
# (Indeed postings, Google postings, resume categories) of each batch. Batch 1 was read before
# the semantic threshold was set (its rule came from reading it); batch 2 only after, so its
# figures are out of sample.
BATCHES = {1: (4, 2, ("Java Developer", "HR", "Sales", "Mechanical Engineer")),
           2: (4, 2, ("Data Science", "Testing", "Operations Manager", "Civil Engineer"))}


def _by_hash(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return sorted(items, key=lambda item: hashlib.blake2b(item[0].encode(), digest_size=8).digest())


def documents(data: Path) -> list[tuple[str, str, int]]:
    """(id, text, batch) of the judged documents; ids name the file and the posting id or row."""
    csv.field_size_limit(sys.maxsize)
    with open(data / "jobposts" / "indeed_data_science_postings.csv", encoding="utf-8") as handle:
        indeed = _by_hash([(f"indeed:{row['job_posting']}", row["body"]) for row in csv.DictReader(handle)])
    with open(data / "jobposts-google-2018" / "google_job_skills.csv", encoding="utf-8") as handle:
        google = _by_hash([(f"google:{number}", "\n".join(row[field] for field in (
            "Responsibilities", "Minimum Qualifications", "Preferred Qualifications")))
            for number, row in enumerate(csv.DictReader(handle), start=2)])
    with open(data / "resumes" / "UpdatedResumeDataSet.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    chosen, taken = [], {"indeed": 0, "google": 0}
    for batch, (indeed_count, google_count, categories) in BATCHES.items():
        for name, source, count in (("indeed", indeed, indeed_count), ("google", google, google_count)):
            chosen += [(id_, text, batch) for id_, text in source[taken[name]:taken[name] + count]]
            taken[name] += count
        for category in categories:
            unique = {}
            for number, row in enumerate(rows, start=2):
                if row["Category"] == category:
                    unique.setdefault(row["Resume"], f"resume:{number}")  # the data set repeats resumes
            chosen += [(id_, text, batch) for id_, text in _by_hash([(i, t) for t, i in unique.items()])[:1]]
    return chosen


def read_verdicts() -> dict[tuple[str, str], str]:
    if not JUDGED.exists():
        return {}
    with open(JUDGED, encoding="utf-8") as handle:
        verdicts = {(row["document"], row["uri"]): row["verdict"] for row in csv.DictReader(handle)}
    unknown = sorted({v for v in verdicts.values() if v not in VERDICTS})
    if unknown:
        raise SystemExit(f"{JUDGED}: unknown verdicts {unknown}; expected one of {VERDICTS}")
    return verdicts


def tally(results: dict[str, list], verdicts: dict, pool: set[tuple[str, str]]) -> dict:
    """Verdict counts and precision of one system's skills; pooled recall = right skills it
    returns / right skills any system of the run returns for the same documents."""
    counts = {verdict: 0 for verdict in (*VERDICTS, "not_judged")}
    wrong = []
    for document, skills in results.items():
        for skill in skills:
            verdict = verdicts.get((document, skill.uri), "not_judged")
            counts[verdict] += 1
            if verdict == "wrong":
                wrong.append(skill.label)
    judged = sum(counts[v] for v in VERDICTS)
    pooled = {(document, uri) for document, uri in pool if document in results}
    return {"documents": len(results), "extracted": sum(counts.values()), **counts,
            "precision_right_only": round(counts["right"] / max(judged, 1), 3),
            "precision_borderline_as_right": round((counts["right"] + counts["borderline"]) / max(judged, 1), 3),
            "pooled_recall_right": round(counts["right"] / max(len(pooled), 1), 3),
            "skills_per_document": round(sum(counts.values()) / max(len(results), 1), 1),
            "wrong_examples": sorted(set(wrong))[:40]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=os.environ.get("SKILLMATCH_DATA", "../shared/data"))
    parser.add_argument("--cache-dir", default=None)
    parser.add_argument("--model", action="append", default=[], help="model folder or name (repeatable)")
    parser.add_argument("--review", action="store_true", help="print the unjudged skills with their evidence")
    parser.add_argument("--out", default=str(RESULTS))
    args = parser.parse_args()
    from skillmatch.extract import SkillExtractor
    from skillmatch.ontology import load_taxonomy

    data = Path(args.data)
    taxonomy = load_taxonomy(data, args.cache_dir)
    chosen = documents(data)
    verdicts = read_verdicts()
    systems = []
    for model in args.model or [None]:
        shipped = SkillExtractor(taxonomy, model=model, cache_dir=args.cache_dir)
        name = str(model or "default")
        systems.append((name, shipped))
        systems.append((f"{name}, every semantic skill above the threshold (semantic_threshold 0)",
                        shipped.variant(replace(shipped.settings, semantic_threshold=0.0))))
        if shipped.spec.statements or shipped.spec.mentions:
            systems.append((f"{name} without the statement and mention gates, semantic_threshold 0",
                            shipped.variant(replace(shipped.settings, mention_gate=False, statement_gate="off",
                                                    semantic_threshold=0.0))))
    report = {"benchmark": "judged_precision", "date": time.strftime("%Y-%m-%d"),
              "command": "python benchmarks/judged_precision.py " + " ".join(f"--model {m}" for m in args.model),
              "documents": {f"batch {b}": [d for d, _, batch in chosen if batch == b] for b in BATCHES},
              "verdicts": JUDGED.name, "systems": {}}
    extracted = {name: {document: extractor.extract(text, document).skills for document, text, _ in chosen}
                 for name, extractor in systems}
    pool = {(document, skill.uri) for results in extracted.values() for document, skills in results.items()
            for skill in skills if verdicts.get((document, skill.uri)) == "right"}
    unjudged = {}
    for (name, extractor), results in zip(systems, extracted.values()):
        record = report["systems"][name] = {"model": extractor.version, "threshold": extractor.threshold,
                                            "semantic_threshold": extractor.settings.semantic_threshold,
                                            "all": tally(results, verdicts, pool)}
        for b in BATCHES:
            record[f"batch {b}"] = tally({d: results[d] for d, _, batch in chosen if batch == b}, verdicts, pool)
        for document, skills in results.items():
            for skill in skills:
                if (document, skill.uri) not in verdicts:
                    unjudged.setdefault((document, skill.uri), skill)
        for part in ("all", *(f"batch {b}" for b in BATCHES)):
            print(f"{name} [{part}]: " + json.dumps({k: v for k, v in record[part].items() if k != "wrong_examples"}),
                  flush=True)
    if args.review:
        print("document,uri,label,verdict  # evidence")
        for (document, uri), skill in sorted(unjudged.items()):
            best = skill.evidence[0]
            shown = best.sentence[:220].replace("\n", " ")
            match = f" [{best.matched_text}]" if best.matched_text else ""
            print(f'{document},{uri},"{skill.label}",  # {best.method} {best.score:.2f} {best.zone}{match} :: {shown}')
        return
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
