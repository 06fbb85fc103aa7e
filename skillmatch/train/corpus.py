"""Unlabelled training text: job ads, resumes, task statements → clean, unique sentences.

Distant supervision needs nothing but text that describes work. What hurts it is text that
repeats (the same equal-opportunity paragraph in every ad teaches the model one sentence a
hundred times), text that is not English (the ESCO labels are English) and text that is no
sentence at all (headings, contact lines). The reader drops all three and says how much.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from skillmatch.errors import DataFileError, DocumentError

WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
CONLL_SUFFIXES = (".conll", ".conllu", ".bio")
# English prose is ~40 % function words, terse job-ad bullets ~20 %; German or French with
# the odd "in" or "a" stays far below the cut
MIN_WORDS_FOR_LANGUAGE_CHECK = 6
MIN_FUNCTION_WORD_SHARE = 0.15
MIN_ENGLISH_SHARE = 0.5
TEXT_COLUMNS = ("text", "body", "description", "content", "sentence", "Resume", "Task")


def conll_sentences(path: str | Path) -> Iterator[str]:
    """Sentences of a CoNLL file (token in the first tab-separated column, blank line between)."""
    tokens: list[str] = []
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    tokens.append(line.split("\t")[0].strip())
                elif tokens:
                    yield " ".join(tokens)
                    tokens = []
    except UnicodeDecodeError as exc:
        raise DataFileError(path, f"not UTF-8 text ({exc.reason})", expected="UTF-8 CoNLL") from exc
    except OSError as exc:
        raise DataFileError(path, f"cannot read: {exc.strerror}") from exc
    if tokens:
        yield " ".join(tokens)


@dataclass(frozen=True)
class CorpusSentence:
    text: str
    source: str  # file (and line or record) the sentence came from


@dataclass
class CorpusStats:
    documents: int = 0
    unreadable: list[str] = field(default_factory=list)
    sentences_read: int = 0
    too_short: int = 0
    duplicates: int = 0
    boilerplate: int = 0
    excluded: int = 0
    not_english: int = 0
    kept: int = 0

    def to_dict(self) -> dict:
        record = dict(self.__dict__)
        record["unreadable"] = list(self.unreadable[:20])
        record["unreadable_count"] = len(self.unreadable)
        return record


class CorpusError(DataFileError):
    """The corpus as a whole is unusable (empty, not English)."""


def _key(sentence: str) -> str:
    return " ".join(WORD.findall(sentence.casefold()))


def _stopwords() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


class CorpusReader:
    """Reads corpus files into sentences; ``read`` returns them, ``stats_`` says what was dropped.

    Files: CoNLL (one token per line, SkillSpan's layout), CSV/TSV/JSONL tables with a text
    column (each row a document: job ad or resume; the first of ``text_columns`` the table
    has), and documents (.txt/.md/.pdf/.docx, or a folder or glob of them). Sentences listed in ``exclude`` (e.g. the validation set) never
    come out, compared after case and punctuation folding.
    """

    def __init__(self, text_columns: tuple[str, ...] = TEXT_COLUMNS, min_words: int = 3, max_words: int = 60,
                 boilerplate_min_documents: int = 5, exclude: Iterable[str] = ()) -> None:
        self.text_columns = text_columns
        self.min_words = min_words
        self.max_words = max_words
        self.boilerplate_min_documents = boilerplate_min_documents
        self.exclude = exclude

    def read(self, paths: Iterable[str | Path]) -> list[CorpusSentence]:
        paths = [str(p) for p in paths]
        if not paths:
            raise CorpusError("<corpus>", "no corpus files given")
        self.stats_ = CorpusStats()
        excluded = {_key(s) for s in self.exclude}
        stopwords = _stopwords()
        sentences: dict[str, CorpusSentence] = {}
        documents_with: Counter[str] = Counter()
        long_sentences = english = 0
        for path in paths:
            for document, document_sentences in self._documents(path):
                self.stats_.documents += 1
                for key in {_key(s) for s in document_sentences}:
                    documents_with[key] += 1
                for text in document_sentences:
                    self.stats_.sentences_read += 1
                    key = _key(text)
                    words = key.split()
                    if not self.min_words <= len(words) <= self.max_words:
                        self.stats_.too_short += 1
                    elif key in excluded:
                        self.stats_.excluded += 1
                    elif key in sentences:
                        self.stats_.duplicates += 1
                    else:
                        sentences[key] = CorpusSentence(text, document)
                        if len(words) >= MIN_WORDS_FOR_LANGUAGE_CHECK:
                            long_sentences += 1
                            english += sum(w in stopwords for w in words) >= MIN_FUNCTION_WORD_SHARE * len(words)
        kept = []
        for key, sentence in sentences.items():
            if documents_with[key] >= self.boilerplate_min_documents:
                self.stats_.boilerplate += 1
            else:
                kept.append(sentence)
        self.stats_.not_english = long_sentences - english
        if not kept:
            raise CorpusError(", ".join(paths), f"no usable sentences ({self.stats_.sentences_read} read: "
                                                f"{self.stats_.too_short} outside {self.min_words}-{self.max_words} "
                                                f"words, {self.stats_.duplicates} duplicates, "
                                                f"{self.stats_.boilerplate} boilerplate, "
                                                f"{self.stats_.excluded} excluded)")
        if long_sentences and english / long_sentences < MIN_ENGLISH_SHARE:
            raise CorpusError(", ".join(paths), f"does not look like English: only {english} of {long_sentences} "
                                                f"sentences of {MIN_WORDS_FOR_LANGUAGE_CHECK}+ words have English function words; "
                                                "the ESCO labels matched here are English")
        self.stats_.kept = len(kept)
        return kept

    def _documents(self, path: str) -> Iterator[tuple[str, list[str]]]:
        """``(source, sentences)`` per document; a CoNLL file is one document per sentence."""
        if path.lower().endswith(CONLL_SUFFIXES):
            for number, sentence in enumerate(conll_sentences(path), 1):
                yield f"{path}#{number}", [sentence]
            return
        from skillmatch.batch.inputs import iter_resumes
        from skillmatch.extract.sentences import RuleSentenceSplitter
        from ftfy import fix_text

        from skillmatch.extract.text import read_document

        if path.lower().endswith(".tsv") or self._is_tab_table(path):
            yield from self._tsv(path)
            return
        splitter = RuleSentenceSplitter()
        columns = self._text_column(path).split("+")
        if len(columns) > 1:
            yield from self._joined_columns(path, columns, splitter)
            return
        for item in iter_resumes(path, text_column=columns[0], id_column=None):
            if item.error:
                self.stats_.unreadable.append(f"{item.source}: {item.error}")
                continue
            try:
                # table text only needs its mojibake repaired, not the offset map of a Document
                text = read_document(item.path).text if item.path else fix_text(item.text or "")
            except DocumentError as exc:
                self.stats_.unreadable.append(str(exc))
                continue
            yield item.source, [s.text for s in splitter.split(text)]

    def _is_tab_table(self, path: str) -> bool:
        """An O*NET text release file: ``.txt`` whose first line is a tab-separated header with a text column."""
        if not path.lower().endswith(".txt") or not Path(path).is_file():
            return False
        with open(path, encoding="utf-8", errors="replace") as handle:
            header = handle.readline().rstrip("\n").split("\t")
        return len(header) > 1 and any(name in header for name in self.text_columns)

    def _joined_columns(self, path: str, columns: list[str], splitter) -> Iterator[tuple[str, list[str]]]:
        """A CSV whose document text is spread over several columns (``A+B+C``), joined line by line."""
        import csv
        import sys

        from ftfy import fix_text

        csv.field_size_limit(sys.maxsize)
        with open(path, encoding="utf-8", errors="replace", newline="") as handle:
            for number, row in enumerate(csv.DictReader(handle), 2):
                text = "\n".join(row.get(column) or "" for column in columns)
                yield f"{path}:{number}", [s.text for s in splitter.split(fix_text(text))]

    def _tsv(self, path: str) -> Iterator[tuple[str, list[str]]]:
        """O*NET-style tab-separated tables; the text column is one sentence (a task statement)."""
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                header = handle.readline().rstrip("\n").split("\t")
                column = header.index(self._pick(path, header))
                for number, line in enumerate(handle, 2):
                    fields = line.rstrip("\n").split("\t")
                    if len(fields) > column and fields[column].strip():
                        yield f"{path}:{number}", [fields[column].strip()]
        except OSError as exc:
            raise DataFileError(path, f"cannot read: {exc.strerror}") from exc

    def _text_column(self, path: str) -> str:
        """The text column of a CSV or JSONL table (documents and folders need none)."""
        import csv
        import json

        suffix = Path(path).suffix.lower()
        try:
            with open(path, encoding="utf-8", errors="replace", newline="") as handle:
                if suffix == ".csv":
                    header = next(csv.reader(handle), [])
                elif suffix in (".jsonl", ".ndjson"):
                    first = next((line for line in handle if line.strip()), "{}")
                    header = list(json.loads(first))
                else:
                    return self.text_columns[0]
        except (OSError, json.JSONDecodeError, AttributeError, TypeError) as exc:
            raise DataFileError(path, f"cannot read the table header ({exc})", line=1) from exc
        return self._pick(path, header)

    def _pick(self, path: str, header: list[str]) -> str:
        """The first text column the table has; ``A+B`` names columns to join (all must be there)."""
        for name in self.text_columns:
            if all(part in header for part in name.split("+")):
                return name
        raise DataFileError(path, f"no text column among {', '.join(header[:12]) or 'no columns'}", line=1,
                            expected=f"one of {', '.join(self.text_columns)} (see --text-column)")
