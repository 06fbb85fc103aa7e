"""Streaming resume inputs: a folder, a glob, a CSV or a JSONL table, read one record at a time."""
from __future__ import annotations

import csv
import glob
import json
import os
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

    def content_key(self) -> str:
        """Identifies what will be scored: the id and the text's (or file's) content."""
        import hashlib

        digest = hashlib.blake2b(digest_size=12)
        digest.update(f"{self.id}\0{self.error or ''}\0".encode())
        if self.path is not None:
            try:
                with open(self.path, "rb") as handle:
                    for block in iter(lambda: handle.read(1 << 20), b""):
                        digest.update(block)
            except OSError as exc:
                digest.update(f"unreadable: {exc}".encode())
        else:
            digest.update((self.text or "").encode("utf-8", "surrogatepass"))
        return digest.hexdigest()


def iter_resumes(spec: str | Path, text_column: str = "text", id_column: str | None = "id") -> Iterator[ResumeItem]:
    """Resumes from a folder (files sorted by name), a glob, a .csv or a .jsonl table.

    Without an id column (``id_column=None``) table rows are named by their line.
    """
    spec = str(spec)
    path = Path(spec)
    if path.is_dir():
        yield from _files(_walk(path))
    elif path.is_file() and path.suffix.lower() == ".csv":
        yield from _unique(_csv(path, text_column, id_column))
    elif path.is_file() and path.suffix.lower() in (".jsonl", ".ndjson"):
        yield from _unique(_jsonl(path, text_column, id_column))
    elif path.is_file():
        yield from _files([path])
    else:
        matches = sorted(Path(p) for p in glob.glob(spec, recursive=True) if Path(p).is_file() or Path(p).is_symlink())
        if not matches:
            raise DataFileError(spec, "no resumes found", expected="a folder, a glob, a .csv or a .jsonl file")
        yield from _files(matches)


def _walk(folder: Path) -> list[Path]:
    """Document files under a folder, in name order, without following links to folders (a link
    back to a parent would repeat every file forever); links to files are kept."""
    import os

    found = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs.sort()
        found.extend(Path(root) / name for name in sorted(files)
                     if Path(name).suffix.lower() in DOCUMENT_SUFFIXES)
    return sorted(found)


def _files(paths) -> Iterator[ResumeItem]:
    """One item per distinct file: the same file reached twice (a link, an overlapping glob) is
    scored once; a link to nothing becomes an error row, not a silent gap."""
    seen: dict[str, int] = {}
    real: set[str] = set()
    for path in paths:
        stem = path.stem
        if path.is_symlink() and not path.exists():
            seen[stem] = seen.get(stem, 0) + 1
            yield ResumeItem(stem if seen[stem] == 1 else f"{stem}~{seen[stem]}", str(path),
                             error=f"broken symbolic link (points to {os.readlink(path)})")
            continue
        resolved = str(path.resolve())
        if resolved in real:
            continue
        real.add(resolved)
        seen[stem] = seen.get(stem, 0) + 1
        profile_id = stem if seen[stem] == 1 else f"{stem}~{seen[stem]}"  # same stem in two folders
        yield ResumeItem(profile_id, str(path), path=str(path))


def _unique(items: Iterator[ResumeItem]) -> Iterator[ResumeItem]:
    """A table's repeated id becomes an error row naming the line that has it first."""
    first: dict[str, str] = {}
    for item in items:
        if item.id in first and item.error is None:
            yield ResumeItem(f"{item.id}~{item.source.rsplit(':', 1)[-1]}", item.source,
                             error=f"id {item.id!r} already used at {first[item.id]}; not scored (ids must be unique)")
            continue
        first.setdefault(item.id, item.source)
        yield item


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
            except json.JSONDecodeError as exc:
                yield ResumeItem(f"line-{line}", f"{path}:{line}", error=f"unreadable record (not JSON: {exc})")
                continue
            if not isinstance(record, dict):
                yield ResumeItem(f"line-{line}", f"{path}:{line}", error="unreadable record (not a JSON object)")
                continue
            profile_id = str((record.get(id_column) if id_column else None) or f"line-{line}")
            if text_column not in record:
                yield ResumeItem(profile_id, f"{path}:{line}", error=f"no {text_column!r} field in this record "
                                 "(choose the field with --text-column)")
                continue
            yield ResumeItem(profile_id, f"{path}:{line}", text=str(record[text_column]))
