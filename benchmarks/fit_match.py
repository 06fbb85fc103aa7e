"""Fit the match score's signal weights and ranges (``skillmatch.match.fitting``) on the fitting set.

Fitting set: LiveCareer resumes (24 categories, 25 sampled per category) × one JD per category
assembled from O*NET (see benchmarks/matchdata.py). It shares no resume, no JD and no
labeller with the sets the matching benchmarks report on (UpdatedResumeDataSet × the
category JDs; match-panoslin-641). Reports the leave-one-JD-out quality of the procedure and,
stores in the model folder the background word frequencies (terms.json: LiveCareer resumes,
Google and Indeed postings), the background skill frequencies (skill_df.json: the fitting
set's documents) and, in its recipe, the weights, ranges and their provenance.

    python benchmarks/fit_match.py [--data DIR] --model models/default

Writes benchmarks/results/fit_match.json.
"""
from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from results_file import write_results

RESULTS = Path(__file__).parent / "results" / "fit_match.json"
BACKGROUND = ("resumes-livecareer-2484 (all), jobposts-google-2018, jobposts/indeed_data_science_postings.csv: "
              "word and word-pair document frequencies, min_df 3")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=os.environ.get("SKILLMATCH_DATA", "../shared/data"))
    parser.add_argument("--cache-dir", default=None)
    parser.add_argument("--model", required=True, help="model folder to fit the matching for (written)")
    parser.add_argument("--per-category", type=int, default=25)
    parser.add_argument("--profile-cache", default=None, help="folder to cache profiles between runs")
    parser.add_argument("--out", default=str(RESULTS))
    args = parser.parse_args()

    from matchdata import background_texts, livecareer_set, profiles

    from skillmatch.extract import ModelSpec, SkillExtractor
    from skillmatch.match import Matcher
    from skillmatch.match.fitting import fit, pair_table, skill_frequencies
    from skillmatch.match.profile import TermWeights
    from skillmatch.match.scoring import Scorer

    started = time.perf_counter()
    data = Path(args.data)
    folder = Path(args.model)
    terms = TermWeights().fit_background(background_texts(data))
    (folder / "terms.json").write_text(json.dumps(terms.to_dict()) + "\n", encoding="utf-8")
    ModelSpec.load(folder).replace(matching={"terms": "terms.json"}).save(folder)
    extractor = SkillExtractor.from_data(data, model=folder, cache_dir=args.cache_dir)
    matcher = Matcher(extractor)
    jds, texts, categories = livecareer_set(data, extractor.taxonomy, args.per_category)
    cache = Path(args.profile_cache) if args.profile_cache else None
    jobs = [matcher.prepare_job(jd["text"], f"jd-{n}") for n, jd in enumerate(jds)]
    resumes = profiles(matcher, texts, "livecareer", cache)
    # the skill_profile IDF comes from the fitting set's own documents (resumes and JDs)
    frequencies = skill_frequencies([*resumes, *(job.profile for job in jobs)])
    scorer = Scorer(extractor.taxonomy, extractor.space, matcher.settings, skill_df=frequencies)
    table = pair_table(scorer, jobs, resumes, lambda i, j: categories[j] in jds[i]["relevant"])
    fitted = fit(table)
    record = {"benchmark": "fit_match", "date": time.strftime("%Y-%m-%d"), "model": extractor.version,
              "fitting_set": {"resumes": "resumes-livecareer-2484 (sampled, seed 0)", "per_category": args.per_category,
                              "jds": "one per LiveCareer category assembled from O*NET 29.2 titles, tasks and hot "
                                     "technologies; 3 real postings per mapped jobposts-google-2018 category",
                              "job_descriptions": len(jds)},
              "blind": matcher.settings.blind, **fitted, "seconds": round(time.perf_counter() - started, 1)}
    print(json.dumps({k: record[k] for k in ("weights", "ranges", "leave_one_job_out", "in_sample")}, indent=2))
    (folder / "skill_df.json").write_text(json.dumps(frequencies, sort_keys=True) + "\n", encoding="utf-8")
    ModelSpec.load(folder).replace(matching={
        "weights": fitted["weights"], "ranges": {k: list(v) for k, v in fitted["ranges"].items()},
        "terms": "terms.json", "skill_df": "skill_df.json",
        "provenance": {"command": f"python benchmarks/fit_match.py --model {args.model}", "date": record["date"],
                       "fitting_set": record["fitting_set"], "background_terms": BACKGROUND,
                       "leave_one_job_out": fitted["leave_one_job_out"]}}).save(folder)
    print(f"wrote the fitted matching into {folder / 'skillmatch.json'}")
    write_results(args.out, record)


if __name__ == "__main__":
    main()
