"""Would a recruiter accept the requirements skillmatch reads from a real posting?

Postings: the first 20 postings of `jobposts-google-2018/google_job_skills.csv` (title,
responsibilities, minimum and preferred qualifications). Each posting is prepared as a job
(`Matcher.prepare_job`, blind mode) and 5 of its requirements are sampled (the smallest hashes
of posting and skill, so a requirement keeps its place when others change). Each was read by
hand with the sentence it came from: *accept* when the posting asks for that skill, *reject*
otherwise (a wrong sense, a word read out of context, boilerplate). Verdicts are kept in
`benchmarks/data/requirement_verdicts.csv` by posting number and skill URI (no posting
text); requirements not judged yet are counted, never guessed.

    python benchmarks/requirement_acceptance.py [--data DIR] [--review]

Writes benchmarks/results/requirement_acceptance.json.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import sys
import time
from pathlib import Path

from results_file import write_results

HERE = Path(__file__).parent
RESULTS = HERE / "results" / "requirement_acceptance.json"
VERDICTS = HERE / "data" / "requirement_verdicts.csv"
POSTINGS = 20
PER_POSTING = 5


def postings(data: Path) -> list[str]:
    csv.field_size_limit(sys.maxsize)
    with open(data / "jobposts-google-2018" / "google_job_skills.csv", encoding="utf-8") as handle:
        rows = [row for row, _ in zip(csv.DictReader(handle), range(POSTINGS))]
    return ["\n".join((row["Title"], "", "Responsibilities:", row["Responsibilities"], "",
                       "Minimum qualifications:", row["Minimum Qualifications"], "",
                       "Preferred qualifications:", row["Preferred Qualifications"])) for row in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=os.environ.get("SKILLMATCH_DATA", "../shared/data"))
    parser.add_argument("--review", action="store_true", help="print the sample with its sentences, to judge")
    parser.add_argument("--out", default=str(RESULTS))
    args = parser.parse_args()
    from skillmatch.extract import SkillExtractor
    from skillmatch.match import Matcher

    extractor = SkillExtractor.from_data(Path(args.data))
    matcher = Matcher(extractor)
    verdicts = {}
    if VERDICTS.exists():
        with open(VERDICTS, encoding="utf-8") as handle:
            verdicts = {(int(r["posting"]), r["uri"]): r["verdict"] for r in csv.DictReader(handle)}
    counts = {"requirements": 0, "sampled": 0, "accept": 0, "reject": 0, "not_judged": 0}
    rejected = []
    for number, text in enumerate(postings(Path(args.data))):
        job = matcher.prepare_job(text, f"posting-{number}")
        counts["requirements"] += len(job.requirements)
        sample = sorted(job.requirements, key=lambda r: hashlib.blake2b(
            f"{number}|{r.skill.uri}".encode(), digest_size=8).digest())[:PER_POSTING]
        for requirement in sample:
            counts["sampled"] += 1
            verdict = verdicts.get((number, requirement.skill.uri))
            counts[verdict or "not_judged"] += 1
            if verdict == "reject":
                rejected.append(requirement.skill.label)
            if args.review:
                sentence = requirement.evidence.sentence if requirement.evidence else "(from the title's occupation)"
                print(f"{number},{requirement.skill.uri},{verdict or ''}  # {requirement.skill.label} "
                      f"[{requirement.importance}] :: {sentence[:160]}")
    if args.review:
        return
    judged = counts["accept"] + counts["reject"]
    report = {"benchmark": "requirement_acceptance", "date": time.strftime("%Y-%m-%d"), "model": extractor.version,
              "command": "python benchmarks/requirement_acceptance.py",
              "postings": f"jobposts-google-2018/google_job_skills.csv, first {POSTINGS}", "blind": True,
              "mean_requirements_per_posting": round(counts["requirements"] / POSTINGS, 1), **counts,
              "acceptance": round(counts["accept"] / max(judged, 1), 3), "rejected": sorted(rejected)}
    write_results(args.out, report)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
