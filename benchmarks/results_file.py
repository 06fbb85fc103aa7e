"""Where a benchmark's results go: one JSON file per run, indented for review in a diff, its
folder made if needed — the same for every benchmark, so results read alike."""
from __future__ import annotations

import json
from pathlib import Path


def write_results(path: str | Path, report: dict) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2) + "\n")
    return path
