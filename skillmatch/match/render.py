"""Rankings and explanations as JSON, a terminal table, or a self-contained HTML report."""
from __future__ import annotations

import html
import json
from typing import Sequence

from skillmatch.errors import ConfigurationError
from skillmatch.types import Evidence, Match


def to_json(matches: Sequence[Match]) -> str:
    return json.dumps([m.to_dict() for m in matches], indent=2, ensure_ascii=False) + "\n"


def to_table(matches: Sequence[Match], lines_per_candidate: int = 12) -> str:
    out = []
    for match in matches:
        out.append(f"#{match.rank}  {match.id}  score {match.score:.4f}")
        shown = [c for c in match.explanation.contributions if c.kind != "requirement" or c.relation != "missing"]
        for contribution in shown[:lines_per_candidate]:
            if contribution.kind == "requirement":
                via = " > ".join(s.label for s in contribution.path)
                out.append(f"   +{contribution.value:.4f}  {contribution.requirement.label} ({contribution.importance})"
                           f" <- {contribution.matched.label} [{contribution.relation}: {via}]")
            else:
                out.append(f"   +{contribution.value:.4f}  {contribution.kind} (cosine {contribution.credit:.3f})")
        if match.explanation.missing:
            out.append("   missing: " + "; ".join(s.label for s in match.explanation.missing[:10]))
    return "\n".join(out) + "\n"


def highlight_evidence(evidence: Evidence) -> str:
    """The evidence sentence as HTML, the literally matched words in <mark>."""
    sentence = evidence.sentence
    if evidence.match_start is not None and evidence.start <= evidence.match_start < evidence.match_end <= evidence.end:
        a, b = evidence.match_start - evidence.start, evidence.match_end - evidence.start
        return html.escape(sentence[:a]) + "<mark>" + html.escape(sentence[a:b]) + "</mark>" + html.escape(sentence[b:])
    return html.escape(sentence)


def _highlight(evidence: Evidence | None) -> str:
    if evidence is None:
        return ""
    return (f"{highlight_evidence(evidence)}<br><small>chars {evidence.start}–{evidence.end} · "
            f"{html.escape(evidence.method)} · {evidence.score:.2f}</small>")


STYLE = """body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:1200px}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}td,th{border:1px solid #ddd;padding:.35rem .5rem;
vertical-align:top;font-size:.9rem}th{background:#f4f4f4;text-align:left}mark{background:#ffe58a}
.bar{background:#4c78a8;height:.7rem;display:inline-block}.missing{color:#a33}.prov{color:#666;font-size:.8rem}"""


def to_html(matches: Sequence[Match], title: str = "skillmatch ranking") -> str:
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
             f"<style>{STYLE}</style></head><body><h1>{html.escape(title)}</h1>"]
    if matches:
        provenance = matches[0].explanation.provenance
        parts.append("<p class='prov'>" + " · ".join(f"{html.escape(str(k))}: {html.escape(str(v))}"
                                                     for k, v in provenance.items()) + "</p>")
    parts.append("<table><tr><th>rank</th><th>candidate</th><th>score</th><th></th></tr>")
    for match in matches:
        parts.append(f"<tr><td>{match.rank}</td><td><a href='#c{match.rank}'>{html.escape(match.id)}</a></td>"
                     f"<td>{match.score:.4f}</td><td><span class='bar' style='width:{300 * match.score:.0f}px'>"
                     "</span></td></tr>")
    parts.append("</table>")
    for match in matches:
        parts.append(f"<h2 id='c{match.rank}'>#{match.rank} {html.escape(match.id)} — {match.score:.4f}</h2>"
                     "<table><tr><th>requirement</th><th>importance</th><th>matched by</th><th>ontology path</th>"
                     "<th>JD evidence</th><th>resume evidence</th><th>contribution</th></tr>")
        for c in match.explanation.contributions:
            if c.kind != "requirement":
                parts.append(f"<tr><td colspan='6'>{html.escape(c.kind)}: {html.escape(c.note)} "
                             f"(cosine {c.credit:.3f}, share {c.weight:.2f})</td><td>{c.value:.4f}</td></tr>")
                continue
            matched = (f"{html.escape(c.matched.label)}<br><small>{html.escape(c.relation)}, credit {c.credit:.2f}"
                       "</small>") if c.matched else "<span class='missing'>missing</span>"
            path = " → ".join(html.escape(s.label) for s in c.path)
            parts.append(f"<tr><td>{html.escape(c.requirement.label)}<br><small>{html.escape(c.requirement.uri)}"
                         f"</small></td><td>{html.escape(c.importance)}<br><small>weight {c.weight:.3f}</small></td>"
                         f"<td>{matched}</td><td>{path}</td><td>{_highlight(c.jd_evidence)}</td>"
                         f"<td>{_highlight(c.resume_evidence)}</td><td>{c.value:.4f}</td></tr>")
        parts.append("</table>")
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
