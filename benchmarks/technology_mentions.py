"""O*NET technologies in real postings: precision of the literal hits, recall of O*NET's own list.

Postings: the Indeed data-science postings (`jobposts/indeed_data_science_postings.csv`)
whose title names a data scientist, all of the O*NET occupation 15-2051.00 Data Scientists.

- **Precision**: every technology the shipped extractor finds by a literal match in the
  postings; a sample of them (the smallest hashes of their keys) was read by hand (is this span a mention of that
  product?) and the verdicts are kept in `benchmarks/data/technology_hits_judged.csv`, keyed
  by posting id, character offsets and technology URI (no posting text is stored). Hits not
  judged yet (another model, another sample) are counted and left out, never guessed.
- **Recall**: for each of the first `--recall-postings` postings, O*NET's technology list
  for the occupation gives the candidates; a candidate is in the gold set when the posting
  names it — a loose, case-insensitive match of the full name or of its distinctive last
  word ("Microsoft Excel" → "Excel"), each of them read by hand too (same verdict file,
  `kind = gold`). Recall = gold technologies the extractor returns / gold technologies.
- Baseline in the same run: exact, case-insensitive full-name substring matching of the
  occupation's O*NET technology names (what a keyword search over the O*NET list would do).
  Technologies that duplicate an ESCO skill ("Python", "SQL") count as found when the ESCO
  skill is extracted.

    python benchmarks/technology_mentions.py [--data DIR] [--sample 120] [--review]

`--review` prints the sampled hits and gold candidates with context for a person to judge
(paste the verdicts into the CSV). Writes benchmarks/results/technology_mentions.json.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import hashlib
import re
import sys
import time
from pathlib import Path

from results_file import write_results

HERE = Path(__file__).parent
RESULTS = HERE / "results" / "technology_mentions.json"
JUDGED = HERE / "data" / "technology_hits_judged.csv"
OCCUPATION = "https://w3id.org/skillmatch/onet/occupation/15-2051.00"
GENERIC_LAST_WORDS = {"software", "server", "database", "system", "systems", "suite", "office", "studio", "cloud",
                      "platform", "services", "language", "framework", "tools", "r", "go", "c"}


def postings(data: Path) -> list[tuple[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with open(data / "jobposts" / "indeed_data_science_postings.csv", encoding="utf-8") as handle:
        return [(row["job_posting"], row["body"]) for row in csv.DictReader(handle)
                if "data scientist" in row["title"].lower()]


def loose_patterns(label: str) -> list[re.Pattern]:
    names = [label]
    last = label.split()[-1]
    if len(label.split()) > 1 and last.lower() not in GENERIC_LAST_WORDS and len(last) > 2:
        names.append(last)
    return [re.compile(r"(?<![\w.])" + re.escape(n) + r"(?![\w])", re.IGNORECASE) for n in names]


def read_verdicts() -> dict[tuple, str]:
    if not JUDGED.exists():
        return {}
    with open(JUDGED, encoding="utf-8") as handle:
        return {(r["kind"], r["posting"], r["start"], r["end"], r["uri"]): r["verdict"] for r in csv.DictReader(handle)}


def context(text: str, start: int, end: int, width: int = 70) -> str:
    return (text[max(0, start - width):start] + "[[" + text[start:end] + "]]" + text[end:end + width]).replace("\n", " ")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=os.environ.get("SKILLMATCH_DATA", "../shared/data"))
    parser.add_argument("--sample", type=int, default=120)
    parser.add_argument("--recall-postings", type=int, default=25)
    parser.add_argument("--review", action="store_true", help="print what is to be judged, with context")
    parser.add_argument("--out", default=str(RESULTS))
    args = parser.parse_args()
    from skillmatch.extract import SkillExtractor
    from skillmatch.extract.technology import folded

    data = Path(args.data)
    extractor = SkillExtractor.from_data(data)
    taxonomy = extractor.taxonomy
    found = postings(data)
    verdicts = read_verdicts()
    hits = []  # (posting, start, end, uri, matched text)
    extracted: dict[str, set[str]] = {}
    for posting, text in found:
        result = extractor.extract(text, posting)
        extracted[posting] = {s.uri for s in result.skills}
        for skill in result.skills:
            if skill.skill_type != "technology":
                continue
            for evidence in skill.evidence:
                if evidence.method in ("literal", "both") and evidence.match_start is not None:
                    hits.append((posting, evidence.match_start, evidence.match_end, skill.uri, evidence.matched_text))
    texts = dict(found)
    # the sample is the hits with the smallest hash of their key: a hit keeps its place (and its
    # verdict) when the extractor changes elsewhere; only new hits need reading
    sample = sorted(hits, key=lambda h: hashlib.blake2b(f"{h[0]}|{h[1]}|{h[2]}|{h[3]}".encode(),
                                                        digest_size=8).digest())[:args.sample]
    judged = [(h, verdicts.get(("hit", h[0], str(h[1]), str(h[2]), h[3]))) for h in sample]
    if args.review:
        print("kind,posting,start,end,uri,verdict  # context")
        for (posting, start, end, uri, _), verdict in judged:
            print(f"hit,{posting},{start},{end},{uri},{verdict or ''}  # {taxonomy.label(uri)} :: "
                  f"{context(texts[posting], start, end)}")

    technologies = taxonomy.technology_skills(OCCUPATION)
    gold_candidates = []
    keyword_hits: dict[str, set[str]] = {}
    for posting, text in found[:args.recall_postings]:
        lowered = text.lower()
        keyword_hits[posting] = {t["uri"] for t in technologies if t["label"].lower() in lowered}
        for technology in technologies:
            for pattern in loose_patterns(technology["label"]):
                match = pattern.search(text)
                if match:
                    gold_candidates.append((posting, match.start(), match.end(), technology["uri"]))
                    break
    gold_judged = [(g, verdicts.get(("gold", g[0], str(g[1]), str(g[2]), g[3]))) for g in gold_candidates]
    if args.review:
        for (posting, start, end, uri), verdict in gold_judged:
            print(f"gold,{posting},{start},{end},{uri},{verdict or ''}  # {taxonomy.label(uri)} :: "
                  f"{context(texts[posting], start, end)}")
        return

    right = sum(v == "right" for _, v in judged)
    wrong = sum(v == "wrong" for _, v in judged)
    gold = [g for g, v in gold_judged if v == "right"]
    # a technology that duplicates an ESCO skill ("Python") is reported as the ESCO skill; so is
    # one whose closing word is an ESCO skill's label ("Structured query language SQL" → SQL)
    same = folded(taxonomy)

    def equivalents(uri: str) -> set[str]:
        last = taxonomy.label(uri).split()[-1]
        return {uri, same.get(uri, uri)} | {s.uri for s in taxonomy.find(last, "skill") if s.label == last}

    found_in = {g: bool(equivalents(g[3]) & extracted[g[0]]) for g in gold}
    recall_found = sum(found_in.values())
    keyword_found = sum(g[3] in keyword_hits[g[0]] for g in gold)
    keyword_total = sum(len(v) for v in keyword_hits.values())
    report = {
        "benchmark": "technology_mentions", "date": time.strftime("%Y-%m-%d"), "model": extractor.version,
        "command": "python benchmarks/technology_mentions.py",
        "postings": f"jobposts/indeed_data_science_postings.csv, title names a data scientist ({len(found)})",
        "literal_technology_hits": len(hits),
        "distinct_technologies_hit": len({h[3] for h in hits}),
        "precision": {"sampled": len(sample), "judged": right + wrong, "right": right, "wrong": wrong,
                      "not_judged": len(sample) - right - wrong,
                      "precision": round(right / max(right + wrong, 1), 3),
                      "wrong_examples": sorted({taxonomy.label(h[3]) for h, v in judged if v == "wrong"})},
        "recall": {"postings": min(args.recall_postings, len(found)), "occupation": "O*NET 15-2051.00 Data Scientists",
                   "occupation_technologies": len(technologies), "gold_candidates": len(gold_candidates),
                   "gold_confirmed_by_hand": len(gold),
                   "not_judged": sum(v is None for _, v in gold_judged),
                   "skillmatch_recall": round(recall_found / max(len(gold), 1), 3),
                   "baseline_full_name_keyword_recall": round(keyword_found / max(len(gold), 1), 3),
                   "baseline_full_name_keyword_hits": keyword_total,
                   "missed": sorted({taxonomy.label(g[3]) for g in gold if not found_in[g]})}}
    write_results(args.out, report)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
