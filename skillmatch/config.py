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
Backend = Literal["auto", "onnx", "static", "torch"]
StatementGateMode = Literal["semantic", "all", "off"]
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
        Sentences per encoder batch of the torch back-end (the ONNX and static encoders take
        sentences one at a time, so a vector never depends on the rest of the document).
    backend : {"auto", "onnx", "torch"}
        Encoder back-end; ``auto`` takes the model's ONNX export when it has one (no torch needed).
    threads : int or None
        Encoder threads (default: all cores). Batch workers run with 1, so every engine gives
        the same floats.
    statement_gate : {"semantic", "all", "off"}
        What the model's statement gate removes from a sentence it says states no skill: its
        semantic matches (default), every match (a precision-first setting: on SkillSpan dev,
        precision 0.81 at recall 0.65 vs 0.80 / 0.68), or nothing.
    statement_threshold : float or None
        The gate's probability threshold; None uses the model's (fitted for F1).
    mention_gate : bool
        Drop literal matches the model's mention gate says are not skill mentions in their
        context ("access to technology" is not Microsoft Access); a resume's skills list is
        not judged.
    mention_threshold : float or None
        The mention gate's probability threshold; None uses the model's (0.5: more likely
        wrong than right).
    semantic_threshold : float or None
        Calibrated probability a skill needs when no words of the document name it (semantic
        evidence only). None: 0 when the model's verdict gate is on — the gate was fitted on
        every semantic skill and judges each on its score, gates, zone and identity, which on
        hand-read postings and resumes kept more right skills than the single cut at 0.5, at a
        higher right share (``benchmarks/judged_precision.py``) — else 0.5: keep such a skill only when
        it is more likely right than wrong (semantic skills between the model's threshold and
        0.5 were right about one time in four, named ones about two in three). 0 keeps every
        semantic neighbour above ``threshold``.
    verdict_gate : bool
        Drop skills the model's verdict gate says a person reading the document would judge
        wrong (fitted on hand verdicts of whole postings and resumes; every skill reports the
        gate's probability as ``stated``).
    verdict_threshold : float or None
        The verdict gate's probability threshold; None uses the model's (the lowest at which
        the gate's cross-validated right share on its hand-read examples reaches its fitting
        target, never below 0.5).
    """

    threshold: float | None = None
    top_k: int = 10
    splitter: Splitter = "rules"
    max_chars: int = 200_000
    max_sentences: int = 4000
    batch_size: int = 32
    backend: Backend = "auto"
    threads: int | None = None
    statement_gate: StatementGateMode = "semantic"
    statement_threshold: float | None = None
    mention_gate: bool = True
    mention_threshold: float | None = None
    semantic_threshold: float | None = None
    verdict_gate: bool = True
    verdict_threshold: float | None = None

    def __post_init__(self) -> None:
        for name in ("threshold", "statement_threshold", "mention_threshold", "semantic_threshold",
                     "verdict_threshold"):
            if getattr(self, name) is not None:
                _unit("extraction", name, getattr(self, name))
        for name in ("mention_gate", "verdict_gate"):
            _check(isinstance(getattr(self, name), bool), "extraction", name, getattr(self, name), "true or false")
        _choice("extraction", "statement_gate", self.statement_gate, StatementGateMode)
        for name in ("top_k", "max_chars", "max_sentences", "batch_size"):
            _positive_int("extraction", name, getattr(self, name))
        _choice("extraction", "splitter", self.splitter, Splitter)
        _choice("extraction", "backend", self.backend, Backend)
        if self.threads is not None:
            _positive_int("extraction", "threads", self.threads)


RELATIONS = ("exact", "narrower", "crosswalk", "broader", "related", "sibling", "semantic")
OCCUPATION_RELATIONS = ("exact", "crosswalk", "unit_group", "related", "minor_group")
SIGNALS = ("skills", "skill_profile", "occupation", "keywords", "text_similarity")
ESSENTIAL_CUES = (r"\b(?:must|required|requirements?|essential|mandatory|need(?:s|ed)? to|minimum|at least|"
                  r"\d+\+?\s*(?:years|yrs)|proven|qualifications|what you (?:bring|need)|you have)\b")
OPTIONAL_CUES = (r"\b(?:nice[- ]to[- ]have|a plus|plus if|bonus|preferred|preferably|desirable|desired|ideally|"
                 r"optional|advantage(?:ous)?|would be great|is an asset|good to have)\b")


@dataclass(frozen=True)
class MatchConfig:
    """How a candidate is scored against a job; every number and rule that moves a score is here.

    The score is a weighted sum of five signals, each scaled to 0–1 and each explained by
    its own contributions: the requirement checklist (``skills``), the overlap of the two
    documents' soft skill profiles (``skill_profile``), job-title/occupation alignment
    (``occupation``), shared distinctive words (``keywords``) and the similarity of the two
    documents' embeddings (``text_similarity``).

    Parameters
    ----------
    signal_weights : dict or None
        Weight of each signal (they are normalised to sum to 1); None uses the weights fitted
        with the model (its recipe's ``matching`` record).
    signal_ranges : dict or None
        Per signal, the raw values mapped to 0 and to 1 (fitted with the weights); None uses
        the model's.
    credits : dict
        Credit of each ontology relation between a required and a held skill (0–1).
    occupation_credits : dict
        Credit of each relation between the job's occupation and the candidate's (0–1).
    semantic_min_cosine : float
        Below this skill-to-skill cosine a semantic match earns nothing.
    sibling_max_children : int
        Siblings earn credit only under a parent with at most this many children.
    shortlist : int
        Profiles retrieved from the index before exact re-scoring.
    confidence_weighting : bool
        Multiply weights and credits by the extraction confidence of the skills.
    specificity_weighting : bool
        Weigh a requirement by how specific the skill is (few occupations list it).
    importance_weights : dict
        Weight of a requirement by its importance.
    essential_cues, optional_cues : str
        Regular expressions of wording that makes a requirement essential or optional.
    reuse_weights : dict
        Weight of a requirement by its ESCO reuse level.
    blind : bool
        Redact names, contacts and gender/age cues before extraction.
    """

    signal_weights: dict[str, float] | None = None
    signal_ranges: dict[str, tuple[float, float]] | None = None
    credits: dict[str, float] = field(default_factory=lambda: {
        "exact": 1.0, "narrower": 0.9, "crosswalk": 0.8, "broader": 0.6, "related": 0.5, "sibling": 0.4,
        "semantic": 0.5})
    occupation_credits: dict[str, float] = field(default_factory=lambda: {
        "exact": 1.0, "crosswalk": 0.9, "unit_group": 0.7, "related": 0.7, "minor_group": 0.4})
    semantic_min_cosine: float = 0.6
    sibling_max_children: int = 60
    shortlist: int = 200
    confidence_weighting: bool = True
    specificity_weighting: bool = True
    importance_weights: dict[str, float] = field(default_factory=lambda: {
        "essential": 1.0, "unspecified": 0.7, "optional": 0.4})
    essential_cues: str = ESSENTIAL_CUES
    optional_cues: str = OPTIONAL_CUES
    reuse_weights: dict[str, float] = field(default_factory=lambda: {
        "transversal": 1.0, "cross-sector": 1.0, "sector-specific": 1.0, "occupation-specific": 1.0})
    blind: bool = True

    def __post_init__(self) -> None:
        import re

        for name, table, keys in (("signal_weights", self.signal_weights, SIGNALS),
                                  ("signal_ranges", self.signal_ranges, SIGNALS)):
            if table is not None:
                _check(set(table) == set(keys), "matching", name, sorted(table), "an entry for each of "
                       + ", ".join(keys))
        if self.signal_weights is not None:
            for key, value in self.signal_weights.items():
                _check(isinstance(value, (int, float)) and value >= 0, "matching", f"signal_weights.{key}", value,
                       "a number ≥ 0")
            _check(sum(self.signal_weights.values()) > 0, "matching", "signal_weights", self.signal_weights,
                   "at least one positive weight")
        if self.signal_ranges is not None:
            for key, value in self.signal_ranges.items():
                _check(len(value) == 2 and value[1] > value[0], "matching", f"signal_ranges.{key}", value,
                       "(low, high) with high > low")
        for name, table, keys in (("credits", self.credits, RELATIONS),
                                  ("occupation_credits", self.occupation_credits, OCCUPATION_RELATIONS)):
            _check(set(table) == set(keys), "matching", name, sorted(table), "a credit for each of " + ", ".join(keys))
            for relation, credit in table.items():
                _unit("matching", f"{name}.{relation}", credit)
        _check(set(self.importance_weights) == set(get_args(Importance)), "matching", "importance_weights",
               sorted(self.importance_weights), "a weight for each of " + ", ".join(get_args(Importance)))
        for name, table in (("importance_weights", self.importance_weights), ("reuse_weights", self.reuse_weights)):
            for key, value in table.items():
                _check(isinstance(value, (int, float)) and value >= 0, "matching", f"{name}.{key}", value,
                       "a number ≥ 0")
        for name in ("essential_cues", "optional_cues"):
            try:
                re.compile(getattr(self, name))
            except re.error as exc:
                raise ConfigurationError(f"matching.{name}: not a valid regular expression ({exc})") from None
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
