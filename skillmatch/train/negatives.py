"""Negative sampling strategies: which wrong skills the model is shown beside the right one.

All samplers share one interface (``fit`` once on the taxonomy, then ``sample(pair, k, rng)``)
and one rule: a negative is never the positive, a synonym of it (a skill sharing one of its
labels), one of its broader skills, or another skill the same text literally names. Without
that rule the hardest "negatives" are simply correct answers and training teaches the model
to reject them.

* ``random``   — uniform over the label space: easy, mostly unrelated skills.
* ``in-batch`` — the other pairs' positives in the batch (no explicit draws; the loss sees them).
* ``taxonomy`` — siblings in the ESCO hierarchy, then ESCO-related skills, then cousins.
* ``embedding``— the positive's nearest skills under the base encoder (FAISS), i.e. the
  confusions the zero-shot model actually makes.
* a mixture of these with configurable shares (``make_sampler``).
"""
from __future__ import annotations

import random
from typing import Sequence

import numpy as np

from skillmatch.errors import ConfigurationError
from skillmatch.train.distant import TrainingPair


class SkillNeighbourhood:
    """What may never be a negative for a pair: the positive, its synonyms and ancestors, co-positives."""

    def __init__(self, taxonomy) -> None:
        self.taxonomy = taxonomy
        self._cache: dict[str, frozenset[str]] = {}

    def protected(self, skill: str) -> frozenset[str]:
        if skill not in self._cache:
            taxonomy = self.taxonomy
            found = {skill, *taxonomy.ancestors(skill)}
            for label in taxonomy.labels(skill):
                found.update(c.uri for c in taxonomy.find(label, "skill"))
            self._cache[skill] = frozenset(found)
        return self._cache[skill]

    def excluded(self, pair: TrainingPair) -> frozenset[str]:
        found = set(self.protected(pair.skill))
        for other in pair.positives:
            found.update(self.protected(other))
        return frozenset(found)


class NegativeSampler:
    """Base class: ``fit(taxonomy, skill_index=None)`` then ``sample(pair, k, rng)``."""

    name = "base"
    in_batch = False  # whether the loss should also use the other pairs of the batch

    def fit(self, taxonomy, skill_index=None) -> "NegativeSampler":
        self.skills_ = taxonomy.uris("skill")
        self.neighbourhood_ = SkillNeighbourhood(taxonomy)
        self.fallbacks_ = 0
        return self

    def sample(self, pair: TrainingPair, k: int, rng: random.Random) -> list[str]:
        raise NotImplementedError

    def fallback_count(self) -> int:
        """Negatives that had to be drawn at random because the strategy's pool ran dry."""
        return self.fallbacks_

    def _random(self, pair: TrainingPair, k: int, rng: random.Random, taken: Sequence[str] = ()) -> list[str]:
        excluded = self.neighbourhood_.excluded(pair) | set(taken)
        if len(self.skills_) - len(excluded) < k:
            raise ConfigurationError(f"the label space has {len(self.skills_)} skills; too few to draw {k} "
                                     f"negatives for {pair.skill}")
        found: list[str] = []
        while len(found) < k:
            uri = self.skills_[rng.randrange(len(self.skills_))]
            if uri not in excluded and uri not in found:
                found.append(uri)
        return found

    def _pick(self, pair: TrainingPair, pools: Sequence[Sequence[str]], k: int, rng: random.Random) -> list[str]:
        """Up to ``k`` from the pools in order (closest first); random skills fill any gap."""
        excluded = self.neighbourhood_.excluded(pair)
        found: list[str] = []
        for pool in pools:
            allowed = [uri for uri in pool if uri not in excluded and uri not in found]
            found.extend(rng.sample(allowed, min(k - len(found), len(allowed))))
            if len(found) == k:
                return found
        self.fallbacks_ += k - len(found)
        return found + self._random(pair, k - len(found), rng, found)


class RandomNegatives(NegativeSampler):
    name = "random"

    def sample(self, pair: TrainingPair, k: int, rng: random.Random) -> list[str]:
        return self._random(pair, k, rng)


class InBatchNegatives(NegativeSampler):
    """No explicit negatives: the other positives of the batch serve (the MNRL setting)."""

    name = "in-batch"
    in_batch = True

    def sample(self, pair: TrainingPair, k: int, rng: random.Random) -> list[str]:
        return []


class TaxonomyNegatives(NegativeSampler):
    name = "taxonomy"

    def fit(self, taxonomy, skill_index=None) -> "TaxonomyNegatives":
        super().fit(taxonomy, skill_index)
        self.taxonomy_ = taxonomy
        self._pools: dict[str, tuple[list[str], list[str], list[str]]] = {}
        return self

    def pools(self, skill: str) -> tuple[list[str], list[str], list[str]]:
        """(siblings, related skills, cousins) of a skill, all of kind skill."""
        if skill not in self._pools:
            taxonomy = self.taxonomy_
            is_skill = lambda uri: taxonomy.kind(uri) == "skill"  # noqa: E731
            siblings = [u for u in taxonomy.siblings(skill) if is_skill(u)]
            related = sorted({u for u, _ in taxonomy.related_skills(skill)})
            cousins = sorted({cousin for parent in taxonomy.parents(skill) for uncle in taxonomy.siblings(parent)
                              for cousin in taxonomy.children(uncle) if is_skill(cousin)})
            self._pools[skill] = (siblings, related, cousins)
        return self._pools[skill]

    def sample(self, pair: TrainingPair, k: int, rng: random.Random) -> list[str]:
        return self._pick(pair, self.pools(pair.skill), k, rng)


