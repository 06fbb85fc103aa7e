"""Where data and caches live.

One setting names the data (``SKILLMATCH_DATA`` or an explicit argument) and one the cache
(``SKILLMATCH_CACHE``); nothing else is global. Functions here only resolve paths, they never
create or read files, so constructing objects stays free of side effects.
"""
from __future__ import annotations

import os
from pathlib import Path

from skillmatch.errors import ConfigurationError

DATA_ENV = "SKILLMATCH_DATA"
CACHE_ENV = "SKILLMATCH_CACHE"


def resolve_data_path(data: str | Path | None = None) -> Path:
    """The user's data location: the argument, else ``$SKILLMATCH_DATA``."""
    value = data if data is not None else os.environ.get(DATA_ENV)
    if not value:
        raise ConfigurationError(
            f"no data location given: pass --data PATH or set {DATA_ENV} to a folder holding "
            "the ESCO download (CSV zips, CSV folder or RDF dump) and optionally an O*NET release")
    path = Path(value).expanduser()
    if not path.exists():
        raise ConfigurationError(f"{path}: data location does not exist")
    return path


def resolve_cache_dir(cache_dir: str | Path | None = None) -> Path:
    """The cache folder: the argument, else ``$SKILLMATCH_CACHE``, else the XDG cache home."""
    if cache_dir is not None:
        return Path(cache_dir).expanduser()
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "skillmatch"
