"""skillmatch: ESCO/O*NET skill extraction and explainable JD↔resume matching."""
__version__ = "0.1.0"

from skillmatch.types import Concept, Evidence, Explanation, ExtractedSkill, Match, Skill  # noqa: E402

__all__ = ["Concept", "Evidence", "Explanation", "ExtractedSkill", "Match", "Matcher", "Skill", "SkillExtractor",
           "__version__"]


def __getattr__(name: str):
    # heavy modules (torch, faiss) load only when these names are used
    if name == "SkillExtractor":
        from skillmatch.extract import SkillExtractor

        return SkillExtractor
    if name == "Matcher":
        from skillmatch.match import Matcher

        return Matcher
    raise AttributeError(name)
