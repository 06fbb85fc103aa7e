"""O*NET technologies as skills: the names job ads and resumes actually use for them.

O*NET names a technology the way a catalogue does ("Amazon Web Services AWS software",
"Microsoft Excel", "Red Hat OpenShift"); people write "AWS", "Excel", "OpenShift". From each
name this module derives the aliases a literal matcher should know:

- the name without a trailing generic word ("software", "application", "system"…);
- the name without its vendor, where the vendor is a first word that starts at least
  ``VENDOR_MIN_NAMES`` technology names ("Microsoft", "Apache", "Adobe"…): "Excel", "Spark";
- an acronym inside a longer name ("AWS" in "Amazon Web Services AWS software"), unless it
  is itself vendor-like (it appears in several names, like "HP").

An alias is dropped when it names a category or a generic term rather than a product
(hand-checked literal hits on real postings showed these as the main errors: "data
visualization" read as *Data visualization software*, "big data" as *Informatica Big
Data*, "ETL" as *Adeptia ETL Suite*; see benchmarks/technology_mentions.py):

- a name trimmed of its generic word whose other words are lower case ("Random forest"
  from "Random forest software"), or that is one plain English word ("Clustering");
- an alias that is an ESCO label, a run of words inside one ("big data", "data pipeline"),
  or an acronym ESCO's labels use ("ETL", "CRM"): ESCO's own skill covers it;
- a two-letter acronym without a digit ("FL", "IR": US states, initials);
- a one-word alias that is plain English once its symbols are gone (a word of ESCO's
  descriptions: "Manager", "Studio", "Word", "@Risk"), and an alias without a letter ("2000" of
  "EZ 2000").

One-word aliases match with their capital letters only ("Excel", not "excel at"); aliases
of everyday words ("Spark", "After Effects") and full names that are everyday words
("React", "Analyze", "Act!") also never at a sentence start, where a capital says nothing. Other
full names always match. Technologies that duplicate an ESCO skill (the same label, an
exact crosswalk link, or a short name that is the skill's label: "Apache Hadoop" → Hadoop)
are left to the ESCO skill, so "Python" is reported once, as ESCO's.
"""
from __future__ import annotations

import re
from collections import Counter

GENERIC_SUFFIX = re.compile(r"\s+(?:software|applications?|systems?|suite|platform|programming language|"
                            r"language|tools?|utility|utilities)$", re.I)
ACRONYM = re.compile(r"^[A-Z][A-Z0-9]{1,5}$")
VENDOR_MIN_NAMES = 3
TECHNOLOGY_TYPE = "technology"


def _common_words(taxonomy) -> frozenset[str]:
    """Words ESCO writes in lower case in its skill labels: everyday words, risky as aliases."""
    words: set[str] = set()
    for concept in taxonomy.concepts("skill"):
        for label in concept.labels:
            words.update(w for w in re.findall(r"[A-Za-z]+", label) if w.islower())
    return frozenset(words)


def _description_words(taxonomy) -> frozenset[str]:
    """Lower-case words of ESCO's skill descriptions: a plain-English vocabulary."""
    words: set[str] = set()
    for concept in taxonomy.concepts("skill"):
        words.update(w for w in re.findall(r"[A-Za-z]+", concept.description or "") if w.islower())
    return frozenset(words)


def lowercase_words(taxonomy) -> frozenset[str]:
    """Words ESCO's skill descriptions write in lower case more often than with a capital inside
    a sentence (at least twice): everyday words ("access", "source", "windows"), not names
    ("Linux", "French")."""
    lower: Counter = Counter()
    capital: Counter = Counter()
    for concept in taxonomy.concepts("skill"):
        for match in re.finditer(r"(?<![.!?:]\s)(?<!^)\b([A-Za-z]+)\b", concept.description or ""):
            word = match.group(1)
            if word.islower():
                lower[word] += 1
            elif word[0].isupper() and word[1:].islower():
                capital[word.lower()] += 1
    return frozenset(w for w, n in lower.items() if n >= 2 and n > capital[w])


def everyday_proper_name(label: str, everyday: frozenset[str]) -> bool:
    """A one-word name with one capital whose word is an everyday one (:func:`lowercase_words`):
    "Access", "Source", "Polish", "Windows" name the product or language only as written."""
    return (len(label.split()) == 1 and label[:1].isupper() and label[1:].islower()
            and label.lower() in everyday)


def vocabulary(taxonomy) -> frozenset[str]:
    """Every word of the knowledge base's skill and technology names and of ESCO's skill
    descriptions (lower-cased): words a capitalised token can be without being a person's name."""
    words = set(_description_words(taxonomy))
    names = [label for concept in taxonomy.concepts("skill") for label in concept.labels]
    names += [taxonomy.label(uri) for uri in taxonomy.uris(TECHNOLOGY_TYPE)]
    for name in names:
        words.update(word.lower() for word in re.findall(r"[A-Za-z]+", name))
    return frozenset(words)


def plain_english(word: str, english: frozenset[str]) -> bool:
    """The word, or it without a common ending ("clustering" → "cluster"), is plain English."""
    word = word.lower()
    return word in english or any(word.endswith(end) and word[:-len(end)] in english for end in ("ing", "s", "ed"))


