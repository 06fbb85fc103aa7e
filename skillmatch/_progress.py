"""One-time work the user should know about: said on stderr before it starts.

Building the knowledge base, a skill space or a derived table happens once per data release
and model, and takes from seconds to a minute; a command that goes quiet for that long looks
hung. These notes say what is being built and that it happens once.
"""
from __future__ import annotations

import sys
import time


def note(message: str) -> float:
    """Print ``message`` to stderr and return a start time for :func:`done`."""
    print(f"skillmatch: {message}", file=sys.stderr, flush=True)
    return time.perf_counter()


def done(started: float, what: str) -> None:
    print(f"skillmatch: {what} ({time.perf_counter() - started:.0f} s; cached for next time)", file=sys.stderr,
          flush=True)
