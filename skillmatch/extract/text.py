"""Documents in: bytes or files (text, Markdown, PDF, DOCX) → clean text with a map back.

Evidence must point into the text the user gave us, so normalisation (mojibake repair,
Unicode NFKC) keeps an array mapping every normalised character to its original offset.
"""
from __future__ import annotations

import difflib
import io
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from skillmatch.errors import DocumentError

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ".rst", ""}
DEFAULT_MAX_CHARS = 200_000  # ≈ 60 pages; bounds the work per document


@dataclass
class Document:
    """A document's original text, its normalised text and the map between them."""

    source: str
    original: str
    text: str
    offsets: np.ndarray  # offsets[i] = original index of text[i]; one extra entry for the end
    warnings: list[str] = field(default_factory=list)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Character span in ``original`` covering ``text[start:end]``."""
        if end <= start:
            position = int(self.offsets[min(start, len(self.offsets) - 1)])
            return position, position
        return int(self.offsets[start]), int(self.offsets[end - 1]) + 1


def _fix_line(line: str) -> str:
    import ftfy

    return unicodedata.normalize("NFKC", ftfy.fix_text(line, normalization="NFC"))


def normalize(original: str) -> tuple[str, np.ndarray]:
    """Repair mojibake and normalise Unicode line by line, keeping the offset map.

    ASCII lines cannot carry mojibake and pass untouched; other lines are fixed with ftfy and
    aligned to the original with difflib so each output character knows where it came from.
    """
    pieces: list[str] = []
    maps: list[np.ndarray] = []
    position = 0
    for line in original.splitlines(keepends=True):
        if line.isascii():
            fixed = line
            mapping = np.arange(position, position + len(line), dtype=np.int64)
        else:
            fixed = _fix_line(line)
            mapping = _align(line, fixed, position)
        pieces.append(fixed)
        maps.append(mapping)
        position += len(line)
    maps.append(np.array([position], dtype=np.int64))
    return "".join(pieces), np.concatenate(maps)


def _align(line: str, fixed: str, base: int) -> np.ndarray:
    mapping = np.empty(len(fixed), dtype=np.int64)
    if line == fixed:
        mapping[:] = np.arange(base, base + len(line))
        return mapping
    matcher = difflib.SequenceMatcher(None, line, fixed, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            mapping[j1:j2] = np.arange(base + i1, base + i2)
        elif j2 > j1:
            # a repaired run maps onto the whole damaged run: first char to its start
            span = max(i2 - i1, 1)
            mapping[j1:j2] = base + i1 + (np.arange(j2 - j1) * span) // (j2 - j1)
    return mapping


def decode_bytes(data: bytes, source: str) -> str:
    """UTF-8 (with or without BOM), else Windows-1252; refuse binary data."""
    if not data.strip():
        return ""
    sample = data[:65536]
    if b"\x00" in sample and not (sample.startswith(b"\xff\xfe") or sample.startswith(b"\xfe\xff")):
        raise DocumentError(source, "binary data, not text (NUL bytes found); supported: text, Markdown, PDF, DOCX")
    encoding = "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    # C0 controls only: C1 ones (\x80-\x9f) are normal in mojibake that we repair later
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    if controls > 0.05 * min(len(text), 65536):
        raise DocumentError(source, "binary data, not text (too many control characters)")
    return text


def pdf_text(data: bytes, source: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise DocumentError(source, "encrypted PDF: remove the password before extraction")
            except DocumentError:
                raise
            except Exception as exc:
                raise DocumentError(source, f"encrypted PDF that cannot be opened ({exc})") from exc
        pages = [page.extract_text() or "" for page in reader.pages]
    except DocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError, IndexError) as exc:
        raise DocumentError(source, f"corrupt or unreadable PDF ({type(exc).__name__}: {exc})") from exc
    text = "\n\n".join(pages)
    if not text.strip():
        raise DocumentError(source, "PDF has no text layer (a scanned or image-only PDF); run OCR first")
    return text


def docx_text(data: bytes, source: str) -> str:
    import docx

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "word/document.xml" not in archive.namelist():
                raise DocumentError(source, "a zip archive but not a DOCX document (no word/document.xml)")
        document = docx.Document(io.BytesIO(data))
    except DocumentError:
        raise
    except zipfile.BadZipFile as exc:
        raise DocumentError(source, "not a DOCX document (not a valid zip archive)") from exc
    except Exception as exc:  # python-docx raises several kinds on malformed parts
        raise DocumentError(source, f"corrupt DOCX ({type(exc).__name__}: {exc})") from exc
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def raw_text(data: bytes, source: str, suffix: str = "") -> str:
    """Text of a document given as bytes; the format comes from the suffix or the content."""
    suffix = suffix.lower()
    if suffix == ".pdf" or data[:5] == b"%PDF-":
        return pdf_text(data, source)
    if suffix == ".docx" or (data[:2] == b"PK" and suffix not in TEXT_SUFFIXES):
        return docx_text(data, source)
    if suffix == ".doc":
        raise DocumentError(source, "legacy .doc files are not supported; save as DOCX or PDF")
    if suffix not in TEXT_SUFFIXES and suffix not in (".html", ".htm", ".csv", ".json"):
        raise DocumentError(source, f"unsupported file type {suffix!r}; supported: .txt, .md, .pdf, .docx")
    return decode_bytes(data, source)


def make_document(text: str, source: str = "<text>", max_chars: int = DEFAULT_MAX_CHARS) -> Document:
    """Normalise ``text``; beyond ``max_chars`` the rest is left out with a warning, never silently."""
    warnings = []
    if len(text) > max_chars:
        warnings.append(f"text has {len(text):,} characters; only the first {max_chars:,} were processed")
        text = text[:max_chars]
    normalised, offsets = normalize(text)
    if not normalised.strip():
        warnings.append("document is empty")
    return Document(source=source, original=text, text=normalised, offsets=offsets, warnings=warnings)


def read_document(path: str | Path, max_chars: int = DEFAULT_MAX_CHARS) -> Document:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(str(path), f"cannot read file: {exc.strerror}") from exc
    return make_document(raw_text(data, str(path), path.suffix), str(path), max_chars)
