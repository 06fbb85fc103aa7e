"""Finding the ESCO, O*NET and crosswalk files in what the user points at.

Recognising a file by its name and first bytes lives here, apart from the loaders, so that
finding the sources of a cached knowledge base (every start) does not import rdflib.
"""
from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from skillmatch.errors import DataFileError

MAX_DEPTH = 3
RDF_SUFFIXES = {".ttl": "turtle", ".rdf": "xml", ".xml": "xml", ".owl": "xml", ".nt": "nt",
                ".n3": "n3", ".jsonld": "json-ld", ".trig": "trig"}
OCCUPATION_FILE = "Occupation Data.txt"
NESTA_COLUMNS = ("concept_uri", "onet_code", "confidence")
OFFICIAL_COLUMNS = ("O*NET Id", "ESCO or ISCO URI", "Type of Match")


def crosswalk_format(path: Path) -> str | None:
    """'nesta', 'official' or None, from the header line."""
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as handle:
            header = handle.readline()
    except OSError:
        return None
    if all(column in header for column in NESTA_COLUMNS):
        return "nesta"
    if all(column in header for column in OFFICIAL_COLUMNS):
        return "official"
    return None


def is_onet_folder(path: Path) -> bool:
    return (path / OCCUPATION_FILE).is_file()


def csv_members(path: Path) -> list[str]:
    if path.is_dir():
        return sorted(p.name for p in path.iterdir() if p.suffix.lower() == ".csv")
    try:
        with zipfile.ZipFile(path) as archive:
            return [name for name in archive.namelist() if name.lower().endswith(".csv")]
    except (zipfile.BadZipFile, OSError) as exc:
        raise DataFileError(path, f"not a readable zip archive ({exc})",
                            expected="an ESCO CSV zip as downloaded from the ESCO portal") from exc


def is_esco_csv_zip(path: Path) -> bool:
    try:
        names = {Path(n).stem for n in csv_members(path)}
    except DataFileError:
        return True  # let the loader report the broken archive by name
    return any(n.startswith("skills_") or n in ("occupationSkillRelations", "broaderRelationsSkillPillar")
               for n in names)


@dataclass
class DataSources:
    """The input files of one knowledge base; their content hash keys the cache."""

    esco_csv: list[Path] = field(default_factory=list)
    esco_rdf: list[Path] = field(default_factory=list)
    onet: Path | None = None
    crosswalk: Path | None = None

    def describe(self) -> str:
        """In a few words: which releases these are."""
        parts = ["ESCO (RDF)" if self.esco_rdf else "ESCO (CSV)"]
        if self.onet is not None:
            parts.append("O*NET")
        if self.crosswalk is not None:
            parts.append("a crosswalk")
        return " + ".join(parts)

    def files(self) -> list[Path]:
        found = list(self.esco_rdf)
        for path in self.esco_csv:
            found.extend(sorted(path.glob("*.csv")) if path.is_dir() else [path])
        if self.onet is not None:
            found.extend(sorted(p for p in self.onet.iterdir() if p.suffix == ".txt"))
        if self.crosswalk is not None:
            found.append(self.crosswalk)
        return found

    def fingerprint(self) -> str:
        digest = hashlib.blake2b(digest_size=16)
        for path in self.files():
            digest.update(path.name.encode() + b"\0")
            try:
                with open(path, "rb") as handle:
                    for block in iter(lambda: handle.read(1 << 20), b""):
                        digest.update(block)
            except OSError as exc:
                raise DataFileError(path, f"cannot read: {exc.strerror}") from exc
        return digest.hexdigest()

    def paths(self) -> dict[str, object]:
        """Every file and folder found, by role (kept in the local cache's record, never shipped)."""
        return {"esco_csv": [str(p) for p in self.esco_csv], "esco_rdf": [str(p) for p in self.esco_rdf],
                "onet": str(self.onet) if self.onet else None,
                "crosswalk": str(self.crosswalk) if self.crosswalk else None}


def discover_sources(path: Path) -> DataSources:
    """Accept a file (ESCO zip or RDF dump) or a folder searched a few levels deep."""
    sources = DataSources()
    if path.is_file():
        _classify_file(path, sources)
    else:
        _walk(path, sources, 0)
    if not sources.esco_csv and not sources.esco_rdf:
        raise DataFileError(path, "no ESCO data found",
                            expected="the ESCO CSV zips, a folder with skills_en.csv, or an ESCO RDF "
                                     "dump (.ttl, .rdf, .nt)")
    return sources


def _walk(folder: Path, sources: DataSources, depth: int) -> None:
    if is_onet_folder(folder):
        if sources.onet is None:
            sources.onet = folder
        return
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:
        raise DataFileError(folder, f"cannot list folder: {exc.strerror}") from exc
    if any(p.name.startswith("skills_") and p.suffix == ".csv" for p in entries) or \
            any(p.name == "occupationSkillRelations.csv" for p in entries):
        sources.esco_csv.append(folder)
    for entry in entries:
        if entry.is_file():
            _classify_file(entry, sources, quiet=True)
        elif entry.is_dir() and depth < MAX_DEPTH and not entry.name.startswith("."):
            _walk(entry, sources, depth + 1)


def _classify_file(path: Path, sources: DataSources, quiet: bool = False) -> None:
    suffix = path.suffix.lower()
    if suffix == ".zip":
        if is_esco_csv_zip(path):
            sources.esco_csv.append(path)
    elif suffix in RDF_SUFFIXES:
        sources.esco_rdf.append(path)
    elif suffix == ".csv":
        if crosswalk_format(path) and sources.crosswalk is None:
            sources.crosswalk = path
    elif not quiet:
        raise DataFileError(path, f"unsupported data file type {suffix!r}",
                            expected="an ESCO CSV zip, an RDF dump or a folder")
