"""Adverse-impact audit of a ranking, with group labels that never enter scoring.

Selection = being in the top ``selected`` of the ranking (or scoring at least ``threshold``).
The impact ratio of a group is its selection rate over the highest group's rate; below 0.8
fails the four-fifths rule of thumb (US EEOC Uniform Guidelines, 29 CFR 1607.4(D)).
"""
from __future__ import annotations

import html
import statistics
from dataclasses import asdict, dataclass
from typing import Mapping


@dataclass(frozen=True)
class GroupStats:
    group: str
    candidates: int
    selected: int
    selection_rate: float
    impact_ratio: float
    passes_four_fifths: bool
    score_mean: float
    score_median: float
    score_min: float
    score_max: float


def audit(scores: Mapping[str, float], groups: Mapping[str, str], selected: int | None = None,
          threshold: float | None = None) -> list[GroupStats]:
    if (selected is None) == (threshold is None):
        raise ValueError("give exactly one of selected (top N) or threshold")
    ranked = sorted(scores, key=lambda i: (-scores[i], i))
    chosen = set(ranked[:selected]) if selected is not None else {i for i in ranked if scores[i] >= threshold}
    members: dict[str, list[str]] = {}
    for candidate in ranked:
        members.setdefault(groups.get(candidate, "unknown"), []).append(candidate)
    rates = {g: sum(c in chosen for c in ids) / len(ids) for g, ids in members.items()}
    best = max(rates.values()) if rates else 0.0
    result = []
    for group in sorted(members):
        values = [scores[c] for c in members[group]]
        ratio = rates[group] / best if best else 1.0
        result.append(GroupStats(group, len(values), sum(c in chosen for c in members[group]), round(rates[group], 4),
                                 round(ratio, 4), ratio >= 0.8, round(statistics.fmean(values), 4),
                                 round(statistics.median(values), 4), round(min(values), 4), round(max(values), 4)))
    return result


def audit_table(stats: list[GroupStats]) -> str:
    lines = [f"{'group':<20} {'n':>5} {'selected':>8} {'rate':>6} {'ratio':>6} {'4/5':>4} {'mean':>7} {'median':>7}"]
    for s in stats:
        lines.append(f"{s.group:<20} {s.candidates:>5} {s.selected:>8} {s.selection_rate:>6.2f} {s.impact_ratio:>6.2f} "
                     f"{'ok' if s.passes_four_fifths else 'FAIL':>4} {s.score_mean:>7.3f} {s.score_median:>7.3f}")
    return "\n".join(lines) + "\n"


def audit_html(stats: list[GroupStats], scores: Mapping[str, float], groups: Mapping[str, str]) -> str:
    """Table plus inline SVG plots: selection rate per group and score strip per group."""
    width, row = 520, 28
    bars = [f"<svg width='{width + 160}' height='{row * len(stats) + 10}' role='img' aria-label='selection rates'>"]
    for i, s in enumerate(stats):
        y = 5 + i * row
        colour = "#4c78a8" if s.passes_four_fifths else "#e45756"
        bars.append(f"<text x='0' y='{y + 16}' font-size='12'>{html.escape(s.group[:18])}</text>"
                    f"<rect x='140' y='{y}' width='{width * s.selection_rate:.1f}' height='20' fill='{colour}'/>"
                    f"<text x='{145 + width * s.selection_rate:.1f}' y='{y + 15}' font-size='11'>"
                    f"{s.selection_rate:.2f} (ratio {s.impact_ratio:.2f})</text>")
    bars.append("</svg>")
    strip = [f"<svg width='{width + 160}' height='{row * len(stats) + 10}' role='img' aria-label='score distributions'>"]
    for i, s in enumerate(stats):
        y = 5 + i * row
        strip.append(f"<text x='0' y='{y + 16}' font-size='12'>{html.escape(s.group[:18])}</text>")
        for candidate, score in scores.items():
            if groups.get(candidate, "unknown") == s.group:
                strip.append(f"<circle cx='{140 + width * max(0.0, min(score, 1.0)):.1f}' cy='{y + 10}' r='3' "
                             "fill='#4c78a8' fill-opacity='0.5'/>")
    strip.append("</svg>")
    rows = "".join(f"<tr>{''.join(f'<td>{html.escape(str(v))}</td>' for v in asdict(s).values())}</tr>" for s in stats)
    header = "".join(f"<th>{name}</th>" for name in GroupStats.__dataclass_fields__)
    return ("<!doctype html><html><head><meta charset='utf-8'><title>skillmatch audit</title></head><body>"
            "<h1>Adverse-impact audit</h1><table border='1' cellpadding='4'>"
            f"<tr>{header}</tr>{rows}</table><h2>Selection rate</h2>{''.join(bars)}"
            f"<h2>Scores</h2>{''.join(strip)}</body></html>")
