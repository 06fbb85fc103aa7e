"""Skill extraction: documents → sentences → ESCO skills with evidence."""
from skillmatch.extract.extractor import ExtractionResult, SkillExtractor
from skillmatch.extract.literal import LiteralMatcher
from skillmatch.extract.text import Document, make_document, read_document

__all__ = ["Document", "ExtractionResult", "LiteralMatcher", "SkillExtractor", "make_document", "read_document"]
