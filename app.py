"""skillmatch recruiter demo: `streamlit run app.py` (data from $SKILLMATCH_DATA).

A JD goes in and its requirements come out, each with the sentence it was read from; the
recruiter marks them must-have / nice-to-have / ignore, uploads resumes, and gets a ranking
by a 0–100 fit whose every point is explained as a checklist.
"""
from __future__ import annotations

import hashlib
import html
import io
import json
import os
import tempfile
import time
from dataclasses import replace

import pandas as pd
import streamlit as st

from skillmatch.errors import SkillmatchError
from skillmatch.match.audit import audit, read_groups
from skillmatch.match.render import highlight_evidence, to_html
from skillmatch.match.wording import IMPORTANCE_WORDS, word
from skillmatch.match.workbench import closest_skills, edited_requirement, manual_skill, read_uploads, search_skills

st.set_page_config(page_title="skillmatch", layout="wide")
CHOICES = {"must-have": "essential", "nice-to-have": "optional", "also asked": "unspecified", "ignore": None}
MARKS = {"met": "✓ met", "partly met": "~ partly met", "missing": "✗ missing"}
USEFUL_COSINE = 0.5  # closer skills are shown as alternatives in the gap; farther ones would only confuse


@st.cache_resource(show_spinner="Loading the knowledge base and the model (first time only)…")
def load_extractor(data: str | None, cache_dir: str | None):
    from skillmatch.extract import SkillExtractor

    return SkillExtractor.from_data(data, cache_dir=cache_dir)


def fitted_weights(extractor) -> dict[str, float]:
    from skillmatch.match.scoring import DEFAULT_WEIGHTS

    return dict((extractor.spec.matching or {}).get("weights") or DEFAULT_WEIGHTS)


@st.cache_resource(show_spinner="Loading the name finder for blind mode (first time only)…")
def load_redactor(_extractor):
    """One blind-mode redactor for every run: its spaCy pipeline loads once, not at each click."""
    from skillmatch.match import Matcher

    redactor = Matcher(_extractor).active_redactor()
    redactor.redact("Alex Morgan\nPython developer")
    return redactor


def matcher_for(extractor, blind: bool, checklist_share: float):
    """The recruiter may give the checklist they edit a fixed share of the fit; the other
    signals keep their fitted proportions in the rest."""
    from skillmatch.config import MatchConfig
    from skillmatch.match import Matcher

    weights = fitted_weights(extractor)
    others = sum(v for k, v in weights.items() if k != "skills") or 1.0
    weights = {k: (checklist_share if k == "skills" else (1 - checklist_share) * v / others) for k, v in weights.items()}
    return Matcher(extractor, config=MatchConfig(blind=blind, signal_weights=weights),
                   redactor=load_redactor(extractor) if blind else None)


st.title("skillmatch — skills-based candidate ranking")
st.caption("ESCO skills and O*NET technologies with evidence · a 0–100 fit you can check line by line · blind mode. "
           "This service uses the ESCO classification of the European Commission; O*NET® by USDOL/ETA (CC BY 4.0).")

try:
    extractor = load_extractor(os.environ.get("SKILLMATCH_DATA"), os.environ.get("SKILLMATCH_CACHE"))
except SkillmatchError as exc:
    st.error(f"The knowledge base could not be loaded: {exc}")
    st.stop()

with st.sidebar:
    blind = st.toggle("Blind mode", value=True, help="Redact names, contacts, gender and age cues before scoring.")
    fitted = fitted_weights(extractor)
    fitted_share = fitted["skills"] / sum(fitted.values())
    checklist_share = st.slider(
        "How much your requirements checklist counts (%)", 0, 100, round(100 * fitted_share), step=5,
        help=f"{round(100 * fitted_share)} % is the share fitted on real resumes and postings: there the "
             "checklist added nothing the overlap of the two skill profiles did not already say, so it "
             "explains the fit without moving it. Raise it to rank by the must-haves and nice-to-haves you set; "
             "the other signals share the rest in their fitted proportions.") / 100
    st.write(f"Knowledge base: `{extractor.taxonomy.version}`")
    st.write(f"Model: `{extractor.version}`")
    st.markdown("**How to read a fit**: 0–100, the sum of the points of every line of a candidate's checklist. "
                "A requirement is *met* when the candidate has the skill (or a more specific one), *partly met* "
                "when only a related skill was found.")