def _esco_phrases(taxonomy, longest: int = 4) -> frozenset[str]:
    """Every run of up to ``longest`` words of every ESCO skill label, lower case."""
    phrases: set[str] = set()
    for concept in taxonomy.concepts("skill"):
        for label in concept.labels:
            words = re.findall(r"[a-z0-9+#]+", label.lower())
            for n in range(1, longest + 1):
                phrases.update(" ".join(words[i:i + n]) for i in range(len(words) - n + 1))
    return frozenset(phrases)


def folded(taxonomy) -> dict[str, str]:
    """Technology → the ESCO skill it duplicates: the same label, an exact crosswalk link, or a
    short product name that is the ESCO skill's preferred label ("Apache Hadoop" → Hadoop,
    "Structured query language SQL" → SQL)."""
    shorter = _short_names(taxonomy)
    found = {}
    for concept in taxonomy.concepts(TECHNOLOGY_TYPE):
        same = taxonomy.find(concept.label, "skill") or [
            skill for name in sorted(shorter.get(concept.uri, ())) for skill in taxonomy.find(name, "skill")
            if skill.label == name]
        if same:
            found[concept.uri] = same[0].uri
            continue
        for mapping in taxonomy.mappings(concept.uri):
            other = mapping.source if mapping.target == concept.uri else mapping.target
            if mapping.relation == "exactMatch" and taxonomy.kind(other) == "skill":
                found[concept.uri] = other
                break
    return found


def _short_names(taxonomy) -> dict[str, set[str]]:
    """For every technology, the shorter names people use for it: without a trailing generic
    word unless that leaves a category, without its vendor, and an acronym inside the name."""
    names = {uri: taxonomy.label(uri) for uri in taxonomy.uris(TECHNOLOGY_TYPE)}
    acronym_names = Counter(w for name in names.values() for w in set(name.split()) if ACRONYM.match(w))
    vendors = vendor_words(taxonomy)
    english = _description_words(taxonomy)
    found: dict[str, set[str]] = {}
    for uri, name in names.items():
        aliases: set[str] = set()
        trimmed = GENERIC_SUFFIX.sub("", name).strip()
        words = trimmed.split()
        if (trimmed and trimmed != name and len(trimmed) > 1 and not any(w.islower() for w in words[1:])
                and not (len(words) == 1 and plain_english(trimmed, english))):
            aliases.add(trimmed)
        if len(words) > 1 and words[0] in vendors:
            product = " ".join(words[1:])
            if any(ch.isupper() for ch in product) or any(ch.isdigit() for ch in product):
                aliases.add(product)
        for word in name.split()[1:]:
            if (ACRONYM.match(word) and acronym_names[word] < VENDOR_MIN_NAMES and word not in vendors
                    and (len(word) > 2 or any(ch.isdigit() for ch in word))):
                aliases.add(word)
        found[uri] = aliases
    return found


def technology_uris(taxonomy) -> list[str]:
    """Technologies that stand as skills of their own (those not folded into an ESCO skill)."""
    duplicates = folded(taxonomy)
    return [uri for uri in taxonomy.uris(TECHNOLOGY_TYPE) if uri not in duplicates]


def vendor_words(taxonomy) -> frozenset[str]:
    """Words that start at least ``VENDOR_MIN_NAMES`` technology names ("Microsoft", "Adobe")."""
    names = [taxonomy.label(uri) for uri in taxonomy.uris(TECHNOLOGY_TYPE)]
    first_words = Counter(name.split()[0] for name in names if len(name.split()) > 1)
    return frozenset(w for w, n in first_words.items() if n >= VENDOR_MIN_NAMES and w[:1].isupper())


def technology_labels(taxonomy) -> list[tuple]:
    """``(label, uri, is_preferred, case_sensitive[, not_first])`` for every name and alias of
    the technologies that stand as skills of their own (see
    :meth:`~skillmatch.extract.literal.LiteralMatcher.fit`)."""
    shorter = _short_names(taxonomy)
    common = _common_words(taxonomy)
    english = _description_words(taxonomy)
    phrases = _esco_phrases(taxonomy)
    esco_labels = {label for concept in taxonomy.concepts("skill") for label in concept.labels}
    esco_lower = {label.lower() for label in esco_labels}
    labels: list[tuple] = []
    for uri in technology_uris(taxonomy):
        name = taxonomy.label(uri)
        spelled = re.sub(r"[^A-Za-z0-9+#]", "", name).lower()
        everyday_name = len(name.split()) == 1 and (spelled in common or plain_english(spelled, english))
        labels.append((name, uri, True, everyday_name, everyday_name))
        for alias in sorted(shorter[uri]):
            words = re.findall(r"[a-z0-9+#]+", alias.lower())
            single = len(alias.split()) == 1
            if (alias in esco_labels if single else alias.lower() in esco_lower or " ".join(words) in phrases):
                continue  # a term ESCO names itself ("big data", "data pipeline"), not evidence of this product
            if single and alias.isupper() and alias.lower() in phrases:
                continue  # an acronym ESCO's labels use ("ETL", "CRM"): a generic term
            if not re.search(r"[A-Za-z]", alias):
                continue  # a number ("2000" of "EZ 2000", "360") names nothing on its own
            if single and not alias.isupper() and plain_english(re.sub(r"[^A-Za-z0-9]", "", alias), english):
                continue  # "Manager", "Studio", "Word", "@Risk": plain English before it is a product
            everyday = all(w in common or w in english for w in re.findall(r"[a-z]+", alias.lower()))
            # one word, or everyday words ("Spark", "After Effects"): as written, never at a sentence start
            labels.append((alias, uri, False, single or everyday, everyday))
    return labels
