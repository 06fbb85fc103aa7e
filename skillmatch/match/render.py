"""Rankings and explanations as JSON, a terminal table, or a self-contained HTML report.

All three use the words of :mod:`skillmatch.match.wording`: a 0–100 fit, a summary, the
requirement checklist (met / partly met / missing) and one line per other signal. Every
line's points are shown, or the lines left out are counted with their total, so a reader
can always add them up to the fit.
"""
from __future__ import annotations

import html
import json
from typing import Sequence

from skillmatch.errors import ConfigurationError
from skillmatch.match.wording import word
from skillmatch.types import Evidence, Match

TABLE_REQUIREMENTS = 15
MARKS = {"met": "✓", "partly met": "~", "missing": "✗"}


def to_json(matches: Sequence[Match]) -> str:
    records = []
    for match in matches:
        record = match.to_dict()
        record["wording"] = word(match).to_dict()
        records.append(record)
    return json.dumps(records, indent=2, ensure_ascii=False) + "\n"


def to_table(matches: Sequence[Match], requirements_shown: int = TABLE_REQUIREMENTS) -> str:
    out = []
    for match in matches:
        wording = word(match)
        out.append(f"#{match.rank}  {match.id}  fit {wording.fit}/100 — {wording.summary}")
        lines = sorted(wording.checklist, key=lambda line: (-line.points, line.requirement))
        for line in lines[:requirements_shown]:
            detail = f" — {line.detail}" if line.detail and line.detail != "has it" else ""
            out.append(f"   {line.importance:<12} {MARKS[line.status]} {line.status:<10} "
                       f"{(line.requirement + detail)[:70]:<70} {line.points:+6.1f}")
        hidden = lines[requirements_shown:]
        if hidden:
            out.append(f"   … {len(hidden)} more requirements (together {sum(line.points for line in hidden):+.1f})")
        for name, points, detail in wording.signals:
            out.append(f"   {(name + ': ' + detail)[:96]:<96} {points:+6.1f}")
        out.append(f"   {'total (the fit, before rounding)':<96} {100 * match.score:6.1f}")
        for warning in wording.warnings:
            out.append(f"   warning: {warning}")
    return "\n".join(out) + "\n"


def highlight_evidence(evidence: Evidence) -> str:
    """The evidence sentence as HTML, the literally matched words in <mark>."""
    sentence = evidence.sentence
    if evidence.match_start is not None and evidence.start <= evidence.match_start < evidence.match_end <= evidence.end:
        a, b = evidence.match_start - evidence.start, evidence.match_end - evidence.start
        return html.escape(sentence[:a]) + "<mark>" + html.escape(sentence[a:b]) + "</mark>" + html.escape(sentence[b:])
    return html.escape(sentence)


def _evidence(evidence: Evidence | None, where: str) -> str:
    if evidence is None:
        return ""
    return (f"<div class='ev'><b>{where}:</b> {highlight_evidence(evidence)} "
            f"<small>(characters {evidence.start}–{evidence.end})</small></div>")


STYLE = """body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:1100px}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.2rem}td,th{border-bottom:1px solid #e3e3e3;padding:.35rem .5rem;
vertical-align:top;font-size:.92rem;text-align:left}th{background:#f6f6f6}mark{background:#ffe58a}
.fit{background:#e9eef5;width:160px;height:.9rem;display:inline-block;position:relative}
.fit span{background:#4c78a8;height:100%;display:block}.met{color:#1a7f37}.partly{color:#9a6700}
.missing{color:#b42318}.ev{color:#555;font-size:.85rem;margin:.2rem 0}.prov{color:#666;font-size:.8rem}
details summary{cursor:pointer;color:#4c78a8}.warn{color:#9a6700}"""


