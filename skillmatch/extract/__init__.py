"""Skill extraction: documents → sentences → ESCO skills with evidence."""
from skillmatch.extract.extractor import ExtractionResult, SkillExtractor
from skillmatch.extract.literal import LiteralMatcher
from skillmatch.extract.model import ModelSpec, find_model, list_models
from skillmatch.extract.text import Document, make_document, read_document

__all__ = ["Document", "ExtractionResult", "LiteralMatcher", "ModelSpec", "SkillExtractor", "find_model",
           "list_models", "make_document", "read_document"]
