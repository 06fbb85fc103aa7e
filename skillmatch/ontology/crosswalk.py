"""ESCO ↔ O*NET links: curated ones from a crosswalk file, candidate ones made by machine.

Curated links are plain ``skos:exactMatch``/``skos:closeMatch`` triples. Machine-made links
use ``sm:candidateExactMatch``/``sm:candidateCloseMatch`` so a SKOS query never mistakes them
for curated ones. Every link, of either kind, also gets an ``sm:Mapping`` node recording its
provenance, method and score.
"""
from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from skillmatch.errors import DataFileError
from skillmatch.ontology.namespaces import ESCO, SM
from skillmatch.ontology.onet import occupation_uri
from skillmatch.ontology.sources import NESTA_COLUMNS, OFFICIAL_COLUMNS, crosswalk_format
from skillmatch.ontology.tabular import TableFile, read_rows

log = logging.getLogger(__name__)

CANDIDATE = {SKOS.exactMatch: SM.candidateExactMatch, SKOS.closeMatch: SM.candidateCloseMatch}
_SPACE = re.compile(r"\s+")


def add_mapping(graph: Graph, source: URIRef, target: URIRef, relation: URIRef, *, curated: bool,
                method: str, score: float) -> None:
    digest = hashlib.blake2b(f"{source} {target} {relation} {method}".encode(), digest_size=8).hexdigest()
    node = SM[f"mapping/{digest}"]
    graph.add((source, relation if curated else CANDIDATE[relation], target))
    graph.add((node, RDF.type, SM.Mapping))
    graph.add((node, SM.mappingSource, source))
    graph.add((node, SM.mappingTarget, target))
    graph.add((node, SM.mappingRelation, relation))
    graph.add((node, SM.provenance, Literal("curated" if curated else "machine")))
    graph.add((node, SM.mappingMethod, Literal(method)))
    graph.add((node, SM.mappingScore, Literal(round(float(score), 4), datatype=XSD.double)))


def load_crosswalk(graph: Graph, path: Path) -> dict[str, int]:
    """Add curated occupation links; links to concepts absent from the graph are counted, not added."""
    kind = crosswalk_format(path)
    if kind is None:
        raise DataFileError(path, "not a known crosswalk file",
                            expected="columns " + ", ".join(OFFICIAL_COLUMNS) + " (ESCO official) or "
                                     + ", ".join(NESTA_COLUMNS) + " (Nesta Mapping Career Causeways)")
    stats = {"added": 0, "unknown_esco": 0, "unknown_onet": 0}
    table = TableFile(path)
    if kind == "nesta":
        rows = ((line, row["concept_uri"], row["onet_code"], SKOS.closeMatch,
                 float(row["confidence"] or 0)) for line, row in read_rows(table, NESTA_COLUMNS))
        method = "Nesta Mapping Career Causeways crosswalk (2020)"
    else:
        relations = {"exactmatch": SKOS.exactMatch, "closematch": SKOS.closeMatch,
                     "broadmatch": SKOS.broadMatch, "narrowmatch": SKOS.narrowMatch}
        rows = ((line, row["ESCO or ISCO URI"], row["O*NET Id"],
                 relations.get(row["Type of Match"].strip().replace(" ", "").lower()), 1.0)
                for line, row in read_rows(table, OFFICIAL_COLUMNS))
        method = "ESCO-O*NET official crosswalk"
    for line, esco_uri, onet_code, relation, score in rows:
        if relation is None:
            raise DataFileError(path, "unknown Type of Match", line=line,
                                expected="exactMatch, closeMatch, broadMatch or narrowMatch")
        esco, onet = URIRef(esco_uri.strip()), occupation_uri(onet_code.strip())
        if (esco, RDF.type, ESCO.Occupation) not in graph and (esco, RDF.type, ESCO.ISCOGroup) not in graph:
            stats["unknown_esco"] += 1
            continue
        if (onet, RDF.type, SM.OnetOccupation) not in graph:
            stats["unknown_onet"] += 1
            continue
        add_mapping(graph, esco, onet, relation, curated=True, method=method, score=score)
        stats["added"] += 1
    if stats["unknown_onet"] or stats["unknown_esco"]:
        log.warning("%s: %d links name O*NET codes and %d name ESCO URIs absent from the loaded releases; "
                    "skipped", path, stats["unknown_onet"], stats["unknown_esco"])
    return stats


def _norm(label: str) -> str:
    return _SPACE.sub(" ", label.strip().lower())


def link_technology_by_label(graph: Graph) -> int:
    """Candidate exactMatch between an O*NET technology and ESCO skills sharing its exact label.

    Score 1.0 through the ESCO preferred label, 0.9 through an alternative label. A label shared
    by several ESCO skills links to each of them: ambiguity is kept visible, not resolved here.
    """
    by_label: dict[str, list[tuple[URIRef, float]]] = {}
    for skill in graph.subjects(RDF.type, ESCO.Skill):
        for predicate, score in ((SKOS.prefLabel, 1.0), (SKOS.altLabel, 0.9)):
            for label in graph.objects(skill, predicate):
                by_label.setdefault(_norm(str(label)), []).append((skill, score))
    added = 0
    for tech in set(graph.subjects(RDF.type, SM.TechnologySkill)):
        label = graph.value(tech, SKOS.prefLabel)
        best: dict[URIRef, float] = {}
        for skill, score in by_label.get(_norm(str(label)), []):
            best[skill] = max(best.get(skill, 0.0), score)
        for skill, score in best.items():
            add_mapping(graph, skill, tech, SKOS.exactMatch, curated=False, method="identical label",
                        score=score)
            added += 1
    return added


def link_occupations_by_label(graph: Graph, min_score: float = 0.6) -> int:
    """Candidate closeMatch from each ESCO occupation to the O*NET occupation whose title or
    alternate title is most similar (TF-IDF over character n-grams), when no curated file exists."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    esco = [(occ, str(graph.value(occ, SKOS.prefLabel) or "")) for occ in graph.subjects(RDF.type, ESCO.Occupation)]
    onet_labels: list[tuple[URIRef, str]] = []
    for occ in graph.subjects(RDF.type, SM.OnetOccupation):
        for predicate in (SKOS.prefLabel, SKOS.altLabel):
            onet_labels.extend((occ, str(label)) for label in graph.objects(occ, predicate))
    if not esco or not onet_labels:
        return 0
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 4), lowercase=True)
    vectorizer.fit([label for _, label in esco] + [label for _, label in onet_labels])
    similarity = (vectorizer.transform([label for _, label in esco])
                  @ vectorizer.transform([label for _, label in onet_labels]).T).tocsr()
    added = 0
    for row, (occ, _) in enumerate(esco):
        start, end = similarity.indptr[row], similarity.indptr[row + 1]
        if start == end:
            continue
        best = start + int(similarity.data[start:end].argmax())
        score = float(similarity.data[best])
        if score >= min_score:
            add_mapping(graph, occ, onet_labels[similarity.indices[best]][0], SKOS.closeMatch, curated=False,
                        method="character n-gram TF-IDF over titles", score=score)
            added += 1
    return added