matcher = matcher_for(extractor, blind, checklist_share)
taxonomy = extractor.taxonomy

job_tab, candidates_tab, audit_tab = st.tabs(["1 · Job description", "2 · Candidates", "3 · Fairness audit"])

# --- 1. the job ---------------------------------------------------------------------------
with job_tab:
    uploaded_jd = st.file_uploader("Upload a JD (txt, md, pdf, docx)", type=["txt", "md", "pdf", "docx"], key="jd_file")
    jd_text = st.text_area("Job description", height=220, key="jd_text",
                           placeholder="Paste the job description here…")
    if st.button("Extract skills", type="primary"):
        text = jd_text
        if uploaded_jd is not None:
            found = read_uploads(uploaded_jd.name, uploaded_jd.getvalue())[0]
            if found.error:
                st.error(f"That file could not be read: {found.error}")
                st.stop()
            text = found.text
        if not text or not text.strip():
            st.warning("The job description is empty: paste some text or upload a file.")
            st.stop()
        with st.spinner("Reading the job description…"):
            prepared = matcher.prepare_job(text)
        st.session_state.job = prepared
        st.session_state.requirements = {r.skill.uri: r for r in prepared.requirements}
        st.session_state.pop("ranking", None)

    if "job" in st.session_state:
        job = st.session_state.job
        requirements = st.session_state.requirements
        if not requirements:
            st.warning("No requirement was recognised in this job description: add them by name below.")
        if job.occupation:
            st.info(f"The title names the ESCO occupation **{taxonomy.label(job.occupation)}**: its essential "
                    "skills count as must-haves when the wording says nothing.")
        st.subheader(f"Requirements ({len(requirements)})")
        st.caption("Mark each as must-have, nice-to-have or ignore. Must-haves weigh more in the fit.")
        rows = [{"requirement": r.skill.label,
                 "kind": "technology (O*NET)" if r.skill.skill_type == "technology" else "ESCO skill",
                 "importance": IMPORTANCE_WORDS.get(r.importance, "also asked"),
                 "read from": (r.evidence.sentence[:90] if r.evidence else "added by hand")}
                for r in requirements.values()]
        edited = st.data_editor(
            pd.DataFrame(rows, columns=["requirement", "kind", "importance", "read from"]),
            key="requirements_editor", hide_index=True, width="stretch",
            height=min(40 + 35 * max(len(rows), 1), 900),
            column_config={"importance": st.column_config.SelectboxColumn(options=list(CHOICES), required=True)},
            disabled=["requirement", "kind", "read from"])
        updated = []
        for (uri, current), row in zip(requirements.items(), edited.to_dict("records")):
            level = CHOICES[row["importance"]]
            if level is None:
                continue
            updated.append(current if level == current.importance else
                           edited_requirement(current.skill, level, config=matcher.settings))
        st.session_state.active_requirements = updated

        with st.expander("Add a requirement by name (ESCO skills and O*NET technologies)", expanded=False):
            query = st.text_input("Skill or technology", key="add_skill", placeholder="e.g. Docker, SQL, nursing care")
            if query:
                found = search_skills(extractor, query)
                if not found:
                    st.warning(f"“{query}” could not be mapped to an ESCO skill or an O*NET technology; "
                               "try another wording.")
                else:
                    choice = st.selectbox("Best matches first", [uri for uri, _ in found],
                                          format_func=dict(found).get, key="add_choice")
                    if st.button("Add requirement"):
                        requirements[choice] = edited_requirement(manual_skill(taxonomy, choice), "essential",
                                                                  config=matcher.settings)
                        st.rerun()

        st.subheader("Where each requirement was read")
        for requirement in updated:
            evidence = requirement.evidence
            quote = highlight_evidence(evidence) if evidence else "<i>added by hand</i>"
            st.markdown(f"- **{html.escape(requirement.skill.label)}** · "
                        f"{IMPORTANCE_WORDS.get(requirement.importance, 'also asked')} — {quote}",
                        unsafe_allow_html=True)

