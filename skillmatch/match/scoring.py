"""Re-scoring one candidate against one JD: a transparent sum of per-requirement credits.

score = skill_share × Σ_r (w_r / Σw) × credit_r  +  text_share × max(0, cos(JD, resume))

credit_r is the best, over the candidate's skills, of relation credit × the candidate's
extraction confidence for that skill. Relation credits (documented defaults, overridable):

    exact      1.0   the same ESCO concept
    narrower   0.9   the candidate has a more specific skill (requirement is its ancestor)
    crosswalk  0.8   both map to the same O*NET concept
    broader    0.6   the candidate has a more general skill
    related    0.5   ESCO lists the two as essential/optional for each other
    sibling    0.4   both sit directly under one parent with at most 60 children
    semantic   0.5 × cosine of the two skills' vectors, when the cosine is at least 0.6
"""
from __future__ import annotations

import numpy as np

from skillmatch.config import RELATIONS as RELATION_ORDER
from skillmatch.config import MatchConfig
from skillmatch.match.requirements import Requirement
from skillmatch.types import Contribution, Explanation, ExtractedSkill, Skill



def _skill(taxonomy, uri: str) -> Skill:
    concept = taxonomy.concept(uri) if uri in taxonomy else None
    return Skill(uri, concept.label if concept else uri, concept.skill_type if concept else "")


class Aligner:
    """Finds how a candidate skill supports a requirement through the ontology, with the path.

    Each requirement's ontology neighbourhood (every skill that would earn credit, with its
    relation and path) is computed once and reused for every candidate.
    """

    def __init__(self, taxonomy, index, config: MatchConfig) -> None:
        self.taxonomy = taxonomy
        self.index = index
        self.config = config
        self._neighbourhoods: dict[str, dict[str, tuple[str, tuple[str, ...], float]]] = {}
        self._similarities: dict[str, np.ndarray | None] = {}

    def _skills(self, uris) -> list[str]:
        return [u for u in uris if self.taxonomy.kind(u) == "skill"]

    def neighbourhood(self, required: str) -> dict[str, tuple[str, tuple[str, ...], float]]:
        if required in self._neighbourhoods:
            return self._neighbourhoods[required]
        taxonomy, credits = self.taxonomy, self.config.credits
        found: dict[str, tuple[str, tuple[str, ...], float]] = {}

        def offer(uri: str, relation: str, path: tuple[str, ...]) -> None:
            if uri not in found:  # offers come in order of decreasing credit
                found[uri] = (relation, path, credits[relation])

        offer(required, "exact", (required,))
        for held in self._skills(taxonomy.descendants(required)):
            offer(held, "narrower", (required, held))
        for mapping in taxonomy.mappings(required):
            for other in taxonomy.mappings(mapping.target):
                if other.source != required:
                    offer(other.source, "crosswalk", (required, mapping.target, other.source))
        for held in self._skills(taxonomy.ancestors(required)):
            offer(held, "broader", (required, held))
        for held, _ in taxonomy.related_skills(required):
            offer(held, "related", (required, held))
        for parent in taxonomy.parents(required):
            children = taxonomy.children(parent)
            if len(children) <= self.config.sibling_max_children:
                for held in self._skills(children):
                    offer(held, "sibling", (required, parent, held))
        self._neighbourhoods[required] = found
        return found

    def relation(self, required: str, held: str) -> tuple[str, tuple[str, ...], float]:
        """(relation, URI path from requirement to held skill, relation credit) or ('', (), 0)."""
        best = self.best_support(required, (ExtractedSkill(held, held, 1.0, ""),), self.positions([held]),
                                 np.ones(1))
        return (best[1], best[2], best[0]) if best else ("", (), 0.0)

    def positions(self, uris) -> np.ndarray:
        """Rows of the skill index for ``uris`` (-1 where a skill has no vector)."""
        if self.index is None:
            return np.full(len(uris), -1, dtype=np.int64)
        return np.array([-1 if (p := self.index.position(u)) is None else p for u in uris], dtype=np.int64)

    def best_support(self, required: str, held: tuple[ExtractedSkill, ...], positions: np.ndarray,
                     confidences: np.ndarray):
        """(effective credit, relation, path, held skill) of the candidate's best support, or None.

        Ontology relations first (one dict look-up per held skill), then the semantic
        fallback for all held skills as one vector operation.
        """
        neighbourhood = self.neighbourhood(required)
        best = None
        for i, skill in enumerate(held):
            found = neighbourhood.get(skill.uri)
            if found is not None:
                effective = found[2] * confidences[i]
                if best is None or effective > best[0] or (
                        effective == best[0] and RELATION_ORDER.index(found[0]) < RELATION_ORDER.index(best[1])):
                    best = (effective, found[0], found[1], skill)
        similarities = self._similarity_row(required)
        if similarities is not None and len(positions):
            known = positions >= 0
            cosines = np.where(known, similarities[np.where(known, positions, 0)], -1.0)
            credits = np.where(cosines >= self.config.semantic_min_cosine,
                               self.config.credits["semantic"] * cosines * confidences, -1.0)
            i = int(np.argmax(credits))
            if credits[i] > 0 and held[i].uri not in neighbourhood and (best is None or credits[i] > best[0]):
                best = (float(credits[i]), "semantic", (required, held[i].uri), held[i])
        return best

    def _similarity_row(self, required: str) -> np.ndarray | None:
        """Cosines of one requirement to every skill, computed once (one matrix-vector product)."""
        if required not in self._similarities:
            position = self.index.position(required) if self.index is not None else None
            self._similarities[required] = (None if position is None
                                            else self.index.vectors @ self.index.vectors[position])
        return self._similarities[required]


