"""Reading the CSV/TSV files of official releases with errors that point at file and line."""
from __future__ import annotations

import csv
import io
import sys
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from skillmatch.errors import DataFileError

csv.field_size_limit(sys.maxsize)


@dataclass(frozen=True)
class TableFile:
    """A table inside a plain folder or inside a zip archive, named for error messages."""

    path: Path
    member: str | None = None

    @property
    def display(self) -> str:
        return f"{self.path}!{self.member}" if self.member else str(self.path)

    def open_bytes(self):
        if self.member is None:
            try:
                return open(self.path, "rb")
            except OSError as exc:
                raise DataFileError(self.path, f"cannot open: {exc.strerror}") from exc
        try:
            archive = zipfile.ZipFile(self.path)
            return archive.open(self.member)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
            raise DataFileError(self.path, f"not a readable zip archive ({exc})",
                                expected="the ESCO CSV zip as downloaded from the ESCO portal") from exc


def read_rows(table: TableFile, required: tuple[str, ...], *, delimiter: str = ",",
              quoting: int = csv.QUOTE_MINIMAL) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line, row)``; stop with a DataFileError on a bad header, row or encoding."""
    raw = table.open_bytes()
    text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    reader = csv.reader(text, delimiter=delimiter, quoting=quoting)
    try:
        try:
            header = next(reader)
        except StopIteration:
            raise DataFileError(table.display, "file is empty",
                                expected=f"a header with columns {', '.join(required)}") from None
        header = [name.strip() for name in header]
        missing = [name for name in required if name not in header]
        if missing:
            raise DataFileError(table.display, f"missing column(s) {', '.join(missing)}", line=1,
                                expected=f"columns {', '.join(required)}; found {', '.join(header[:12])}")
        width = len(header)
        # Official files omit trailing empty fields, so short rows are padded; a row too short
        # to hold a required column, or longer than the header, is malformed.
        needed = max(header.index(name) for name in required) + 1 if required else 0
        for fields in reader:
            if not fields:
                continue
            if len(fields) > width or len(fields) < needed:
                raise DataFileError(table.display, f"row has {len(fields)} fields", line=reader.line_num,
                                    expected=f"{width} fields as in the header")
            if len(fields) < width:
                fields = fields + [""] * (width - len(fields))
            yield reader.line_num, dict(zip(header, fields))
    except UnicodeDecodeError as exc:
        raise DataFileError(table.display, f"not UTF-8 text (invalid byte at offset {exc.start} of a "
                            f"read block, near line {reader.line_num + 1})", expected="UTF-8") from exc
    except csv.Error as exc:
        raise DataFileError(table.display, f"malformed CSV: {exc}", line=reader.line_num) from exc
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise DataFileError(table.display, f"archive member is truncated or corrupt ({exc})",
                            line=reader.line_num) from exc
    finally:
        text.close()


def split_multiline(value: str) -> list[str]:
    """ESCO packs several labels or URIs in one cell, one per line (sometimes comma-ended)."""
    items = []
    for part in value.replace("\r", "\n").split("\n"):
        part = part.strip().rstrip(",").strip()
        if part:
            items.append(part)
    return items
