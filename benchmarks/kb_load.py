"""Knowledge-base load: cold build vs warm cache load vs parsing the graph with rdflib.

Each phase runs in its own process so its peak RSS is its own. Writes
benchmarks/results/kb_load.json. Usage: python benchmarks/kb_load.py [--data DIR]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from extract_speed import cpu_name, user_environment
from results_file import write_results

RESULTS = Path(__file__).parent / "results" / "kb_load.json"

PHASES = {
    "cold_build": "from skillmatch.ontology import load_taxonomy; t = load_taxonomy(DATA, CACHE)",
    "warm_load": "from skillmatch.ontology import load_taxonomy; t = load_taxonomy(DATA, CACHE)",
    # the label index and the occupation tables load on first use (extraction never reads them)
    "warm_load_all_tables": ("from skillmatch.ontology import load_taxonomy; t = load_taxonomy(DATA, CACHE); "
                             "found = t.skills_by_label('python')"),
    "warm_load_and_sparql": ("from skillmatch.ontology import load_taxonomy; t = load_taxonomy(DATA, CACHE); "
                             "n = list(t.sparql('SELECT (COUNT(*) AS ?n) WHERE { ?s skos:prefLabel ?l }'))"),
    "baseline_rdflib_parse_ntriples": ("from rdflib import Graph; g = Graph(); "
                                       "g.parse(NT, format='nt')"),
}

CHILD = """
import resource, sys, time, json
DATA, CACHE, NT = sys.argv[1], sys.argv[2], sys.argv[3]
start = time.perf_counter()
{code}
seconds = time.perf_counter() - start
print(json.dumps({{"seconds": round(seconds, 3),
                  "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}}))
"""


def run_phase(name: str, data: str, cache: str, nt: str) -> dict:
    code = CHILD.format(code=PHASES[name])
    out = subprocess.run([sys.executable, "-c", code, data, cache, nt], capture_output=True, text=True, check=True,
                         env=user_environment())
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", default=os.environ.get("SKILLMATCH_DATA", "../shared/data"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cache = str(Path(tmp) / "cache")
        nt = str(Path(tmp) / "graph.nt")
        results = {"cold_build": run_phase("cold_build", args.data, cache, nt)}
        warm = [run_phase("warm_load", args.data, cache, nt) for _ in range(3)]
        results["warm_load"] = min(warm, key=lambda r: r["seconds"]) | {"runs": [w["seconds"] for w in warm]}
        results["warm_load_all_tables"] = run_phase("warm_load_all_tables", args.data, cache, nt)
        results["warm_load_and_sparql"] = run_phase("warm_load_and_sparql", args.data, cache, nt)
        # the baseline: what loading the same graph costs without the compiled cache
        import pyoxigraph  # noqa: F401  (dump the cached store as N-Triples for rdflib to parse)
        from skillmatch.ontology import load_taxonomy
        taxonomy = load_taxonomy(args.data, cache)
        store = pyoxigraph.Store.read_only(str(taxonomy.folder / "graph"))
        store.dump(nt, format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph())
        results["baseline_rdflib_parse_ntriples"] = run_phase("baseline_rdflib_parse_ntriples", args.data, cache, nt)
        results["triples"] = taxonomy.info()["counts"]["triples"]
        results["concepts"] = len(taxonomy)
    report = {"benchmark": "kb_load", "date": time.strftime("%Y-%m-%d"), "machine": {
        "cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
        "cpu": cpu_name()},
        "data": args.data, "results": results}
    write_results(RESULTS, report)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
