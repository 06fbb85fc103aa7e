"""Labelled matching data shared by the matching benchmarks, and profiles computed once per run.

- ``category``: the 166 unique resumes of resumes/UpdatedResumeDataSet.csv (25 categories)
  against one JD per category written for this benchmark (benchmarks/data/category_jds.jsonl);
  relevant = same category. A reporting set: nothing is fitted on it.
- ``panoslin``: one real resume against 641 real postings labelled apply / don't apply by the
  candidate (match-panoslin-641), deduplicated (identical texts with conflicting labels are
  dropped, others kept once). A reporting set for the jobs-for-a-resume direction.
- ``livecareer``: the fitting set. 24 LiveCareer resume categories (resumes-livecareer-2484,
  a different resume collection; 25 resumes sampled per category) against two kinds of JD:
  one assembled per category from the O*NET occupation the category names (its title, task
  statements and hot technologies), and three real Google postings (jobposts-google-2018) per
  Google job category that a LiveCareer category names; relevant = the resume's category is
  the JD's (for Google JDs: one of the LiveCareer categories mapped to it). Both mappings were
  written from the category names alone, before any fitting.
"""
from __future__ import annotations

import csv
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

JDS = Path(__file__).parent / "data" / "category_jds.jsonl"
ONET = "https://w3id.org/skillmatch/onet/occupation/"
# LiveCareer category → the O*NET occupation it names (chosen by title, before any fitting)
LIVECAREER_ONET = {
    "ACCOUNTANT": "13-2011.00", "ADVOCATE": "23-1011.00", "AGRICULTURE": "11-9013.00", "APPAREL": "27-1022.00",
    "ARTS": "27-1013.00", "AUTOMOBILE": "49-3023.00", "AVIATION": "53-2011.00", "BANKING": "13-2072.00",
    "BPO": "43-4051.00", "BUSINESS-DEVELOPMENT": "11-2022.00", "CHEF": "35-1011.00", "CONSTRUCTION": "11-9021.00",
    "CONSULTANT": "13-1111.00", "DESIGNER": "27-1024.00", "DIGITAL-MEDIA": "15-1255.00", "ENGINEERING": "17-2141.00",
    "FINANCE": "13-2051.00", "FITNESS": "39-9031.00", "HEALTHCARE": "29-1141.00", "HR": "13-1071.00",
    "INFORMATION-TECHNOLOGY": "15-1244.00", "PUBLIC-RELATIONS": "27-3031.00", "SALES": "41-4012.00",
    "TEACHER": "25-2021.00"}


# Google job category → the LiveCareer resume categories whose people it hires
GOOGLE_LIVECAREER = {
    "Sales & Account Management": ("SALES",), "Marketing & Communications": ("PUBLIC-RELATIONS", "DIGITAL-MEDIA"),
    "Finance": ("FINANCE", "ACCOUNTANT", "BANKING"), "People Operations": ("HR",),
    "User Experience & Design": ("DESIGNER",), "Business Strategy": ("CONSULTANT",),
    "Partnerships": ("BUSINESS-DEVELOPMENT",), "Product & Customer Support": ("BPO",),
    "Legal & Government Relations": ("ADVOCATE",), "IT & Data Management": ("INFORMATION-TECHNOLOGY",),
    "Hardware Engineering": ("ENGINEERING",)}


