"""The knowledge base compiled from the rdflib graph into plain dictionaries.

Parsing ~1M triples takes a minute; unpickling these tables takes a fraction of a second,
which is what daily use (extraction, matching) needs. The graph itself stays available for SPARQL in
an Oxigraph store beside the tables.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rdflib import Graph

_SPACE = re.compile(r"\s+")

# concept row layout, kept as tuples because they unpickle several times faster than objects
KIND, LABEL, ALT, HIDDEN, DESCRIPTION, SKILL_TYPE, REUSE, CODE, DATASET = range(9)


def normalize_label(label: str) -> str:
    """Case-, width- and whitespace-insensitive key for label look-ups."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", label).casefold()).strip()


# Tables extraction never reads (occupation profiles, O*NET details, the label index): the
# cache keeps them in a second pickle that loads on first use, which takes about half the
# knowledge base's load off a cold start of extraction
DEFERRED_TABLES = ("label_index", "essential_skills", "optional_skills", "essential_for", "optional_for",
                   "related", "technology", "tools", "tasks", "job_zone")


@dataclass
class CompiledTaxonomy:
    concepts: dict[str, tuple] = field(default_factory=dict)
    broader: dict[str, tuple[str, ...]] = field(default_factory=dict)
    narrower: dict[str, tuple[str, ...]] = field(default_factory=dict)
    essential_skills: dict[str, tuple[str, ...]] = field(default_factory=dict)
    optional_skills: dict[str, tuple[str, ...]] = field(default_factory=dict)
    essential_for: dict[str, tuple[str, ...]] = field(default_factory=dict)
    optional_for: dict[str, tuple[str, ...]] = field(default_factory=dict)
    related: dict[str, tuple[str, ...]] = field(default_factory=dict)
    technology: dict[str, tuple[tuple[str, bool, bool], ...]] = field(default_factory=dict)
    tools: dict[str, tuple[str, ...]] = field(default_factory=dict)
    tasks: dict[str, tuple[str, ...]] = field(default_factory=dict)
    job_zone: dict[str, int] = field(default_factory=dict)
    mappings: tuple[tuple[str, str, str, str, str, float], ...] = ()
    label_index: dict[str, tuple[str, ...]] = field(default_factory=dict)
    datasets: dict[str, dict[str, str]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


def _text(graph: Graph, subject, predicate) -> str:
    value = graph.value(subject, predicate)
    return str(value) if value is not None else ""


def _local(uri) -> str:
    return str(uri).rstrip("/").rsplit("/", 1)[-1] if uri else ""


def _group(pairs) -> dict[str, tuple[str, ...]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for key, value in pairs:
        grouped[str(key)].append(str(value))
    return {key: tuple(sorted(set(values))) for key, values in grouped.items()}


def compile_graph(graph: Graph) -> CompiledTaxonomy:
    """Tabulate what the read API needs; every value comes from the graph, nothing else."""
    # imported here: reading the compiled tables, at every start, must not import rdflib
    from rdflib.namespace import DCTERMS, OWL, RDF, SKOS

    from skillmatch.ontology.namespaces import CONCEPT_KINDS, ESCO, SM

    compiled = CompiledTaxonomy()
    labels: dict[str, dict] = defaultdict(lambda: {"pref": "", "alt": [], "hidden": []})
    for predicate, slot in ((SKOS.prefLabel, "pref"), (SKOS.altLabel, "alt"), (SKOS.hiddenLabel, "hidden")):
        for subject, label in graph.subject_objects(predicate):
            entry = labels[str(subject)]
            if slot == "pref":
                entry["pref"] = str(label)
            else:
                entry[slot].append(str(label))
    datasets = {str(node): {"id": _local(node), "title": _text(graph, node, DCTERMS.title),
                            "version": _text(graph, node, OWL.versionInfo),
                            "licence": _text(graph, node, DCTERMS.license),
                            "origin": _text(graph, node, DCTERMS.source)}
                for node in graph.subjects(RDF.type, SM.Dataset)}
    compiled.datasets = {info["id"]: info for info in datasets.values()}
    kind_counts: dict[str, int] = defaultdict(int)
    for rdf_type, kind in CONCEPT_KINDS.items():
        for subject in graph.subjects(RDF.type, rdf_type):
            uri = str(subject)
            if uri in compiled.concepts:
                continue
            entry = labels.get(uri, {"pref": "", "alt": [], "hidden": []})
            pref = entry["pref"]
            alt = tuple(sorted(set(entry["alt"]) - {pref}))
            hidden = tuple(sorted(set(entry["hidden"]) - {pref} - set(alt)))
            description = _text(graph, subject, DCTERMS.description) or _text(graph, subject, SKOS.definition)
            dataset = datasets.get(str(graph.value(subject, DCTERMS.isPartOf)), {}).get("id", "")
            compiled.concepts[uri] = (kind, pref, alt, hidden, description,
                                      _local(graph.value(subject, ESCO.skillType)),
                                      _local(graph.value(subject, ESCO.skillReuseLevel)),
                                      _text(graph, subject, SKOS.notation), dataset)
            kind_counts[kind] += 1
    compiled.broader = _group(graph.subject_objects(SKOS.broader))
    compiled.narrower = _group(graph.subject_objects(SKOS.narrower))
    compiled.essential_skills = _group(graph.subject_objects(ESCO.hasEssentialSkill))
    compiled.optional_skills = _group(graph.subject_objects(ESCO.hasOptionalSkill))
    compiled.essential_for = _group((o, s) for s, o in graph.subject_objects(ESCO.hasEssentialSkill))
    compiled.optional_for = _group((o, s) for s, o in graph.subject_objects(ESCO.hasOptionalSkill))
    compiled.related = _group(graph.subject_objects(SKOS.related))
    hot = set(graph.subject_objects(SM.hotTechnology))
    in_demand = set(graph.subject_objects(SM.inDemandTechnology))
    technology: dict[str, list] = defaultdict(list)
    for occupation, tech in graph.subject_objects(SM.technologySkill):
        technology[str(occupation)].append((str(tech), (occupation, tech) in hot, (occupation, tech) in in_demand))
    compiled.technology = {key: tuple(sorted(set(values))) for key, values in technology.items()}
    compiled.tools = _group(graph.subject_objects(SM.toolUsed))
    compiled.tasks = _group(graph.subject_objects(SM.hasTask))
    compiled.job_zone = {str(s): int(o) for s, o in graph.subject_objects(SM.jobZone)}
    mappings = []
    for node in graph.subjects(RDF.type, SM.Mapping):
        mappings.append((str(graph.value(node, SM.mappingSource)), str(graph.value(node, SM.mappingTarget)),
                         _local(str(graph.value(node, SM.mappingRelation)).replace("#", "/")),
                         _text(graph, node, SM.provenance), _text(graph, node, SM.mappingMethod),
                         float(graph.value(node, SM.mappingScore) or 0.0)))
    compiled.mappings = tuple(sorted(mappings))
    index: dict[str, set[str]] = defaultdict(set)
    for uri, row in compiled.concepts.items():
        for label in (row[LABEL], *row[ALT], *row[HIDDEN]):
            if label:
                index[normalize_label(label)].add(uri)
    compiled.label_index = {key: tuple(sorted(uris)) for key, uris in index.items()}
    counts = {f"concepts.{kind}": count for kind, count in sorted(kind_counts.items())}
    counts.update({
        "relations.broader": sum(map(len, compiled.broader.values())),
        # occupation links are counted whether or not the occupation itself is in the release:
        # ESCO 1.1.1 links 67 skills to one occupation absent from occupations_en.csv
        "relations.occupation_essential_skill": sum(len(v) for k, v in compiled.essential_skills.items()
                                                    if compiled.concepts.get(k, ("",))[KIND] != "skill"),
        "relations.occupation_optional_skill": sum(len(v) for k, v in compiled.optional_skills.items()
                                                   if compiled.concepts.get(k, ("",))[KIND] != "skill"),
        "relations.links_from_unknown_occupations": sum(
            len(v) for d in (compiled.essential_skills, compiled.optional_skills) for k, v in d.items()
            if k not in compiled.concepts),
        "relations.skill_skill": sum(len(v) for d in (compiled.essential_skills, compiled.optional_skills)
                                     for k, v in d.items() if compiled.concepts.get(k, ("",))[KIND] == "skill"),
        "relations.related": sum(map(len, compiled.related.values())),
        "relations.technology_skill": sum(map(len, compiled.technology.values())),
        "relations.tool_used": sum(map(len, compiled.tools.values())),
        "relations.task": sum(map(len, compiled.tasks.values())),
        "mappings.curated": sum(1 for m in mappings if m[3] == "curated"),
        "mappings.machine": sum(1 for m in mappings if m[3] == "machine"),
        "labels": sum(1 + len(r[ALT]) + len(r[HIDDEN]) for r in compiled.concepts.values()),
        "triples": len(graph),
    })
    compiled.counts = counts
    return compiled


