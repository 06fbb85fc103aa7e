"""Building the unified graph once and loading its compiled form fast afterwards.

Cache layout, one folder per input fingerprint and code version::

    <cache>/kb/<key>/taxonomy.pickle    compiled tables for the read API
    <cache>/kb/<key>/deferred.pickle    the tables extraction never reads, loaded on first use
    <cache>/kb/<key>/graph/             Oxigraph store of the full graph, for SPARQL and export
    <cache>/kb/<key>/manifest.json      sources, versions, counts, build time

A folder is built under a temporary name and renamed into place, so a crash never leaves a
half-written cache behind.
"""
from __future__ import annotations

import dataclasses
import json
import logging
import os
import pickle
import shutil
import tempfile
import time
from pathlib import Path

from skillmatch import __version__
from skillmatch._io import source_fingerprint
from skillmatch.config import resolve_cache_dir, resolve_data_path
from skillmatch.ontology.sources import DataSources, discover_sources

log = logging.getLogger(__name__)

# Bump when the graph model or the compiled layout changes: old caches are then ignored.
SCHEMA_VERSION = 2


def build_graph(sources: DataSources, language: str = "en", link_candidates: bool = True):
    """Load every source into one rdflib graph, then add the ESCO↔O*NET crosswalk."""
    from rdflib import Graph

    from skillmatch.ontology import crosswalk
    from skillmatch.ontology.esco import load_esco_csv, load_esco_rdf
    from skillmatch.ontology.namespaces import bind_prefixes
    from skillmatch.ontology.onet import load_onet

    graph = Graph()
    bind_prefixes(graph)
    if sources.esco_csv:
        load_esco_csv(graph, sources.esco_csv, language)
    for path in sources.esco_rdf:
        load_esco_rdf(graph, path, language)
    if sources.onet is not None:
        load_onet(graph, sources.onet)
        curated = 0
        if sources.crosswalk is not None:
            curated = crosswalk.load_crosswalk(graph, sources.crosswalk)["added"]
        if link_candidates:
            crosswalk.link_technology_by_label(graph)
            if not curated:
                crosswalk.link_occupations_by_label(graph)
    return graph


def cache_key_prefix() -> str:
    """The part of a knowledge base's cache key this code decides (schema, version, ontology code):
    a folder without it was built by other code, which this code never reads."""
    return f"v{SCHEMA_VERSION}-{__version__}-{source_fingerprint(Path(__file__).parent)}-"


def cache_key(sources: DataSources, language: str) -> str:
    return f"{cache_key_prefix()}{language}-{sources.fingerprint()}"


def _write_store(graph, folder: Path) -> None:
    import pyoxigraph

    nt = folder / "graph.nt"
    graph.serialize(destination=str(nt), format="nt", encoding="utf-8")
    store = pyoxigraph.Store(str(folder / "graph"))
    store.bulk_load(path=str(nt), format=pyoxigraph.RdfFormat.N_TRIPLES)
    store.optimize()
    store.flush()
    del store
    nt.unlink()


def build_knowledge_base(sources: DataSources, target: Path, language: str = "en") -> None:
    """Parse, compile and store everything in ``target`` (created atomically)."""
    from skillmatch.ontology.compiled import DEFERRED_TABLES, compile_graph

    started = time.perf_counter()
    graph = build_graph(sources, language)
    parsed = time.perf_counter()
    compiled = compile_graph(graph)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        deferred = {name: getattr(compiled, name) for name in DEFERRED_TABLES}
        with open(staging / "deferred.pickle", "wb") as handle:
            pickle.dump(deferred, handle, protocol=pickle.HIGHEST_PROTOCOL)
        core = dataclasses.replace(compiled, **{name: None for name in DEFERRED_TABLES})
        with open(staging / "taxonomy.pickle", "wb") as handle:
            pickle.dump(core, handle, protocol=pickle.HIGHEST_PROTOCOL)
        _write_store(graph, staging)
        manifest = {"schema": SCHEMA_VERSION, "skillmatch": __version__, "language": language,
                    "sources": sources.paths(), "datasets": compiled.datasets, "counts": compiled.counts,
                    "seconds": {"parse": round(parsed - started, 2),
                                "total": round(time.perf_counter() - started, 2)}}
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        try:
            os.replace(staging, target)
        except OSError:
            if not (target / "manifest.json").exists():
                raise
            shutil.rmtree(staging, ignore_errors=True)  # a concurrent build finished first
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def load_taxonomy(data: str | Path | None = None, cache_dir: str | Path | None = None, *,
                  language: str = "en", rebuild: bool = False):
    """The knowledge base for ``data`` (default ``$SKILLMATCH_DATA``), built on first use."""
    from skillmatch.ontology.taxonomy import Taxonomy

    sources = discover_sources(resolve_data_path(data))
    folder = resolve_cache_dir(cache_dir) / "kb" / cache_key(sources, language)
    if rebuild and folder.exists():
        shutil.rmtree(folder)
    if not (folder / "manifest.json").exists():
        from skillmatch._progress import done, note

        started = note(f"building the knowledge base from {sources.describe()} — once per data release, "
                       "about a minute for full ESCO + O*NET")
        build_knowledge_base(sources, folder, language)
        done(started, "knowledge base built")
    return Taxonomy.load(folder)