def category_set(data: Path) -> tuple[list[dict], list[str], list[str]]:
    """(JDs, resume texts, resume categories)."""
    csv.field_size_limit(sys.maxsize)
    unique: dict[str, str] = {}
    with open(data / "resumes" / "UpdatedResumeDataSet.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            unique.setdefault(row["Resume"], row["Category"])
    jds = [json.loads(line) for line in JDS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return jds, list(unique), list(unique.values())


def panoslin_set(data: Path) -> tuple[str, list[str], list[int]]:
    """(resume text, posting texts, labels) with duplicate texts resolved."""
    csv.field_size_limit(sys.maxsize)
    folder = data / "match-panoslin-641"
    labels: dict[str, set[bool]] = defaultdict(set)
    order: list[str] = []
    with open(folder / "job_descriptions.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            text = row["job_description"]
            if text not in labels:
                order.append(text)
            labels[text].add(row["label"].strip().lower() == "true")
    kept = [t for t in order if len(labels[t]) == 1]
    return (folder / "resume.txt").read_text(encoding="utf-8"), kept, [int(next(iter(labels[t]))) for t in kept]


def livecareer_set(data: Path, taxonomy, per_category: int = 25, seed: int = 0
                   ) -> tuple[list[dict], list[str], list[str]]:
    """(O*NET-assembled JDs, sampled resume texts, their categories)."""
    by_category: dict[str, list[str]] = defaultdict(list)
    with open(data / "resumes-livecareer-2484" / "resumes_livecareer_2484.jsonl", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            by_category[record["category"]].append(record["text"])
    rng = random.Random(seed)
    texts, categories = [], []
    for category in sorted(LIVECAREER_ONET):
        chosen = rng.sample(by_category[category], min(per_category, len(by_category[category])))
        texts += chosen
        categories += [category] * len(chosen)
    jds = []
    for category, code in sorted(LIVECAREER_ONET.items()):
        uri = ONET + code
        tasks = taxonomy.tasks(uri)[:8]
        hot = [t["label"] for t in taxonomy.technology_skills(uri) if t["hot_technology"]][:8]
        text = "\n".join([taxonomy.label(uri), "", "Responsibilities:", *[f"- {t}" for t in tasks], "",
                          "Requirements:", f"- Experience with {', '.join(hot)}." if hot else ""])
        jds.append({"category": category, "relevant": [category], "text": text})
    rng = random.Random(seed)
    csv.field_size_limit(sys.maxsize)
    with open(data / "jobposts-google-2018" / "google_job_skills.csv", encoding="utf-8") as handle:
        postings = defaultdict(list)
        for row in csv.DictReader(handle):
            text = "\n".join((row["Title"], "", "Responsibilities:", row["Responsibilities"], "",
                              "Minimum qualifications:", row["Minimum Qualifications"], "",
                              "Preferred qualifications:", row["Preferred Qualifications"]))
            if row["Category"] in GOOGLE_LIVECAREER and text not in postings[row["Category"]]:
                postings[row["Category"]].append(text)
    for google, livecareer in sorted(GOOGLE_LIVECAREER.items()):
        for text in rng.sample(postings[google], min(3, len(postings[google]))):
            jds.append({"category": f"google: {google}", "relevant": list(livecareer), "text": text})
    return jds, texts, categories


def background_texts(data: Path) -> list[str]:
    """Real resumes and postings for background word frequencies (none from a reporting set)."""
    csv.field_size_limit(sys.maxsize)
    texts = []
    with open(data / "resumes-livecareer-2484" / "resumes_livecareer_2484.jsonl", encoding="utf-8") as handle:
        texts += [json.loads(line)["text"] for line in handle if line.strip()]
    with open(data / "jobposts-google-2018" / "google_job_skills.csv", encoding="utf-8") as handle:
        texts += ["\n".join((row["Title"], row["Responsibilities"], row["Minimum Qualifications"],
                             row["Preferred Qualifications"])) for row in csv.DictReader(handle)]
    with open(data / "jobposts" / "indeed_data_science_postings.csv", encoding="utf-8") as handle:
        texts += [row["body"] for row in csv.DictReader(handle)]
    return texts


def profiles(matcher, texts: list[str], prefix: str, cache: Path | None = None):
    """Profiles of ``texts`` (ids ``prefix-N``), cached on disk by content and matcher settings."""
    import hashlib
    import pickle

    from skillmatch.match.profile import Profile

    key = hashlib.blake2b(("\n\x00".join(texts) + matcher.extractor.version + matcher.settings_fingerprint()
                           ).encode(), digest_size=10).hexdigest()
    path = cache / f"profiles-{prefix}-{key}.pickle" if cache else None
    if path is not None and path.exists():
        return [Profile.from_dict(r) for r in pickle.loads(path.read_bytes())]
    found = [matcher.profile(text, f"{prefix}-{i}") for i, text in enumerate(texts)]
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps([p.to_dict() for p in found]))
    return found
