"""The hand-reading benchmark's own arithmetic (benchmarks/judged_precision.py)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import judged_precision  # noqa: E402
from judged_precision import reader_agreement, reread_right_shares  # noqa: E402


def test_reader_agreement_compares_only_skills_read_twice_and_corrects_for_chance():
    first = {("d", "a"): "right", ("d", "b"): "wrong", ("d", "c"): "borderline", ("d", "e"): "right",
             ("only", "first"): "right"}
    second = {("d", "a"): "right", ("d", "b"): "wrong", ("d", "c"): "right", ("d", "e"): "right",
              ("only", "second"): "wrong"}
    figures = reader_agreement(first, second)
    assert figures["skills"] == 4
    assert figures["agreement"] == figures["agreement_right_vs_other"] == 0.75
    # chance agreement 0.5 * 0.75 + 0.25 * 0.25 = 0.4375 over three verdicts, 0.5 over right / other
    assert figures["cohen_kappa"] == round((0.75 - 0.4375) / (1 - 0.4375), 3)
    assert figures["cohen_kappa_right_vs_other"] == 0.5
    assert figures["right_share"] == {"first reading": 0.5, "second reading": 0.75}
    assert figures["confusion (first reading -> second)"]["borderline"] == {"right": 1, "borderline": 0, "wrong": 0}


def test_reread_right_shares_count_only_the_skills_a_system_returns():
    from types import SimpleNamespace

    results = {"d": [SimpleNamespace(uri="a"), SimpleNamespace(uri="c")], "x": [SimpleNamespace(uri="never re-read")]}
    first = {("d", "a"): "right", ("d", "c"): "right", ("d", "e"): "wrong", ("x", "never re-read"): "right"}
    second = {("d", "a"): "right", ("d", "c"): "borderline", ("d", "e"): "wrong"}
    assert reread_right_shares(results, first, second) == {"skills": 2, "first reading": 1.0, "second reading": 0.5}
    assert reread_right_shares({}, first, second) == {"skills": 0, "first reading": None, "second reading": None}


def test_a_batch_that_runs_out_of_documents_is_an_error_not_a_shorter_batch(monkeypatch, tmp_path):
    """Batches are drawn in order, so a short one would shift every later batch onto documents
    that were read under another gate; the draw must stop instead, naming the group."""
    import pytest

    import skillmatch.train.verdicts

    pool = [(f"indeed:{i}", f"posting {i}", "indeed") for i in range(6)]
    pool += [(f"google:{i}", f"posting {i}", "google") for i in range(4)]
    pool += [("resume:1", "a nurse", "Health"), ("resume:2", "a nurse", "Health"), ("resume:3", "another nurse", "Health")]
    monkeypatch.setattr(skillmatch.train.verdicts, "real_documents", lambda data: pool)
    monkeypatch.setattr(judged_precision, "BATCHES", {1: (3, 2, ("Health",)), 2: (3, 2, ("Health",))})
    chosen = judged_precision.documents(tmp_path)
    assert [batch for _, _, batch in chosen] == [1] * 6 + [2] * 6
    resumes = [(id_, batch) for id_, _, batch in chosen if id_.startswith("resume:")]
    assert sorted(batch for _, batch in resumes) == [1, 2]  # one resume each, two different ones
    assert len(dict(resumes)) == 2 and "resume:2" not in dict(resumes)  # a repeated text is one resume
    monkeypatch.setattr(judged_precision, "BATCHES", {1: (3, 2, ("Health",)), 2: (3, 2, ("Health",)),
                                                      3: (0, 0, ("Health",))})
    with pytest.raises(ValueError, match="batch 3 takes documents 3-3 of 'Health'.*holds 2 distinct ones"):
        judged_precision.documents(tmp_path)
