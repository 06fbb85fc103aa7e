"""A folder of candidate profiles: SQLite for records and the skill inverted index, FAISS for
document vectors.

Writers hold a file lock and write in SQLite transactions; the FAISS file is rebuilt from
the stored vectors whenever it is older than the records, and replaced atomically. A flat
index serves small collections exactly; above ``APPROXIMATE_ABOVE`` profiles an IVF index
(√N·4 lists, 1/8 of them probed) keeps search sub-linear, and exact re-scoring of the
shortlist keeps the ranking honest.
"""
from __future__ import annotations

import json
import math
import os
import sqlite3
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import numpy as np

from skillmatch.errors import SkillmatchError

FORMAT_VERSION = 2  # 2: typed Profile / PreparedJob records, index kind
APPROXIMATE_ABOVE = 50_000

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS profiles (
    rowid INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, source TEXT, text_hash TEXT NOT NULL,
    profile TEXT NOT NULL, vector BLOB NOT NULL, added TEXT DEFAULT CURRENT_TIMESTAMP);
CREATE INDEX IF NOT EXISTS profiles_hash ON profiles(text_hash);
CREATE TABLE IF NOT EXISTS skills (profile INTEGER NOT NULL, uri TEXT NOT NULL, score REAL NOT NULL);
CREATE INDEX IF NOT EXISTS skills_uri ON skills(uri);
CREATE INDEX IF NOT EXISTS skills_profile ON skills(profile);
CREATE TABLE IF NOT EXISTS scoring (profile INTEGER PRIMARY KEY, record TEXT NOT NULL);
"""


def scoring_record(record: dict) -> dict:
    """What ranking needs of a stored record: everything but the text, the evidence, the
    skills' hierarchy paths and links, and the vector (stored apart, as a blob). A few KB instead of tens: the shortlist is read and
    scored from these; only the candidates shown get their full record back."""
    compact = {key: value for key, value in record.items() if key not in ("text", "vector")}
    compact["skills"] = [{key: skill[key] for key in ("uri", "label", "score", "method", "skill_type")}
                         for skill in record.get("skills", ())]
    compact["occupations"] = [dict(hit, evidence=None) for hit in record.get("occupations", ())]
    return compact


class ProfileIndexError(SkillmatchError):
    """The profile index folder is unusable (wrong version, other model, locked)."""


class _Checked:
    """A sqlite3 connection whose database errors name the index file and say what to do, instead
    of surfacing as a traceback from deep inside sqlite3 (a truncated or overwritten file)."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._connection = connection
        self._path = path

    def _guard(self, method: str, *args):
        try:
            return getattr(self._connection, method)(*args)
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                raise ProfileIndexError(f"{self._path}: the index is locked by another process ({exc})") from exc
            raise ProfileIndexError(f"{self._path}: not a readable skillmatch index ({exc}); restore it from a backup "
                                    "or re-create the index with `skillmatch index add` into a new folder") from exc

    def execute(self, *args):
        return self._guard("execute", *args)

    def executemany(self, *args):
        return self._guard("executemany", *args)

    def executescript(self, *args):
        return self._guard("executescript", *args)


