"""O*NET technologies as skills: the names job ads and resumes actually use for them.

O*NET names a technology the way a catalogue does ("Amazon Web Services AWS software",
"Microsoft Excel", "Red Hat OpenShift"); people write "AWS", "Excel", "OpenShift". From each
name this module derives the aliases a literal matcher should know:

- the name without a trailing generic word ("software", "application", "system"…);
- the name without its vendor, where the vendor is a first word that starts at least
  ``VENDOR_MIN_NAMES`` technology names ("Microsoft", "Apache", "Adobe"…): "Excel", "Spark";
- an acronym inside a longer name ("AWS" in "Amazon Web Services AWS software"), unless it
  is itself vendor-like (it appears in several names, like "HP").

A one-word alias that is an everyday word (one ESCO writes in lower case in its labels:
"access", "word", "project") is dropped; other one-word aliases match with their capital
letter only ("Excel", not "excel at"); the full name always matches. Technologies that duplicate an ESCO skill (the same label, or an exact
crosswalk link) are left to the ESCO skill, so "Python" is reported once, as ESCO's.
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


def folded(taxonomy) -> dict[str, str]:
    """Technology → the ESCO skill it duplicates (same label, or an exact crosswalk link)."""
    found = {}
    for concept in taxonomy.concepts(TECHNOLOGY_TYPE):
        same = taxonomy.find(concept.label, "skill")
        if same:
            found[concept.uri] = same[0].uri
            continue
        for mapping in taxonomy.mappings(concept.uri):
            other = mapping.source if mapping.target == concept.uri else mapping.target
            if mapping.relation == "exactMatch" and taxonomy.kind(other) == "skill":
                found[concept.uri] = other
                break
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


def technology_labels(taxonomy) -> list[tuple[str, str, bool, bool]]:
    """``(label, uri, is_preferred, case_sensitive)`` for every name and alias of the
    technologies that stand as skills of their own."""
    uris = technology_uris(taxonomy)
    names = {uri: taxonomy.label(uri) for uri in uris}
    acronym_names = Counter(w for name in names.values() for w in set(name.split()) if ACRONYM.match(w))
    vendors = vendor_words(taxonomy)
    common = _common_words(taxonomy)
    labels: list[tuple[str, str, bool, bool]] = []
    for uri, name in names.items():
        labels.append((name, uri, True, False))
        aliases: set[str] = set()
        trimmed = GENERIC_SUFFIX.sub("", name).strip()
        if trimmed and trimmed != name and len(trimmed) > 1:
            aliases.add(trimmed)
        words = trimmed.split()
        if len(words) > 1 and words[0] in vendors:
            product = " ".join(words[1:])
            if any(ch.isupper() for ch in product) or any(ch.isdigit() for ch in product):
                aliases.add(product)
        for word in name.split()[1:]:
            if ACRONYM.match(word) and acronym_names[word] < VENDOR_MIN_NAMES and word not in vendors:
                aliases.add(word)
        for alias in sorted(aliases):
            single = len(alias.split()) == 1
            if single and alias.lower() in common:
                continue  # "Access", "Word": an everyday word, not evidence of the product
            labels.append((alias, uri, False, single))
    return labels
