"""Nothing lost, nothing leaked: the bad-input and fault suite.

Every case asserts its exact outcome — a clear error naming the file (or id) and the problem,
a warning carried into the output, or results identical to a clean run — never a traceback
and never a silent loss. Numbered defects of the campaign are named in the test names.
"""
from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from conftest import make_pdf
from skillmatch.batch import Job, iter_resumes, score
from skillmatch.config import BatchConfig, ExtractionConfig, MatchConfig, SkillmatchConfig
from skillmatch.errors import ConfigurationError, DataFileError, DocumentError, SkillmatchError
from skillmatch.extract.text import make_document, raw_text, read_document
from skillmatch.match import Matcher
from skillmatch.match.audit import audit, read_groups
from skillmatch.match.redact import Redactor
from skillmatch.match.store import ProfileIndexError

RESUME = "Data analyst. Python, SQL and statistics every day; machine learning models in production.\n"
JOB = Job("ds", "Data Scientist\nYou must have Python, SQL and statistics.\n")


# documents ------------------------------------------------------------------------------------
BAD_DOCUMENTS = {
    "nul bytes": ("blob.txt", b"\x00\x01binary\x00" * 50, "binary data"),
    "random bytes": ("noise.md", bytes(range(256)) * 30, "binary data"),
    "control characters": ("ctl.txt", b"\x01\x02\x03\x04\x05\x06\x07\x08" * 200, "binary data"),
    "zip posing as docx": ("cv.docx", b"PK\x03\x04 not really a zip", "DOCX"),
    "empty zip posing as docx": ("cv.docx", b"PK\x05\x06" + b"\x00" * 18, "DOCX"),
    "corrupt pdf": ("cv.pdf", b"%PDF-1.4\n garbage", "PDF"),
    "pdf without text": ("scan.pdf", make_pdf([]), "PDF"),
    "unsupported image": ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "png|binary"),
    "unsupported spreadsheet": ("sheet.xlsx", b"PK\x03\x04" + b"\x00" * 64, "xlsx|binary|unsupported"),
}


@pytest.mark.parametrize("case", sorted(BAD_DOCUMENTS))
def test_bad_document_gives_a_clear_error_naming_the_file(case, tmp_path):
    name, data, problem = BAD_DOCUMENTS[case]
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(DocumentError) as caught:
        read_document(path)
    message = str(caught.value)
    assert message.startswith(str(path)) and any(p.lower() in message.lower() for p in problem.split("|"))


@pytest.mark.parametrize("path, problem", [("missing.txt", "not found|no such file"), ("", "not found|directory|no such")])
def test_missing_or_odd_paths(tmp_path, path, problem):
    with pytest.raises(DocumentError) as caught:
        read_document(tmp_path / path)
    assert any(p in str(caught.value).lower() for p in problem.split("|"))


GOOD_ODD_TEXTS = {
    "utf-16 with BOM": ("Python and SQL developer".encode("utf-16"), "Python and SQL developer"),
    "windows-1252": ("Café résumé: Python".encode("cp1252"), "Café résumé: Python"),
    "utf-8 with BOM": (b"\xef\xbb\xbfPython developer", "Python developer"),
    "CRLF lines": (b"Python developer\r\nSQL analyst\r\n", "Python developer\r\nSQL analyst\r\n"),
    "mojibake": ("Pythonâ€™s data stack".encode("utf-8"), "Pythonâ€™s data stack"),
    "right-to-left and emoji": ("مطور Python 🚀".encode("utf-8"), "مطور Python 🚀"),
}


@pytest.mark.parametrize("case", sorted(GOOD_ODD_TEXTS))
def test_odd_but_valid_text_is_read_and_offsets_stay_in_the_original(case):
    data, original = GOOD_ODD_TEXTS[case]
    document = make_document(raw_text(data, "cv.txt", ".txt"))
    assert document.original == original
    assert document.original_span(0, len(document.text))[1] <= len(document.original)


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t", "!!! ... ???", "-----"])
def test_empty_or_wordless_documents_give_a_warning_not_a_crash(extractor, text):
    result = extractor.extract(text)
    assert result.skills == () and result.warnings