class ProfileStore:
    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self._connection: sqlite3.Connection | None = None
        self._faiss = None
        self._faiss_version = None

    # connection and metadata ---------------------------------------------------------------
    @property
    def db(self) -> _Checked:
        if self._connection is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self.folder / "profiles.sqlite"
            try:
                connection = _Checked(sqlite3.connect(path, timeout=60, isolation_level=None), path)
            except sqlite3.DatabaseError as exc:
                raise ProfileIndexError(f"{path}: cannot open the index ({exc})") from exc
            connection.execute("PRAGMA journal_mode=WAL")
            connection.executescript(SCHEMA)
            found = connection.execute("SELECT value FROM meta WHERE key='format'").fetchone()
            if found is None:
                connection.execute("INSERT INTO meta VALUES ('format', ?), ('version', '0')", (str(FORMAT_VERSION),))
            elif int(found[0]) != FORMAT_VERSION:
                raise ProfileIndexError(f"{self.folder}: index format {found[0]} was written by another skillmatch "
                                  f"version; this one reads format {FORMAT_VERSION}. Re-create it with "
                                  "`skillmatch index add` into a new folder")
            self._connection = connection
        return self._connection

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """An exclusive writer: file lock across processes, one SQLite transaction."""
        from filelock import FileLock, Timeout

        self.folder.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.folder / ".write.lock"))
        try:
            lock.acquire(timeout=120)
        except Timeout as exc:
            raise ProfileIndexError(f"{self.folder}: another process is writing this index (waited 120 s)") from exc
        try:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
                self.db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key='version'")
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
        finally:
            lock.release()

    def check_compatible(self, model: str, knowledge_base: str, kind: str) -> None:
        """Profiles built by another model or KB would not be comparable, and an index holds one
        kind of document (``resumes`` or ``postings``): refuse to mix."""
        for key, value in (("kind", kind), ("model", model), ("knowledge_base", knowledge_base)):
            stored = self.meta(key)
            if stored is None or (stored != value and not len(self)):
                self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))
            elif stored != value:
                if key == "kind":
                    raise ProfileIndexError(f"{self.folder}: this index holds {stored}, not {value}; use "
                                            f"{'`skillmatch jobs`' if stored == 'postings' else '`skillmatch match`'}"
                                            " with it, or another index folder")
                raise ProfileIndexError(f"{self.folder}: profiles were built with {key} {stored}, not {value}; "
                                        "use a new index folder or re-add every profile")

    # records -----------------------------------------------------------------------------
    def __len__(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM profiles").fetchone()[0]

    def __contains__(self, profile_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM profiles WHERE id=?", (profile_id,)).fetchone() is not None

    def id_with_hash(self, text_hash: str) -> str | None:
        row = self.db.execute("SELECT id FROM profiles WHERE text_hash=?", (text_hash,)).fetchone()
        return row[0] if row else None

    def put(self, db: sqlite3.Connection, profile_id: str, source: str, text_hash: str, record: dict,
            vector: np.ndarray, skills: list[tuple[str, float]]) -> None:
        """Store one record (a Profile or PreparedJob as a dict), its vector and its (skill, weight)
        pairs for the inverted index."""
        self._delete(db, profile_id)
        cursor = db.execute("INSERT INTO profiles (id, source, text_hash, profile, vector) VALUES (?, ?, ?, ?, ?)",
                            (profile_id, source, text_hash, json.dumps(record, ensure_ascii=False),
                             np.asarray(vector, dtype=np.float32).tobytes()))
        if "skills" in record:  # resume profiles; postings keep their requirements in full records
            db.execute("INSERT INTO scoring VALUES (?, ?)",
                       (cursor.lastrowid, json.dumps(scoring_record(record), ensure_ascii=False)))
        db.executemany("INSERT INTO skills VALUES (?, ?, ?)", [(cursor.lastrowid, uri, score) for uri, score in skills])

    def _delete(self, db: sqlite3.Connection, profile_id: str) -> bool:
        row = db.execute("SELECT rowid FROM profiles WHERE id=?", (profile_id,)).fetchone()
        if row is None:
            return False
        db.execute("DELETE FROM skills WHERE profile=?", (row[0],))
        db.execute("DELETE FROM scoring WHERE profile=?", (row[0],))
        db.execute("DELETE FROM profiles WHERE rowid=?", (row[0],))
        return True

    def remove(self, ids: list[str]) -> list[str]:
        with self.writing() as db:
            return [profile_id for profile_id in ids if self._delete(db, profile_id)]

    def get(self, rowids: list[int]) -> list[dict]:
        """The stored records of ``rowids``, in that order (missing ones skipped)."""
        found = {}
        for start in range(0, len(rowids), 500):
            chunk = rowids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for rowid, profile in self.db.execute(f"SELECT rowid, profile FROM profiles WHERE rowid IN ({marks})",
                                                  chunk):
                found[rowid] = json.loads(profile)
        return [found[r] for r in rowids if r in found]

    def get_for_scoring(self, rowids: list[int]) -> list[tuple[int, dict]]:
        """``(rowid, record)`` for ranking, in ``rowids`` order: the compact scoring record with
        its vector; the full record where an index written before compact records lacks one."""
        found = {}
        for start in range(0, len(rowids), 500):
            chunk = rowids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for rowid, compact, full, vector in self.db.execute(
                    f"SELECT p.rowid, s.record, CASE WHEN s.record IS NULL THEN p.profile END, p.vector "
                    f"FROM profiles p LEFT JOIN scoring s ON s.profile = p.rowid WHERE p.rowid IN ({marks})", chunk):
                record = json.loads(compact) if compact is not None else scoring_record(json.loads(full))
                record["vector"] = np.frombuffer(vector, dtype=np.float32)
                found[rowid] = record
        return [(r, found[r]) for r in rowids if r in found]

    def by_skills(self, uris: list[str], limit: int) -> list[int]:
        """Profiles holding the most of these skills (the inverted index)."""
        if not uris:
            return []
        marks = ",".join("?" * len(uris))
        return [row[0] for row in self.db.execute(
            f"SELECT profile FROM skills WHERE uri IN ({marks}) GROUP BY profile ORDER BY SUM(score) DESC LIMIT ?",
            (*uris, limit))]

    def info(self) -> dict:
        return {"folder": str(self.folder), "holds": self.meta("kind"), "profiles": len(self), "format": FORMAT_VERSION,
                "model": self.meta("model"), "knowledge_base": self.meta("knowledge_base"),
                "skills_indexed": self.db.execute("SELECT COUNT(*) FROM skills").fetchone()[0],
                "vector_index": "flat" if len(self) <= APPROXIMATE_ABOVE else "ivf"}

    # vectors -------------------------------------------------------------------------------
    def search(self, vector: np.ndarray, k: int) -> list[int]:
        index = self._vector_index()
        if index is None or index.ntotal == 0:
            return []
        _, ids = index.search(np.asarray(vector, dtype=np.float32).reshape(1, -1), min(k, index.ntotal))
        return [int(i) for i in ids[0] if i >= 0]

    def _vector_index(self):
        import faiss

        version = self.meta("version")
        if self._faiss is not None and self._faiss_version == version:
            return self._faiss
        path = self.folder / "vectors.faiss"
        stamp = self.folder / "vectors.version"
        self._faiss = None
        if path.exists() and stamp.exists() and stamp.read_text() == version:
            try:
                self._faiss = faiss.read_index(str(path))
            except RuntimeError:
                self._faiss = None  # derived from the SQLite records: a damaged file is rebuilt
        if self._faiss is None:
            self._faiss = self._build_index()
            if self._faiss is not None:
                fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".faiss.tmp")
                os.close(fd)
                faiss.write_index(self._faiss, tmp)
                os.replace(tmp, path)
                stamp.write_text(version)
        self._faiss_version = version
        return self._faiss

    def _build_index(self):
        import faiss

        rows = self.db.execute("SELECT rowid, vector FROM profiles ORDER BY rowid").fetchall()
        if not rows:
            return None
        ids = np.array([r[0] for r in rows], dtype=np.int64)
        vectors = np.vstack([np.frombuffer(r[1], dtype=np.float32) for r in rows])
        dimension = vectors.shape[1]
        if len(rows) <= APPROXIMATE_ABOVE:
            index = faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))
        else:
            lists = int(4 * math.sqrt(len(rows)))
            index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dimension), dimension, lists, faiss.METRIC_INNER_PRODUCT)
            index.train(vectors)
            index.nprobe = max(8, lists // 8)
        index.add_with_ids(vectors, ids)
        return index
