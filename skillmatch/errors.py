"""Errors that name the file, the place and what was expected.

Users feed skillmatch their own downloads; when one is wrong they need to know which file,
which line and what the loader wanted, not a traceback from deep inside csv or rdflib.
"""
from __future__ import annotations

from pathlib import Path


class SkillmatchError(Exception):
    """Base class: the CLI turns these into a one-line message and exit code 2."""


class DataFileError(SkillmatchError):
    """A data file is missing, unreadable or not in the expected shape."""

    def __init__(self, path: str | Path, problem: str, *, line: int | None = None,
                 expected: str | None = None) -> None:
        self.path = str(path)
        self.problem = problem
        self.line = line
        self.expected = expected
        where = f"{self.path}:{line}" if line is not None else self.path
        message = f"{where}: {problem}"
        if expected:
            message += f" (expected {expected})"
        super().__init__(message)


class DocumentError(SkillmatchError):
    """A document (JD or resume) could not be read or turned into text."""

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")


class ConfigurationError(SkillmatchError):
    """A setting (data directory, cache directory, option value) is unusable."""