class EmbeddingNegatives(NegativeSampler):
    """The ``pool`` skills nearest to the positive under the base encoder, as hard negatives."""

    name = "embedding"

    def __init__(self, pool: int = 20) -> None:
        self.pool = pool

    def fit(self, taxonomy, skill_index=None) -> "EmbeddingNegatives":
        if skill_index is None:
            raise ConfigurationError("embedding negatives need a skill index of the base encoder")
        super().fit(taxonomy, skill_index)
        return self.refresh(skill_index)

    def refresh(self, skill_index) -> "EmbeddingNegatives":
        """Recompute the nearest skills from another skill space (ANCE: the model being trained).

        Only skills of the label space are kept (a space may also hold O*NET technologies).
        """
        skills = set(self.skills_)
        rows = [i for i, uri in enumerate(skill_index.uris) if uri in skills]
        first = np.unique(skill_index.owners, return_index=True)[1]
        vectors = skill_index.vectors[first[rows]]
        # a margin over the pool, because synonyms, ancestors and non-skills are filtered out afterwards
        neighbours, _ = skill_index.search(vectors, self.pool + 30)
        self.neighbours_ = {skill_index.uris[i]: [skill_index.uris[j] for j in row if j >= 0
                                                  and skill_index.uris[j] in skills]
                            for i, row in zip(rows, neighbours)}
        return self

    def sample(self, pair: TrainingPair, k: int, rng: random.Random) -> list[str]:
        nearest = self.neighbours_.get(pair.skill, [])
        excluded = self.neighbourhood_.excluded(pair)
        return self._pick(pair, [[u for u in nearest if u not in excluded][:self.pool]], k, rng)


class MixtureNegatives(NegativeSampler):
    """Each explicit negative comes from one component, drawn with the given shares.

    ``in-batch`` has no explicit draws: in a mixture it switches the batch's other positives
    on as extra negatives, and its share is ignored.
    """

    name = "mixture"

    def __init__(self, components: Sequence[NegativeSampler], shares: Sequence[float] | None = None) -> None:
        self.components = components
        self.shares = shares

    def fit(self, taxonomy, skill_index=None) -> "MixtureNegatives":
        super().fit(taxonomy, skill_index)
        for component in self.components:
            component.fit(taxonomy, skill_index)
        shares = list(self.shares) if self.shares is not None else [1.0] * len(self.components)
        if len(shares) != len(self.components) or any(s < 0 for s in shares):
            raise ConfigurationError(f"{len(self.components)} samplers need as many non-negative shares, got {shares}")
        self.explicit_ = [(c, s) for c, s in zip(self.components, shares) if not c.in_batch and s > 0]
        self.in_batch = any(c.in_batch for c in self.components)
        return self

    def sample(self, pair: TrainingPair, k: int, rng: random.Random) -> list[str]:
        if not self.explicit_:
            return []
        counts = [0] * len(self.explicit_)
        for _ in range(k):
            counts[rng.choices(range(len(self.explicit_)), weights=[s for _, s in self.explicit_])[0]] += 1
        found: list[str] = []
        for (component, _), count in zip(self.explicit_, counts):
            if count:
                found.extend(u for u in component.sample(pair, count, rng) if u not in found)
        found = found[:k]
        if len(found) < k:
            found += self._random(pair, k - len(found), rng, found)
        return found

    def fallback_count(self) -> int:
        return self.fallbacks_ + sum(c.fallback_count() for c in self.components)


SAMPLERS: dict[str, type[NegativeSampler]] = {cls.name: cls for cls in
                                               (RandomNegatives, InBatchNegatives, TaxonomyNegatives,
                                                EmbeddingNegatives)}


def make_sampler(names: Sequence[str], shares: Sequence[float] | None = None) -> NegativeSampler:
    """One sampler by name, or a mixture of several (``["taxonomy", "embedding"]``, shares 1:1)."""
    unknown = [n for n in names if n not in SAMPLERS]
    if unknown or not names:
        raise ConfigurationError(f"unknown negative sampler(s) {', '.join(unknown) or '(none given)'}; "
                                 f"choose from {', '.join(SAMPLERS)}")
    if len(names) == 1 and shares is None:
        return SAMPLERS[names[0]]()
    return MixtureNegatives([SAMPLERS[n]() for n in names], shares)


def embedding_components(sampler: NegativeSampler) -> list[EmbeddingNegatives]:
    """The embedding-nearest samplers inside ``sampler`` (itself or a mixture's components)."""
    return [c for c in getattr(sampler, "components", [sampler]) if isinstance(c, EmbeddingNegatives)]
