"""The read API over the compiled knowledge base, and the cache behind it."""
from __future__ import annotations

import shutil

import pytest

from conftest import sample_uri
from skillmatch.errors import DataFileError
from skillmatch.ontology import UnknownConceptError, load_taxonomy
from skillmatch.ontology import knowledge_base


def test_labels_lookup_is_case_and_space_insensitive(taxonomy):
    found = taxonomy.skills_by_label("  PYTHON ")
    assert [c.uri for c in found] == [sample_uri("skill", "python")]
    assert taxonomy.labels(sample_uri("skill", "python"))[0] == "Python (computer programming)"
    assert {c.uri for c in taxonomy.skills_by_label("Design  Work")} == {
        sample_uri("skill", "software-design"), sample_uri("skill", "graphic-design")}
    assert taxonomy.skills_by_label("perfom data analysis")[0].uri == sample_uri("skill", "data-analysis")


def test_concept_record_carries_type_source_and_version(taxonomy):
    concept = taxonomy.concept(sample_uri("skill", "statistics"))
    assert (concept.kind, concept.skill_type, concept.reuse_level) == ("skill", "knowledge", "cross-sector")
    assert concept.source == "ESCO classification" and concept.version == "0.1"
    onet = taxonomy.concept("https://w3id.org/skillmatch/onet/occupation/15-2051.00")
    assert onet.source == "O*NET database" and onet.version == "29.2"
    with pytest.raises(UnknownConceptError):
        taxonomy.concept("http://example.org/nothing")


def test_hierarchy_navigation(taxonomy):
    python = sample_uri("skill", "python")
    programming = sample_uri("skill", "computer-programming")
    assert taxonomy.ancestors(python) == [programming, sample_uri("group", "ict"), sample_uri("group", "knowledge")]
    assert taxonomy.siblings(python) == sorted([sample_uri("skill", "java"), sample_uri("skill", "javascript")])
    assert set(taxonomy.descendants(sample_uri("group", "ict"))) >= {python, sample_uri("skill", "deep-learning")}
    assert taxonomy.hierarchy_paths(python) == [(sample_uri("group", "knowledge"), sample_uri("group", "ict"),
                                                 programming, python)]


def test_relations_and_occupation_profiles(taxonomy):
    assert taxonomy.related_skills(sample_uri("skill", "machine-learning")) == [
        (sample_uri("skill", "statistics"), "essential")]
    assert (sample_uri("skill", "machine-learning"), "essential") in taxonomy.related_skills(
        sample_uri("skill", "statistics"))
    profile = taxonomy.occupation_skills(sample_uri("occupation", "data-scientist"))
    assert sample_uri("skill", "python") in profile["essential"]
    assert sample_uri("skill", "cloud") in profile["optional"]
    assert sample_uri("occupation", "data-scientist") in taxonomy.occupations_for_skill(
        sample_uri("skill", "python"))["essential"]
    tech = taxonomy.technology_skills("https://w3id.org/skillmatch/onet/occupation/15-1252.00")
    assert {t["label"] for t in tech} == {"Python", "Git", "JavaScript", "Adobe Photoshop", "Adobe Illustrator",
                                          "Adobe Premiere Pro", "Amazon Web Services AWS software", "Docker"}
    assert taxonomy.tasks("https://w3id.org/skillmatch/onet/occupation/29-1141.00") == [
        "Administer medications to patients and monitor patients for reactions."]


def test_sparql_passthrough_sees_both_taxonomies(taxonomy):
    rows = list(taxonomy.sparql(
        "SELECT ?label WHERE { ?c a sm:TechnologySkill ; skos:prefLabel ?label } ORDER BY ?label"))
    assert [str(r[0]) for r in rows] == ["Adobe Illustrator", "Adobe Photoshop", "Adobe Premiere Pro",
                                         "Amazon Web Services AWS software", "Data visualization software", "Docker", "Git", "JavaScript",
                                         "Microsoft Excel", "Python",
                                         "Structured query language SQL"]
    count = list(taxonomy.sparql("SELECT (COUNT(?s) AS ?n) WHERE { ?s a esco:Skill }"))[0][0]
    assert int(count) == 33


def test_export_turtle_round_trips(taxonomy, tmp_path):
    from rdflib import Graph

    path = taxonomy.export_turtle(tmp_path / "kb.ttl")
    graph = Graph().parse(path, format="turtle")
    assert len(graph) == taxonomy.info()["counts"]["triples"]


