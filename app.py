"""skillmatch recruiter demo: `streamlit run app.py` (data from $SKILLMATCH_DATA).

A JD goes in, its ESCO skills come out with evidence; the recruiter edits the requirements,
uploads resumes, and gets a ranking whose every score can be traced line by line.
"""
from __future__ import annotations

import html
import io
import json
import os

import altair as alt
import pandas as pd
import streamlit as st

from skillmatch.errors import SkillmatchError
from skillmatch.match.audit import audit, audit_table
from skillmatch.match.render import highlight_evidence, to_html
from skillmatch.match.workbench import closest_skills, edited_requirement, manual_skill, read_uploads
from skillmatch.types import Match

st.set_page_config(page_title="skillmatch", layout="wide")


@st.cache_resource(show_spinner="Loading the knowledge base and the model (first time only)…")
def load_extractor(data: str | None, cache_dir: str | None):
    from skillmatch.extract import SkillExtractor

    return SkillExtractor.from_data(data, cache_dir=cache_dir)


def matcher_for(extractor, blind: bool):
    from skillmatch.config import MatchConfig
    from skillmatch.match import Matcher

    return Matcher(extractor, config=MatchConfig(blind=blind))


st.title("skillmatch — skills-based candidate ranking")
st.caption("ESCO skills with evidence · traceable scores · blind mode. "
           "This service uses the ESCO classification of the European Commission; O*NET® by USDOL/ETA (CC BY 4.0).")

try:
    extractor = load_extractor(os.environ.get("SKILLMATCH_DATA"), os.environ.get("SKILLMATCH_CACHE"))
except SkillmatchError as exc:
    st.error(f"The knowledge base could not be loaded: {exc}")
    st.stop()

with st.sidebar:
    blind = st.toggle("Blind mode", value=True, help="Redact names, contacts, gender and age cues before scoring.")
    st.write(f"Knowledge base: `{extractor.taxonomy.version}`")
    st.write(f"Model: `{extractor.version}`")
matcher = matcher_for(extractor, blind)

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
        with st.spinner("Extracting skills…"):
            prepared = matcher.prepare_job(text)
        if not prepared.requirements:
            st.warning("No skills were recognised in this job description. Add requirements by hand below.")
        st.session_state.job = prepared
        st.session_state.requirements = {r.skill.uri: r for r in prepared.requirements}
        st.session_state.pop("ranking", None)

    if "job" in st.session_state:
        job = st.session_state.job
        requirements = st.session_state.requirements
        if job.occupation:
            st.info(f"The title matches the ESCO occupation **{extractor.taxonomy.label(job.occupation)}**: its "
                    "essential skills count as essential when the wording says nothing.")
        st.subheader(f"Requirements ({len(requirements)})")
        rows = [{"keep": True, "skill": r.skill.label, "type": r.skill.skill_type or "-", "importance": r.importance,
                 "weight": r.weight, "confidence": round(r.skill.score, 3), "method": r.skill.method, "uri": uri}
                for uri, r in requirements.items()]
        edited = st.data_editor(
            pd.DataFrame(rows, columns=["keep", "skill", "type", "importance", "weight", "confidence", "method", "uri"]),
            key="requirements_editor", hide_index=True, use_container_width=True,
            column_config={"importance": st.column_config.SelectboxColumn(options=list(matcher.config.importance_weights)),
                           "weight": st.column_config.NumberColumn(min_value=0.0, max_value=5.0, step=0.1),
                           "skill": st.column_config.TextColumn(disabled=True),
                           "confidence": st.column_config.ProgressColumn(min_value=0, max_value=1)},
            disabled=["skill", "type", "confidence", "method", "uri"])
        updated = {}
        for row in edited.to_dict("records"):
            if row["keep"] and row["uri"] in requirements:
                current = requirements[row["uri"]]
                changed = row["importance"] != current.importance or abs(row["weight"] - current.weight) > 1e-9
                updated[row["uri"]] = (edited_requirement(current.skill, row["importance"], row["weight"])
                                       if changed else current)
        st.session_state.active_requirements = list(updated.values())

        with st.expander("Add a skill by name"):
            query = st.text_input("ESCO skill label", key="add_skill")
            if query:
                found = extractor.taxonomy.skills_by_label(query) or [
                    extractor.taxonomy.concept(r.uri) for r in extractor.rank([query], top_k=5)[0]]
                choice = st.selectbox("Matching ESCO skills", [c.uri for c in found],
                                      format_func=extractor.taxonomy.label)
                if st.button("Add requirement"):
                    requirements[choice] = edited_requirement(manual_skill(extractor.taxonomy, choice), "essential")
                    st.rerun()

        st.subheader("Skills by type, with evidence")
        by_type: dict[str, list] = {}
        for requirement in updated.values():
            by_type.setdefault(requirement.skill.skill_type or "other", []).append(requirement)
        for skill_type, items in sorted(by_type.items()):
            st.markdown(f"**{skill_type}**")
            for requirement in items:
                evidence = requirement.evidence
                quote = highlight_evidence(evidence) if evidence else "<i>added by hand</i>"
                st.markdown(f"- {html.escape(requirement.skill.label)} · *{requirement.importance}* — {quote}",
                            unsafe_allow_html=True)

