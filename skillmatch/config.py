"""Where data and caches live, and the one configuration object every stage reads.

Locations: one setting names the data (``SKILLMATCH_DATA`` or an explicit argument) and one
the cache (``SKILLMATCH_CACHE``); the functions here only resolve paths, they never create
or read files, so constructing objects stays free of side effects.

Settings: :class:`SkillmatchConfig` holds the extraction, matching and batch sections. Like
scikit-learn estimators check their parameters before doing any work, every section is
validated when it is built, so a wrong value fails at once with a message naming it, before
a run writes anything. :meth:`SkillmatchConfig.fingerprint` hashes everything that can change
a result; it goes into each result's provenance and into a batch run's identity.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal, get_args

from skillmatch.errors import ConfigurationError

DATA_ENV = "SKILLMATCH_DATA"
CACHE_ENV = "SKILLMATCH_CACHE"

Splitter = Literal["rules", "spacy"]
Backend = Literal["auto", "onnx", "torch"]
Engine = Literal["local", "dask"]
Importance = Literal["essential", "unspecified", "optional"]


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


# validation helpers ---------------------------------------------------------------------
def _check(condition: bool, section: str, name: str, value: Any, expected: str) -> None:
    if not condition:
        raise ConfigurationError(f"{section}.{name} = {value!r}: expected {expected}")


def _choice(section: str, name: str, value: Any, literal) -> None:
    options = get_args(literal)
    _check(value in options, section, name, value, "one of " + ", ".join(options))


def _positive_int(section: str, name: str, value: Any) -> None:
    _check(isinstance(value, int) and not isinstance(value, bool) and value > 0, section, name, value,
           "a positive whole number")


def _unit(section: str, name: str, value: Any) -> None:
    _check(isinstance(value, (int, float)) and not isinstance(value, bool) and 0.0 <= value <= 1.0, section, name,
           value, "a number between 0 and 1")


@dataclass(frozen=True)
class ExtractionConfig:
    """How documents become skills.

    Parameters
    ----------
    threshold : float or None
        Calibrated probability a skill needs to be extracted; None uses the model's own
        (fitted when the model was trained).
    top_k : int
        Semantic (and lexical) candidates gathered per sentence.
    splitter : {"rules", "spacy"}
        Sentence splitter; rules are ~150x faster and as accurate on job ads and resumes.
    max_chars, max_sentences : int
        Work bounds per document; what lies beyond is reported, never silently dropped.
    batch_size : int
        Sentences per encoder batch.
    backend : {"auto", "onnx", "torch"}
        Encoder back-end; ``auto`` takes the model's ONNX export when it has one (no torch needed).
    threads : int or None
        Encoder threads (default: all cores). Batch workers run with 1, so every engine gives
        the same floats.
    """

    threshold: float | None = None
    top_k: int = 10
    splitter: Splitter = "rules"
    max_chars: int = 200_000
    max_sentences: int = 4000
    batch_size: int = 32
    backend: Backend = "auto"
    threads: int | None = None

    def __post_init__(self) -> None:
        if self.threshold is not None:
            _unit("extraction", "threshold", self.threshold)
        for name in ("top_k", "max_chars", "max_sentences", "batch_size"):
            _positive_int("extraction", name, getattr(self, name))
        _choice("extraction", "splitter", self.splitter, Splitter)
        _choice("extraction", "backend", self.backend, Backend)
        if self.threads is not None:
            _positive_int("extraction", "threads", self.threads)


RELATIONS = ("exact", "narrower", "crosswalk", "broader", "related", "sibling", "semantic")


@dataclass(frozen=True)
class MatchConfig:
    """How a candidate is scored against a job; every number that moves a score is here.

    Parameters
    ----------
    skill_share, text_share : float
        Shares of the score from the requirement checklist and from the cosine of the two
        documents' embeddings; they sum to 1.
    credits : dict
        Credit of each ontology relation between a required and a held skill (0–1).
    semantic_min_cosine : float
        Below this skill-to-skill cosine a semantic match earns nothing.
    sibling_max_children : int
        Siblings earn credit only under a parent with at most this many children.
    shortlist : int
        Profiles retrieved from the index before exact re-scoring.
    confidence_weighting : bool
        Multiply weights and credits by the extraction confidence of the skills.
    importance_weights : dict
        Weight of a requirement by its importance (from the JD's wording).
    reuse_weights : dict
        Weight of a requirement by its ESCO reuse level.
    blind : bool
        Redact names, contacts and gender/age cues before extraction.
    """

    skill_share: float = 0.85
    text_share: float = 0.15
    credits: dict[str, float] = field(default_factory=lambda: {
        "exact": 1.0, "narrower": 0.9, "crosswalk": 0.8, "broader": 0.6, "related": 0.5, "sibling": 0.4,
        "semantic": 0.5})
    semantic_min_cosine: float = 0.6
    sibling_max_children: int = 60
    shortlist: int = 200
    confidence_weighting: bool = True
    importance_weights: dict[str, float] = field(default_factory=lambda: {
        "essential": 1.0, "unspecified": 0.7, "optional": 0.4})
    reuse_weights: dict[str, float] = field(default_factory=lambda: {
        "transversal": 1.0, "cross-sector": 1.0, "sector-specific": 1.0, "occupation-specific": 1.0})
    blind: bool = True

    def __post_init__(self) -> None:
        _unit("matching", "skill_share", self.skill_share)
        _unit("matching", "text_share", self.text_share)
        _check(abs(self.skill_share + self.text_share - 1.0) < 1e-9, "matching", "skill_share + text_share",
               self.skill_share + self.text_share, "1")
        _check(set(self.credits) == set(RELATIONS), "matching", "credits", sorted(self.credits),
               "a credit for each of " + ", ".join(RELATIONS))
        for relation, credit in self.credits.items():
            _unit("matching", f"credits.{relation}", credit)
        _check(set(self.importance_weights) == set(get_args(Importance)), "matching", "importance_weights",
               sorted(self.importance_weights), "a weight for each of " + ", ".join(get_args(Importance)))
        for name, table in (("importance_weights", self.importance_weights), ("reuse_weights", self.reuse_weights)):
            for key, value in table.items():
                _check(isinstance(value, (int, float)) and value >= 0, "matching", f"{name}.{key}", value,
                       "a number ≥ 0")
        _unit("matching", "semantic_min_cosine", self.semantic_min_cosine)
        _positive_int("matching", "sibling_max_children", self.sibling_max_children)
        _positive_int("matching", "shortlist", self.shortlist)

    def fingerprint(self) -> str:
        return _hash(asdict(self))


@dataclass(frozen=True)
class BatchConfig:
    """How a batch run is executed; none of it changes a score.

    Parameters
    ----------
    engine : {"local", "dask"}
        Local processes, or a Dask cluster (a LocalCluster when ``scheduler`` is None).
    workers : int
        Worker processes.
    scheduler : str or None
        Address of a running Dask scheduler, ``tcp://host:port``.
    partition_size : int
        Resumes per partition (the unit of work, of writing and of resuming).
    document_timeout : int
        Seconds one document may take before it becomes an error row (0: no limit).
    top_matched : int
        Matched requirements listed per row.
    """

    engine: Engine = "local"
    workers: int = 1
    scheduler: str | None = None
    partition_size: int = 32
    document_timeout: int = 120
    top_matched: int = 5

    def __post_init__(self) -> None:
        _choice("batch", "engine", self.engine, Engine)
        for name in ("workers", "partition_size", "top_matched"):
            _positive_int("batch", name, getattr(self, name))
        _check(isinstance(self.document_timeout, int) and self.document_timeout >= 0, "batch", "document_timeout",
               self.document_timeout, "a whole number of seconds ≥ 0")
        _check(self.scheduler is None or self.engine == "dask", "batch", "scheduler", self.scheduler,
               "no scheduler unless engine is 'dask'")


SECTIONS = {"extraction": ExtractionConfig, "matching": MatchConfig, "batch": BatchConfig}


@dataclass(frozen=True)
class SkillmatchConfig:
    """Locations plus the extraction, matching and batch sections.

    Parameters
    ----------
    data : str or None
        ESCO/O*NET data location (default ``$SKILLMATCH_DATA``).
    model : str or None
        Model name or folder (default: the installed default model).
    cache_dir : str or None
        Cache folder (default ``$SKILLMATCH_CACHE`` or ``~/.cache/skillmatch``).
    extraction, matching, batch
        The sections; see their classes.
    """

    data: str | None = None
    model: str | None = None
    cache_dir: str | None = None
    extraction: ExtractionConfig = field(default_factory=ExtractionConfig)
    matching: MatchConfig = field(default_factory=MatchConfig)
    batch: BatchConfig = field(default_factory=BatchConfig)

    def fingerprint(self) -> str:
        """Hash of what changes results: extraction and matching settings (not locations or
        execution; the model and knowledge base are identified by their own versions)."""
        extraction = asdict(self.extraction)
        extraction.pop("threads")  # execution only: batch workers force 1
        return _hash({"extraction": extraction, "matching": asdict(self.matching)})

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> "SkillmatchConfig":
        """Build (and validate) from a plain dict, e.g. parsed JSON or TOML; unknown keys are errors."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(record) - known)
        if unknown:
            raise ConfigurationError(f"unknown configuration key(s) {', '.join(unknown)}; known: "
                                     + ", ".join(sorted(known)))
        values: dict[str, Any] = {}
        for name, value in record.items():
            if name in SECTIONS:
                section = SECTIONS[name]
                if not isinstance(value, dict):
                    raise ConfigurationError(f"{name}: expected a table of settings, not {value!r}")
                allowed = {f.name for f in fields(section)}
                extra = sorted(set(value) - allowed)
                if extra:
                    raise ConfigurationError(f"unknown {name} setting(s) {', '.join(extra)}; known: "
                                             + ", ".join(sorted(allowed)))
                values[name] = section(**value)
            else:
                values[name] = value
        return cls(**values)

    @classmethod
    def load(cls, path: str | Path) -> "SkillmatchConfig":
        """Read a ``.toml`` or ``.json`` configuration file."""
        path = Path(path)
        try:
            if path.suffix.lower() == ".toml":
                import tomllib

                record = tomllib.loads(path.read_text(encoding="utf-8"))
            else:
                record = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ConfigurationError(f"{path}: cannot read the configuration ({exc.strerror})") from exc
        except ValueError as exc:
            raise ConfigurationError(f"{path}: not valid {path.suffix.lstrip('.') or 'JSON'} ({exc})") from exc
        try:
            return cls.from_dict(record)
        except ConfigurationError as exc:
            raise ConfigurationError(f"{path}: {exc}") from exc
        except TypeError as exc:
            raise ConfigurationError(f"{path}: {exc}") from exc

    def replace(self, **changes) -> "SkillmatchConfig":
        """A copy with some fields (or whole sections) replaced; validated again."""
        return replace(self, **changes)


def _hash(record: dict) -> str:
    return hashlib.blake2b(json.dumps(record, sort_keys=True, default=str).encode(), digest_size=6).hexdigest()
