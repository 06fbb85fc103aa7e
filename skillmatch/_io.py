"""Atomic file writes: a reader sees the old file or the new one, never half of one."""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Iterator, IO


@contextlib.contextmanager
def atomic_write(path: str | Path, mode: str = "wb", encoding: str | None = None) -> Iterator[IO]:
    """Write to a temporary file beside ``path`` and rename it into place on success."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.fchmod(fd, 0o666 & ~_umask())  # the permissions a plain open() would give, not mkstemp's 0600
    try:
        with os.fdopen(fd, mode, encoding=encoding) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def apply_umask(path: str | Path) -> None:
    """Give a file written by a library (which may use 0600) the permissions open() would."""
    os.chmod(path, 0o666 & ~_umask())


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def source_fingerprint(*paths: Path) -> str:
    """Hash of source files, so a cache built by older code is never served to newer code."""
    import hashlib

    digest = hashlib.blake2b(digest_size=4)
    for path in paths:
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(file.read_bytes())
    return digest.hexdigest()


DATA_PLACEHOLDER = "$SKILLMATCH_DATA"


def portable_path(path: str | Path, data_root: str | Path | None = None) -> str:
    """A path as it may be written into a committed file: relative to the data directory
    (``$SKILLMATCH_DATA/…``) or to the working directory, never this machine's absolute path."""
    text = str(path)
    candidate = Path(text).expanduser()
    if not candidate.is_absolute():
        return text
    resolved = candidate.resolve()
    for root, prefix in ((data_root, DATA_PLACEHOLDER + "/"), (Path.cwd(), "")):
        if root is None:
            continue
        try:
            return prefix + resolved.relative_to(Path(root).expanduser().resolve()).as_posix()
        except ValueError:
            continue
    return "…/" + resolved.name


def content_hash(path: str | Path) -> str:
    """blake2b of a file, of every file under a folder, or of the files a glob matches."""
    import glob
    import hashlib

    path = Path(path)
    if path.is_file():
        files = [path]
    elif path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file())
    else:
        files = sorted(Path(p) for p in glob.glob(str(path), recursive=True) if Path(p).is_file())
    digest = hashlib.blake2b(digest_size=16)
    for file in files:
        digest.update(file.name.encode())
        with open(file, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def describe_file(path: str | Path, data_root: str | Path | None = None) -> dict[str, str]:
    """Provenance of an input: its portable path and content hash."""
    return {"path": portable_path(path, data_root), "blake2b": content_hash(path)}


def portable_command(argv: list[str], data_root: str | Path | None = None) -> str:
    """A command line with every absolute path made portable (see :func:`portable_path`)."""
    import shlex

    def one(token: str) -> str:
        if "=" in token and token.startswith("-"):
            flag, value = token.split("=", 1)
            return f"{flag}={one(value)}"
        token = portable_path(token, data_root) if token.startswith(("/", "~")) else token
        if token.startswith(DATA_PLACEHOLDER + "/"):
            # double quotes: the shell still expands the variable, and spaces survive
            rest = token[len(DATA_PLACEHOLDER):]
            return '"' + DATA_PLACEHOLDER + "".join("\\" + c if c in '"$`\\' else c for c in rest) + '"'
        return shlex.quote(token)

    return " ".join(one(token) for token in argv)


def tables_code() -> str:
    """The code that decides a :func:`kb_cached` table's content: the whole package (a cached
    object may hold objects of other modules, as the occupation finder holds a label matcher)."""
    return source_fingerprint(Path(__file__).parent)


def stale_cache_entries(cache_dir: Path) -> list[Path]:
    """What in ``cache_dir`` this code can no longer read: knowledge bases of another schema,
    version or ontology code, tables (:func:`kb_cached`) and skill indexes built by other code or
    for such a knowledge base. Every cache key names the code that wrote it, so an upgrade or an
    edit leaves the old entries behind, a few hundred MB per knowledge base. Entries of the
    current code for other data are kept; folders and files it does not know are left alone, and
    so are hidden ones (a build in progress stages under a dot-name)."""
    from skillmatch.extract.skill_space import index_code
    from skillmatch.ontology.knowledge_base import cache_key_prefix

    prefix, package, index = cache_key_prefix(), tables_code(), index_code()

    def current(group: str, name: str) -> bool | None:
        if group == "kb":
            return name.startswith(prefix)
        if group == "skill-index":  # <model>-<knowledge base key>-<recipe>-<kinds>-<code>
            return name.partition("-")[2].startswith(prefix) and name.endswith(f"-{index}")
        if name.endswith(".pickle"):  # <knowledge base key>-<code>[-<variant>].pickle
            rest = name[len(prefix):].removesuffix(".pickle").split("-") if name.startswith(prefix) else []
            return len(rest) >= 3 and rest[2] == package
        return None

    stale = []
    for group in sorted(p for p in cache_dir.iterdir() if p.is_dir()) if cache_dir.is_dir() else []:
        for entry in sorted(group.iterdir()):
            if not entry.name.startswith(".") and current(group.name, entry.name) is False:
                stale.append(entry)
    return stale


def kb_cached(taxonomy, cache_dir: Path, kind: type, build, variant: str = ""):
    """A knowledge-base-derived object, pickled beside the other caches; built on first use.

    Keyed by the knowledge base, by the source of the whole package (new code anywhere
    rebuilds it: a cached object may hold objects of other modules, as the occupation finder
    holds a label matcher) and by ``variant`` (the build's own parameters).
    """
    import logging
    import pickle

    name = kind.__name__
    suffix = f"-{variant}" if variant else ""
    path = cache_dir / name / f"{taxonomy.fingerprint}-{tables_code()}{suffix}.pickle"
    if path.exists():
        try:
            with open(path, "rb") as handle:
                return pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError, ImportError):
            logging.getLogger(__name__).warning("%s cache %s unreadable: rebuilding", name, path)
    from skillmatch._progress import done, note

    started = note(f"building the {name} table from the knowledge base — once")
    value = build()
    done(started, f"{name} built")
    with atomic_write(path, "wb") as handle:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return value
