"""O*NET's database text release into the unified graph, modelled in SKOS.

Occupations, technology skills, tools, commodities and tasks become ``skos:Concept`` nodes
with SKOS labels, so label look-ups and SPARQL queries work the same across ESCO and O*NET.
Per-occupation flags (Hot Technology, In Demand) become their own occupation→technology
properties rather than reified nodes: simple to query, nothing lost.
"""
from __future__ import annotations

import csv
import logging
import re
from pathlib import Path
from urllib.parse import quote

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from skillmatch.errors import DataFileError
from skillmatch.ontology.esco import add_dataset
from skillmatch.ontology.namespaces import ONET, SM
from skillmatch.ontology.sources import OCCUPATION_FILE, is_onet_folder
from skillmatch.ontology.tabular import TableFile, read_rows

log = logging.getLogger(__name__)

ONET_LICENCE = "CC BY 4.0; O*NET database by the U.S. Department of Labor, Employment and Training Administration"
OPTIONAL_FILES = ("Alternate Titles.txt", "Sample of Reported Titles.txt", "Technology Skills.txt",
                  "Tools Used.txt", "Task Statements.txt", "Job Zones.txt", "Related Occupations.txt")
SCHEME_OCCUPATIONS = ONET["scheme/occupations"]
SCHEME_TECHNOLOGY = ONET["scheme/technology-skills"]
SCHEME_TOOLS = ONET["scheme/tools"]
SCHEME_TASKS = ONET["scheme/tasks"]


def occupation_uri(code: str) -> URIRef:
    return ONET[f"occupation/{code}"]


def technology_uri(name: str) -> URIRef:
    return ONET["technology/" + quote(name.strip().replace(" ", "_"), safe="")]


def tool_uri(name: str) -> URIRef:
    return ONET["tool/" + quote(name.strip().replace(" ", "_"), safe="")]


def commodity_uri(code: str) -> URIRef:
    return ONET[f"commodity/{code}"]


def onet_version(folder: Path) -> str:
    readme = folder / "Read Me.txt"
    if readme.is_file():
        match = re.search(r"O\*NET\s+(\d+\.\d+)", readme.read_text(encoding="utf-8", errors="replace")[:500])
        if match:
            return match.group(1)
    match = re.search(r"(\d+\.\d+)", folder.name)
    return match.group(1) if match else "unknown"


def _rows(folder: Path, name: str, required: tuple[str, ...]):
    return read_rows(TableFile(folder / name), required, delimiter="\t", quoting=csv.QUOTE_NONE)