def score_candidate(requirements: list[Requirement], candidate_skills: tuple[ExtractedSkill, ...],
                    text_cosine: float, aligner: Aligner, config: MatchConfig,
                    provenance: dict) -> tuple[float, Explanation]:
    taxonomy = aligner.taxonomy
    total_weight = sum(r.weight for r in requirements)
    contributions: list[Contribution] = []
    missing: list[Skill] = []
    used: set[str] = set()
    positions = aligner.positions([s.uri for s in candidate_skills])
    confidences = np.array([s.score if config.confidence_weighting else 1.0 for s in candidate_skills])
    for requirement in sorted(requirements, key=lambda r: (-r.weight, r.skill.label)):
        best = aligner.best_support(requirement.skill.uri, candidate_skills, positions, confidences)
        share = requirement.weight / total_weight if total_weight else 0.0
        required_skill = Skill(requirement.skill.uri, requirement.skill.label, requirement.skill.skill_type)
        if best is None:
            missing.append(required_skill)
            contributions.append(Contribution("requirement", 0.0, required_skill, requirement.importance,
                                              share, relation="missing", jd_evidence=requirement.evidence,
                                              note=requirement.reason))
            continue
        effective, relation, path, held = best
        used.add(held.uri)
        contributions.append(Contribution(
            "requirement", config.skill_share * share * effective, required_skill, requirement.importance,
            share, matched=Skill(held.uri, held.label, held.skill_type), relation=relation,
            path=tuple(_skill(taxonomy, uri) for uri in path), credit=effective,
            jd_evidence=requirement.evidence, resume_evidence=held.evidence[0] if held.evidence else None,
            note=f"{requirement.reason}; candidate confidence {held.score:.2f}"))
    if total_weight == 0:
        # nothing to match on: the whole score comes from text similarity, said plainly
        text_share, note = 1.0, "the JD has no recognised skill requirements"
    else:
        text_share, note = config.text_share, "cosine of the JD and resume embeddings"
    contributions.append(Contribution("text_similarity", text_share * max(0.0, float(text_cosine)),
                                      credit=float(text_cosine), weight=text_share, note=note))
    score = float(sum(c.value for c in contributions))
    extra = tuple(Skill(s.uri, s.label, s.skill_type) for s in candidate_skills if s.uri not in used)
    return score, Explanation(tuple(contributions), tuple(missing), extra, provenance)