# --- 2. candidates --------------------------------------------------------------------------
with candidates_tab:
    files = st.file_uploader("Upload resumes (txt, md, pdf, docx, or a zip of them)",
                             type=["txt", "md", "pdf", "docx", "zip"], accept_multiple_files=True, key="resumes")
    if files:  # said by the server once the uploads arrived, so a click after it ranks them all
        st.caption(f"{len(files)} file{'' if len(files) == 1 else 's'} received")
    if st.button("Rank candidates", type="primary"):
        if "active_requirements" not in st.session_state:
            st.warning("Read a job description first (tab 1).")
            st.stop()
        if not files:
            st.warning("Upload at least one resume.")
            st.stop()
        started = time.perf_counter()
        uploads = [u for f in files for u in read_uploads(f.name, f.getvalue())]
        job = replace(st.session_state.job, requirements=tuple(st.session_state.active_requirements))
        matches, failures, duplicates, seen = [], [], [], {}
        progress = st.progress(0.0, text="Scoring resumes…")
        for position, upload in enumerate(uploads, 1):
            if upload.error:
                failures.append((upload.id, upload.error))
            else:
                digest = hashlib.blake2b(" ".join(upload.text.split()).encode(), digest_size=16).hexdigest()
                if digest in seen:
                    duplicates.append((upload.id, seen[digest]))
                else:
                    seen[digest] = upload.id
                    try:
                        profile = matcher.profile(upload.text, upload.id)
                        matches.append((matcher.scorer.score(job, profile), profile))
                    except SkillmatchError as exc:
                        failures.append((upload.id, str(exc)))
            progress.progress(position / len(uploads), text=f"Scored {position} of {len(uploads)}")
        progress.empty()
        matches.sort(key=lambda item: (-item[0].score, item[0].id))
        st.session_state.ranking = [(replace(m, rank=rank), p) for rank, (m, p) in enumerate(matches, 1)]
        st.session_state.failures = failures
        st.session_state.duplicates = duplicates
        st.session_state.rank_seconds = time.perf_counter() - started

    for failed, reason in st.session_state.get("failures", []):
        st.error(f"Could not read **{failed}**: {reason}")
    duplicates = st.session_state.get("duplicates", [])
    if duplicates:
        st.warning("Same content uploaded more than once, ranked once: "
                   + "; ".join(f"**{d}** is the same as **{o}**" for d, o in duplicates))
    if st.session_state.get("ranking"):
        ranking = st.session_state.ranking
        st.subheader("Ranking")
        st.caption(f"{len(ranking)} candidates ranked in {st.session_state.rank_seconds:.1f} s. Fit is 0–100; the "
                   "summary says which requirements each candidate meets.")
        table = pd.DataFrame([{"rank": m.rank, "candidate": m.id, "fit": m.fit, "summary": m.summary}
                              for m, _ in ranking])
        st.dataframe(table, hide_index=True, width="stretch",
                     column_config={"fit": st.column_config.ProgressColumn("fit (0–100)", min_value=0, max_value=100,
                                                                           format="%d")})
        chosen = st.selectbox("Open a candidate", [m.id for m, _ in ranking], key="candidate")
        match, profile = next(item for item in ranking if item[0].id == chosen)
        wording = word(match)
        st.subheader(f"{chosen}: fit {wording.fit}/100")
        st.markdown(f"**{html.escape(wording.summary)}**")
        for warning in wording.warnings:
            st.caption(f"⚠ {warning}")
        checklist = pd.DataFrame([{"": MARKS[line.status], "requirement": line.requirement,
                                   "importance": line.importance,
                                   "how": line.detail if line.detail and line.detail != "has it" else "",
                                   "points": round(line.points, 1)} for line in wording.checklist])
        st.markdown("**Requirements checklist**")
        st.dataframe(checklist, hide_index=True, width="stretch",
                     height=min(40 + 35 * max(len(checklist), 1), 700))
        st.markdown("**Other signals**")
        for name, points, detail in wording.signals:
            st.markdown(f"- {html.escape(name)}: {html.escape(detail)} — **{points:+.1f}** points")
        total = sum(line.points for line in wording.checklist) + sum(points for _, points, _ in wording.signals)
        st.caption(f"The points add up to the fit: {total:.1f} → {wording.fit}")
        with st.expander("Evidence for each requirement"):
            for c in match.explanation.contributions:
                if c.kind == "requirement" and (c.jd_evidence or c.resume_evidence):
                    job_quote = highlight_evidence(c.jd_evidence) if c.jd_evidence else "—"
                    cv_quote = highlight_evidence(c.resume_evidence) if c.resume_evidence else "—"
                    st.markdown(f"**{html.escape(c.requirement.label)}** — job: {job_quote}<br>resume: {cv_quote}",
                                unsafe_allow_html=True)
        if match.explanation.missing:
            st.markdown("**Gap**")
            for missing in match.explanation.missing:
                near = [(label, cosine) for label, cosine in closest_skills(extractor.space, missing.uri,
                                                                            profile.skills)
                        if cosine >= USEFUL_COSINE]
                alternatives = ", ".join(label for label, _ in near)
                st.markdown(f"- **{html.escape(missing.label)}**"
                            + (f" — closest the candidate has: {html.escape(alternatives)}" if alternatives
                               else " — nothing close in the resume"))
        matches = [m for m, _ in ranking]
        st.subheader("Export")
        export = pd.DataFrame([{
            "rank": m.rank, "candidate": m.id, "fit": m.fit, "summary": m.summary,
            "requirements met": "; ".join(l.requirement for l in word(m).checklist if l.status == "met"),
            "partly met": "; ".join(l.requirement for l in word(m).checklist if l.status == "partly met"),
            "missing": "; ".join(l.requirement for l in word(m).checklist if l.status == "missing")}
            for m in matches])
        col1, col2, col3 = st.columns(3)
        col1.download_button("Ranking (CSV)", export.to_csv(index=False), "ranking.csv", "text/csv", on_click="ignore")
        col2.download_button("Explanations (JSON)",
                             json.dumps([m.to_dict() | {"wording": word(m).to_dict()} for m in matches], indent=2,
                                        ensure_ascii=False), "ranking.json", "application/json",
                             on_click="ignore")
        col3.download_button("Report (HTML)", to_html(matches, "skillmatch ranking"), "report.html", "text/html",
                            on_click="ignore")

