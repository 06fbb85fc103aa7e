"""Skills extracted from whole real documents, read by hand as a recruiter would: is each one
stated by the document (a requirement of the posting, experience or a skill of the resume)?

SkillSpan's spans (``extraction_precision.py``) judge many more skills, but their annotators
left technology lists and some requirements unmarked and count a semantic skill right whenever
its sentence holds any span; here a person reads every extracted skill with its evidence.
Documents, picked by a rule that does not look at any output (the smallest hashes of their
ids): Indeed data-science postings, Google postings (``Responsibilities`` + both
qualification fields) and resumes of ``UpdatedResumeDataSet`` from several categories.
Systems side by side: each ``--model`` as shipped, without its verdict gate, with every semantic
skill above its threshold (``semantic_threshold`` 0, verdict gate off) and, for a model with
gates, without any gate too.

The verdict gate is fitted on these verdicts (``skillmatch model fit-verdicts``), so on the
documents it saw its figures are in sample. Two out-of-sample readings are reported beside them:
the shipped model on any judged document its gate never saw (``unseen by the verdict gate``;
which gate each batch was read with is noted beside ``BATCHES``, and from batch 3 on each held-out run is
kept as ``results/judged_precision_holdout_batch{N}.json``), and a cross-fitted system whose every
document is judged by a gate fitted, the same way, on the other judged documents only, at the
gate's threshold and at each ``--verdict-sweep`` threshold.

Verdicts live in ``benchmarks/data/document_skills_judged.csv`` keyed by document id and skill
URI (no document text is stored): ``right`` (the document states it), ``borderline`` (related
or implied, e.g. "operating systems" from "Linux"), ``wrong``. A skill not judged yet (a new
model, a new document) is counted as such and left out of the precision, never guessed;
``--review`` prints the unjudged ones with their evidence for a person to judge. ``--reread N``
prints N judged skills (drawn by hash, with their evidence and without their verdict) for a
second reading kept in ``benchmarks/data/document_skills_reread.csv``; the report then gives
the reader's agreement with themself (``second reading``), which says how many points of
precision are within the noise of the verdicts, and each system's re-read skills right by either
reading, over all documents and over those its verdict gate never saw. Document ids and texts:
:func:`skillmatch.train.verdicts.real_documents`.

    python benchmarks/judged_precision.py [--data DIR] [--model M ...] [--review | --reread N [--reread-batch B ...]
                                          [--reread-system NAME]]
                                          [--verdict-sweep T ...]
    python benchmarks/judged_precision.py --gate-documents LAST_BATCH   # names the documents make train fits on

Writes benchmarks/results/judged_precision.json.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from skillmatch.train.verdicts import VERDICTS

from results_file import write_results

HERE = Path(__file__).parent
RESULTS = HERE / "results" / "judged_precision.json"
JUDGED = HERE / "data" / "document_skills_judged.csv"
# A second reading of a sample of judged skills, made without the first verdict in view: how far
# one reader agrees with themself bounds how finely the precision figures can be read.
REREAD = HERE / "data" / "document_skills_reread.csv"
# The documents whose verdicts make train and make fast-model fit the verdict gates on: the first batches
# read, so that every later batch is held out for the shipped gates.
GATE_DOCUMENTS = HERE / "data" / "verdict_gate_documents.txt"
# (Indeed postings, Google postings, resume categories) of each batch. Batch 1 was read before
# the semantic threshold was set (its rule came from reading it); batch 2 only after, so its
# figures are out of sample for that rule; batch 3 only after a verdict gate was fitted on
# batches 1 and 2; batch 4 only after a verdict gate was fitted on batches 1 to 3; batch 5 only after
# the verdict gate of 2.4.0 (which also reads the skill and its matched words) was fitted on batches 1 to 4;
# batch 6 only after the 2.4.0 gate was refitted on batches 1 to 5; batch 7 only after the shipped 2.4.0
# gate was refitted on batches 1 to 6 (a category named twice gives its next resume by hash); batch 8
# (the categories of batches 1 and 2 not yet read twice) only after it was refitted on batches 1 to 7;
# batch 9 (the categories of batch 3, each's next resume by hash) with that gate unchanged, so that batch 9
# is held out for it as batch 8 is; batch 10 (the categories of batch 4, each's next resume by hash) with the
# gate of 2.5.0 (fitted on batches 1 to 7) unchanged, read before any gate saw batches 8 and 9; batch 11 (the
# categories of batch 5, each's next resume by hash) and batch 12 (those of batch 6) with the gate of 2.6.0 (fitted
# on batches 1 to 9) unchanged, so that batches 10 to 12 were all held out for that gate; batch 13 (the
# categories of batch 7, each's next resume by hash) only after the gates of 2.7.0 were fitted on batches 1 to 12,
# and batches 14 to 16 (those of batches 8 to 10) with them unchanged, so that batches 13 to 16 were all held out
# for those gates; batch 17 (the categories of batch 11, each's next resume by hash) only after the gates of 2.8.0
# were fitted on batches 1 to 16, and batch 18 (those of batch 12) with them unchanged, so that batches 17 and 18
# are held out for those gates; batch 19 (the categories of batch 13, each's next resume by hash) only after the
# gates of 2.9.0 were refitted on batches 1 to 16 (the zoning and letter rules of 2.9.0 came from reading
# batches 1 to 18), so that batch 19 is held out for everything the shipped model does; batch 20 (the categories
# of batch 14, each's next resume by hash) with 2.9.0 unchanged, so that batches 19 and 20 are both; batch 21 (the
# categories of batch 15, each's next resume by hash) with 2.10.0 unchanged (its gates are 2.9.0's, at a threshold
# set from the second reading of batches 17 to 19), so that batch 21 is held out for everything 2.10.0 does.
BATCHES = {1: (4, 2, ("Java Developer", "HR", "Sales", "Mechanical Engineer")),
           2: (4, 2, ("Data Science", "Testing", "Operations Manager", "Civil Engineer")),
           3: (4, 2, ("DevOps Engineer", "Business Analyst", "Electrical Engineering", "Arts")),
           4: (4, 2, ("Python Developer", "Health and fitness", "Network Security Engineer", "Advocate")),
           5: (4, 2, ("Web Designing", "PMO", "Database", "SAP Developer")),
           6: (4, 2, ("Blockchain", "ETL Developer", "DotNet Developer", "Automation Testing")),
           7: (4, 2, ("Hadoop", "Sales", "Mechanical Engineer", "Operations Manager")),
           8: (4, 2, ("Java Developer", "HR", "Data Science", "Testing")),
           9: (4, 2, ("DevOps Engineer", "Business Analyst", "Electrical Engineering", "Arts")),
           10: (4, 2, ("Python Developer", "Health and fitness", "Network Security Engineer", "Advocate")),
           11: (4, 2, ("Web Designing", "PMO", "Database", "SAP Developer")),
           12: (4, 2, ("Blockchain", "ETL Developer", "DotNet Developer", "Automation Testing")),
           13: (4, 2, ("Hadoop", "Sales", "Mechanical Engineer", "Operations Manager")),
           14: (4, 2, ("Java Developer", "HR", "Data Science", "Testing")),
           15: (4, 2, ("DevOps Engineer", "Business Analyst", "Electrical Engineering", "Arts")),
           16: (4, 2, ("Python Developer", "Health and fitness", "Network Security Engineer", "Advocate")),
           17: (4, 2, ("Web Designing", "PMO", "Database", "SAP Developer")),
           18: (4, 2, ("Blockchain", "ETL Developer", "DotNet Developer", "Automation Testing")),
           19: (4, 2, ("Hadoop", "Sales", "Mechanical Engineer", "Operations Manager")),
           20: (4, 2, ("Java Developer", "HR", "Data Science", "Testing")),
           21: (4, 2, ("DevOps Engineer", "Business Analyst", "Electrical Engineering", "Arts"))}


def _hash(text: str) -> bytes:
    """A fixed pseudo-random order that looks at no output: documents and re-read skills are drawn by it."""
    return hashlib.blake2b(text.encode(), digest_size=8).digest()


def _by_hash(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return sorted(items, key=lambda item: _hash(item[0]))


def documents(data: Path) -> list[tuple[str, str, int]]:
    """(id, text, batch) of the judged documents (see :func:`skillmatch.train.verdicts.real_documents`)."""
    from skillmatch.train.verdicts import real_documents

    first: dict[str, dict[str, tuple[str, str]]] = {}  # group -> key -> first (id, text)
    for id_, text, group in real_documents(data):
        key = id_ if group in ("indeed", "google") else text  # the resume data set repeats resumes
        first.setdefault(group, {}).setdefault(key, (id_, text))
    ordered = {group: _by_hash(list(kept.values())) for group, kept in first.items()}
    chosen, taken = [], {}  # a group named again (a resume category in a later batch) gives its next documents
    for batch, (indeed_count, google_count, categories) in BATCHES.items():
        for group, count in (("indeed", indeed_count), ("google", google_count), *((c, 1) for c in categories)):
            start = taken.get(group, 0)
            available = ordered.get(group, [])
            drawn = available[start:start + count]
            if len(drawn) < count:  # a short batch would shift every later one and shrink the held-out figures
                raise ValueError(f"batch {batch} takes documents {start + 1}-{start + count} of {group!r}, but "
                                 f"{data} holds {len(available)} distinct ones")
            chosen += [(id_, text, batch) for id_, text in drawn]
            taken[group] = start + count
    return chosen


def write_gate_documents(chosen: list[tuple[str, str, int]], last_batch: int, path: Path = GATE_DOCUMENTS) -> None:
    """Name batches 1 to ``last_batch`` for the next refit of the verdict gates, so that which
    documents a gate saw is settled by a command before any later batch is read."""
    if last_batch not in BATCHES:
        raise SystemExit(f"--gate-documents {last_batch}: no such batch (batches 1-{max(BATCHES)})")
    header = (f"# The documents of batches 1-{last_batch} of benchmarks/judged_precision.py, one id per line, written by\n"
              f"# `python benchmarks/judged_precision.py --gate-documents {last_batch}`: make train and make fast-model fit the\n"
              f"# verdict gates on their verdicts, so the batches read after them ({last_batch + 1} on) stay held out.\n")
    path.write_text(header + "".join(f"{document}\n" for document, _, batch in chosen if batch <= last_batch),
                    encoding="utf-8")


def read_verdicts(path: Path = JUDGED) -> dict[tuple[str, str], str]:
    from skillmatch.train.verdicts import read_verdicts as read

    return read(path) if path.exists() else {}


def reader_agreement(first: dict[tuple[str, str], str], second: dict[tuple[str, str], str]) -> dict:
    """Agreement of the second reading with the first, on the three verdicts and on the gate's own
    label (right against borderline or wrong), raw and chance-corrected (Cohen's kappa)."""
    from sklearn.metrics import cohen_kappa_score

    keys = sorted(set(first) & set(second))
    a, b = [first[k] for k in keys], [second[k] for k in keys]
    a_right, b_right = [v == "right" for v in a], [v == "right" for v in b]
    return {"skills": len(keys),
            "agreement": round(float(np.mean([x == y for x, y in zip(a, b)])), 3),
            "cohen_kappa": round(float(cohen_kappa_score(a, b)), 3),
            "agreement_right_vs_other": round(float(np.mean([x == y for x, y in zip(a_right, b_right)])), 3),
            "cohen_kappa_right_vs_other": round(float(cohen_kappa_score(a_right, b_right)), 3),
            "right_share": {"first reading": round(float(np.mean(a_right)), 3),
                            "second reading": round(float(np.mean(b_right)), 3)},
            "confusion (first reading -> second)": {v: {w: sum(x == v and y == w for x, y in zip(a, b))
                                                        for w in VERDICTS} for v in VERDICTS}}


def reread_right_shares(results: dict[str, list], first: dict, second: dict) -> dict:
    """Right share, by each reading, of the re-read skills one system returns: how far its
    precision would move had the second reading been the only one."""
    keys = sorted({(document, skill.uri) for document, skills in results.items() for skill in skills}
                  & set(first) & set(second))
    shares = {name: round(float(np.mean([reading[k] == "right" for k in keys])), 3) if keys else None
              for name, reading in (("first reading", first), ("second reading", second))}
    return {"skills": len(keys), **shares}


def print_for_reading(skills: dict[tuple[str, str], object]) -> None:
    """Skills with their best evidence, as CSV rows with an empty verdict for a person to fill."""
    print("document,uri,label,verdict  # evidence")
    for (document, uri), skill in sorted(skills.items()):
        best = skill.evidence[0]
        shown = best.sentence[:220].replace("\n", " ")
        match = f" [{best.matched_text}]" if best.matched_text else ""
        print(f'{document},{uri},"{skill.label}",  # {best.method} {best.score:.2f} {best.zone}{match} :: {shown}')


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


def cross_fitted_gates(examples: dict[str, list], verdicts: dict) -> dict[str, object]:
    """For each document of ``examples`` (every semantic skill), a verdict gate fitted, as
    ``skillmatch model fit-verdicts`` fits it, on the judged skills of the other documents only."""
    from skillmatch.extract.verdicts import verdict_features
    from skillmatch.train.verdicts import fit_verdict_gate

    rows = [(document, verdict_features(skill), verdicts[(document, skill.uri)] == "right")
            for document, skills in examples.items() for skill in skills if (document, skill.uri) in verdicts]
    gates = {}
    for document in examples:
        train = [row for row in rows if row[0] != document]
        gates[document] = fit_verdict_gate([f for _, f, _ in train], np.array([y for *_, y in train], dtype=int),
                                           np.array([d for d, _, _ in train]))
    return gates


def cross_fitted(population: dict[str, list], gates: dict[str, object]) -> dict[str, list]:
    """Each document's skills (``population``: what the verdict gate judges) with the probability
    its own document's gate (:func:`cross_fitted_gates`) gives them and that gate's threshold: the
    gate's out-of-sample judgement, as ``(skill, probability, threshold)``."""
    from skillmatch.extract.verdicts import verdict_features

    return {document: [(skill, gates[document].probability(verdict_features(skill)), gates[document].threshold)
                       for skill in skills] for document, skills in population.items()}


def rule_before_2_5(name: str, extractor) -> list[tuple[str, object]]:
    """2.4.0's rule for a model whose verdict gate judges every semantic skill (2.5.0 on): semantic
    skills at P >= 0.5, then the gate at 0.5 — the system it replaced, side by side in one run."""
    from skillmatch.extract.extractor import SEMANTIC_THRESHOLD

    if not extractor.spec.verdicts or extractor.semantic_threshold == SEMANTIC_THRESHOLD:
        return []
    return [(f"{name}, semantic skills at P >= 0.5 before a verdict gate at 0.5 (2.4.0's rule)",
             extractor.variant(replace(extractor.settings, semantic_threshold=SEMANTIC_THRESHOLD,
                                       verdict_threshold=0.5)))]


def line_hints(results: dict, verdicts: dict) -> dict:
    """The skills a match explanation points at with a document's line when a job requires them
    and extraction did not keep them (in the soft profile at P >= UNCONFIRMED_MIN_P): the reader's
    verdicts on them, by kind of document — how often such a line names a skill judged right."""
    from skillmatch.match.scoring import UNCONFIRMED_MIN_P

    counts: dict[str, dict] = {}
    for document, result in results.items():
        kept_uris = {skill.uri for skill in result.skills}
        group = counts.setdefault(document.split(":")[0], {v: 0 for v in (*VERDICTS, "not_judged")})
        for uri, _, _, _, best in result.skill_profile:
            if uri not in kept_uris and best >= UNCONFIRMED_MIN_P:
                group[verdicts.get((document, uri), "not_judged")] += 1
    for group in counts.values():
        judged = sum(group[v] for v in VERDICTS)
        group["right_share"] = round(group["right"] / max(judged, 1), 3)
        group["right_or_borderline_share"] = round((group["right"] + group["borderline"]) / max(judged, 1), 3)
    return counts


def unseen_by_gate(extractor, results: dict) -> dict:
    """``results`` of the documents the extractor's verdict gate was not fitted on."""
    seen = set(extractor.spec.verdict_gate().provenance.get("documents", ()))
    return {document: result for document, result in results.items() if document not in seen}


def kept(judged: dict[str, list], threshold: float | None = None) -> dict[str, list]:
    """The skills a cross-fitted gate keeps at ``threshold``, or at each document's gate's own."""
    return {document: [skill for skill, p, own in triples if p >= (own if threshold is None else threshold)]
            for document, triples in judged.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=os.environ.get("SKILLMATCH_DATA", "../shared/data"))
    parser.add_argument("--cache-dir", default=None)
    parser.add_argument("--model", action="append", default=[], help="model folder or name (repeatable)")
    parser.add_argument("--review", action="store_true", help="print the unjudged skills with their evidence")
    parser.add_argument("--reread", type=int, default=0, metavar="N",
                        help="print N judged skills (smallest hashes, not yet re-read) for a second reading")
    parser.add_argument("--reread-batch", type=int, action="append", default=[],
                        help="draw the --reread sample from these batches only (repeatable; default all)")
    parser.add_argument("--reread-system", metavar="NAME",
                        help="draw the --reread sample from the skills this system of the run returns only (a "
                             "shipped model's held-out figure read twice); default every system's")
    parser.add_argument("--verdict-sweep", type=float, nargs="*", default=[0.3, 0.4, 0.5, 0.6, 0.7],
                        help="verdict-gate thresholds to report for the cross-fitted gate")
    parser.add_argument("--gate-documents", type=int, metavar="LAST_BATCH",
                        help=f"write the ids of batches 1 to LAST_BATCH to {GATE_DOCUMENTS.name} (the documents the "
                             "verdict gates are fitted on) and stop")
    parser.add_argument("--out", default=str(RESULTS))
    args = parser.parse_args()
    if args.gate_documents is not None:
        write_gate_documents(documents(Path(args.data)), args.gate_documents)
        return
    from skillmatch.extract import SkillExtractor
    from skillmatch.ontology import load_taxonomy

    data = Path(args.data)
    taxonomy = load_taxonomy(data, args.cache_dir)
    chosen = documents(data)
    verdicts = read_verdicts()
    systems, gated = [], {}
    for model in args.model or [None]:
        shipped = SkillExtractor(taxonomy, model=model, cache_dir=args.cache_dir)
        name = str(model or "default")
        systems.append((name, shipped))
        ungated = shipped.variant(replace(shipped.settings, verdict_gate=False))
        if shipped.spec.verdicts:
            systems.append((f"{name} without the verdict gate", ungated))
            gated[name] = (shipped, f"{name} without the verdict gate")
            systems += rule_before_2_5(name, shipped)
        every = f"{name}, every semantic skill above the threshold (semantic_threshold 0)"
        systems.append((every, ungated.variant(replace(ungated.settings, semantic_threshold=0.0))))
        if shipped.spec.statements or shipped.spec.mentions:
            systems.append((f"{name} without any gate, semantic_threshold 0",
                            shipped.variant(replace(ungated.settings, mention_gate=False, statement_gate="off",
                                                    semantic_threshold=0.0))))
        if shipped.spec.verdicts:
            gated[name] += (every,)
    report = {"benchmark": "judged_precision", "date": time.strftime("%Y-%m-%d"),
              "command": "python benchmarks/judged_precision.py " + " ".join(f"--model {m}" for m in args.model),
              "documents": {f"batch {b}": [d for d, _, batch in chosen if batch == b] for b in BATCHES},
              "verdicts": JUDGED.name, "systems": {}}
    reread = read_verdicts(REREAD)
    if reread:
        report["second reading"] = reader_agreement(verdicts, reread)
        print("second reading: " + json.dumps(report["second reading"]), flush=True)
    outputs = {name: {document: extractor.extract(text, document) for document, text, _ in chosen}
               for name, extractor in systems}
    extracted = {name: {document: result.skills for document, result in results.items()}
                 for name, results in outputs.items()}
    sweeps = {}
    for name, (shipped, ungated_name, every) in gated.items():
        population = every if shipped.semantic_threshold == 0.0 else ungated_name  # what the shipped gate judges
        gates = cross_fitted_gates(extracted[every], verdicts)
        judged = cross_fitted(extracted[population], gates)
        extracted[f"{name}, verdict gate cross-fitted (each document judged by a gate fitted on the others, "
                  f"at that gate's threshold)"] = kept(judged)
        if population != ungated_name:  # side by side, the rule it replaced, judged by the same gates
            extracted[f"{name}, 2.4.0's rule cross-fitted (semantic skills at P >= 0.5, a gate fitted on the "
                      f"others at 0.5)"] = kept(cross_fitted(extracted[ungated_name], gates), 0.5)
        sweeps[name] = {f"{t:.2f}": kept(judged, t) for t in args.verdict_sweep}
    if reread:
        report["second reading"]["right share of the re-read skills each system returns"] = {
            name: reread_right_shares(results, verdicts, reread) for name, results in extracted.items()}
        # the held-out figures read twice: how far a stricter reader would move them
        report["second reading"]["... on the documents the system's verdict gate never saw"] = {
            name: reread_right_shares(unseen_by_gate(shipped, extracted[name]), verdicts, reread)
            for name, (shipped, *_) in gated.items()}
    pool = {(document, skill.uri) for results in extracted.values() for document, skills in results.items()
            for skill in skills if verdicts.get((document, skill.uri)) == "right"}
    unjudged = {}
    extractors = dict(systems)
    for name, results in extracted.items():
        extractor = extractors.get(name)
        record = report["systems"][name] = {"all": tally(results, verdicts, pool)}
        if extractor is not None:
            record.update(model=extractor.version, threshold=extractor.threshold,
                          semantic_threshold=extractor.semantic_threshold)
        for b in BATCHES:
            record[f"batch {b}"] = tally({d: results[d] for d, _, batch in chosen if batch == b}, verdicts, pool)
        if name in gated:
            unseen = unseen_by_gate(gated[name][0], results)
            if unseen:
                record["unseen by the verdict gate"] = tally(unseen, verdicts, pool)
        for document, skills in results.items():
            for skill in skills:
                if (document, skill.uri) not in verdicts:
                    unjudged.setdefault((document, skill.uri), skill)
        for part in record:
            if isinstance(record[part], dict):
                print(f"{name} [{part}]: " + json.dumps({k: v for k, v in record[part].items()
                                                         if k != "wrong_examples"}), flush=True)
    for name in gated:
        report[f"lines shown for missing requirements ({name})"] = line_hints(outputs[name], verdicts)
        print(f"{name} lines shown for missing requirements: "
              + json.dumps(report[f"lines shown for missing requirements ({name})"]), flush=True)
    for name, curve in sweeps.items():
        report[f"verdict_sweep ({name}, cross-fitted)"] = {t: tally(results, verdicts, pool) for t, results in curve.items()}
        for t, record in report[f"verdict_sweep ({name}, cross-fitted)"].items():
            if reread:  # each threshold by both readings of the skills read twice
                record["re-read skills"] = reread_right_shares(curve[t], verdicts, reread)
            print(f"   {name} cross-fitted, verdict_threshold {t}: right {record['precision_right_only']} "
                  f"(+borderline {record['precision_borderline_as_right']}), pooled recall "
                  f"{record['pooled_recall_right']}, {record['skills_per_document']} per document"
                  + (f"; re-read skills {json.dumps(record['re-read skills'])}" if reread else ""), flush=True)
    if args.review:
        print_for_reading(unjudged)
        return
    if args.reread:
        batches = set(args.reread_batch or BATCHES)
        wanted = {document for document, _, batch in chosen if batch in batches}
        if args.reread_system and args.reread_system not in extracted:
            raise SystemExit(f"--reread-system {args.reread_system!r}: no such system (the run has: "
                             f"{', '.join(extracted)})")
        sources = [extracted[args.reread_system]] if args.reread_system else extracted.values()
        returned = {(document, skill.uri): skill for results in sources
                    for document, skills in results.items() if document in wanted for skill in skills}
        candidates = [key for key in returned if key in verdicts and key not in reread]
        drawn = sorted(candidates, key=lambda key: _hash(" ".join(key)))
        print_for_reading({key: returned[key] for key in drawn[:args.reread]})
        return
    write_results(args.out, report)


if __name__ == "__main__":
    main()