# --- 2. candidates --------------------------------------------------------------------------
with candidates_tab:
    files = st.file_uploader("Upload resumes (txt, md, pdf, docx, or a zip of them)",
                             type=["txt", "md", "pdf", "docx", "zip"], accept_multiple_files=True, key="resumes")
    if st.button("Rank candidates", type="primary"):
        if "active_requirements" not in st.session_state:
            st.warning("Extract the skills of a job description first (tab 1).")
            st.stop()
        if not files:
            st.warning("Upload at least one resume.")
            st.stop()
        uploads = [u for f in files for u in read_uploads(f.name, f.getvalue())]
        from dataclasses import replace

        job = replace(st.session_state.job, requirements=tuple(st.session_state.active_requirements))
        ranking, failures = [], []
        progress = st.progress(0.0, text="Scoring resumes…")
        for position, upload in enumerate(uploads, 1):
            if upload.error:
                failures.append((upload.id, upload.error))
            else:
                try:
                    profile = matcher.profile(upload.text, upload.id)
                    ranking.append((matcher.scorer.score(job, profile), profile.skills))
                except SkillmatchError as exc:
                    failures.append((upload.id, str(exc)))
            progress.progress(position / len(uploads), text=f"Scored {position} of {len(uploads)}")
        progress.empty()
        ranking.sort(key=lambda item: (-item[0].score, item[0].id))
        st.session_state.ranking = [(Match(m.id, m.score, rank, m.explanation), skills)
                                    for rank, (m, skills) in enumerate(ranking, 1)]
        st.session_state.failures = failures

    for failed, reason in st.session_state.get("failures", []):
        st.error(f"Could not read **{failed}**: {reason}")
    if st.session_state.get("ranking"):
        ranking = st.session_state.ranking
        table = pd.DataFrame([{"rank": m.rank, "candidate": m.id, "score": m.score,
                               "matched": sum(1 for c in m.explanation.contributions if c.matched),
                               "missing": len(m.explanation.missing)} for m, _ in ranking])
        st.subheader("Ranking")
        st.dataframe(table, hide_index=True, use_container_width=True,
                     column_config={"score": st.column_config.ProgressColumn(min_value=0.0, max_value=1.0,
                                                                             format="%.3f")})
        st.altair_chart(alt.Chart(table).mark_bar().encode(x=alt.X("score:Q", bin=alt.Bin(maxbins=20)),
                                                           y="count()").properties(height=160, title="Scores"),
                        use_container_width=True)
        chosen = st.selectbox("Open a candidate", [m.id for m, _ in ranking], key="candidate")
        match, skills = next(item for item in ranking if item[0].id == chosen)
        st.subheader(f"Why {chosen} scores {match.score:.3f}")
        lines = []
        for c in match.explanation.contributions:
            if c.kind == "requirement":
                lines.append({"requirement": c.requirement.label, "importance": c.importance,
                              "matched by": c.matched.label if c.matched else "— missing —", "relation": c.relation,
                              "ontology path": " → ".join(s.label for s in c.path),
                              "JD evidence": c.jd_evidence.sentence if c.jd_evidence else "",
                              "resume evidence": c.resume_evidence.sentence if c.resume_evidence else "",
                              "contribution": round(c.value, 4)})
            else:
                lines.append({"requirement": "(text similarity)", "importance": "", "matched by": "",
                              "relation": f"cosine {c.credit:.3f}", "ontology path": "", "JD evidence": "",
                              "resume evidence": "", "contribution": round(c.value, 4)})
        st.table(pd.DataFrame(lines))
        st.caption(f"The contributions add up to the score: {sum(c.value for c in match.explanation.contributions):.4f}")
        coverage = pd.DataFrame([{"requirement": c.requirement.label, "credit": c.credit}
                                 for c in match.explanation.contributions if c.kind == "requirement"])
        if not coverage.empty:
            st.altair_chart(alt.Chart(coverage).mark_bar().encode(
                x=alt.X("credit:Q", scale=alt.Scale(domain=[0, 1])), y=alt.Y("requirement:N", sort="-x"))
                .properties(title="Skill coverage"), use_container_width=True)
        if match.explanation.missing:
            st.subheader("Gap")
            for missing in match.explanation.missing:
                near = closest_skills(extractor.space, missing.uri, skills)
                nearest = ", ".join(f"{label} ({cosine:.2f})" for label, cosine in near) or "nothing close"
                st.markdown(f"- **{missing.label}** — closest the candidate has: {nearest}")
        matches = [m for m, _ in ranking]
        st.subheader("Export")
        export_csv = io.StringIO()
        table.to_csv(export_csv, index=False)
        col1, col2, col3 = st.columns(3)
        col1.download_button("Ranking (CSV)", export_csv.getvalue(), "ranking.csv", "text/csv")
        col2.download_button("Explanations (JSON)", json.dumps([m.to_dict() for m in matches], indent=2),
                             "ranking.json", "application/json")
        col3.download_button("Report (HTML)", to_html(matches, "skillmatch ranking"), "report.html", "text/html")

