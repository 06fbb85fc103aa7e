"""Read API over the knowledge base: what extraction, matching and people ask of ESCO/O*NET."""
from __future__ import annotations

import json
import pickle
import threading
import weakref
from collections import deque
from pathlib import Path
from typing import BinaryIO, Iterator

from skillmatch.errors import DataFileError, SkillmatchError
from skillmatch.ontology.compiled import (ALT, CODE, DATASET, DEFERRED_TABLES, DESCRIPTION, HIDDEN, KIND, LABEL,
                                          REUSE, SKILL_TYPE, CompiledTaxonomy, normalize_label)
from skillmatch.types import Concept, Mapping


_REBUILD = "a folder written by `skillmatch kb build`; delete it to rebuild"


class UnknownConceptError(SkillmatchError, KeyError):
    def __str__(self) -> str:
        return str(self.args[0])


class Taxonomy:
    """ESCO and O*NET concepts, hierarchy, occupation profiles and crosswalk links.

    Holds compiled tables only; the rdflib view of the full graph (Oxigraph-backed) opens on
    the first ``sparql`` or ``graph`` call, and a cached knowledge base reads the tables
    extraction never needs (``DEFERRED_TABLES``) on the first call that does.
    """

    def __init__(self, compiled: CompiledTaxonomy, folder: Path | None = None,
                 manifest: dict | None = None, deferred: BinaryIO | None = None) -> None:
        self._data = compiled
        self.folder = folder
        self.manifest = manifest or {}
        self._graph = None
        self._mappings_by_concept: dict[str, list[int]] | None = None
        self._uris: dict[str | None, list[str]] = {}
        self._deferred = deferred
        self._deferred_lock = threading.Lock()
        if deferred is not None:
            weakref.finalize(self, deferred.close)  # never read: closed with the taxonomy

    @classmethod
    def load(cls, folder: str | Path) -> "Taxonomy":
        """The compiled tables of a knowledge-base folder; the deferred ones stay on disk, in a
        file opened now so that a rebuild of the folder while this process runs cannot take
        them away (on POSIX systems, where an open file outlives its name)."""
        folder = Path(folder)
        try:
            with open(folder / "taxonomy.pickle", "rb") as handle:
                compiled = pickle.load(handle)
            manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
            deferred = open(folder / "deferred.pickle", "rb")  # read and closed by _tables
        except (OSError, pickle.UnpicklingError, EOFError, json.JSONDecodeError) as exc:
            raise DataFileError(folder, f"knowledge-base cache is unreadable ({exc})",
                                expected=_REBUILD) from exc
        return cls(compiled, folder, manifest, deferred)

    def __getstate__(self) -> dict:
        """A pickled taxonomy (for a worker process, or a data file carried to a machine without
        the data directory) is whole: the deferred tables are read in first, and neither the
        open file nor the graph view travels."""
        state = dict(vars(self))
        state.update(_data=self._tables(), _deferred=None, _deferred_lock=None, _graph=None)
        return state

    def __setstate__(self, state: dict) -> None:
        vars(self).update(state)
        self._deferred_lock = threading.Lock()

    def _tables(self) -> CompiledTaxonomy:
        """The compiled tables with the deferred ones read in (the lock only until they are:
        blind-mode redaction looks labels up for every word)."""
        if self._deferred is not None:
            with self._deferred_lock:
                handle = self._deferred
                if handle is not None:
                    try:
                        with handle:
                            tables = pickle.load(handle)
                    except (OSError, ValueError, pickle.UnpicklingError, EOFError) as exc:
                        # ValueError: an earlier read failed and closed the file
                        raise DataFileError(handle.name, f"knowledge-base cache is unreadable ({exc})",
                                            expected=_REBUILD) from exc
                    for name in DEFERRED_TABLES:
                        setattr(self._data, name, tables[name])
                    self._deferred = None
        return self._data

    # concepts ---------------------------------------------------------------------------
    def __contains__(self, uri: str) -> bool:
        return uri in self._data.concepts

    def __len__(self) -> int:
        return len(self._data.concepts)

    def concept(self, uri: str) -> Concept:
        row = self._data.concepts.get(uri)
        if row is None:
            raise UnknownConceptError(f"unknown concept URI {uri!r}")
        dataset = self._data.datasets.get(row[DATASET], {})
        return Concept(uri=uri, kind=row[KIND], label=row[LABEL], alt_labels=row[ALT],
                       hidden_labels=row[HIDDEN], description=row[DESCRIPTION], skill_type=row[SKILL_TYPE],
                       reuse_level=row[REUSE], code=row[CODE], source=dataset.get("title", ""),
                       version=dataset.get("version", ""))

    def kind(self, uri: str) -> str:
        return self._data.concepts[uri][KIND] if uri in self._data.concepts else ""

    def label(self, uri: str) -> str:
        return self._data.concepts[uri][LABEL] if uri in self._data.concepts else uri

    def labels(self, uri: str) -> tuple[str, ...]:
        """Preferred label first, then alternative and hidden labels."""
        return self.concept(uri).labels

    def skill_type(self, uri: str) -> str:
        return self.concept(uri).skill_type

    def uris(self, kind: str | None = None) -> list[str]:
        """Concept URIs, optionally of one kind, in a stable (sorted) order. Do not modify the list."""
        if kind not in self._uris:
            self._uris[kind] = sorted(uri for uri, row in self._data.concepts.items() if kind is None or row[KIND] == kind)
        return self._uris[kind]

    def concepts(self, kind: str | None = None) -> Iterator[Concept]:
        for uri in self.uris(kind):
            yield self.concept(uri)

    def find(self, label: str, kind: str | None = None) -> list[Concept]:
        """Concepts having ``label`` as any of their labels, ignoring case and spacing."""
        uris = self._tables().label_index.get(normalize_label(label), ())
        return [self.concept(uri) for uri in uris if kind is None or self.kind(uri) == kind]

    def skills_by_label(self, label: str) -> list[Concept]:
        return self.find(label, "skill")

    def resolve(self, uri_or_label: str) -> list[Concept]:
        """A URI if it is one, else every concept with that label."""
        if uri_or_label in self._data.concepts:
            return [self.concept(uri_or_label)]
        return self.find(uri_or_label)

    # hierarchy ---------------------------------------------------------------------------
    def parents(self, uri: str) -> tuple[str, ...]:
        return self._data.broader.get(uri, ())

    def children(self, uri: str) -> tuple[str, ...]:
        return self._data.narrower.get(uri, ())

    def ancestors(self, uri: str) -> list[str]:
        """All broader concepts, nearest first (breadth-first; skills may have several parents)."""
        return self._walk(uri, self._data.broader)

    def descendants(self, uri: str) -> list[str]:
        return self._walk(uri, self._data.narrower)

    def siblings(self, uri: str) -> list[str]:
        """Other children of this concept's parents."""
        found = {child for parent in self.parents(uri) for child in self.children(parent)}
        found.discard(uri)
        return sorted(found)

    def hierarchy_paths(self, uri: str) -> list[tuple[str, ...]]:
        """Every root-to-concept path of URIs; used to show where a skill sits in ESCO."""
        parents = self.parents(uri)
        if not parents:
            return [(uri,)]
        paths = []
        for parent in parents:
            if parent == uri:
                continue
            for path in self.hierarchy_paths(parent):
                if uri not in path:
                    paths.append((*path, uri))
        return paths or [(uri,)]

    @staticmethod
    def _walk(uri: str, edges: dict[str, tuple[str, ...]]) -> list[str]:
        seen: dict[str, None] = {}
        queue = deque(edges.get(uri, ()))
        while queue:
            node = queue.popleft()
            if node in seen or node == uri:
                continue
            seen[node] = None
            queue.extend(edges.get(node, ()))
        return list(seen)

    # relations ---------------------------------------------------------------------------
    def related_skills(self, uri: str) -> list[tuple[str, str]]:
        """ESCO skill–skill relations in both directions: ``(uri, 'essential'|'optional')``."""
        found = []
        tables = self._tables()
        for table, relation in ((tables.essential_skills, "essential"), (tables.optional_skills, "optional"),
                                (tables.essential_for, "essential"), (tables.optional_for, "optional")):
            found.extend((other, relation) for other in table.get(uri, ()) if self.kind(other) == "skill")
        return sorted(set(found))

    def occupation_skills(self, occupation: str) -> dict[str, tuple[str, ...]]:
        tables = self._tables()
        return {"essential": tables.essential_skills.get(occupation, ()),
                "optional": tables.optional_skills.get(occupation, ())}

    def occupations_for_skill(self, skill: str) -> dict[str, tuple[str, ...]]:
        tables = self._tables()
        essential = tuple(o for o in tables.essential_for.get(skill, ()) if self.kind(o) == "occupation")
        optional = tuple(o for o in tables.optional_for.get(skill, ()) if self.kind(o) == "occupation")
        return {"essential": essential, "optional": optional}

    def technology_skills(self, onet_occupation: str) -> list[dict[str, object]]:
        return [{"uri": tech, "label": self.label(tech), "hot_technology": hot, "in_demand": demand}
                for tech, hot, demand in self._tables().technology.get(onet_occupation, ())]

    def tasks(self, onet_occupation: str) -> list[str]:
        return [self.label(task) for task in self._tables().tasks.get(onet_occupation, ())]

    def tools(self, onet_occupation: str) -> list[str]:
        return [self.label(tool) for tool in self._tables().tools.get(onet_occupation, ())]

    def related_occupations(self, uri: str) -> tuple[str, ...]:
        return self._tables().related.get(uri, ())

    def job_zone(self, onet_occupation: str) -> int | None:
        return self._tables().job_zone.get(onet_occupation)

    def mappings(self, uri: str, provenance: str | None = None) -> list[Mapping]:
        """Crosswalk links touching ``uri``; ``provenance`` filters 'curated' or 'machine'."""
        if self._mappings_by_concept is None:
            index: dict[str, list[int]] = {}
            for position, (source, target, *_rest) in enumerate(self._data.mappings):
                index.setdefault(source, []).append(position)
                index.setdefault(target, []).append(position)
            self._mappings_by_concept = index
        found = [Mapping(*self._data.mappings[i]) for i in self._mappings_by_concept.get(uri, ())]
        return [m for m in found if provenance is None or m.provenance == provenance]

    # provenance and statistics --------------------------------------------------------
    def source(self, uri: str) -> dict[str, str]:
        return dict(self._data.datasets.get(self._data.concepts[uri][DATASET], {}))

    @property
    def datasets(self) -> dict[str, dict[str, str]]:
        return {key: dict(value) for key, value in self._data.datasets.items()}

    @property
    def version(self) -> str:
        """Versions of the loaded releases, e.g. 'esco-1.1.1+onet-29.2', for provenance records."""
        return "+".join(sorted(self._data.datasets)) or "unknown"

    @property
    def fingerprint(self) -> str:
        return self.folder.name if self.folder else "in-memory"

    def info(self) -> dict[str, object]:
        return {"version": self.version, "datasets": self.datasets, "counts": dict(self._data.counts),
                "cache": str(self.folder) if self.folder else None,
                "build_seconds": self.manifest.get("seconds"), "sources": self.manifest.get("sources")}

    # graph access --------------------------------------------------------------------
    @property
    def graph(self):
        """The full unified graph as an rdflib ``Graph`` over the cached Oxigraph store."""
        if self._graph is None:
            if self.folder is None or not (self.folder / "graph").exists():
                raise SkillmatchError("this taxonomy has no stored graph; build it with load_taxonomy()")
            import pyoxigraph
            from oxrdflib import OxigraphStore
            from rdflib import Graph
            from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

            from skillmatch.ontology.namespaces import bind_prefixes

            store = pyoxigraph.Store.read_only(str(self.folder / "graph"))
            self._graph = Graph(store=OxigraphStore(store=store), identifier=DATASET_DEFAULT_GRAPH_ID)
            bind_prefixes(self._graph)
        return self._graph

    def sparql(self, query: str):
        """Run a SPARQL query (the usual prefixes are predeclared); returns rdflib's Result."""
        from skillmatch.ontology.namespaces import PREFIXES

        try:
            return self.graph.query(query, initNs={k: str(v) for k, v in PREFIXES.items()})
        except SkillmatchError:
            raise
        except Exception as exc:  # parser errors come from several libraries
            raise SkillmatchError(f"SPARQL query failed: {exc}") from exc

    def export_turtle(self, destination: str | Path) -> Path:
        """Write the whole graph as Turtle (atomically)."""
        import pyoxigraph

        from skillmatch._io import atomic_write
        from skillmatch.ontology.namespaces import PREFIXES

        destination = Path(destination)
        self.graph  # opens the store, or explains why there is none
        store = pyoxigraph.Store.read_only(str(self.folder / "graph"))
        with atomic_write(destination, "wb") as handle:
            store.dump(handle, format=pyoxigraph.RdfFormat.TURTLE, from_graph=pyoxigraph.DefaultGraph(),
                       prefixes={k: str(v) for k, v in PREFIXES.items()})
        return destination
