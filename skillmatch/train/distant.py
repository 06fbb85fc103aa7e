"""Distant supervision: literal ESCO label matches in sentences become (sentence, skill) pairs.

No sentence is labelled by hand. A sentence that contains "manage budgets" is taken as
evidence of the skill whose label that is; the model then has to learn what else, besides
the literal label, signals the skill. Three options shape what it learns (Decorte et al.
2022 and the extreme multi-label follow-ups): masking the matched span in a share of the
pairs so the model must read the context, capping very frequent skills so "communication"
does not dominate, and adding ESCO's own (alternative label → skill) and (description →
skill) pairs so the whole label space is seen, not only the labels job ads happen to use.
"""
from __future__ import annotations

import hashlib
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Sequence

from skillmatch.errors import SkillmatchError
from skillmatch.train.corpus import CorpusSentence


SENTENCE_ORIGINS = ("sentence", "masked", "swap")


def _source_name(source: str) -> str:
    """The corpus file a sentence came from, without line numbers or folders."""
    import re
    from pathlib import PurePath

    return PurePath(re.sub(r"(?:[:#]\d+)+$", "", source)).name or "ESCO"


def _bucket(text: str) -> float:
    """A stable pseudo-random number in [0, 1) for a text (for splits that survive re-runs)."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big") / 2**64


class TrainingDataError(SkillmatchError):
    """The corpus gives no usable training signal."""


@dataclass(frozen=True)
class TrainingPair:
    """One positive: ``text`` mentions ``skill``; ``positives`` are every skill the text names."""

    text: str
    skill: str
    origin: str  # "sentence", "masked", "swap", "alt-label" or "description"
    source: str = ""
    span: tuple[int, int] | None = None
    positives: tuple[str, ...] = ()


@dataclass
class TrainingSet:
    """Training pairs, the sentences held out for evaluation (``holdout``: text → every skill it
    literally names, never trained on) and statistics."""

    pairs: list[TrainingPair]
    stats: dict = field(default_factory=dict)
    holdout: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def fingerprint(self) -> str:
        """Identifies the data a checkpoint was trained on, so a resume never mixes data sets."""
        digest = hashlib.blake2b(digest_size=8)
        for pair in self.pairs:
            digest.update(f"{pair.text}\t{pair.skill}\n".encode())
        return digest.hexdigest()


class DistantSupervision:
    """Builds a :class:`TrainingSet` from corpus sentences and a taxonomy (``build``).

    Parameters
    ----------
    mask_share : float
        Share of sentence pairs whose matched label is replaced by ``mask_token``.
    max_pairs_per_skill : int
        Cap on sentence pairs per skill.
    alt_labels_per_skill : int
        ESCO (alternative label → skill) pairs per skill.
    description_pairs : bool
        Add ESCO (description → skill) pairs.
    label_pair_ratio : float
        ESCO label/description pairs at most this many times the sentence pairs.
    swaps_per_skill : int
        Augmentation for skills no corpus sentence names often enough: real sentences whose
        matched label span is replaced by a label of the skill (a template of the same skill
        type, so verb phrases replace verb phrases), up to this many per skill.
    holdout_share : float
        Share of the matched corpus sentences kept out of training to evaluate on (the
        distant held-out split used to choose the checkpoint).
    mask_token : str
    seed : int
    """

    def __init__(self, mask_share: float = 0.2, max_pairs_per_skill: int = 30, alt_labels_per_skill: int = 1,
                 description_pairs: bool = False, label_pair_ratio: float = 1.0, swaps_per_skill: int = 0,
                 holdout_share: float = 0.0, mask_token: str = "[MASK]", seed: int = 0) -> None:
        self.mask_share = mask_share
        self.max_pairs_per_skill = max_pairs_per_skill
        self.alt_labels_per_skill = alt_labels_per_skill
        self.description_pairs = description_pairs
        self.label_pair_ratio = label_pair_ratio
        self.swaps_per_skill = swaps_per_skill
        self.holdout_share = holdout_share
        self.mask_token = mask_token
        self.seed = seed

    def build(self, sentences: Sequence[CorpusSentence], taxonomy, matcher=None) -> TrainingSet:
        from skillmatch.extract.literal import LiteralMatcher

        if not 0.0 <= self.mask_share <= 1.0:
            raise TrainingDataError(f"mask_share must be between 0 and 1, not {self.mask_share}")
        if not 0.0 <= self.holdout_share < 1.0:
            raise TrainingDataError(f"holdout_share must be in [0, 1), not {self.holdout_share}")
        matcher = matcher or LiteralMatcher.from_taxonomy(taxonomy)
        rng = random.Random(self.seed)
        skills = set(taxonomy.uris("skill"))
        if len(skills) < 2:
            raise TrainingDataError(f"the knowledge base has {len(skills)} skill(s); contrastive training needs "
                                    "at least 2 to tell apart")
        by_skill: dict[str, list[TrainingPair]] = defaultdict(list)
        label_counts: Counter[str] = Counter()
        matched_sentences = ambiguous = 0
        holdout: dict[str, tuple[str, ...]] = {}
        for sentence in sentences:
            found = []
            for hit in matcher.find(sentence.text):
                if not any(u in skills for u in hit.uris):
                    continue  # an O*NET technology name: not in the ESCO label space trained on
                owners = [u for u in (hit.preferred if len(hit.uris) > 1 else hit.uris) if u in skills]
                if len(owners) != 1:
                    ambiguous += 1  # a label shared by several skills says nothing certain
                    continue
                found.append((hit, owners[0]))
            if not found:
                continue
            matched_sentences += 1
            positives = tuple(sorted({uri for _, uri in found}))
            if self.holdout_share and _bucket(sentence.text) < self.holdout_share:
                holdout[sentence.text] = positives  # by sentence text, so the split is stable across runs
                continue
            for hit, uri in found:
                label_counts[hit.label] += 1
                by_skill[uri].append(TrainingPair(sentence.text, uri, "sentence", sentence.source,
                                                  (hit.start, hit.end), positives))
        if not by_skill:
            raise TrainingDataError(f"no literal ESCO skill label in {len(sentences)} corpus sentences: check that "
                                    "the corpus is English job text and the knowledge base the intended one")
        pairs: list[TrainingPair] = []
        capped = 0
        for uri in sorted(by_skill):
            found = by_skill[uri]
            if len(found) > self.max_pairs_per_skill:
                capped += len(found) - self.max_pairs_per_skill
                found = rng.sample(found, self.max_pairs_per_skill)
            pairs.extend(self._mask(pair) if rng.random() < self.mask_share else pair for pair in found)
        sentence_skills = len(by_skill)
        swaps = self._swaps(taxonomy, sorted(skills), by_skill, rng) if self.swaps_per_skill else []
        esco_pairs = self._taxonomy_pairs(taxonomy, sorted(skills), rng)
        limit = int(self.label_pair_ratio * len(pairs))
        pairs.extend(rng.sample(esco_pairs, limit) if len(esco_pairs) > limit else esco_pairs)
        pairs.extend(swaps)
        if len({pair.skill for pair in pairs}) < 2:
            raise TrainingDataError("the training pairs name a single skill; contrastive training needs at least 2")
        origins = Counter(pair.origin for pair in pairs)
        by_source = Counter(_source_name(pair.source) for pair in pairs if pair.origin in SENTENCE_ORIGINS)
        stats = {"sentences": len(sentences), "sentences_with_match": matched_sentences,
                 "coverage": round(matched_sentences / max(len(sentences), 1), 4),
                 "ambiguous_hits_skipped": ambiguous, "capped_pairs": capped,
                 "skills_in_sentences": sentence_skills, "skills_total": len({p.skill for p in pairs}),
                 "skills_with_a_sentence_positive": len({p.skill for p in pairs if p.origin in SENTENCE_ORIGINS}),
                 "holdout_sentences": len(holdout),
                 "pairs": len(pairs), "pairs_by_origin": dict(sorted(origins.items())),
                 "sentence_pairs_by_source": dict(by_source.most_common()),
                 "top_labels": label_counts.most_common(20)}
        return TrainingSet(pairs, stats, holdout)

    def _swaps(self, taxonomy, skills: list[str], by_skill: dict[str, list[TrainingPair]],
               rng: random.Random) -> list[TrainingPair]:
        """Sentences for skills the corpus rarely names: a real sentence's matched label span
        replaced by one of the skill's labels, from a template of the same skill type."""
        templates: dict[str, list[TrainingPair]] = defaultdict(list)
        for uri, found in by_skill.items():
            kind = taxonomy.skill_type(uri)
            templates[kind].extend(p for p in found if p.span is not None)
        fallback = [p for group in templates.values() for p in group]
        if not fallback:
            return []
        swaps = []
        for uri in skills:
            wanted = self.swaps_per_skill - len(by_skill.get(uri, ()))
            if wanted <= 0:
                continue
            pool = templates.get(taxonomy.skill_type(uri)) or fallback
            labels = taxonomy.labels(uri)
            for _ in range(wanted):
                template = rng.choice(pool)
                label = labels[0] if rng.random() < 0.6 or len(labels) == 1 else rng.choice(labels[1:])
                start, end = template.span
                text = template.text[:start] + label + template.text[end:]
                others = tuple(p for p in template.positives if p != template.skill)
                swaps.append(TrainingPair(text, uri, "swap", template.source, (start, start + len(label)),
                                          tuple(sorted({uri, *others}))))
        return swaps

    def _mask(self, pair: TrainingPair) -> TrainingPair:
        start, end = pair.span
        text = pair.text[:start] + self.mask_token + pair.text[end:]
        return TrainingPair(text, pair.skill, "masked", pair.source, (start, start + len(self.mask_token)),
                            pair.positives)

    def _taxonomy_pairs(self, taxonomy, skills: list[str], rng: random.Random) -> list[TrainingPair]:
        pairs = []
        for uri in skills:
            concept = taxonomy.concept(uri)
            alternatives = list(concept.alt_labels)
            for label in rng.sample(alternatives, min(self.alt_labels_per_skill, len(alternatives))):
                pairs.append(TrainingPair(label, uri, "alt-label", "ESCO", positives=(uri,)))
            if self.description_pairs and concept.description:
                pairs.append(TrainingPair(concept.description, uri, "description", "ESCO", positives=(uri,)))
        return pairs