def test_cache_hit_does_not_rebuild(sample_data_dir, kb_cache, taxonomy, monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("rebuilt although a cache exists")

    monkeypatch.setattr(knowledge_base, "build_knowledge_base", fail)
    again = load_taxonomy(sample_data_dir, kb_cache)
    assert again.folder == taxonomy.folder


def test_changed_input_invalidates_the_cache(sample_data_dir, tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(sample_data_dir, folder)
    cache = tmp_path / "cache"
    first = load_taxonomy(folder, cache)
    with open(folder / "onet-sample" / "Job Zones.txt", "a", newline="") as handle:
        handle.write("15-1252.00\t4\t07/2023\tAnalyst\r\n")
    second = load_taxonomy(folder, cache)
    assert second.folder != first.folder
    assert second.job_zone("https://w3id.org/skillmatch/onet/occupation/15-1252.00") == 4


def test_failed_build_leaves_no_cache(sample_data_dir, tmp_path, monkeypatch):
    def crash(graph, folder):
        raise RuntimeError("disk full")

    monkeypatch.setattr(knowledge_base, "_write_store", crash)
    with pytest.raises(RuntimeError):
        load_taxonomy(sample_data_dir, tmp_path / "cache")
    leftovers = list((tmp_path / "cache" / "kb").iterdir())
    assert leftovers == []


def test_tables_extraction_never_reads_load_on_first_use(sample_data_dir, kb_cache, taxonomy, tmp_path):
    """Occupation profiles, O*NET details and the label index sit in a second pickle that a cold
    start of extraction never reads; the first call that needs them does, a broken one is
    reported by name (every time it is asked), and a folder rebuilt meanwhile does not matter."""
    folder = tmp_path / "kb"
    shutil.copytree(taxonomy.folder, folder, ignore=shutil.ignore_patterns("graph"))
    python = sample_uri("skill", "python")
    loaded = type(taxonomy).load(folder)
    shutil.rmtree(folder)  # as `skillmatch kb build --rebuild` does while an app runs
    assert loaded.ancestors(python) == taxonomy.ancestors(python)
    assert loaded.occupations_for_skill(python) == taxonomy.occupations_for_skill(python)
    assert loaded.skills_by_label("python")[0].uri == python
    shutil.copytree(taxonomy.folder, folder, ignore=shutil.ignore_patterns("graph"))
    (folder / "deferred.pickle").write_bytes(b"not a pickle")
    broken = type(taxonomy).load(folder)
    assert broken.label(python) == "Python (computer programming)"  # the core tables do not need it
    for _ in range(2):
        with pytest.raises(DataFileError, match="deferred.pickle"):
            broken.occupation_skills(sample_uri("occupation", "data-scientist"))


def test_a_pickled_taxonomy_is_whole_without_its_cache_folder(taxonomy, tmp_path):
    """A taxonomy sent to a worker process or carried in a data file to a machine without the
    data directory (benchmarks/negative_sampling.py --save-data) holds the deferred tables too,
    so it answers without the cache folder it came from."""
    import pickle

    folder = tmp_path / "kb"
    shutil.copytree(taxonomy.folder, folder, ignore=shutil.ignore_patterns("graph"))
    python = sample_uri("skill", "python")
    payload = pickle.dumps(type(taxonomy).load(folder))
    shutil.rmtree(folder)
    copy = pickle.loads(payload)
    assert copy.occupations_for_skill(python) == taxonomy.occupations_for_skill(python)
    assert copy.skills_by_label("python")[0].uri == python
    assert copy.uris("skill") == taxonomy.uris("skill")
    assert pickle.loads(pickle.dumps(copy)).label(python) == "Python (computer programming)"  # and again


def test_cache_prune_removes_only_what_other_code_built(extractor, kb_cache, tmp_path):
    """Every cache key names the code that wrote it, so upgrades leave old entries behind (1.2 GB
    after a few edits here); prune removes those and keeps every entry the current code reads."""
    import subprocess
    import sys

    cache = tmp_path / "cache"
    shutil.copytree(kb_cache, cache)
    current = sorted(p.relative_to(cache) for group in cache.iterdir() if group.is_dir() for p in group.iterdir())
    assert {p.parts[0] for p in current} >= {"kb", "skill-index", "LiteralMatcher", "LexicalSkillScorer"}
    kb_key = extractor.taxonomy.folder.name
    old_key = "v1-0.0.1-0badc0de-" + kb_key.split("-", 4)[4]
    stale = [cache / "kb" / old_key, cache / "LiteralMatcher" / f"{old_key}-0badc0de-skill.pickle",
             cache / "LiteralMatcher" / f"{kb_key}-0badc0de-skill.pickle",  # current knowledge base, other code
             cache / "skill-index" / f"f708208a10bdddb6-{old_key}-label-skill-0badc0de",
             cache / "skill-index" / f"f708208a10bdddb6-{kb_key}-label-skill-0badc0de"]
    kept = [cache / "kb" / f".{kb_key}.staging", cache / "notes" / "mine.txt"]  # a build in progress; not ours
    for path in stale + kept:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.mkdir() if not path.suffix or path.name.startswith(".") else path.write_bytes(b"x" * 10)

    def prune(*options):
        return subprocess.run([sys.executable, "-m", "skillmatch.cli", "cache", "prune", "--cache-dir", str(cache),
                               *options], capture_output=True, text=True, check=True).stdout
    listed = prune("--dry-run")
    assert all(path.exists() for path in stale) and listed.count("would remove") == len(stale)
    assert all(str(path.relative_to(cache)) in listed for path in stale)
    prune()
    assert not any(path.exists() for path in stale) and all(path.exists() for path in kept)
    assert all((cache / path).exists() for path in current)
    assert "would free 0.0 MB" in prune("--dry-run")
