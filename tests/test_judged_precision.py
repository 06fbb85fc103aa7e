"""The hand-reading benchmark's own arithmetic (benchmarks/judged_precision.py)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

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