# --- 3. audit -----------------------------------------------------------------------------
with audit_tab:
    st.write("Upload a CSV with columns `id,group` (e.g. self-reported gender). Groups never enter scoring.")
    groups_file = st.file_uploader("Group labels (CSV)", type=["csv"], key="groups")
    selected = st.number_input("Candidates selected (top N)", min_value=1, value=3, step=1)
    minimum = st.number_input("Smallest group to judge", min_value=1, value=5, step=1,
                              help="Smaller groups are reported as 'too few to judge' instead of a verdict.")
    if groups_file is not None and st.session_state.get("ranking"):
        scores = {m.id: m.score for m, _ in st.session_state.ranking}
        with tempfile.NamedTemporaryFile("wb", suffix=".csv", delete=False) as handle:
            handle.write(groups_file.getvalue())
        try:
            groups, warnings = read_groups(handle.name, list(scores))
        except SkillmatchError as exc:
            st.error(f"The group file cannot be used: {str(exc).replace(handle.name, groups_file.name)}")
            st.stop()
        finally:
            os.unlink(handle.name)
        for warning in warnings:
            st.warning(warning)
        stats = audit(scores, groups, selected=int(selected), min_group_size=int(minimum))
        frame = pd.DataFrame([{"group": s.group, "candidates": s.candidates, "selected": s.selected,
                               "selection rate": round(s.selection_rate, 2), "impact ratio": round(s.impact_ratio, 2),
                               "four-fifths rule": s.judgement, "mean fit": round(100 * s.score_mean)}
                              for s in stats])

        def colour(row):
            tone = {"FAIL": "background-color: #fde2e1; color: #b42318",
                    "too few to judge": "color: #6b6b6b"}.get(row["four-fifths rule"], "")
            return [tone] * len(row)

        st.table(frame.style.apply(colour, axis=1).hide(axis="index"))
        failing = [s.group for s in stats if s.judgement == "FAIL"]
        if failing:
            st.error("Selection rate below four-fifths of the highest group's: " + ", ".join(failing))
        st.download_button("Audit (CSV)", frame.to_csv(index=False), "audit.csv", "text/csv", on_click="ignore")
    elif groups_file is not None:
        st.info("Rank candidates first (tab 2).")
