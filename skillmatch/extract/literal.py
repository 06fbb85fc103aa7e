"""Literal matching of every skill label in text: the distant-supervision signal and the
high-precision half of extraction.

Multi-word labels and text go through the same tokeniser and Snowball stemmer, so "managing
projects" finds "manage projects"; a token trie gives longest-match-wins in one left-to-right
pass. Single words are riskier (Snowball maps "experience" and "experiment" to one stem), so
a one-word label matches its own word or plural only, and a lower-case one-word *alternative*
label ("detect", "advise") is not matched at all: names and acronyms ("Python", "SQL") and
one-word preferred labels ("statistics") are. A label shared by several concepts yields one
hit listing all of them, preferred-label owners first: the caller decides with context and
reports the alternatives; nothing is silently assigned.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, NamedTuple

from skillmatch.ontology.compiled import normalize_label

# hyphens and slashes separate tokens, so "machine-learning" meets the label "machine learning"
TOKEN = re.compile(r"[^\W_]+(?:[.+#'’&][^\W_]+)*[+#]*", re.UNICODE)
_JOIN = "\0"


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return _stemmer().stemWord(word)


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """``(surface, start, end)`` for every token."""
    return [(m.group(), m.start(), m.end()) for m in TOKEN.finditer(text)]


def token_key(surface: str) -> str:
    return _stem(surface.casefold().replace("’", "'"))


def word_key(surface: str) -> str:
    """A single word without its plural ending: "databases" → "database"."""
    word = surface.casefold().replace("’", "'")
    if word.endswith("'s"):
        return word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


class LabelEntry(NamedTuple):
    """One distinct label text and the concepts that carry it. The matcher stores each as a
    plain tuple and wraps only the ones a text hits: ~94k of them load from the cache at every
    start, and unpickling them as named tuples took 0.4 s against 0.05 s as plain tuples."""

    label: str
    uris: tuple[str, ...]
    preferred: tuple[str, ...]
    case_sensitive: bool
    # an everyday word that names a product ("Analyze", "Square") is that product only
    # inside a sentence: at its start the capital says nothing
    not_first: bool = False


BULLETS = "•*"
SENTENCE_ENDS = ".!?:;" + BULLETS
ITEM_ENDS = "/|(" + BULLETS


def at_sentence_start(text: str, position: int) -> bool:
    """Whether only blanks stand between ``position`` and the start of the text, a line break,
    sentence-ending punctuation, a bullet or a dash after a blank. Resumes bullet their lines
    with glyphs of every kind ("➢", "✓", "❖", "Ø", a font's private-use symbols), so a word
    made only of non-ASCII characters counts as a bullet too. Dashes keep the narrower rule (an
    ASCII hyphen after a blank), because en and em dashes mostly join words. Reads backwards
    over the blanks and that one word only: the check runs on the hot path of long documents."""
    i = position - 1
    while i >= 0 and text[i].isspace():
        if text[i] == "\n":
            return True
        i -= 1
    if i < 0 or text[i] in SENTENCE_ENDS:
        return True
    if text[i] == "-":
        return i > 0 and text[i - 1].isspace()
    return bullet_glyph_ends_at(text, i)


def item_ends_at(text: str, position: int) -> bool:
    """Whether a list item ends at ``position``: only blanks stand between it and the end of the
    text, a line break, a slash, a pipe, a bracket ("C (Basic)"), the next bullet or a comma before
    an item that is not a lower-case word ("C, C++" is a list of names; "Analyze, identify and
    assess" a list of verbs)."""
    i = position
    while i < len(text) and text[i].isspace():
        if text[i] == "\n":
            return True
        i += 1
    if i == len(text) or text[i] in ITEM_ENDS:
        return True
    if text[i] == ",":
        following = text[i + 1:i + 40].lstrip()
        return not following[:1].islower()
    end = i
    while end < len(text) and not text[end].isspace():
        end += 1
    return is_bullet_glyph(text[i:end])


def bullet_glyph_ends_at(text: str, last: int) -> bool:
    """Whether the word ending at ``text[last]`` is a bullet glyph."""
    first = last
    while first > 0 and not text[first - 1].isspace():
        first -= 1
    return is_bullet_glyph(text[first:last + 1])


def is_bullet_glyph(word: str) -> bool:
    """A word made only of non-ASCII characters that are not dashes: "➢", "✓", "❖", "\uf0b7"."""
    return bool(word) and not any(c.isascii() or unicodedata.category(c) == "Pd" for c in word)


# "C-level", "Type-C": a letter joined by a hyphen to a word; "A C Patil", "R K Electrical", "C. K. Prahalad":
# a letter beside another lone capital
LETTER_IN_A_WORD = re.compile(r"[^\W\d_]-$")
WORD_AFTER_LETTER = re.compile(r"-[^\W\d_]")
INITIAL_BEFORE = re.compile(r"(?:^|[^\w.&+#-])[A-Z]\.?[ \t]+$")
INITIAL_AFTER = re.compile(r"\.?[ \t]+[A-Z](?:\.|\s|$)")


def part_of_a_name(text: str, start: int, end: int) -> bool:
    """Whether the lone letter ``text[start:end]`` belongs to a longer name: a compound it is
    hyphenated into or a person's or firm's initials. The one-letter labels (the languages C
    and R, the product J) are otherwise matched wherever the capital stands. In the 2,759
    postings and resumes the verdicts name (``skillmatch.train.verdicts.real_documents``) this
    sets 118 letters aside — "C-level", "C-suite", "Objective-C", "R-CNN", "R K Electrical",
    "C. K." — of which one is the language ("R-Shiny")."""
    return bool(LETTER_IN_A_WORD.search(text, max(0, start - 2), start)
                or WORD_AFTER_LETTER.match(text, end)
                or INITIAL_BEFORE.search(text, max(0, start - 4), start)
                or INITIAL_AFTER.match(text, end))


@dataclass(frozen=True)
class LiteralHit:
    """A label found in text: its character span and every concept it may denote."""

    start: int
    end: int
    text: str
    label: str
    uris: tuple[str, ...]
    preferred: tuple[str, ...] = ()

    @property
    def ambiguous(self) -> bool:
        return len(self.uris) > 1


def _stopwords() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


class LiteralMatcher:
    """Token-trie matcher over labels; build with :meth:`from_labels` or :meth:`from_taxonomy`."""

    def __init__(self, min_chars: int = 2) -> None:
        self.min_chars = min_chars
        self._entries: list[tuple] = []  # LabelEntry fields, plain (see LabelEntry)
        # phrases and their proper prefixes as flat string keys: a table of plain strings
        # loads from the cache several times faster than a trie of nested dicts
        self._phrases: dict[str, int] = {}
        self._prefixes: set[str] = set()
        self._words: dict[str, int] = {}

    @classmethod
    def from_taxonomy(cls, taxonomy, kinds: tuple[str, ...] = ("skill", "technology"), **params) -> "LiteralMatcher":
        """Every label of the skills and (O*NET) technologies, technologies with their aliases."""
        from skillmatch.extract.technology import (TECHNOLOGY_TYPE, everyday_proper_name, lowercase_words,
                                                   technology_labels)

        everyday = lowercase_words(taxonomy)
        labels: list[tuple] = []
        for kind in kinds:
            if kind == TECHNOLOGY_TYPE:
                labels.extend(technology_labels(taxonomy))
                continue
            # ESCO's product and language names that are everyday words match as written, as
            # O*NET's do: "open source" is not Source, "core assembly" not Assembly, "polish" not Polish
            for concept in taxonomy.concepts(kind):
                labels.extend((label, concept.uri, position == 0, everyday_proper_name(label, everyday))
                              for position, label in enumerate(concept.labels) if label)
        return cls(**params).fit(labels)

    def fit(self, labels: Iterable[tuple]) -> "LiteralMatcher":
        """Index ``(label, uri[, is_preferred[, case_sensitive[, not_first]]])``; labels equal
        after normalisation are merged."""
        stopwords = _stopwords()
        grouped: dict[tuple[str, ...], dict[str, object]] = {}
        for label, uri, *flags in labels:
            preferred = bool(flags[0]) if flags else True
            tokens = tokenize(label)
            if not tokens:
                continue
            surfaces = tuple(t[0] for t in tokens)
            # short labels with capitals and one-word all-caps labels are acronyms or names
            # ("IT", "Go", "R", "ETCS"): match their case, so "etc." is not "ETCS"
            case_sensitive = ((len(label) <= 3 and any(ch.isupper() for ch in label))
                              or (len(surfaces) == 1 and label.isupper() and len(label) > 1)
                              or (len(flags) > 1 and bool(flags[1])))
            if not case_sensitive and len(normalize_label(label)) < self.min_chars:
                continue
            single = len(surfaces) == 1
            if single and not case_sensitive:
                if surfaces[0].casefold() in stopwords:
                    continue  # "it", "can", "well"
                if not preferred and label.islower():
                    continue  # generic one-word alternative labels: "detect", "advise"
            if case_sensitive:
                key = ("\1" + " ".join(surfaces),)
            elif single:
                key = ("\2" + word_key(surfaces[0]),)
            else:
                key = tuple(token_key(s) for s in surfaces)
            if case_sensitive and not single:
                key = tuple("\1" + surface for surface in surfaces)
            entry = grouped.setdefault(key, {"label": label, "uris": set(), "preferred": set(),
                                             "case": case_sensitive, "not_first": False})
            entry["not_first"] = entry["not_first"] or (len(flags) > 2 and bool(flags[2]))
            entry["uris"].add(uri)
            if preferred:
                entry["preferred"].add(uri)
        self._entries = []
        self._phrases = {}
        self._prefixes = set()
        self._words = {}
        for key, entry in grouped.items():
            self._entries.append((entry["label"], tuple(sorted(entry["uris"])),
                                  tuple(sorted(entry["preferred"])), entry["case"], entry["not_first"]))
            if len(key) == 1 and key[0][0] in "\1\2":
                self._words[key[0]] = len(self._entries) - 1
                continue
            self._phrases[_JOIN.join(key)] = len(self._entries) - 1
            self._prefixes.update(_JOIN.join(key[:n]) for n in range(1, len(key)))
        return self

    def entry(self, entry_id: int) -> LabelEntry:
        return LabelEntry._make(self._entries[entry_id])

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[LiteralHit]:
        """Non-overlapping hits in ``text[start:end]``, longest match first, left to right."""
        segment = text[start:end] if end is not None else text[start:]
        tokens = tokenize(segment)
        keys = [token_key(surface) for surface, _, _ in tokens]
        exact = ["\1" + surface for surface, _, _ in tokens]
        hits: list[LiteralHit] = []
        i = 0
        while i < len(tokens):
            best = None
            # one-word labels: exact surface for acronyms and names, else the word or its plural
            word = self._words.get(exact[i])
            if (word is not None and self.entry(word).not_first and at_sentence_start(text, start + tokens[i][1])
                    and not item_ends_at(text, start + tokens[i][2])):
                word = None
            if word is not None and len(tokens[i][0]) == 1 and part_of_a_name(text, start + tokens[i][1],
                                                                              start + tokens[i][2]):
                word = None
            if word is None:
                word = self._words.get("\2" + word_key(tokens[i][0]))
            if word is not None:
                best = (i, word)
            # longer labels: normalised tokens, or the exact surfaces of case-sensitive ones
            for walk in (keys, exact):
                joined = walk[i]
                for j in range(i, len(tokens)):
                    if j > i:
                        joined += _JOIN + walk[j]
                    entry_id = self._phrases.get(joined)
                    if entry_id is not None and (best is None or j > best[0]):
                        best = (j, entry_id)
                    if joined not in self._prefixes:
                        break
            if best is None:
                i += 1
                continue
            last, entry_id = best
            entry = self.entry(entry_id)
            s, e = tokens[i][1], tokens[last][2]
            hits.append(LiteralHit(start + s, start + e, segment[s:e], entry.label, entry.uris, entry.preferred))
            i = last + 1
        return hits
