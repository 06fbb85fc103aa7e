"""skillmatch: ESCO/O*NET skill extraction and explainable JD↔resume matching.

The public API, importable from here::

    from skillmatch import load_taxonomy, SkillExtractor, Matcher, SkillmatchConfig, score

Heavy modules (numpy, FAISS, ONNX Runtime) load only when a name that needs them is first
used, so ``import skillmatch`` stays cheap; type checkers and IDEs see the real imports
through the ``TYPE_CHECKING`` block.

Text or file: everywhere in the API a ``str`` is text and a ``pathlib.Path`` is a file to
read (or ``read_document(path)``, which gives a :class:`Document`).
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

__version__ = "0.2.0"

from skillmatch.config import BatchConfig, ExtractionConfig, MatchConfig, SkillmatchConfig  # noqa: E402
from skillmatch.errors import (ConfigurationError, DataFileError, DocumentError,  # noqa: E402
                               SkillmatchError)
from skillmatch.types import (Concept, Contribution, Evidence, Explanation, ExtractedSkill,  # noqa: E402
                              Match, RankedSkill, Skill)

if TYPE_CHECKING:
    from skillmatch.batch import BatchReport, score
    from skillmatch.extract import Document, ExtractionResult, ModelSpec, SkillExtractor, read_document
    from skillmatch.match import Matcher
    from skillmatch.ontology import Taxonomy, load_taxonomy

_LAZY = {
    "load_taxonomy": "skillmatch.ontology", "Taxonomy": "skillmatch.ontology",
    "SkillExtractor": "skillmatch.extract", "ExtractionResult": "skillmatch.extract",
    "ModelSpec": "skillmatch.extract", "Document": "skillmatch.extract", "read_document": "skillmatch.extract",
    "Matcher": "skillmatch.match",
    "score": "skillmatch.batch", "BatchReport": "skillmatch.batch",
}

__all__ = [
    "BatchConfig", "BatchReport", "Concept", "ConfigurationError", "Contribution", "DataFileError", "Document",
    "DocumentError", "Evidence", "Explanation", "ExtractedSkill", "ExtractionConfig", "ExtractionResult",
    "Match", "MatchConfig", "Matcher", "ModelSpec", "RankedSkill", "Skill", "SkillExtractor", "SkillmatchConfig",
    "SkillmatchError", "Taxonomy", "__version__", "load_taxonomy", "read_document", "score",
]


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'skillmatch' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