# --- 3. audit -----------------------------------------------------------------------------
with audit_tab:
    st.write("Upload a CSV with columns `id,group` (e.g. self-reported gender). Groups never enter scoring.")
    groups_file = st.file_uploader("Group labels (CSV)", type=["csv"], key="groups")
    selected = st.number_input("Candidates selected (top N)", min_value=1, value=3, step=1)
    if groups_file is not None and st.session_state.get("ranking"):
        try:
            labels = pd.read_csv(groups_file, dtype=str)
            groups = dict(zip(labels["id"], labels["group"]))
        except (KeyError, ValueError, pd.errors.ParserError) as exc:
            st.error(f"The group file needs the columns id and group ({exc}).")
            st.stop()
        scores = {m.id: m.score for m, _ in st.session_state.ranking}
        stats = audit(scores, {k: v for k, v in groups.items() if isinstance(v, str) and v.strip()},
                      selected=int(selected))
        frame = pd.DataFrame([s.__dict__ for s in stats])
        st.dataframe(frame, hide_index=True, use_container_width=True)
        st.code(audit_table(stats))
        st.altair_chart(alt.Chart(frame).mark_bar().encode(x="selection_rate:Q", y="group:N",
                                                           color=alt.Color("passes_four_fifths:N")),
                        use_container_width=True)
        points = pd.DataFrame([{"group": groups.get(i, "unknown"), "score": s} for i, s in scores.items()])
        st.altair_chart(alt.Chart(points).mark_tick().encode(x="score:Q", y="group:N"), use_container_width=True)
    elif groups_file is not None:
        st.info("Rank candidates first (tab 2).")
