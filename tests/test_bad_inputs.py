"""Bad data gives one clear error naming the file, the line where known, and what was expected."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from conftest import FIXTURES
from skillmatch.errors import ConfigurationError, DataFileError
from skillmatch.ontology import load_taxonomy


def test_missing_location(tmp_path):
    with pytest.raises(ConfigurationError, match="does not exist"):
        load_taxonomy(tmp_path / "nowhere", tmp_path / "cache")


def test_wrong_folder(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(DataFileError, match="no ESCO data found"):
        load_taxonomy(tmp_path, tmp_path / "cache")


def test_truncated_zip(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    (source / "skills_en.csv").write_text("conceptUri\n" + "x" * 5000)
    shutil.make_archive(str(tmp_path / "esco"), "zip", source)
    data = (tmp_path / "esco.zip").read_bytes()
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "ESCO dataset - v1.1.1 - classification - en - csv.zip").write_bytes(data[: len(data) // 2])
    with pytest.raises(DataFileError, match=r"csv\.zip: not a readable zip archive"):
        load_taxonomy(tmp_path / "data", tmp_path / "cache")


def test_malformed_csv_row_names_file_and_line(sample_csv_dir, tmp_path):
    folder = tmp_path / "esco"
    shutil.copytree(sample_csv_dir, folder)
    with open(folder / "occupationSkillRelations.csv", "a", encoding="utf-8") as handle:
        handle.write("http://a,essential,skill/competence,http://b,EXTRA,FIELDS\n")
    lines = (folder / "occupationSkillRelations.csv").read_text().count("\n")
    with pytest.raises(DataFileError) as caught:
        load_taxonomy(folder, tmp_path / "cache")
    assert f"occupationSkillRelations.csv:{lines}: row has 6 fields (expected 4 fields" in str(caught.value)


def test_missing_required_column(sample_csv_dir, tmp_path):
    folder = tmp_path / "esco"
    shutil.copytree(sample_csv_dir, folder)
    text = (folder / "skills_en.csv").read_text()
    (folder / "skills_en.csv").write_text(text.replace("preferredLabel", "prefLabel", 1))
    with pytest.raises(DataFileError, match=r"skills_en.csv:1: missing column\(s\) preferredLabel"):
        load_taxonomy(folder, tmp_path / "cache")


def test_non_utf8_file(sample_csv_dir, tmp_path):
    folder = tmp_path / "esco"
    shutil.copytree(sample_csv_dir, folder)
    raw = (folder / "skills_en.csv").read_bytes()
    (folder / "skills_en.csv").write_bytes(raw.replace("Python".encode(), "Pyth\xf6n".encode("latin-1"), 1))
    with pytest.raises(DataFileError, match=r"skills_en.csv.*not UTF-8"):
        load_taxonomy(folder, tmp_path / "cache")


def test_invalid_turtle_names_the_line(tmp_path):
    (tmp_path / "esco.ttl").write_text("@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n\n"
                                       "<http://a> skos:prefLabel \"unterminated .\n")
    with pytest.raises(DataFileError, match=r"esco.ttl.*invalid turtle RDF"):
        load_taxonomy(tmp_path, tmp_path / "cache")


def test_bad_onet_value(sample_data_dir, tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(sample_data_dir, folder)
    with open(folder / "onet-sample" / "Job Zones.txt", "a", newline="") as handle:
        handle.write("15-2051.00\tfive\t07/2023\tAnalyst\r\n")
    with pytest.raises(DataFileError, match=r"Job Zones.txt:4: Job Zone 'five' is not a number"):
        load_taxonomy(folder, tmp_path / "cache")


@pytest.mark.slow  # a subprocess or a training run
def test_cli_reports_errors_without_traceback(tmp_path):
    result = subprocess.run([sys.executable, "-m", "skillmatch.cli", "kb", "info", "--data", str(tmp_path / "none"),
                             "--cache-dir", str(tmp_path / "cache")], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr
    assert str(tmp_path / "none") in result.stderr


def test_missing_onet_files_are_warnings_not_errors(tmp_path, caplog):
    from rdflib import Graph

    from skillmatch.ontology.onet import load_onet

    folder = tmp_path / "onet"
    folder.mkdir()
    shutil.copy(FIXTURES / "onet" / "Occupation Data.txt", folder)
    load_onet(Graph(), folder)
    assert caplog.text.count("not found") == 7
