"""Matching cost as the index grows: JD preparation, `match` latency by stage, memory.

Profiles are synthetic at scale: the real extracted profiles of the 166 unique resumes of
`resumes/UpdatedResumeDataSet.csv`, replicated with random skill subsets (80 %) and jittered
document vectors (extraction cost is measured in extract_speed.py). Each size runs in a
fresh process. Side by side in the same run: `Matcher.match` on a prepared job and its stages (vector
shortlist, inverted-index shortlist, compact scoring records read, quick scores, full
records read and explained for the top 25); the path before compact records (every
shortlisted profile read and explained in full); and the baseline of brute-force exact
cosine over every document vector (numpy).
Jobs are the 25 category JDs of benchmarks/data/category_jds.jsonl.

    python benchmarks/match_speed.py [--data DIR] [--sizes 1000 10000 100000]

Writes benchmarks/results/match_speed.json.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results" / "match_speed.json"
HERE = Path(__file__).parent

CHILD = r"""
import dataclasses, json, random, resource, sys, time
from pathlib import Path
import numpy as np
sys.path.insert(0, sys.argv[4])
from matchdata import category_set
from skillmatch.extract import SkillExtractor
from skillmatch.config import MatchConfig
from skillmatch.match import Matcher
from skillmatch.match.profile import Profile
from skillmatch.match.scoring import rank

from results_file import write_results

data, size, folder = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
extractor = SkillExtractor.from_data(data)
matcher = Matcher(extractor, folder, config=MatchConfig(blind=False))
jds, texts, _ = category_set(data)
seeds = [matcher.profile(text, f"seed-{i}") for i, text in enumerate(texts)]
seeds = [dataclasses.replace(p, skills=tuple(dataclasses.replace(s, evidence=s.evidence[:1]) for s in p.skills))
         for p in seeds]
rng = random.Random(0)
noise = np.random.default_rng(0)
store = matcher.store
store.check_compatible(extractor.version, extractor.taxonomy.version, "resumes")
started = time.perf_counter()
with store.writing() as db:
    for i in range(size):
        seed = seeds[i % len(seeds)]
        skills = tuple(s for s in seed.skills if rng.random() < 0.8)
        vector = seed.vector + noise.normal(0, 0.02, seed.vector.shape).astype(np.float32)
        vector /= np.linalg.norm(vector)
        profile = dataclasses.replace(seed, id=f"p{i}", skills=skills, vector=vector, text_hash=f"h{i}")
        store.put(db, profile.id, "synthetic", profile.text_hash, profile.to_dict(), vector,
                  [(s.uri, s.score) for s in skills])
insert_seconds = time.perf_counter() - started
started = time.perf_counter()
store.search(seeds[0].vector, 10)
index_seconds = time.perf_counter() - started

def ms(values, q):
    return round(1000 * float(np.percentile(values, q)), 1)

prepare = []
jobs = []
for jd in jds:
    started = time.perf_counter()
    jobs.append(matcher.prepare_job(jd["text"]))
    prepare.append(time.perf_counter() - started)
latencies = []
stages = {"vector_shortlist": [], "skill_shortlist": [], "read_compact_records": [], "quick_score_shortlist": [],
          "full_read_and_explain_top": []}
before = {"read_full_records": [], "score_all_in_full": [], "total": []}
sizes = []
for job in jobs + jobs:
    started = time.perf_counter()
    matcher.match(job, top_k=20)
    latencies.append(time.perf_counter() - started)
    uris = [r.skill.uri for r in job.requirements]
    size_k = max(matcher.settings.shortlist, 100)
    t0 = time.perf_counter(); by_vector = store.search(job.profile.vector, size_k)
    t1 = time.perf_counter(); by_skill = store.by_skills(uris, size_k)
    rowids = list(dict.fromkeys(by_vector + by_skill))
    sizes.append(len(rowids))
    t2 = time.perf_counter(); compact = [Profile.from_dict(r) for _, r in store.get_for_scoring(rowids)]
    t3 = time.perf_counter(); quick = sorted(compact, key=lambda p: -matcher.scorer.quick_score(job, p))[:25]
    t4 = time.perf_counter(); rank(job, [Profile.from_dict(r) for r in store.get([int(p.id[1:]) + 1 for p in quick])],
                                  matcher.scorer, 20)
    t5 = time.perf_counter()
    for name, seconds in zip(stages, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4)):
        stages[name].append(seconds)
    # the path before compact records: every shortlisted profile read and explained in full
    t6 = time.perf_counter(); full = [Profile.from_dict(r) for r in store.get(rowids)]
    t7 = time.perf_counter(); rank(job, full, matcher.scorer, 20)
    t8 = time.perf_counter()
    before["read_full_records"].append(t7 - t6)
    before["score_all_in_full"].append(t8 - t7)
    before["total"].append((t2 - t0) + (t8 - t6))
vectors = np.vstack([np.frombuffer(r[0], dtype=np.float32) for r in store.db.execute("SELECT vector FROM profiles")])
brute = []
for job in jobs + jobs:
    started = time.perf_counter()
    np.argsort(-(vectors @ job.profile.vector))[:200]
    brute.append(time.perf_counter() - started)
print(json.dumps({"profiles": size, "insert_seconds": round(insert_seconds, 2),
                  "vector_index_build_seconds": round(index_seconds, 2),
                  "vector_index": store.info()["vector_index"],
                  "jd_preparation_p50_ms": ms(prepare, 50), "jd_preparation_p95_ms": ms(prepare, 95),
                  "jd_mean_characters": round(sum(len(j["text"]) for j in jds) / len(jds)),
                  "match_p50_ms": ms(latencies, 50), "match_p95_ms": ms(latencies, 95),
                  "stages_p50_ms": {name: ms(values, 50) for name, values in stages.items()},
                  "stages_p95_ms": {name: ms(values, 95) for name, values in stages.items()},
                  "shortlist_size_mean": round(float(np.mean(sizes)), 1),
                  "before_full_records_p50_ms": {name: ms(values, 50) for name, values in before.items()},
                  "before_full_records_p95_ms": {name: ms(values, 95) for name, values in before.items()},
                  "baseline_numpy_exact_search_p50_ms": ms(brute, 50),
                  "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                  "index_folder_mb": round(sum(p.stat().st_size for p in Path(folder).iterdir()) / 2**20, 1)}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=os.environ.get("SKILLMATCH_DATA", "../shared/data"))
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--out", default=str(RESULTS))
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            out = subprocess.run([sys.executable, "-c", CHILD, args.data, str(size), folder, str(HERE)],
                                 capture_output=True, text=True)
            if out.returncode != 0:
                raise SystemExit(out.stderr[-3000:])
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
            print(json.dumps(rows[-1]), flush=True)
    report = {"benchmark": "match_speed", "date": time.strftime("%Y-%m-%d"), "cpus": os.cpu_count(),
              "command": "python benchmarks/match_speed.py --sizes " + " ".join(map(str, args.sizes)), "results": rows}
    write_results(args.out, report)


if __name__ == "__main__":
    main()
