"""Shared fixtures: the sample taxonomy in each input format, and the real data when present."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_TTL = ROOT / "ontologies" / "sample_esco.ttl"
FIXTURES = ROOT / "tests" / "fixtures"
REAL_DATA = Path(os.environ.get("SKILLMATCH_DATA", ROOT.parent / "shared" / "data"))

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session")
def sample_data_dir(tmp_path_factory) -> Path:
    """A data folder shaped like a user's: the ESCO-shaped RDF sample, O*NET files and a crosswalk."""
    folder = tmp_path_factory.mktemp("data")
    shutil.copy(SAMPLE_TTL, folder / "sample_esco.ttl")
    shutil.copytree(FIXTURES / "onet", folder / "onet-sample")
    shutil.copy(FIXTURES / "crosswalk_nesta_sample.csv", folder / "crosswalk.csv")
    return folder


@pytest.fixture(scope="session")
def sample_csv_dir(tmp_path_factory) -> Path:
    """The same sample taxonomy written as the official ESCO CSV tables."""
    from rdflib import Graph

    from esco_csv_writer import write_esco_csv
    from skillmatch.ontology.esco import load_esco_rdf

    graph = Graph()
    load_esco_rdf(graph, SAMPLE_TTL)
    return write_esco_csv(graph, tmp_path_factory.mktemp("esco_csv") / "esco-csv")


@pytest.fixture(scope="session")
def kb_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="session")
def taxonomy(sample_data_dir, kb_cache):
    from skillmatch.ontology import load_taxonomy

    return load_taxonomy(sample_data_dir, kb_cache)


@pytest.fixture(scope="session")
def real_data() -> Path:
    if not (REAL_DATA / "esco-1.1.1").is_dir():
        pytest.skip(f"real data not found at {REAL_DATA}")
    return REAL_DATA


@pytest.fixture(scope="session")
def real_cache(tmp_path_factory) -> Path:
    """One cache for every test on the real data: the knowledge base compiles once per session."""
    return tmp_path_factory.mktemp("real-cache")


@pytest.fixture(scope="session")
def real_taxonomy(real_data, real_cache):
    from skillmatch.ontology import load_taxonomy

    return load_taxonomy(real_data, real_cache)


SAMPLE = "https://w3id.org/skillmatch/sample/"


def sample_uri(kind: str, slug: str) -> str:
    return f"{SAMPLE}{kind}/{slug}"


@pytest.fixture(scope="session")
def extractor(taxonomy, kb_cache):
    """The shipped default model over the sample taxonomy."""
    from skillmatch.extract import SkillExtractor

    return SkillExtractor(taxonomy, cache_dir=kb_cache).prepare()


def make_pdf(text_lines: list[str]) -> bytes:
    """A minimal one-page PDF with a text layer (test helper)."""
    content = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(
        "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") Tj T*" for line in text_lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out
