"""Every loader road ends in the same knowledge base; O*NET and crosswalks land in it too."""
from __future__ import annotations

import logging
import shutil

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import SKOS

from conftest import FIXTURES, SAMPLE_TTL, sample_uri
from esco_csv_writer import zip_release
from skillmatch.ontology import build_graph, discover_sources
from skillmatch.ontology.compiled import compile_graph
from skillmatch.ontology.esco import load_esco_csv, load_esco_rdf
from skillmatch.ontology.namespaces import SM
from skillmatch.ontology.onet import load_onet, technology_uri


def _compiled_without_provenance(graph):
    compiled = compile_graph(graph)
    concepts = {uri: row[:-1] for uri, row in compiled.concepts.items()}  # dataset ids differ by road
    return concepts, compiled.broader, compiled.essential_skills, compiled.optional_skills, compiled.label_index


def test_rdf_road_folds_skosxl_labels_and_keeps_one_language():
    graph = Graph()
    load_esco_rdf(graph, SAMPLE_TTL)
    python = sample_uri("skill", "python")
    from rdflib import URIRef
    labels = {str(o) for o in graph.objects(URIRef(python), SKOS.prefLabel)}
    assert labels == {"Python (computer programming)"}  # the @de label is filtered out
    assert Literal("Python", lang="en") in set(graph.objects(URIRef(python), SKOS.altLabel))
    compiled = compile_graph(graph)
    kinds = [row[0] for row in compiled.concepts.values()]
    assert kinds.count("skill") == 33 and kinds.count("occupation") == 4 and kinds.count("isco_group") == 8
    assert compiled.concepts[python][4].startswith("The techniques and principles")  # nodeLiteral description


def test_csv_folder_and_zip_roads_equal_the_rdf_road(sample_csv_dir, tmp_path):
    rdf_graph = Graph()
    load_esco_rdf(rdf_graph, SAMPLE_TTL)
    folder_graph = Graph()
    load_esco_csv(folder_graph, [sample_csv_dir])
    zip_graph = Graph()
    zips = zip_release(sample_csv_dir, tmp_path / "zips")
    load_esco_csv(zip_graph, zips)
    expected = _compiled_without_provenance(rdf_graph)
    assert _compiled_without_provenance(folder_graph) == expected
    assert _compiled_without_provenance(zip_graph) == expected


def test_onet_release_is_skos_with_technology_flags(caplog):
    graph = Graph()
    with caplog.at_level(logging.WARNING):
        load_onet(graph, FIXTURES / "onet")
    assert "Sample of Reported Titles.txt not found" in caplog.text
    assert "Related Occupations.txt not found" in caplog.text
    compiled = compile_graph(graph)
    data_scientists = "https://w3id.org/skillmatch/onet/occupation/15-2051.00"
    assert compiled.concepts[data_scientists][1] == "Data Scientists"
    assert "Machine Learning Scientist" in compiled.concepts[data_scientists][2]
    technology = {uri: (hot, demand) for uri, hot, demand in compiled.technology[data_scientists]}
    assert technology[str(technology_uri("Python"))] == (True, True)
    assert technology[str(technology_uri("Microsoft Excel"))] == (True, False)
    assert compiled.job_zone[data_scientists] == 5
    assert not any("99-9999" in uri for uri in compiled.concepts)  # rows with unknown codes are ignored


def test_curated_and_machine_links_are_kept_apart(sample_data_dir, caplog):
    with caplog.at_level(logging.WARNING):
        graph = build_graph(discover_sources(sample_data_dir))
    assert "1 links name O*NET codes" in caplog.text
    compiled = compile_graph(graph)
    curated = [m for m in compiled.mappings if m[3] == "curated"]
    machine = [m for m in compiled.mappings if m[3] == "machine"]
    assert {(m[0].rsplit("/", 1)[-1], m[1].rsplit("/", 1)[-1]) for m in curated} == {
        ("data-scientist", "15-2051.00"), ("software-developer", "15-1252.00")}
    python_links = [m for m in machine if m[0] == sample_uri("skill", "python")]
    assert python_links and python_links[0][5] == pytest.approx(0.9)  # through the alt label "Python"
    # a machine-made link never appears as a plain SKOS mapping
    from rdflib import URIRef
    assert (URIRef(sample_uri("skill", "python")), SKOS.exactMatch, None) not in graph
    assert (URIRef(sample_uri("skill", "python")), SM.candidateExactMatch, technology_uri("Python")) in graph


def test_without_a_crosswalk_file_occupation_links_are_machine_made(sample_data_dir, tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(sample_data_dir, folder)
    (folder / "crosswalk.csv").unlink()
    compiled = compile_graph(build_graph(discover_sources(folder)))
    occupation_links = {m[0].rsplit("/", 1)[-1]: m for m in compiled.mappings if "/occupation/" in m[1]}
    assert occupation_links, "expected candidate occupation links"
    assert all(m[3] == "machine" and 0.6 <= m[5] <= 1.0 for m in occupation_links.values())
    assert occupation_links["data-scientist"][1].endswith("15-2051.00")
