"""Rule-based vs spaCy sentence splitting on job ads (boundary F1, speed) and resumes (speed).

Gold: SkillSpan dev sentences (job ads, one sentence per block). Documents are rebuilt from
runs of 10 consecutive sentences: a sentence ending in . ! ? is followed by a space, any
other (a bullet or heading) by a newline, as in the postings they come from. A predicted
sentence counts as correct when its start offset is a gold start (punctuation and bullet
markers are trimmed on both sides). Resumes (the 166 unique texts of UpdatedResumeDataSet)
have no gold, so only speed is reported.

    python benchmarks/sentence_split.py [--data DIR]

Writes benchmarks/results/sentence_split.json.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from pathlib import Path

from skillmatch.extract.sentences import RuleSentenceSplitter, SpacySentenceSplitter, trim_span
from skillmatch.extract.text import make_document
from skillmatch.train.corpus import conll_sentences

from results_file import write_results

RESULTS = Path(__file__).parent / "results" / "sentence_split.json"


def job_ad_documents(data: Path, size: int = 10):
    sentences = [s for name in ("skillspan_house_dev.conll", "skillspan_tech_dev.conll")
                 for s in conll_sentences(data / "skillspan" / name)]
    documents = []
    for i in range(0, len(sentences), size):
        text, starts = "", set()
        for sentence in sentences[i:i + size]:
            span = trim_span(sentence, 0, len(sentence))
            if span is None:
                continue
            starts.add(len(text) + span[0])
            text += sentence + (" " if sentence.rstrip().endswith((".", "!", "?")) else "\n")
        documents.append((text, starts))
    return documents


def resumes(data: Path) -> list[str]:
    csv.field_size_limit(sys.maxsize)
    with open(data / "resumes" / "UpdatedResumeDataSet.csv", encoding="utf-8") as handle:
        return list(dict.fromkeys(row["Resume"] for row in csv.DictReader(handle)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=os.environ.get("SKILLMATCH_DATA", "../shared/data"))
    args = parser.parse_args()
    data = Path(args.data)
    documents = job_ad_documents(data)
    resume_texts = [make_document(text).text for text in resumes(data)]
    report = {"benchmark": "sentence_split", "date": time.strftime("%Y-%m-%d"), "job_ad_documents": len(documents),
              "gold_sentences": sum(len(s) for _, s in documents), "resumes": len(resume_texts), "splitters": {}}
    for splitter in (RuleSentenceSplitter(), SpacySentenceSplitter()):
        splitter.split("Warm up. Load the model.")
        true_positive = predicted = 0
        started = time.perf_counter()
        for text, gold in documents:
            starts = {s.start for s in splitter.split(text)}
            true_positive += len(starts & gold)
            predicted += len(starts)
        job_seconds = time.perf_counter() - started
        gold_total = report["gold_sentences"]
        precision, recall = true_positive / max(predicted, 1), true_positive / gold_total
        started = time.perf_counter()
        resume_sentences = sum(len(splitter.split(text)) for text in resume_texts)
        resume_seconds = time.perf_counter() - started
        characters = sum(len(t) for t, _ in documents) + sum(map(len, resume_texts))
        report["splitters"][splitter.name] = {
            "job_ads": {"precision": round(precision, 4), "recall": round(recall, 4),
                        "f1": round(2 * precision * recall / max(precision + recall, 1e-9), 4),
                        "seconds": round(job_seconds, 3)},
            "resumes": {"sentences": resume_sentences, "seconds": round(resume_seconds, 3)},
            "characters_per_second": round(characters / (job_seconds + resume_seconds))}
        print(splitter.name, json.dumps(report["splitters"][splitter.name]), flush=True)
    write_results(RESULTS, report)


if __name__ == "__main__":
    main()
