"""Streaming resume inputs: a folder, a glob, a CSV or a JSONL table, read one record at a time."""
from __future__ import annotations

import csv
import glob
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from skillmatch.errors import DataFileError

DOCUMENT_SUFFIXES = {".txt", ".md", ".markdown", ".pdf", ".docx", ".text"}


@dataclass(frozen=True)
class ResumeItem:
    """One resume to score: a file to read in the worker, or text carried from a table."""

    id: str
    source: str
    path: str | None = None
    text: str | None = None
    error: str | None = None  # a record that could not even be read from the table


def iter_resumes(spec: str | Path, text_column: str = "text", id_column: str | None = "id") -> Iterator[ResumeItem]:
    """Resumes from a folder (files sorted by name), a glob, a .csv or a .jsonl table.

    Without an id column (``id_column=None``) table rows are named by their line.
    """
    spec = str(spec)
    path = Path(spec)
    if path.is_dir():
        yield from _files(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES))
    elif path.is_file() and path.suffix.lower() == ".csv":
        yield from _csv(path, text_column, id_column)
    elif path.is_file() and path.suffix.lower() in (".jsonl", ".ndjson"):
        yield from _jsonl(path, text_column, id_column)
    elif path.is_file():
        yield from _files([path])
    else:
        matches = sorted(Path(p) for p in glob.glob(spec, recursive=True) if Path(p).is_file())
        if not matches:
            raise DataFileError(spec, "no resumes found", expected="a folder, a glob, a .csv or a .jsonl file")
        yield from _files(matches)


def _files(paths) -> Iterator[ResumeItem]:
    seen: dict[str, int] = {}
    for path in paths:
        stem = path.stem
        seen[stem] = seen.get(stem, 0) + 1
        profile_id = stem if seen[stem] == 1 else f"{stem}~{seen[stem]}"  # same stem in two folders
        yield ResumeItem(profile_id, str(path), path=str(path))


def _csv(path: Path, text_column: str, id_column: str | None) -> Iterator[ResumeItem]:
    csv.field_size_limit(sys.maxsize)
    with open(path, encoding="utf-8", errors="replace", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in (text_column, id_column) if c and c not in (reader.fieldnames or [])]
        if missing:
            wanted = " and ".join(repr(c) for c in (text_column, id_column) if c)
            raise DataFileError(path, f"missing column(s) {', '.join(missing)}", line=1,
                                expected=f"column(s) {wanted} (see --text-column/--id-column)")
        for row in reader:
            line = reader.line_num
            profile_id = (row.get(id_column) or "").strip() if id_column else ""
            profile_id = profile_id or f"line-{line}"
            text = row.get(text_column)
            if text is None:
                yield ResumeItem(profile_id, f"{path}:{line}", error="row has too few fields")
            else:
                yield ResumeItem(profile_id, f"{path}:{line}", text=text)


def _jsonl(path: Path, text_column: str, id_column: str | None) -> Iterator[ResumeItem]:
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line, raw in enumerate(handle, 1):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw)
                profile_id = str((record.get(id_column) if id_column else None) or f"line-{line}")
                yield ResumeItem(profile_id, f"{path}:{line}", text=str(record[text_column]))
            except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
                yield ResumeItem(f"line-{line}", f"{path}:{line}", error=f"unreadable record ({exc})")