def test_truncated_text_is_reported(extractor):
    result = extractor.variant(ExtractionConfig(max_chars=1000)).extract("Python developer. " * 200)
    assert any("only the first 1,000" in w for w in result.warnings)


# tables for `index add` --------------------------------------------------------------------------
TABLES = {
    "repeated id (defect 2)": ("t.csv", 'id,text\na,"Python"\nb,"SQL"\na,"Java"\n', "id 'a' already used at line 2"),
    "empty id (defect 2)": ("t.csv", 'id,text\na,"Python"\n,"SQL"\n', ":3: empty id"),
    "blank id (defect 2)": ("t.csv", 'id,text\n  ,"Python"\n', ":2: empty id"),
    "no text column": ("t.csv", 'id,body\na,"Python"\n', "no column 'text'"),
    "no id column": ("t.csv", 'name,text\na,"Python"\n', "no column 'id'"),
    "jsonl without text": ("t.jsonl", '{"id": "a", "body": "x"}\n', "no column 'text'"),
    "jsonl garbage": ("t.jsonl", '{"id": "a", "text": "x"}\nnot json\n', "cannot read table"),
    "jsonl repeated id": ("t.jsonl", '{"id": "a", "text": "x"}\n{"id": "a", "text": "y"}\n', "already used at line 1"),
    "not utf-8": ("t.csv", "id,text\na,caf\xe9\n", "cannot read table"),
}


@pytest.mark.parametrize("case", sorted(TABLES))
def test_bad_table_is_refused_whole_with_file_and_line(case, tmp_path):
    from skillmatch.cli import _read_table

    name, content, problem = TABLES[case]
    path = tmp_path / name
    path.write_bytes(content.encode("latin-1") if "not utf-8" in case else content.encode("utf-8"))
    with pytest.raises(SkillmatchError) as caught:
        _read_table(path, "text", "id")
    assert problem in str(caught.value) and str(path) in str(caught.value)


# the profile index ----------------------------------------------------------------------------------
@pytest.fixture()
def plain_matcher(extractor, tmp_path):
    return Matcher(extractor, tmp_path / "index", config=MatchConfig(blind=False))


def test_two_files_with_one_name_are_refused_not_merged_defect_1(plain_matcher, tmp_path):
    for folder in ("x", "y"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "c1.txt").write_text(RESUME + folder)
    with pytest.raises(SkillmatchError, match=r"id 'c1' given twice .*x/c1.txt.*y/c1.txt.*nothing was added"):
        plain_matcher.add_resumes([tmp_path / "x" / "c1.txt", tmp_path / "y" / "c1.txt"])
    assert len(plain_matcher.store) == 0


@pytest.mark.parametrize("ids, problem", [(["a", "a"], "given twice"), (["a", ""], "empty id"),
                                          (["a", "  "], "empty id")])
def test_ids_in_one_call_must_be_unique_and_non_empty_defect_2(plain_matcher, ids, problem):
    with pytest.raises(SkillmatchError, match=problem):
        plain_matcher.add_resumes([RESUME, RESUME + "more"], ids=ids)
    assert len(plain_matcher.store) == 0


def test_concurrent_writer_check_happens_at_commit_defect_3(extractor, tmp_path):
    first = Matcher(extractor, tmp_path / "index", config=MatchConfig(blind=False))
    second = Matcher(extractor, tmp_path / "index", config=MatchConfig(blind=False))
    first.store.check_compatible(extractor.version, extractor.taxonomy.version, "resumes")
    original_writing = first.store.writing

    def writing_after_the_other():  # the other process commits between our check and our commit
        second.add_resumes(["Registered nurse caring for patients."], ids=["cand"])
        return original_writing()

    first.store.writing = writing_after_the_other
    report = first.add_resumes([RESUME], ids=["cand"])
    assert report.added == [] and report.updated == []
    assert report.failed and "added by another process" in report.failed[0][1]
    kept = first.store.get(first.store.search(first.profile(RESUME).vector, 5))
    assert [r["id"] for r in kept] == ["cand"] and "nurse" in kept[0]["text"]


