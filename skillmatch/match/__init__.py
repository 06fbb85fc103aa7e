"""JD ↔ resume matching with traceable explanations, blind mode and audits."""
from skillmatch.match.matcher import AddReport, Matcher
from skillmatch.match.redact import Redactor
from skillmatch.config import MatchConfig

__all__ = ["AddReport", "MatchConfig", "Matcher", "Redactor"]
