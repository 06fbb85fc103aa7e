"""Extraction results as JSON, JSON lines, CSV or a terminal table."""
from __future__ import annotations

import csv
import io
import json
from typing import Sequence

from skillmatch.errors import ConfigurationError

FORMATS = ("table", "json", "jsonl", "csv")


def render_results(results: Sequence, output: str) -> str:
    if output == "json":
        return json.dumps([r.to_dict() for r in results], indent=2, ensure_ascii=False) + "\n"
    if output == "jsonl":
        return "".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in results)
    if output == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["source", "uri", "label", "skill_type", "score", "method", "evidence_sentence",
                         "evidence_start", "evidence_end", "matched_text", "stated"])
        for result in results:
            for skill in result.skills:
                for evidence in skill.evidence:
                    writer.writerow([result.source, skill.uri, skill.label, skill.skill_type, skill.score,
                                     evidence.method, evidence.sentence, evidence.start, evidence.end,
                                     evidence.matched_text, "" if skill.stated is None else skill.stated])
        return buffer.getvalue()
    if output == "table":
        lines = []
        for result in results:
            lines.append(f"== {result.source}: {len(result.skills)} skills from {result.sentence_count} sentences "
                         f"(model {result.model}, KB {result.knowledge_base})")
            for skill in result.skills:
                best = skill.evidence[0]
                matched = f' "{best.matched_text}"' if best.matched_text else ""
                stated = "" if skill.stated is None else f"  stated {skill.stated:.2f}"
                lines.append(f"  {skill.score:5.3f}  {skill.method:<8} {skill.label}  [{skill.skill_type or '-'}]{stated}")
                lines.append(f"         evidence [{best.start}:{best.end}]{matched}: {best.sentence[:110]}")
                if len(skill.evidence) > 1:
                    lines.append(f"         (+{len(skill.evidence) - 1} more sentences)")
        return "\n".join(lines) + "\n"
    raise ConfigurationError(f"unknown format {output!r}; choose one of {', '.join(FORMATS)}")
