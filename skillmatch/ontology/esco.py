"""ESCO into the unified graph, from the CSV download or from the RDF dump.

Both roads produce the same triples (ESCO URIs, SKOS labels and hierarchy, ESCO's model
vocabulary for skill type, reuse level and essential/optional links), so everything downstream
is format-agnostic.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.exceptions import ParserError
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS

from skillmatch.errors import DataFileError
from skillmatch.ontology.namespaces import (DATASET, ESCO, ESCO_REUSE_LEVEL, ESCO_SKILL_TYPE,
                                            SKOSXL, SM)
from skillmatch.ontology.sources import RDF_SUFFIXES, csv_members
from skillmatch.ontology.tabular import TableFile, read_rows, split_multiline

log = logging.getLogger(__name__)

REQUIRED_TABLES = ("skills", "occupations", "broaderRelationsSkillPillar", "occupationSkillRelations")
OPTIONAL_TABLES = ("skillGroups", "skillsHierarchy", "ISCOGroups", "broaderRelationsOccPillar",
                   "skillSkillRelations")
CONCEPT_TYPES = {"KnowledgeSkillCompetence": ESCO.Skill, "SkillGroup": ESCO.SkillGroup,
                 "Occupation": ESCO.Occupation, "ISCOGroup": ESCO.ISCOGroup}
_VERSION = re.compile(r"v?(\d+\.\d+(?:\.\d+)?)")


@dataclass
class EscoCsvRelease:
    """The ESCO CSV tables found in zips and/or folders, by table name (language suffix removed)."""

    tables: dict[str, TableFile] = field(default_factory=dict)
    version: str = "unknown"
    language: str = "en"

    @classmethod
    def locate(cls, paths: list[Path], language: str = "en") -> "EscoCsvRelease":
        release = cls(language=language)
        wanted = {name: name for name in REQUIRED_TABLES + OPTIONAL_TABLES}
        for path in paths:
            members = csv_members(path)
            for member in members:
                stem = Path(member).stem
                base = stem[: -len(f"_{language}")] if stem.endswith(f"_{language}") else stem
                if base in wanted and base not in release.tables:
                    inner = member if path.is_file() else None
                    location = path if path.is_file() else path / member
                    release.tables[base] = TableFile(location, inner)
            match = _VERSION.search(path.name)
            if match and release.version == "unknown":
                release.version = match.group(1)
        missing = [name for name in REQUIRED_TABLES if name not in release.tables]
        if missing:
            names = ", ".join(f"{n}_{language}.csv" if n in ("skills", "occupations") else f"{n}.csv"
                              for n in missing)
            raise DataFileError(", ".join(str(p) for p in paths), f"ESCO CSV table(s) not found: {names}",
                                expected="the two ESCO CSV zips (classification + relations) or their "
                                         "extracted folder")
        for name in OPTIONAL_TABLES:
            if name not in release.tables:
                log.warning("ESCO table %s not found in %s: skipped", name, ", ".join(map(str, paths)))
        return release



def dataset_uri(source: str, version: str) -> URIRef:
    return DATASET[f"{source}-{version}"]


def add_dataset(graph: Graph, source: str, version: str, title: str, licence: str, origin: str) -> URIRef:
    node = dataset_uri(source, version)
    graph.add((node, RDF.type, SM.Dataset))
    graph.add((node, DCTERMS.title, Literal(title)))
    graph.add((node, OWL.versionInfo, Literal(version)))
    graph.add((node, DCTERMS.license, Literal(licence)))
    graph.add((node, DCTERMS.source, Literal(origin)))
    return node


ESCO_LICENCE = ("European Commission, reuse authorised under Commission Decision 2011/833/EU; "
                "\"This service uses the ESCO classification of the European Commission\"")


def load_esco_csv(graph: Graph, paths: list[Path], language: str = "en") -> URIRef:
    """Add an ESCO CSV release to ``graph``; returns the dataset node."""
    release = EscoCsvRelease.locate(paths, language)
    dataset = add_dataset(graph, "esco", release.version, "ESCO classification", ESCO_LICENCE,
                          ", ".join(str(p) for p in paths))
    lang = language
    triples: list = []
    add = triples.append

    def labelled_concept(row: dict[str, str], concept_type: URIRef) -> URIRef:
        uri = URIRef(row["conceptUri"].strip())
        add((uri, RDF.type, SKOS.Concept))
        add((uri, RDF.type, concept_type))
        add((uri, DCTERMS.isPartOf, dataset))
        pref = row.get("preferredLabel", "").strip()
        if pref:
            add((uri, SKOS.prefLabel, Literal(pref, lang=lang)))
        for label in split_multiline(row.get("altLabels", "")):
            add((uri, SKOS.altLabel, Literal(label, lang=lang)))
        for label in split_multiline(row.get("hiddenLabels", "")):
            add((uri, SKOS.hiddenLabel, Literal(label, lang=lang)))
        description = row.get("description", "").strip()
        if description:
            add((uri, DCTERMS.description, Literal(description, lang=lang)))
        definition = row.get("definition", "").strip()
        if definition:
            add((uri, SKOS.definition, Literal(definition, lang=lang)))
        scope = row.get("scopeNote", "").strip()
        if scope:
            add((uri, SKOS.scopeNote, Literal(scope, lang=lang)))
        for scheme in split_multiline(row.get("inScheme", "")):
            add((uri, SKOS.inScheme, URIRef(scheme)))
        if row.get("code", "").strip():
            add((uri, SKOS.notation, Literal(row["code"].strip())))
        if row.get("modifiedDate", "").strip():
            add((uri, DCTERMS.modified, Literal(row["modifiedDate"].strip())))
        return uri

    for _, row in read_rows(release.tables["skills"], ("conceptUri", "preferredLabel", "skillType")):
        uri = labelled_concept(row, ESCO.Skill)
        skill_type = row["skillType"].strip()
        if skill_type:
            add((uri, ESCO.skillType, ESCO_SKILL_TYPE[skill_type.replace("skill/competence", "skill")]))
        reuse = row.get("reuseLevel", "").strip()
        if reuse:
            add((uri, ESCO.skillReuseLevel, ESCO_REUSE_LEVEL[reuse]))
    if "skillGroups" in release.tables:
        for _, row in read_rows(release.tables["skillGroups"], ("conceptUri", "preferredLabel")):
            labelled_concept(row, ESCO.SkillGroup)
    if "skillsHierarchy" in release.tables:
        # The top of the pillar (language, transversal, skills, knowledge) only appears here.
        for _, row in read_rows(release.tables["skillsHierarchy"], ("Level 0 URI", "Level 0 preferred term")):
            uri = row["Level 0 URI"].strip()
            if uri:
                node = URIRef(uri)
                add((node, RDF.type, SKOS.Concept))
                add((node, RDF.type, ESCO.SkillGroup))
                add((node, DCTERMS.isPartOf, dataset))
                add((node, SKOS.prefLabel, Literal(row["Level 0 preferred term"].strip(), lang=lang)))
                add((node, SKOS.notation, Literal(row.get("Level 0 code", "").strip())))
    for _, row in read_rows(release.tables["occupations"], ("conceptUri", "preferredLabel")):
        uri = labelled_concept(row, ESCO.Occupation)
        if row.get("iscoGroup", "").strip():
            add((uri, ESCO.iscoGroupCode, Literal(row["iscoGroup"].strip())))
    if "ISCOGroups" in release.tables:
        for _, row in read_rows(release.tables["ISCOGroups"], ("conceptUri", "preferredLabel", "code")):
            labelled_concept(row, ESCO.ISCOGroup)
    for name in ("broaderRelationsSkillPillar", "broaderRelationsOccPillar"):
        if name in release.tables:
            for _, row in read_rows(release.tables[name], ("conceptUri", "broaderUri")):
                narrow, broad = URIRef(row["conceptUri"].strip()), URIRef(row["broaderUri"].strip())
                add((narrow, SKOS.broader, broad))
                add((broad, SKOS.narrower, narrow))
    for line, row in read_rows(release.tables["occupationSkillRelations"],
                               ("occupationUri", "relationType", "skillUri")):
        occupation, skill = URIRef(row["occupationUri"].strip()), URIRef(row["skillUri"].strip())
        relation = row["relationType"].strip()
        if relation == "essential":
            add((occupation, ESCO.hasEssentialSkill, skill))
        elif relation == "optional":
            add((occupation, ESCO.hasOptionalSkill, skill))
        else:
            raise DataFileError(release.tables["occupationSkillRelations"].display,
                                f"unknown relationType {relation!r}", line=line, expected="essential or optional")
    if "skillSkillRelations" in release.tables:
        for line, row in read_rows(release.tables["skillSkillRelations"],
                                   ("originalSkillUri", "relationType", "relatedSkillUri")):
            original, related = URIRef(row["originalSkillUri"].strip()), URIRef(row["relatedSkillUri"].strip())
            relation = row["relationType"].strip()
            if relation not in ("essential", "optional"):
                raise DataFileError(release.tables["skillSkillRelations"].display,
                                    f"unknown relationType {relation!r}", line=line,
                                    expected="essential or optional")
            add((original, ESCO.hasEssentialSkill if relation == "essential" else ESCO.hasOptionalSkill, related))
    graph.addN((s, p, o, graph) for s, p, o in triples)
    return dataset


def load_esco_rdf(graph: Graph, path: Path, language: str = "en", version: str | None = None) -> URIRef:
    """Parse an ESCO RDF dump and fold it into the SKOS shape of the CSV road.

    The portal publishes labels as SKOS-XL label nodes and descriptions as ``esco:nodeLiteral``
    nodes, in all ESCO languages; we keep one language and add plain SKOS/dcterms literals so
    the read API and SPARQL see one model.
    """
    fmt = RDF_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise DataFileError(path, f"unknown RDF file type {path.suffix!r}",
                            expected="one of " + ", ".join(sorted(RDF_SUFFIXES)))
    parsed = Graph()
    try:
        parsed.parse(path, format=fmt)
    except UnicodeDecodeError as exc:
        raise DataFileError(path, f"not UTF-8 text (invalid byte at offset {exc.start})",
                            expected="UTF-8 RDF") from exc
    except (ParserError, SyntaxError, ValueError, Exception) as exc:  # rdflib raises many kinds
        line = _line_from_message(str(exc))
        raise DataFileError(path, f"invalid {fmt} RDF: {' '.join(str(exc).split())[:300]}", line=line,
                            expected=f"well-formed {fmt}") from exc
    found_version = version or _version_in_graph(parsed) or _version_in_name(path)
    dataset = add_dataset(graph, "esco", found_version, "ESCO classification", ESCO_LICENCE, str(path))

    def keep(literal) -> bool:
        return isinstance(literal, Literal) and (literal.language in (None, language))

    xl_to_skos = {SKOSXL.prefLabel: SKOS.prefLabel, SKOSXL.altLabel: SKOS.altLabel,
                  SKOSXL.hiddenLabel: SKOS.hiddenLabel}
    label_nodes = set(parsed.subjects(SKOSXL.literalForm)) | set(parsed.subjects(ESCO.nodeLiteral))
    triples = []
    for s, p, o in parsed:
        if s in label_nodes:
            continue
        if p in xl_to_skos:
            for form in parsed.objects(o, SKOSXL.literalForm):
                if keep(form):
                    triples.append((s, xl_to_skos[p], form))
            continue
        if p == DCTERMS.description and not isinstance(o, Literal):
            for text in parsed.objects(o, ESCO.nodeLiteral):
                lang_values = list(parsed.objects(o, ESCO.language))
                if not lang_values or str(lang_values[0]) == language:
                    triples.append((s, DCTERMS.description, Literal(str(text), lang=language)))
            continue
        if isinstance(o, Literal) and o.language not in (None, language):
            continue
        triples.append((s, p, o))
        if p == RDF.type and o in (ESCO.Skill, ESCO.SkillGroup, ESCO.Occupation, ESCO.ISCOGroup):
            triples.append((s, DCTERMS.isPartOf, dataset))
            triples.append((s, RDF.type, SKOS.Concept))
        if p == SKOS.broader:
            triples.append((o, SKOS.narrower, s))
        if p == ESCO.isEssentialForOccupation:
            triples.append((o, ESCO.hasEssentialSkill, s))
        if p == ESCO.isOptionalForOccupation:
            triples.append((o, ESCO.hasOptionalSkill, s))
    graph.addN((s, p, o, graph) for s, p, o in triples)
    return dataset


def _version_in_graph(graph: Graph) -> str | None:
    for value in graph.objects(None, OWL.versionInfo):
        match = _VERSION.search(str(value))
        if match:
            return match.group(1)
    return None


def _version_in_name(path: Path) -> str:
    match = _VERSION.search(path.name)
    return match.group(1) if match else "unknown"


def _line_from_message(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None
