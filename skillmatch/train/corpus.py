"""Corpus readers for job-ad text."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from skillmatch.errors import DataFileError


def conll_sentences(path: str | Path) -> Iterator[str]:
    """Sentences of a CoNLL file (token in the first tab-separated column, blank line between)."""
    tokens: list[str] = []
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    tokens.append(line.split("\t")[0].strip())
                elif tokens:
                    yield " ".join(tokens)
                    tokens = []
    except UnicodeDecodeError as exc:
        raise DataFileError(path, f"not UTF-8 text ({exc.reason})", expected="UTF-8 CoNLL") from exc
    except OSError as exc:
        raise DataFileError(path, f"cannot read: {exc.strerror}") from exc
    if tokens:
        yield " ".join(tokens)
