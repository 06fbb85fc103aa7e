"""``nlp.add_pipe("skillmatch")``: skills on ``doc._.skills`` and evidence spans in ``doc.spans``."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

SPAN_KEY = "skills"


class SkillmatchComponent:
    """Runs a SkillExtractor over each doc's text.

    Literal evidence becomes a span over the matched words; semantic-only evidence a span
    over its sentence. Span labels are preferred labels; ``doc._.skills`` has the full
    ExtractedSkill records (URIs, scores, evidence).
    """

    def __init__(self, nlp: Language, name: str, data: str | None, model: str | None, cache_dir: str | None,
                 threshold: float | None, extractor=None) -> None:
        self.name = name
        self.data = data
        self.model = model
        self.cache_dir = cache_dir
        self.threshold = threshold
        self._extractor = extractor
        if not Doc.has_extension("skills"):
            Doc.set_extension("skills", default=None)

    @property
    def extractor(self):
        if self._extractor is None:
            from skillmatch.extract import SkillExtractor

            from skillmatch.config import ExtractionConfig

            self._extractor = SkillExtractor.from_data(self.data, model=self.model, cache_dir=self.cache_dir,
                                                       config=ExtractionConfig(threshold=self.threshold))
        return self._extractor

    def __call__(self, doc: Doc) -> Doc:
        result = self.extractor.extract(doc.text, "<spacy doc>")
        spans = []
        for skill in result.skills:
            for evidence in skill.evidence:
                start, end = ((evidence.match_start, evidence.match_end) if evidence.match_start is not None
                              else (evidence.start, evidence.end))
                span = doc.char_span(start, end, label=skill.label, alignment_mode="expand")
                if span is not None:
                    spans.append(span)
        doc.spans[SPAN_KEY] = spans
        doc._.skills = list(result.skills)
        return doc


@Language.factory("skillmatch", default_config={"data": None, "model": None, "cache_dir": None, "threshold": None})
def make_component(nlp: Language, name: str, data: str | None, model: str | None, cache_dir: str | None,
                   threshold: float | None) -> SkillmatchComponent:
    return SkillmatchComponent(nlp, name, data, model, cache_dir, threshold)
