"""Batch scoring: streaming inputs, error rows, interrupt and resume, Dask equals local."""
from __future__ import annotations

import json

import pytest

from skillmatch.batch import Job, iter_resumes, score
from skillmatch.config import BatchConfig, MatchConfig, SkillmatchConfig
from skillmatch.errors import ConfigurationError

JOB = Job("ds", "Data Scientist\nYou must have Python, SQL and statistics.\nNice to have: cloud computing.")
TEXTS = ["Python and SQL developer with statistics.", "Registered nurse providing nursing care.",
         "Java programmer using relational databases.", "Machine learning engineer: deep neural networks, Python.",
         "Project manager: manage budgets, lead a team.", "Cloud computing and Git for version control."]


@pytest.fixture()
def resume_folder(tmp_path):
    folder = tmp_path / "resumes"
    folder.mkdir()
    for i, text in enumerate(TEXTS):
        (folder / f"r{i}.txt").write_text(text)
    (folder / "r9_broken.pdf").write_bytes(b"%PDF-1.4 this is not a pdf")
    return folder


@pytest.fixture()
def settings(sample_data_dir, kb_cache):
    return SkillmatchConfig(data=str(sample_data_dir), cache_dir=str(kb_cache), matching=MatchConfig(blind=False))


def with_batch(settings, **batch):
    return settings.replace(batch=BatchConfig(**batch))


def _rows(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_inputs_stream_from_folder_csv_and_jsonl(resume_folder, tmp_path):
    assert [r.id for r in iter_resumes(resume_folder)] == ["r0", "r1", "r2", "r3", "r4", "r5", "r9_broken"]
    table = tmp_path / "t.csv"
    table.write_text('id,text\na,"Python, SQL"\nb,Nursing\n')
    assert [(r.id, r.text) for r in iter_resumes(table)] == [("a", "Python, SQL"), ("b", "Nursing")]
    lines = tmp_path / "t.jsonl"
    lines.write_text('{"id": "x", "text": "SQL"}\nnot json\n')
    items = list(iter_resumes(lines))
    assert items[0].text == "SQL" and items[1].error.startswith("unreadable record")


def test_corrupt_file_gives_one_error_row_and_the_job_goes_on(resume_folder, settings, tmp_path):
    out = tmp_path / "results.jsonl"
    report = score([JOB], resume_folder, out, with_batch(settings, partition_size=3), progress=False)
    rows = _rows(out)
    assert [r["resume_id"] for r in rows] == ["r0", "r1", "r2", "r3", "r4", "r5", "r9_broken"]
    errors = [r for r in rows if r["error"]]
    assert len(errors) == 1 and errors[0]["resume_id"] == "r9_broken" and "PDF" in errors[0]["error"]
    assert report.rows == 7 and report.errors == 1
    best = max((r for r in rows if not r["error"]), key=lambda r: r["score"])
    # JSONL rows keep lists and objects nested (CSV and Parquet hold them as JSON text)
    assert best["resume_id"] == "r0" and "Python (computer programming)" in best["top_matched"]
    explanation = best["explanation"]
    assert 0 <= best["fit"] <= 100 and best["summary"] and best["fit"] == round(100 * best["score"])
    assert sum(c["value"] for c in explanation["contributions"]) == pytest.approx(best["score"], abs=1e-9)
    assert not (tmp_path / "results.jsonl.parts").exists()


def test_interrupted_run_resumes_to_the_uninterrupted_result(resume_folder, settings, tmp_path):
    full = tmp_path / "full.jsonl"
    score([JOB], resume_folder, full, with_batch(settings, partition_size=2), progress=False)
    partial = tmp_path / "partial.jsonl"
    first = score([JOB], resume_folder, partial, with_batch(settings, partition_size=2), progress=False, stop_after=2)
    assert first.partitions == 2 and not partial.exists()  # nothing half-written
    with pytest.raises(ConfigurationError, match="unfinished run"):
        score([JOB], resume_folder, partial, with_batch(settings, partition_size=2), progress=False)
    second = score([JOB], resume_folder, partial, with_batch(settings, partition_size=2), progress=False, resume_run=True)
    assert second.skipped_partitions == 2 and second.partitions == 2
    assert partial.read_text() == full.read_text()


def test_output_formats_agree(resume_folder, settings, tmp_path):
    import pandas as pd

    score([JOB], resume_folder, tmp_path / "r.parquet", settings, progress=False)
    score([JOB], resume_folder, tmp_path / "r.csv", settings, progress=False)
    parquet = pd.read_parquet(tmp_path / "r.parquet")
    csv = pd.read_csv(tmp_path / "r.csv")
    assert list(parquet["resume_id"]) == list(csv["resume_id"])
    assert parquet["score"].fillna(-1).round(9).tolist() == csv["score"].fillna(-1).round(9).tolist()


@pytest.mark.slow
def test_dask_local_cluster_equals_local_path(resume_folder, settings, tmp_path):
    local = tmp_path / "local.jsonl"
    dask = tmp_path / "dask.jsonl"
    score([JOB], resume_folder, local, with_batch(settings, partition_size=2), progress=False)
    score([JOB], resume_folder, dask, with_batch(settings, partition_size=2, engine="dask", workers=2), progress=False)
    assert _rows(dask) == _rows(local)


@pytest.mark.slow  # subprocesses
def test_worker_pool_after_extraction_in_the_same_process(resume_folder, settings, tmp_path):
    """A batch started in a process that has already extracted and redacted (ONNX Runtime's and
    spaCy's thread pools alive) must finish: forked workers used to wait on a lock forever."""
    import subprocess
    import sys

    out = tmp_path / "pool.jsonl"
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from skillmatch.batch import Job, score\n"
        "from skillmatch.config import BatchConfig, SkillmatchConfig\n"
        "from skillmatch.extract import SkillExtractor\n"
        "data, cache, folder, out = sys.argv[1:]\n"
        "from skillmatch.match import Matcher\n"
        "extractor = SkillExtractor.from_data(data, cache_dir=cache)\n"
        "Matcher(extractor).profile('Jane Doe. Python and SQL every day.')\n"
        "config = SkillmatchConfig(data=data, cache_dir=cache, batch=BatchConfig(workers=2, partition_size=2))\n"
        f"score([Job('ds', {JOB.text!r})], Path(folder), Path(out), config, progress=False)\n")
    subprocess.run([sys.executable, "-c", script, settings.data, settings.cache_dir, str(resume_folder), str(out)],
                   check=True, timeout=300)
    local = tmp_path / "local.jsonl"
    blind = settings.replace(matching=MatchConfig(blind=True))
    score([JOB], resume_folder, local, with_batch(blind, partition_size=2), progress=False)
    assert _rows(out) == _rows(local)
