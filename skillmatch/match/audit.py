"""Adverse-impact audit of a ranking, with group labels that never enter scoring.

Selection = being in the top ``selected`` of the ranking (or scoring at least ``threshold``).
The impact ratio of a group is its selection rate over the highest group's rate; below 0.8
fails the four-fifths rule of thumb (US EEOC Uniform Guidelines, 29 CFR 1607.4(D)). A group
with fewer than ``min_group_size`` candidates is reported as "too few to judge": a rate of
1 of 2 against 2 of 2 says nothing about bias. Candidates without a group label are left out
and counted, never lumped into an "unknown" group.
"""
from __future__ import annotations

import html
import statistics
from dataclasses import asdict, dataclass
from typing import Mapping


MIN_GROUP_SIZE = 5


@dataclass(frozen=True)
class GroupStats:
    """One group's selection rate, impact ratio and judgement ("ok", "FAIL", "too few to judge")."""

    group: str
    candidates: int
    selected: int
    selection_rate: float
    impact_ratio: float
    passes_four_fifths: bool
    judgement: str
    score_mean: float
    score_median: float
    score_min: float
    score_max: float


def read_groups(path, ranked_ids) -> tuple[dict[str, str], list[str]]:
    """Group labels from a CSV with columns ``id,group``, checked; and the warnings.

    Raises a :class:`~skillmatch.errors.DataFileError` naming the file and line for an empty
    file, missing columns, an empty group, or an id given two different groups.
    """
    import csv
    from pathlib import Path

    from skillmatch.errors import DataFileError

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(path, f"cannot read the group file ({exc})") from exc
    if not text.strip():
        raise DataFileError(path, "the group file is empty", expected="a CSV with columns id,group")
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in ("id", "group") if c not in (reader.fieldnames or [])]
    if missing:
        raise DataFileError(path, f"missing column(s) {', '.join(missing)}", line=1, expected="columns id,group")
    groups: dict[str, tuple[str, int]] = {}
    for row in reader:
        line = reader.line_num
        candidate, group = (row.get("id") or "").strip(), (row.get("group") or "").strip()
        if not candidate:
            raise DataFileError(path, "empty id", line=line, expected="an id from the ranking")
        if not group:
            raise DataFileError(path, f"empty group for id {candidate!r}", line=line,
                                expected="a group label (leave the candidate out of the file instead)")
        if candidate in groups and groups[candidate][0] != group:
            raise DataFileError(path, f"id {candidate!r} has group {groups[candidate][0]!r} at line "
                                f"{groups[candidate][1]} and {group!r} here", line=line, expected="one group per id")
        groups.setdefault(candidate, (group, line))
    labels = {candidate: group for candidate, (group, _) in groups.items()}
    unlabelled = [i for i in ranked_ids if i not in labels]
    warnings = []
    if unlabelled:
        warnings.append(f"{len(unlabelled)} ranked candidate(s) have no group label and are left out of the audit: "
                        + ", ".join(unlabelled[:10]) + (" …" if len(unlabelled) > 10 else ""))
    return labels, warnings


def audit(scores: Mapping[str, float], groups: Mapping[str, str], selected: int | None = None,
          threshold: float | None = None, min_group_size: int = MIN_GROUP_SIZE) -> list[GroupStats]:
    """Selection rates and impact ratios of the labelled candidates.

    Parameters
    ----------
    scores : mapping of id to score
    groups : mapping of id to group label (candidates without one are left out)
    selected : int, optional
        The top ``selected`` of the ranking count as selected ...
    threshold : float, optional
        ... or those scoring at least ``threshold``.
    min_group_size : int
        Smaller groups are "too few to judge".

    Returns
    -------
    list of GroupStats
    """
    if (selected is None) == (threshold is None):
        raise ValueError("give exactly one of selected (top N) or threshold")
    ranked = sorted(scores, key=lambda i: (-scores[i], i))
    chosen = set(ranked[:selected]) if selected is not None else {i for i in ranked if scores[i] >= threshold}
    members: dict[str, list[str]] = {}
    for candidate in ranked:
        if candidate in groups:
            members.setdefault(groups[candidate], []).append(candidate)
    rates = {g: sum(c in chosen for c in ids) / len(ids) for g, ids in members.items()}
    judged = [rates[g] for g, ids in members.items() if len(ids) >= min_group_size]
    best = max(judged) if judged else 0.0
    result = []
    for group in sorted(members):
        values = [scores[c] for c in members[group]]
        ratio = rates[group] / best if best else 1.0
        enough = len(values) >= min_group_size
        judgement = "too few to judge" if not enough else ("ok" if ratio >= 0.8 else "FAIL")
        result.append(GroupStats(group, len(values), sum(c in chosen for c in members[group]), round(rates[group], 4),
                                 round(ratio, 4), judgement != "FAIL", judgement, round(statistics.fmean(values), 4),
                                 round(statistics.median(values), 4), round(min(values), 4), round(max(values), 4)))
    return result


def audit_table(stats: list[GroupStats]) -> str:
    lines = [f"{'group':<20} {'n':>5} {'selected':>8} {'rate':>6} {'ratio':>6} {'four-fifths':<17} {'mean':>7} "
             f"{'median':>7}"]
    for s in stats:
        lines.append(f"{s.group:<20} {s.candidates:>5} {s.selected:>8} {s.selection_rate:>6.2f} {s.impact_ratio:>6.2f} "
                     f"{s.judgement:<17} {s.score_mean:>7.3f} {s.score_median:>7.3f}")
    return "\n".join(lines) + "\n"


def audit_html(stats: list[GroupStats], scores: Mapping[str, float], groups: Mapping[str, str]) -> str:
    """Table plus inline SVG plots: selection rate per group and score strip per group."""
    width, row = 520, 28
    bars = [f"<svg width='{width + 160}' height='{row * len(stats) + 10}' role='img' aria-label='selection rates'>"]
    for i, s in enumerate(stats):
        y = 5 + i * row
        colour = {"ok": "#4c78a8", "FAIL": "#e45756"}.get(s.judgement, "#9e9e9e")
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
            if groups.get(candidate) == s.group:
                strip.append(f"<circle cx='{140 + width * max(0.0, min(score, 1.0)):.1f}' cy='{y + 10}' r='3' "
                             "fill='#4c78a8' fill-opacity='0.5'/>")
    strip.append("</svg>")
    rows = "".join(f"<tr>{''.join(f'<td>{html.escape(str(v))}</td>' for v in asdict(s).values())}</tr>" for s in stats)
    header = "".join(f"<th>{name}</th>" for name in GroupStats.__dataclass_fields__)
    return ("<!doctype html><html><head><meta charset='utf-8'><title>skillmatch audit</title></head><body>"
            "<h1>Adverse-impact audit</h1><table border='1' cellpadding='4'>"
            f"<tr>{header}</tr>{rows}</table><h2>Selection rate</h2>{''.join(bars)}"
            f"<h2>Scores</h2>{''.join(strip)}</body></html>")
