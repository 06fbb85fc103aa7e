"""Matching cost as the index grows: build time, p50/p95 `match` latency, memory.

Profiles are synthetic at scale: the real extracted profiles of the 166 unique resumes,
replicated with random skill subsets and jittered document vectors (extraction cost is
measured in extract_speed.py). Each size is measured in a fresh process; the baseline in
the same run is brute-force exact cosine over all document vectors (numpy), i.e. what the
FAISS shortlist replaces.

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
import json, resource, sys, time, random
import numpy as np
sys.path.insert(0, sys.argv[4])
from match_quality import load_resumes, JDS
from skillmatch.extract import SkillExtractor
from skillmatch.extract.text import make_document
from skillmatch.match import Matcher
data, size, folder = sys.argv[1], int(sys.argv[2]), sys.argv[3]
extractor = SkillExtractor.from_data(data)
matcher = Matcher(extractor, folder, blind=False)
texts, _ = load_resumes(__import__("pathlib").Path(data))
seeds = []
for text in texts:
    profile, vector = matcher.profile(make_document(text))
    for skill in profile["skills"]:
        skill["evidence"] = skill["evidence"][:1]
    seeds.append((profile, vector))
rng = random.Random(0)
noise = np.random.default_rng(0)
store = matcher.store
store.check_compatible(extractor.version, extractor.taxonomy.version)
started = time.perf_counter()
with store.writing() as db:
    for i in range(size):
        profile, vector = seeds[i % len(seeds)]
        skills = [s for s in profile["skills"] if rng.random() < 0.8]
        jittered = vector + noise.normal(0, 0.02, vector.shape).astype(np.float32)
        jittered /= np.linalg.norm(jittered)
        store.put(db, f"p{i}", "synthetic", f"h{i}", dict(profile, skills=skills), jittered)
insert_seconds = time.perf_counter() - started
started = time.perf_counter()
store.search(seeds[0][1], 10)
index_seconds = time.perf_counter() - started
jds = [json.loads(l)["text"] for l in open(JDS, encoding="utf-8") if l.strip()]
latencies = []
for jd in jds + jds:
    started = time.perf_counter()
    matcher.match(jd, top_k=20)
    latencies.append(time.perf_counter() - started)
vectors = np.vstack([np.frombuffer(r[0], dtype=np.float32) for r in store.db.execute("SELECT vector FROM profiles")])
queries = [extractor.extract_with_embedding(make_document(jd))[1] for jd in jds]
brute = []
for q in queries + queries:
    started = time.perf_counter()
    np.argsort(-(vectors @ q))[:200]
    brute.append(time.perf_counter() - started)
faiss_times = []
for q in queries + queries:
    started = time.perf_counter()
    store.search(q, 200)
    faiss_times.append(time.perf_counter() - started)
print(json.dumps({"profiles": size, "insert_seconds": round(insert_seconds, 2),
                  "vector_index_build_seconds": round(index_seconds, 2),
                  "vector_index": store.info()["vector_index"],
                  "match_p50_ms": round(1000 * float(np.percentile(latencies, 50)), 1),
                  "match_p95_ms": round(1000 * float(np.percentile(latencies, 95)), 1),
                  "shortlist_search_p50_ms": round(1000 * float(np.percentile(faiss_times, 50)), 2),
                  "baseline_numpy_exact_search_p50_ms": round(1000 * float(np.percentile(brute, 50)), 2),
                  "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                  "index_folder_mb": round(sum(p.stat().st_size for p in __import__("pathlib").Path(folder).iterdir()) / 2**20, 1)}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=os.environ.get("SKILLMATCH_DATA", "../shared/data"))
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
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
    report = {"benchmark": "match_speed", "date": time.strftime("%Y-%m-%d"), "cpus": os.cpu_count(), "results": rows}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