@pytest.mark.parametrize("content", [b"", b"garbage, not a database" * 100, b"SQLite format 3\x00" + b"\x00" * 50])
def test_corrupt_index_file_gives_one_line_defect(extractor, tmp_path, content):
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / "profiles.sqlite").write_bytes(content)
    matcher = Matcher(extractor, tmp_path / "index")
    if content == b"":
        assert len(matcher.store) == 0  # an empty file is a new, empty database
        return
    with pytest.raises(ProfileIndexError, match=r"profiles.sqlite: not a readable skillmatch index"):
        matcher.match("Data scientist with Python")


def test_processes_asking_for_one_skill_space_at_once_build_it_once(taxonomy, tmp_path):
    """Workers sharing a cache (batch workers, parallel training runs) that ask for the same skill
    space together: one encodes every label, the others wait and load its result, instead of
    each encoding them and replacing each other's folder mid-write."""
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    import numpy as np

    from skillmatch.extract.skill_space import load_or_build

    builds = []

    class SlowEncoder:
        fingerprint = "slow-test-encoder"

        def encode(self, texts, show_progress=False):
            builds.append(threading.get_ident())
            time.sleep(0.5)  # long enough for the other worker to arrive while this one builds
            vectors = np.array([[hash(text) % 7 + 1, len(text), 1.0] for text in texts], dtype=np.float32)
            return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    with ThreadPoolExecutor(2) as pool:
        spaces = list(pool.map(lambda _: load_or_build(taxonomy, SlowEncoder(), "label", tmp_path), range(2)))
    assert len(builds) == 1
    assert spaces[0].uris == spaces[1].uris and np.array_equal(spaces[0].vectors, spaces[1].vectors)


def test_damaged_vector_file_is_rebuilt_from_the_records(plain_matcher):
    plain_matcher.add_resumes([RESUME], ids=["a"])
    assert [m.id for m in plain_matcher.match("Python and SQL analyst")] == ["a"]
    (Path(plain_matcher.index_dir) / "vectors.faiss").write_bytes(b"not faiss")
    fresh = Matcher(plain_matcher.extractor, plain_matcher.index_dir, config=MatchConfig(blind=False))
    assert [m.id for m in fresh.match("Python and SQL analyst")] == ["a"]


def test_match_refuses_an_index_built_with_another_model(plain_matcher):
    plain_matcher.add_resumes([RESUME], ids=["a"])
    plain_matcher.store.db.execute("UPDATE meta SET value='other-model@1234' WHERE key='model'")
    with pytest.raises(ProfileIndexError, match="built with model other-model@1234"):
        plain_matcher.match("Data scientist")


def test_empty_and_blank_resumes_are_refused_not_stored(plain_matcher):
    report = plain_matcher.add_resumes(["", "   \n\t", RESUME], ids=["empty", "blank", "ok"])
    assert report.added == ["ok"]
    assert {i for i, _ in report.failed} == {"empty", "blank"}
    assert all("empty" in reason for _, reason in report.failed)


def test_truncated_resume_is_added_with_a_warning(extractor, tmp_path):
    matcher = Matcher(extractor.variant(ExtractionConfig(max_chars=500)), tmp_path / "i",
                      config=MatchConfig(blind=False))
    report = matcher.add_resumes([RESUME * 30], ids=["long"])
    assert report.added == ["long"] and any("only the first 500" in w for _, w in report.warnings)


def test_empty_job_warns_in_every_match(plain_matcher):
    plain_matcher.add_resumes([RESUME], ids=["a"])
    for job in ("", "   ", "Come and join us!"):
        ranking = plain_matcher.match(job)
        assert ranking and all(any("no recognised requirement" in w for w in m.explanation.warnings) for m in ranking)


# batch inputs and runs ---------------------------------------------------------------------------
@pytest.fixture()
def settings(sample_data_dir, kb_cache):
    return SkillmatchConfig(data=str(sample_data_dir), cache_dir=str(kb_cache), matching=MatchConfig(blind=False),
                            batch=BatchConfig(partition_size=2))


