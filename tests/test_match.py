"""Matching: arithmetic of explanations, ontology partial credit, blind mode, audit, index."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest

from conftest import sample_uri
from skillmatch.match import Matcher, MatchConfig
from skillmatch.match.audit import audit
from skillmatch.match.redact import Redactor, counterfactual
from skillmatch.match.scoring import Aligner
from skillmatch.match.store import ProfileIndexError

JD = """Data Scientist

Requirements:
- You must have 3+ years of Python programming and strong SQL.
- Solid statistics and machine learning.

Nice to have:
- Experience with cloud computing.
"""
RESUMES = {
    "strong": "Jordan Lee\njordan.lee@example.com\nData scientist. He built machine learning models in Python, "
              "wrote SQL and applied statistics every day. Also used cloud computing.\n",
    "partial": "Sam Rivera\nSoftware developer. Java programming and relational databases; deep neural networks "
               "for image tasks.\n",
    "nurse": "Alex Kim\nRegistered nurse. Provided nursing care and administered medication to patients.\n",
}


@pytest.fixture(scope="module")
def matcher(extractor, tmp_path_factory):
    matcher = Matcher(extractor, tmp_path_factory.mktemp("index"), config=MatchConfig(blind=True))
    report = matcher.add_resumes(list(RESUMES.values()), ids=list(RESUMES))
    assert report.added == list(RESUMES)
    return matcher


def test_ranking_and_explanations_add_up(matcher):
    ranking = matcher.match(JD, top_k=3)
    assert [m.id for m in ranking] == ["strong", "partial", "nurse"]
    assert [m.rank for m in ranking] == [1, 2, 3]
    for match in ranking:
        assert sum(c.value for c in match.explanation.contributions) == pytest.approx(match.score, abs=1e-9)
        record = json.loads(json.dumps(match.to_dict()))
        assert {"id", "score", "explanation"} <= set(record)
        assert all(isinstance(c["value"], float) for c in record["explanation"]["contributions"])
    provenance = ranking[0].explanation.provenance
    assert provenance["model"] and provenance["knowledge_base"] and provenance["config"] and provenance["blind"]


def test_explanation_traces_requirement_to_evidence(matcher):
    top = matcher.match(JD, top_k=1)[0]
    python = next(c for c in top.explanation.contributions
                  if c.requirement and c.requirement.uri == sample_uri("skill", "python"))
    assert python.relation == "exact" and python.importance == "essential"
    assert "Python" in python.jd_evidence.sentence and "Python" in python.resume_evidence.sentence
    skills = top.explanation.signals["skills"]  # the requirement's share of the skill signal's points
    assert python.value == pytest.approx(skills["points"] * python.weight * python.credit / skills["raw"])


def test_importance_comes_from_wording_and_sections(matcher):
    job = matcher.prepare_job(JD)
    importance = {r.skill.uri: r.importance for r in job.requirements}
    assert importance[sample_uri("skill", "python")] == "essential"
    assert importance[sample_uri("skill", "cloud")] == "optional"


def test_ontology_partial_credit(taxonomy, extractor):
    aligner = Aligner(taxonomy, extractor.space, MatchConfig())
    relation = lambda a, b: aligner.relation(sample_uri("skill", a), sample_uri("skill", b))[0::2]  # noqa: E731
    assert relation("python", "python") == ("exact", 1.0)
    assert relation("computer-programming", "python") == ("narrower", 0.9)
    assert relation("python", "computer-programming") == ("broader", 0.6)
    assert relation("machine-learning", "statistics") == ("related", 0.5)
    assert relation("python", "java") == ("sibling", 0.4)
    path = aligner.relation(sample_uri("skill", "python"), sample_uri("skill", "java"))[1]
    assert path == (sample_uri("skill", "python"), sample_uri("skill", "computer-programming"),
                    sample_uri("skill", "java"))


def test_partial_credit_shows_in_the_ranking(matcher):
    partial = next(m for m in matcher.match(JD, top_k=3) if m.id == "partial")
    python = next(c for c in partial.explanation.contributions
                  if c.requirement and c.requirement.uri == sample_uri("skill", "python"))
    # no Python in this resume: the best partial credit wins, here ESCO's "deep learning → Python"
    # relation (0.5) over the Java sibling (0.4)
    assert python.relation == "related" and python.matched.uri == sample_uri("skill", "deep-learning")
    assert 0 < python.credit <= 0.5
    skills = partial.explanation.signals["skills"]
    assert python.value == pytest.approx(skills["points"] * python.weight * python.credit / skills["raw"])


def test_blind_mode_redacts_and_explanations_hold_no_personal_data(matcher):
    redacted = Redactor(is_protected=lambda t: bool(matcher.extractor.taxonomy.find(t))).redact(RESUMES["strong"])
    assert "jordan.lee@example.com" not in redacted.text and "Jordan Lee" not in redacted.text
    assert "[PRONOUN] built machine learning models in Python" in redacted.text
    text = json.dumps([m.to_dict() for m in matcher.match(JD, top_k=3)])
    for secret in ("Jordan", "jordan.lee@example.com", "Sam Rivera", "Alex Kim", " He built"):
        assert secret not in text


def test_counterfactual_names_and_pronouns_do_not_move_blind_scores(matcher):
    redactor = Redactor(is_protected=lambda t: bool(matcher.extractor.taxonomy.find(t)))
    base = matcher.explain(JD, RESUMES["strong"]).score
    for name in ("Maria Garcia", "Wei Zhang"):
        variant = counterfactual(RESUMES["strong"], redactor, name)
        assert name in variant and "She built" in variant
        assert matcher.explain(JD, variant).score == base


def test_audit_numbers():
    scores = {"a": 0.9, "b": 0.8, "c": 0.7, "d": 0.6, "e": 0.5, "f": 0.4}
    groups = {"a": "x", "b": "x", "c": "y", "d": "x", "e": "y", "f": "y"}
    stats = {s.group: s for s in audit(scores, groups, selected=3, min_group_size=3)}
    assert (stats["x"].selected, stats["y"].selected) == (2, 1)
    assert (stats["x"].judgement, stats["y"].judgement) == ("ok", "FAIL")
    assert stats["x"].selection_rate == pytest.approx(2 / 3, abs=1e-4) and stats["y"].impact_ratio == pytest.approx(0.5)
    assert stats["x"].passes_four_fifths and not stats["y"].passes_four_fifths
    assert stats["y"].score_mean == pytest.approx(0.5333, abs=1e-4)
    by_threshold = {s.group: s for s in audit(scores, groups, threshold=0.55, min_group_size=3)}
    assert by_threshold["y"].selected == 1 and by_threshold["x"].selected == 3
    # groups of 3 under the default minimum of 5: no verdict either way
    small = audit(scores, groups, selected=3)
    assert {s.judgement for s in small} == {"too few to judge"} and all(s.passes_four_fifths for s in small)


def test_index_ids_duplicates_updates_and_removal(extractor, tmp_path):
    matcher = Matcher(extractor, tmp_path / "index", config=MatchConfig(blind=False))
    assert matcher.add_resumes([RESUMES["nurse"]], ids=["n1"]).added == ["n1"]
    again = matcher.add_resumes([RESUMES["nurse"], RESUMES["nurse"]], ids=["n1", "n2"])
    assert again.failed[0][0] == "n1" and "already in the index" in again.failed[0][1]
    assert again.duplicates == [("n2", "n1")]
    assert matcher.add_resumes([RESUMES["partial"]], ids=["n1"], update=True).updated == ["n1"]
    assert matcher.store.info()["profiles"] == 1
    assert matcher.remove(["n1", "ghost"]) == ["n1"]
    assert len(matcher.store) == 0


def test_index_from_another_version_is_refused(extractor, tmp_path):
    Matcher(extractor, tmp_path / "index").store.info()
    with sqlite3.connect(tmp_path / "index" / "profiles.sqlite") as db:
        db.execute("UPDATE meta SET value='0' WHERE key='format'")
    with pytest.raises(ProfileIndexError, match="index format 0"):
        Matcher(extractor, tmp_path / "index").store.info()


def test_jd_without_skills_warns_and_is_scored_by_the_other_signals(matcher):
    ranking = matcher.match("Come and join us!!!", top_k=2)
    for match in ranking:
        assert "requirement" not in {c.kind for c in match.explanation.contributions}
        assert match.explanation.signals["skills"]["points"] == 0
        assert any("no recognised requirement" in w for w in match.explanation.warnings)
        assert match.score == pytest.approx(sum(c.value for c in match.explanation.contributions))


@pytest.mark.slow  # a subprocess or a training run
def test_cli_index_and_match_json_contract(sample_data_dir, kb_cache, tmp_path):
    for name, text in RESUMES.items():
        (tmp_path / f"{name}.txt").write_text(text)
    (tmp_path / "jd.md").write_text(JD)
    common = ["--data", str(sample_data_dir), "--cache-dir", str(kb_cache)]
    index = str(tmp_path / "index")
    run = lambda *args: subprocess.run([sys.executable, "-m", "skillmatch.cli", *args], capture_output=True,  # noqa
                                       text=True)
    added = run("index", "add", "--index", index, *[str(tmp_path / f"{n}.txt") for n in RESUMES], *common)
    assert added.returncode == 0, added.stderr
    out = run("match", "--index", index, "--job", str(tmp_path / "jd.md"), "--top-k", "2", "--format", "json", *common)
    assert out.returncode == 0, out.stderr
    ranking = json.loads(out.stdout)
    assert [r["id"] for r in ranking] == ["strong", "partial"]
    for item in ranking:
        assert abs(sum(c["value"] for c in item["explanation"]["contributions"]) - item["score"]) < 1e-6
    html_out = run("match", "--index", index, "--job", str(tmp_path / "jd.md"), "--format", "html", "--out",
                   str(tmp_path / "report.html"), *common)
    assert html_out.returncode == 0 and "<mark>" in (tmp_path / "report.html").read_text()
    info = json.loads(run("index", "info", "--index", index).stdout)
    assert info["profiles"] == 3


POSTINGS = {
    "ds": JD,
    "nurse": "Registered Nurse\nRequirements:\n- Provide nursing care and administer medication to patients.\n",
    "java": "Java Developer\nRequirements:\n- Java programming and relational databases.\n",
}


def test_jobs_for_a_resume_rank_postings_with_the_same_scores_as_match(extractor, tmp_path):
    postings = Matcher(extractor, tmp_path / "postings", config=MatchConfig(blind=False))
    report = postings.add(list(POSTINGS.values()), ids=list(POSTINGS), kind="posting")
    assert report.added == list(POSTINGS)
    ranking = postings.jobs(RESUMES["strong"], top_k=3)
    assert ranking[0].id == "ds" and [m.rank for m in ranking] == [1, 2, 3]
    # the same pair scored the other way round (candidates for the job) gives the same number
    direct = postings.explain(JD, RESUMES["strong"])
    assert ranking[0].score == pytest.approx(direct.score, abs=1e-9)
    assert sum(c.value for c in ranking[0].explanation.contributions) == pytest.approx(ranking[0].score)
    assert postings.store.info()["holds"] == "postings"
    with pytest.raises(ProfileIndexError, match="holds postings"):
        postings.match(JD)
    with pytest.raises(ProfileIndexError, match="holds postings"):
        postings.add_resumes(["another resume"], ids=["x"])


def test_occupation_alignment_goes_through_the_hierarchy(extractor):
    from skillmatch.match.scoring import OccupationAligner

    taxonomy = extractor.taxonomy
    aligner = OccupationAligner(taxonomy, MatchConfig())
    scientist, nurse = sample_uri("occupation", "data-scientist"), sample_uri("occupation", "nurse")
    assert aligner.relation(scientist, scientist) == ("exact", 1.0)
    assert aligner.relation(scientist, nurse) == ("", 0.0)
    # the sample crosswalk links the data scientist to O*NET's 15-2051.00
    onet = [m.target for m in taxonomy.mappings(scientist) if taxonomy.kind(m.target) == "onet_occupation"]
    assert onet and aligner.relation(scientist, onet[0]) == ("crosswalk", 0.9)


def test_shortlist_ranked_from_compact_records_equals_full_scoring(matcher, monkeypatch):
    """Only the shown candidates are read and explained in full; the ranking, scores and
    explanations are those of scoring every shortlisted profile in full."""
    from skillmatch.match.profile import Profile
    from skillmatch.match.scoring import rank

    import skillmatch.match.scoring as scoring

    monkeypatch.setattr(scoring, "RANK_MARGIN", 0)  # the cut at top_k is exercised, not padded away
    job = matcher.prepare_job(JD)
    everyone = [Profile.from_dict(r) for r in matcher.store.get(list(range(1, len(RESUMES) + 1)))]
    expected = rank(job, everyone, matcher.scorer, 1)
    assert [m.to_dict() for m in matcher.match(job, top_k=1)] == [m.to_dict() for m in expected]
    compact = matcher.store.get_for_scoring([1])[0][1]
    assert "evidence" not in compact["skills"][0] and "text" not in compact
    assert expected[0].explanation.contributions[0].resume_evidence is not None  # the full record was used
    # an index written before compact records existed reads its full records instead
    matcher.store.db.execute("DELETE FROM scoring")
    assert [m.to_dict() for m in matcher.match(job, top_k=1)] == [m.to_dict() for m in expected]


def test_a_missing_requirement_a_resume_line_still_scores_for_is_shown_with_that_line(matcher):
    """A skill the verdict gate dropped ("English" in a nurse's skills list, P 0.41) left the
    requirement "missing" while the soft profile credited it; the checklist now points at the
    line (no credit), and only where the line is more likely than not to name the skill."""
    from dataclasses import replace

    from skillmatch.match.scoring import UNCONFIRMED_MIN_P
    from skillmatch.match.wording import UNCONFIRMED_WORDS, word

    python = sample_uri("skill", "python")
    profile = matcher.profile(RESUMES["strong"], "strong")
    entry = next(e for e in profile.skill_profile if e[0] == python)
    assert python in {s.uri for s in profile.skills} and entry[4] >= UNCONFIRMED_MIN_P
    dropped = replace(profile, skills=tuple(s for s in profile.skills if s.uri != python))
    match = matcher.explain(JD, dropped)
    line = next(c for c in match.explanation.contributions if c.requirement and c.requirement.uri == python)
    assert line.relation == "missing" and line.value == 0.0 and python in {s.uri for s in match.explanation.missing}
    assert "Python" in line.resume_evidence.sentence and f"{entry[4]:.2f}" in line.note
    assert line.resume_evidence.sentence == dropped.text[line.resume_evidence.start:line.resume_evidence.end]
    assert next(l for l in word(match).checklist if l.requirement == line.requirement.label).detail == UNCONFIRMED_WORDS
    weak = replace(dropped, skill_profile=tuple((*e[:4], UNCONFIRMED_MIN_P / 2) if e[0] == python else e
                                                for e in dropped.skill_profile))
    line = next(c for c in matcher.explain(JD, weak).explanation.contributions
                if c.requirement and c.requirement.uri == python)
    assert line.relation == "missing" and line.resume_evidence is None
    assert matcher.explain(JD, weak).score == pytest.approx(match.score)  # the line earns nothing