def load_onet(graph: Graph, folder: Path) -> URIRef:
    """Add an O*NET text release to ``graph``; files other than the occupations are optional."""
    if not is_onet_folder(folder):
        raise DataFileError(folder / OCCUPATION_FILE, "O*NET occupation file not found",
                            expected="the O*NET database text release folder")
    version = onet_version(folder)
    dataset = add_dataset(graph, "onet", version, "O*NET database", ONET_LICENCE, str(folder))
    lang = "en"
    triples: list = []
    add = triples.append
    known: set[str] = set()

    def concept(uri: URIRef, kind: URIRef, scheme: URIRef, label: str) -> None:
        add((uri, RDF.type, SKOS.Concept))
        add((uri, RDF.type, kind))
        add((uri, SKOS.inScheme, scheme))
        add((uri, DCTERMS.isPartOf, dataset))
        add((uri, SKOS.prefLabel, Literal(label, lang=lang)))

    for _, row in _rows(folder, OCCUPATION_FILE, ("O*NET-SOC Code", "Title", "Description")):
        code = row["O*NET-SOC Code"].strip()
        uri = occupation_uri(code)
        known.add(code)
        concept(uri, SM.OnetOccupation, SCHEME_OCCUPATIONS, row["Title"].strip())
        add((uri, SKOS.notation, Literal(code)))
        add((uri, SKOS.definition, Literal(row["Description"].strip(), lang=lang)))

    def present(name: str) -> bool:
        if (folder / name).is_file():
            return True
        log.warning("O*NET file %s not found in %s: skipped", name, folder)
        return False

    def occupation_of(row: dict[str, str], name: str, line: int) -> URIRef | None:
        code = row["O*NET-SOC Code"].strip()
        if code not in known:
            log.debug("%s:%d: unknown O*NET-SOC code %s ignored", name, line, code)
            return None
        return occupation_uri(code)

    if present("Alternate Titles.txt"):
        for line, row in _rows(folder, "Alternate Titles.txt", ("O*NET-SOC Code", "Alternate Title")):
            occ = occupation_of(row, "Alternate Titles.txt", line)
            if occ is not None:
                add((occ, SKOS.altLabel, Literal(row["Alternate Title"].strip(), lang=lang)))
    if present("Sample of Reported Titles.txt"):
        for line, row in _rows(folder, "Sample of Reported Titles.txt", ("O*NET-SOC Code", "Reported Job Title")):
            occ = occupation_of(row, "Sample of Reported Titles.txt", line)
            if occ is not None:
                add((occ, SKOS.altLabel, Literal(row["Reported Job Title"].strip(), lang=lang)))

    def commodity(code: str, title: str) -> URIRef:
        uri = commodity_uri(code)
        concept(uri, SM.Commodity, SCHEME_TECHNOLOGY, title)
        add((uri, SKOS.notation, Literal(code)))
        return uri

    # Technology Skills and Tools Used share a layout: an example under a UNSPSC commodity
    for name, kind, scheme, link, make_uri in (
            ("Technology Skills.txt", SM.TechnologySkill, SCHEME_TECHNOLOGY, SM.technologySkill, technology_uri),
            ("Tools Used.txt", SM.Tool, SCHEME_TOOLS, SM.toolUsed, tool_uri)):
        if not present(name):
            continue
        for line, row in _rows(folder, name, ("O*NET-SOC Code", "Example", "Commodity Code", "Commodity Title")):
            occ = occupation_of(row, name, line)
            if occ is None:
                continue
            example = make_uri(row["Example"])
            concept(example, kind, scheme, row["Example"].strip())
            add((example, SKOS.broader, commodity(row["Commodity Code"].strip(), row["Commodity Title"].strip())))
            add((occ, link, example))
            if row.get("Hot Technology", "").strip() == "Y":
                add((occ, SM.hotTechnology, example))
            if row.get("In Demand", "").strip() == "Y":
                add((occ, SM.inDemandTechnology, example))
    if present("Task Statements.txt"):
        for line, row in _rows(folder, "Task Statements.txt", ("O*NET-SOC Code", "Task ID", "Task")):
            occ = occupation_of(row, "Task Statements.txt", line)
            if occ is None:
                continue
            task = ONET[f"task/{row['Task ID'].strip()}"]
            concept(task, SM.Task, SCHEME_TASKS, row["Task"].strip())
            if row.get("Task Type", "").strip():
                add((task, SM.taskType, Literal(row["Task Type"].strip())))
            add((occ, SM.hasTask, task))
    if present("Job Zones.txt"):
        for line, row in _rows(folder, "Job Zones.txt", ("O*NET-SOC Code", "Job Zone")):
            occ = occupation_of(row, "Job Zones.txt", line)
            if occ is None:
                continue
            try:
                zone = int(row["Job Zone"])
            except ValueError:
                raise DataFileError(folder / "Job Zones.txt", f"Job Zone {row['Job Zone']!r} is not a number",
                                    line=line, expected="an integer 1-5") from None
            add((occ, SM.jobZone, Literal(zone, datatype=XSD.integer)))
    if present("Related Occupations.txt"):
        for line, row in _rows(folder, "Related Occupations.txt", ("O*NET-SOC Code", "Related O*NET-SOC Code")):
            occ = occupation_of(row, "Related Occupations.txt", line)
            other = row["Related O*NET-SOC Code"].strip()
            if occ is not None and other in known:
                add((occ, SKOS.related, occupation_uri(other)))
    graph.addN((s, p, o, graph) for s, p, o in triples)
    return dataset