def to_html(matches: Sequence[Match], title: str = "skillmatch ranking") -> str:
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
             f"<style>{STYLE}</style></head><body><h1>{html.escape(title)}</h1>",
             "<p>Fit is 0–100: the points of every line below add up to it. Must-haves weigh more than "
             "nice-to-haves; a requirement is <span class='met'>met</span> when the candidate has the skill or a "
             "more specific one, <span class='partly'>partly met</span> when only a related skill was found.</p>"]
    if matches:
        provenance = matches[0].explanation.provenance
        parts.append("<p class='prov'>" + " · ".join(f"{html.escape(str(k))}: {html.escape(str(v))}"
                                                     for k, v in provenance.items()) + "</p>")
    parts.append("<table><tr><th>rank</th><th>candidate</th><th>fit</th><th>summary</th></tr>")
    for match in matches:
        wording = word(match)
        parts.append(f"<tr><td>{match.rank}</td><td><a href='#c{match.rank}'>{html.escape(match.id)}</a></td>"
                     f"<td><span class='fit'><span style='width:{wording.fit}%'></span></span> {wording.fit}</td>"
                     f"<td>{html.escape(wording.summary)}</td></tr>")
    parts.append("</table>")
    for match in matches:
        wording = word(match)
        parts.append(f"<h2 id='c{match.rank}'>#{match.rank} {html.escape(match.id)} — fit {wording.fit}/100</h2>"
                     f"<p>{html.escape(wording.summary)}</p>")
        for warning in wording.warnings:
            parts.append(f"<p class='warn'>⚠ {html.escape(warning)}</p>")
        parts.append("<table><tr><th></th><th>requirement</th><th>importance</th><th>how</th><th>points</th></tr>")
        requirements = [c for c in match.explanation.contributions if c.kind == "requirement"]
        for line, c in sorted(zip(wording.checklist, requirements), key=lambda pair: (-pair[0].points,
                                                                                     pair[0].requirement)):
            css = {"met": "met", "partly met": "partly", "missing": "missing"}[line.status]
            evidence = _evidence(c.jd_evidence, "job") + _evidence(c.resume_evidence, "resume")
            path = " → ".join(html.escape(s.label) for s in c.path)
            how = html.escape(line.detail or line.status) + (f"<br><small>{path}</small>" if path and len(c.path) > 1
                                                             else "")
            parts.append(f"<tr><td class='{css}'>{MARKS[line.status]} {line.status}</td>"
                         f"<td>{html.escape(line.requirement)}"
                         + (f"<details><summary>evidence</summary>{evidence}</details>" if evidence else "")
                         + f"</td><td>{html.escape(line.importance)}</td><td>{how}</td><td>{line.points:.1f}</td></tr>")
        for (name, points, detail), signal in zip(wording.signals, [k for k in match.explanation.signals if k != "skills"]):
            parts_of = [c for c in match.explanation.contributions if c.kind == signal]
            evidence = "".join(_evidence(c.jd_evidence, "job") + _evidence(c.resume_evidence, "resume")
                               for c in parts_of[:5])
            parts.append(f"<tr><td colspan='3'><b>{html.escape(name)}</b>: {html.escape(detail)}"
                         + (f"<details><summary>evidence</summary>{evidence}</details>" if evidence else "")
                         + f"</td><td></td><td>{points:.1f}</td></tr>")
        parts.append(f"<tr><th colspan='4'>total</th><th>{100 * match.score:.1f}</th></tr></table>")
        if match.explanation.extra:
            parts.append("<p><b>Other skills of the candidate:</b> "
                         + ", ".join(html.escape(s.label) for s in match.explanation.extra[:40]) + "</p>")
    parts.append("</body></html>")
    return "".join(parts)


def render_matches(matches: Sequence[Match], output: str, title: str = "skillmatch ranking") -> str:
    if output == "json":
        return to_json(matches)
    if output == "table":
        return to_table(matches)
    if output == "html":
        return to_html(matches, title)
    raise ConfigurationError(f"unknown format {output!r}; choose json, table or html")