def _rows(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_symlink_loop_scores_each_file_once(tmp_path):
    folder = tmp_path / "r"
    folder.mkdir()
    (folder / "a.txt").write_text(RESUME)
    (folder / "loop").symlink_to(folder)
    assert [i.id for i in iter_resumes(folder)] == ["a"]
    assert [i.id for i in iter_resumes(str(folder) + "/**/*.txt")] == ["a"]


def test_dangling_symlink_becomes_an_error_row(tmp_path):
    folder = tmp_path / "r"
    folder.mkdir()
    (folder / "a.txt").write_text(RESUME)
    (folder / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    items = {i.id: i for i in iter_resumes(folder)}
    assert items["gone"].error.startswith("broken symbolic link")


@pytest.mark.parametrize("content, problem", [
    ('{"id": "a", "body": "x"}\n', "no 'text' field in this record"),
    ('[1, 2]\n', "not a JSON object"),
    ('{"id": "a", "text": \n', "not JSON"),
])
def test_jsonl_records_without_text_say_so(tmp_path, content, problem):
    path = tmp_path / "in.jsonl"
    path.write_text(content)
    item = next(iter(iter_resumes(path)))
    assert problem in item.error


def test_table_with_repeated_ids_gives_an_error_row_for_the_repeat(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text('id,text\na,"Python"\na,"SQL"\n')
    items = list(iter_resumes(path))
    assert items[0].error is None and "already used at" in items[1].error


def test_batch_rows_carry_empty_and_truncated_warnings(settings, tmp_path):
    table = tmp_path / "in.jsonl"
    table.write_text("\n".join(json.dumps({"id": i, "text": t}) for i, t in
                               [("ok", RESUME), ("blank", "   "), ("long", RESUME * 40)]) + "\n")
    short = settings.replace(extraction=ExtractionConfig(max_chars=800))
    score([JOB], table, tmp_path / "out.jsonl", short, progress=False)
    rows = {r["resume_id"]: r for r in _rows(tmp_path / "out.jsonl")}
    assert rows["blank"]["error"] and "empty" in rows["blank"]["error"] and rows["blank"]["score"] is None
    assert any("only the first 800" in w for w in rows["long"]["warnings"])
    assert rows["ok"]["error"] is None and rows["ok"]["warnings"] == []


def test_resume_run_rescores_a_changed_file_defect_4(settings, tmp_path):
    folder = tmp_path / "r"
    folder.mkdir()
    for i in range(4):
        (folder / f"c{i}.txt").write_text(RESUME if i % 2 else "Registered nurse caring for patients.")
    out = tmp_path / "out.jsonl"
    score([JOB], folder, out, settings, progress=False, stop_after=2)
    (folder / "c0.txt").write_text(RESUME + " Deep learning and cloud computing.")
    score([JOB], folder, out, settings, progress=False, resume_run=True)
    fresh = tmp_path / "fresh.jsonl"
    score([JOB], folder, fresh, settings, progress=False)
    assert out.read_text() == fresh.read_text()


def test_resume_run_after_a_file_was_added_defect_5(settings, tmp_path):
    folder = tmp_path / "r"
    folder.mkdir()
    for i in (0, 2, 4, 6):
        (folder / f"c{i}.txt").write_text(f"{RESUME} candidate {i}")
    out = tmp_path / "out.jsonl"
    score([JOB], folder, out, settings, progress=False, stop_after=1)
    (folder / "c1.txt").write_text(f"{RESUME} candidate 1")
    score([JOB], folder, out, settings, progress=False, resume_run=True)
    ids = [r["resume_id"] for r in _rows(out)]
    assert ids == ["c0", "c1", "c2", "c4", "c6"]  # the new file is there, nothing twice


def test_resume_run_after_a_file_was_removed(settings, tmp_path):
    folder = tmp_path / "r"
    folder.mkdir()
    for i in range(5):
        (folder / f"c{i}.txt").write_text(f"{RESUME} candidate {i}")
    out = tmp_path / "out.jsonl"
    score([JOB], folder, out, settings, progress=False, stop_after=3)
    (folder / "c4.txt").unlink()
    score([JOB], folder, out, settings, progress=False, resume_run=True)
    assert [r["resume_id"] for r in _rows(out)] == ["c0", "c1", "c2", "c3"]


@pytest.mark.parametrize("out_name", ["out.txt", "out.xlsx", "out"])
def test_unknown_output_format_is_refused_before_any_work(settings, tmp_path, out_name):
    with pytest.raises(ConfigurationError, match="must end in .parquet, .jsonl or .csv"):
        score([JOB], tmp_path, tmp_path / out_name, settings, progress=False)
    assert not list(tmp_path.glob("*.parts"))


def test_no_resumes_found_names_the_pattern(settings, tmp_path):
    with pytest.raises(DataFileError, match="no resumes found"):
        score([JOB], str(tmp_path / "nothing-*.txt"), tmp_path / "o.jsonl", settings, progress=False)


def test_job_of_the_wrong_type_is_refused(settings, tmp_path):
    with pytest.raises(ConfigurationError, match="expected text .* a file .* or a Job"):
        score([42], tmp_path, tmp_path / "o.jsonl", settings, progress=False)


# configuration --------------------------------------------------------------------------------------
CONFIG_ERRORS = [
    (lambda: BatchConfig(engine="spark"), "batch.engine = 'spark'"),
    (lambda: BatchConfig(workers=0), "batch.workers = 0"),
    (lambda: BatchConfig(workers=-2), "batch.workers = -2"),
    (lambda: BatchConfig(partition_size=0), "batch.partition_size"),
    (lambda: BatchConfig(document_timeout=-1), "batch.document_timeout"),
    (lambda: BatchConfig(scheduler="tcp://h:8786"), "batch.scheduler"),
    (lambda: ExtractionConfig(threshold=1.5), "extraction.threshold = 1.5"),
    (lambda: ExtractionConfig(threshold=-0.1), "extraction.threshold"),
    (lambda: ExtractionConfig(splitter="nltk"), "extraction.splitter = 'nltk'"),
    (lambda: ExtractionConfig(top_k=0), "extraction.top_k"),
    (lambda: ExtractionConfig(backend="tensorflow"), "extraction.backend"),
    (lambda: ExtractionConfig(max_chars=0), "extraction.max_chars"),
    (lambda: MatchConfig(shortlist=0), "matching.shortlist"),
    (lambda: MatchConfig(credits={"exact": 1.0}), "matching.credits"),
    (lambda: MatchConfig(credits={**MatchConfig().credits, "exact": 2.0}), "matching.credits.exact = 2.0"),
    (lambda: MatchConfig(essential_cues="(unclosed"), "matching.essential_cues: not a valid regular expression"),
    (lambda: MatchConfig(signal_weights={"skills": 1.0}), "matching.signal_weights"),
    (lambda: MatchConfig(signal_weights={k: 0.0 for k in MatchConfig().importance_weights}), "matching.signal_weights"),
    (lambda: MatchConfig(importance_weights={"essential": 1.0}), "matching.importance_weights"),
    (lambda: SkillmatchConfig.from_dict({"batch": {"engine": "spark"}}), "batch.engine"),
    (lambda: SkillmatchConfig.from_dict({"extration": {}}), "unknown configuration key(s) extration"),
    (lambda: SkillmatchConfig.from_dict({"batch": {"wokers": 2}}), "unknown batch setting(s) wokers"),
    (lambda: SkillmatchConfig.from_dict({"matching": 3}), "matching: expected a table"),
]


@pytest.mark.parametrize("build, message", CONFIG_ERRORS)
def test_bad_configuration_fails_when_built(build, message):
    with pytest.raises(ConfigurationError) as caught:
        build()
    assert message in str(caught.value)


@pytest.mark.parametrize("name, content, message", [
    ("c.toml", "[batch\nengine = 'local'", "not valid toml"),
    ("c.json", "{not json", "not valid json"),
    ("c.toml", "[batch]\nengine = 'spark'\n", "batch.engine = 'spark'"),
])
def test_bad_configuration_file_names_the_file(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(ConfigurationError) as caught:
        SkillmatchConfig.load(path)
    assert str(path) in str(caught.value) and message in str(caught.value)


def test_engine_typo_writes_no_run_manifest(settings, tmp_path):
    """A wrong engine fails while the configuration is built, so no later run is blocked."""
    with pytest.raises(ConfigurationError):
        settings.replace(batch=BatchConfig(engine="spark"))
    assert not list(tmp_path.glob("*.parts"))


# audits ---------------------------------------------------------------------------------------------
AUDIT_FILES = {
    "zero bytes": ("", "the group file is empty"),
    "header only spaces": ("   \n", "the group file is empty"),
    "missing group column": ("id,gender\na,f\n", "missing column(s) group"),
    "empty group value": ("id,group\na,f\nb,\n", ":3: empty group for id 'b'"),
    "empty id": ("id,group\n,f\n", ":2: empty id"),
    "conflicting duplicate": ("id,group\na,f\nb,m\na,m\n", "id 'a' has group 'f' at line 2 and 'm' here"),
}


@pytest.mark.parametrize("case", sorted(AUDIT_FILES))
def test_bad_group_file_is_refused_with_file_and_line(case, tmp_path):
    content, message = AUDIT_FILES[case]
    path = tmp_path / "groups.csv"
    path.write_text(content)
    with pytest.raises(DataFileError) as caught:
        read_groups(path, ["a", "b"])
    assert message in str(caught.value) and str(path) in str(caught.value)


def test_unlabelled_candidates_are_left_out_with_a_warning_not_marked_unknown(tmp_path):
    path = tmp_path / "groups.csv"
    path.write_text("id,group\na,f\nb,m\na,f\n")  # a consistent duplicate is fine
    labels, warnings = read_groups(path, ["a", "b", "c", "d"])
    assert labels == {"a": "f", "b": "m"} and "2 ranked candidate(s) have no group label" in warnings[0]
    stats = audit({"a": 0.9, "b": 0.5, "c": 0.7, "d": 0.1}, labels, selected=1)
    assert {s.group for s in stats} == {"f", "m"}


# blind mode: names, contacts, and the skills that must survive ----------------------------------------
REDACTIONS = [
    ("María Fernández\nData analyst", "María", "[NAME]"),
    ("Zoë O'Brien-Smith\nNurse", "Zoë", "[NAME]"),
    ("Jordan Lee\nDeveloper\nI started Jordan's Kitchen (VLOG on YouTube).", "Jordan", "[NAME] Kitchen"),
    ("Contact: jane.doe+cv@example.co.uk", "jane.doe", "[EMAIL]"),
    ("Phone: +44 20 7946 0958", "7946", "[PHONE]"),
    ("Phone: (555) 123-4567", "123-4567", "[PHONE]"),
    ("https://github.com/janedoe and linkedin.com/in/jane-doe", "janedoe", "[LINK]"),
    ("Date of birth: 12/03/1990", "1990", "[DATE_OF_BIRTH]"),
    ("Age: 34", "34", "[AGE]"),
    ("He led the team; his work was praised.", " his ", "[PRONOUN]"),
]


@pytest.mark.parametrize("text, gone, placeholder", REDACTIONS)
def test_personal_data_is_redacted(text, gone, placeholder):
    redacted = Redactor(use_ner=False).redact(text).text
    assert gone not in redacted and placeholder in redacted


@pytest.mark.parametrize("text, kept", [
    ("Video editor; Adobe Premiere, After Effects", "Adobe Premiere"),
    ("Python, SQL and Java", "Python"),
    ("Senior Data Scientist\nPython", "Senior Data Scientist"),
])
def test_blind_mode_keeps_skill_product_and_title_names(extractor, text, kept):
    matcher = Matcher(extractor, config=MatchConfig(blind=True))
    redacted = matcher.active_redactor().redact("Alex Morgan\n" + text).text
    assert kept in redacted and "Alex" not in redacted


def test_counts_of_redactions_are_reported_as_warnings(extractor):
    matcher = Matcher(extractor, config=MatchConfig(blind=True))
    document = matcher.document("Jordan Lee\njordan@example.com\nPython developer")
    assert any("redacted" in w and "email" in w for w in document.warnings)
    assert "jordan@example.com" not in document.text and "Jordan" not in document.text


def test_postings_keep_people_names_and_lose_contact_data_in_blind_mode(extractor):
    """Blind mode hides who a candidate is; a posting's recruiter is nobody's identity, and
    looking for names in a posting could only cost it a skill."""
    matcher = Matcher(extractor, config=MatchConfig(blind=True))
    text = "Data Scientist\nAsk Jordan Lee (jordan@example.com) about the role. You need Python and SQL.\n"
    posting = matcher.document(text, kind="posting")
    assert "Jordan Lee" in posting.text and "jordan@example.com" not in posting.text
    assert "Jordan" not in matcher.document(text.replace("Data Scientist", "Jordan Lee")).text
    job = matcher.prepare_job(text, "ds")
    assert "Jordan Lee" in job.profile.text and "[EMAIL]" in job.profile.text


def test_lower_case_header_names_and_bare_profile_links_are_redacted():
    """Found on the annotated resumes: a first line "arjun ks" and an Indeed profile link without
    a scheme, broken across lines, kept the name in blind mode."""
    from skillmatch.match.redact import Redactor

    text = ("arjun ks\nBengaluru - Email me on Indeed: indeed.com/r/arjun-\nks/8e9247624a5095b4\n\n"
            "Skills: ASP.NET, Node.js, Python 3.6/3.7, TCP/IP.\nRamya. P wrote it.")
    redacted = Redactor(use_ner=False).redact(text).text
    assert "arjun" not in redacted.lower() and "8e9247624a5095b4" not in redacted
    assert "ASP.NET" in redacted and "Node.js" in redacted and "3.6/3.7" in redacted and "TCP/IP" in redacted
    first = Redactor(use_ner=False).redact("Ramya. P\nData analyst.").text
    assert "Ramya" not in first and "Data analyst." in first


def test_names_recur_in_any_case_and_lone_initials_are_not_skills(extractor):
    """Found on the annotated resumes: a signature in capitals ("MOHINI HARI GUPTA"), a lower-case
    header repeated on the second line, and a header "Karthihayini C" taken for the language C."""
    matcher = Matcher(extractor, config=MatchConfig(blind=True))
    redactor = matcher.active_redactor()
    signed = redactor.redact("Mohini Gupta\nServer support\n\nPLACE: Gurgaon (MOHINI HARI GUPTA)").text
    assert "mohini" not in signed.lower() and "gupta" not in signed.lower()
    repeated = redactor.redact("pradeep chauhan\npradeep chauhan\nPython developer").text
    assert "pradeep" not in repeated.lower() and "Python" in repeated
    assert "Karthihayini" not in redactor.redact("Karthihayini C\nSystems engineer").text


def test_everyday_words_ner_calls_persons_are_kept_unless_in_the_header():
    """The small NER model calls "Polite and Calm" or "Worked" persons in resumes; with a
    vocabulary they stay, and do not recur as names; a header name is taken whatever its words."""
    vocabulary = {"polite", "and", "calm", "worked", "rose"}
    redactor = Redactor(is_common_word=lambda w: w.lower() in vocabulary)
    text = "Rose Okafor\nData analyst\n\nPolite and Calm\nWorked at Rose's Bakery with Dr. Okafor."
    redacted = redactor.redact(text).text
    assert "Polite and Calm" in redacted and "Worked at" in redacted
    assert "Rose" not in redacted and "Okafor" not in redacted
    assert Redactor(use_ner=False).redact("Rose Okafor\nIT SUPPORT\nSoftware Testing").text.count("[NAME]") == 3
    common = Redactor(use_ner=False, is_common_word=lambda w: w.lower() in {"it", "support", "software", "testing"})
    assert common.redact("Rose Okafor\nIT SUPPORT\nSoftware Testing").text == "[NAME]\nIT SUPPORT\nSoftware Testing"


@pytest.mark.parametrize("text, kept", [
    ("Database: MS Access, MS SQL Server 2008", "MS SQL Server"),
    ("Tools: Ms office, Ms-excel, Ms. Excel", "Ms-excel"),
    ("Latency under 200 ms", "200 ms"),
    ("Single sign-on for a single page application", "Single sign-on"),
])
def test_microsoft_and_everyday_words_are_not_gender_cues(text, kept):
    redacted = Redactor(use_ner=False).redact("Header Line\n" + text).text
    assert kept in redacted and "[GENDERED]" not in redacted


@pytest.mark.parametrize("text, gone", [
    ("Worked with Ms. Jane Doe", "Ms."),
    ("Marital status: Single", "Single"),
    ("Status - Married", "Married"),
    ("Married", "Married"),
])
def test_titles_and_marital_status_are_gender_cues(text, gone):
    assert gone not in Redactor(use_ner=False).redact("Header Line\n" + text).text
