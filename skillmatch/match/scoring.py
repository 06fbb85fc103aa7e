"""Scoring one candidate against one job: five signals, each explained, adding up to the score.

score = Σ_k w_k · n_k(raw_k),  Σ w_k = 1,  n_k(x) = clip((x − lo_k) / (hi_k − lo_k), 0, 1)

- ``skills``: raw = Σ_r share_r × credit_r over the job's requirements (share_r = the
  requirement's weight over all weights; credit_r = the best ontology relation between the
  requirement and a skill the candidate has, times the candidate's extraction confidence):

      exact      1.0   the same ESCO concept
      narrower   0.9   the candidate has a more specific skill (requirement is its ancestor)
      crosswalk  0.8   both map to the same O*NET concept
      broader    0.6   the candidate has a more general skill
      related    0.5   ESCO lists the two as essential/optional for each other
      sibling    0.4   both sit directly under one parent with at most 60 children
      semantic   0.5 × cosine of the two skills' vectors, when the cosine is at least 0.6

- ``skill_profile``: cosine of the two documents' soft skill profiles (every candidate
  skill's probability summed over the document, weighted by the skill's inverse document
  frequency in a background collection fitted with the model), the shared skills listed;
- ``occupation``: the job title's occupation against the candidate's titles' occupations:
  the same occupation 1.0, linked by the ESCO–O*NET crosswalk 0.9, the same ISCO unit group
  or O*NET detailed occupation, or O*NET-related 0.7, the same ISCO minor / SOC minor group 0.4;
- ``keywords``: cosine of the two documents' TF-IDF word and word-pair weights (IDF from the
  background resumes and postings the model's ``terms.json`` was fitted on; the knowledge
  base's labels when a model has none), the shared words listed;
- ``text_similarity``: cosine of the two documents' embeddings.

Weights and ranges are fitted on labelled pairs (``skillmatch.match.fitting``) and stored in
the model's recipe; :class:`~skillmatch.config.MatchConfig` can override them. Each signal's
parts (a requirement, a shared word) are scaled together, so the contributions still add up
to the score exactly.
"""
from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from skillmatch.config import RELATIONS as RELATION_ORDER
from skillmatch.config import SIGNALS, MatchConfig
from skillmatch.types import Contribution, Evidence, Explanation, ExtractedSkill, Match, Skill

# candidates beyond top_k scored in full, so a float-rounding tie at the cut cannot drop one
RANK_MARGIN = 5
# used when a model carries no fitted matching weights
DEFAULT_WEIGHTS = {"skills": 0.3, "skill_profile": 0.3, "occupation": 0.1, "keywords": 0.15, "text_similarity": 0.15}
DEFAULT_RANGES = {"skills": (0.0, 1.0), "skill_profile": (0.0, 0.6), "occupation": (0.0, 1.0), "keywords": (0.0, 0.5),
                  "text_similarity": (0.2, 0.9)}
TOP_TERMS = 8
TOP_SHARED_SKILLS = 10
# a requirement missing from the candidate's skills whose best resume line still scores at least
# this calibrated P for it (more likely named than not: the verdict gate may have dropped the
# skill) is shown with that line, for a person to check; it earns no credit
UNCONFIRMED_MIN_P = 0.5


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
                                            else self.index.skill_vectors @ self.index.skill_vector(position))
        return self._similarities[required]



class OccupationAligner:
    """How the occupation a job's title names relates to one a candidate's title names."""

    def __init__(self, taxonomy, config: MatchConfig) -> None:
        self.taxonomy = taxonomy
        self.config = config
        self._anchors: dict[str, dict[str, set[str]]] = {}

    def anchors(self, uri: str) -> dict[str, set[str]]:
        """For each relation, the codes an occupation shares with any occupation so related."""
        if uri in self._anchors:
            return self._anchors[uri]
        taxonomy = self.taxonomy
        onet = {uri} if taxonomy.kind(uri) == "onet_occupation" else set()
        esco = {uri} if taxonomy.kind(uri) == "occupation" else set()
        for mapping in taxonomy.mappings(uri):
            other = mapping.target if mapping.source == uri else mapping.source
            (onet if taxonomy.kind(other) == "onet_occupation" else esco).add(other)
        codes = {taxonomy.concept(o).code for o in onet if taxonomy.concept(o).code}
        isco = [a for e in esco for a in taxonomy.ancestors(e) if taxonomy.kind(a) == "isco_group"]
        units = {a for a in isco if len(taxonomy.concept(a).code) == 4}
        minors = {a for a in isco if len(taxonomy.concept(a).code) == 3}
        related = {r for o in onet for r in taxonomy.related_occupations(o)}
        found = {"exact": {uri}, "crosswalk": onet | esco,
                 "unit_group": {f"soc:{c[:7]}" for c in codes} | {f"isco:{u}" for u in units},
                 "related": related, "minor_group": {f"soc:{c[:4]}" for c in codes} | {f"isco:{m}" for m in minors}}
        self._anchors[uri] = found
        return found

    def relation(self, required: str, held: str) -> tuple[str, float]:
        """(relation, credit), or ("", 0.0) when the two are not related."""
        if required == held:
            return "exact", self.config.occupation_credits["exact"]
        mine, theirs = self.anchors(required), self.anchors(held)
        if held in mine["crosswalk"] or required in theirs["crosswalk"] or mine["crosswalk"] & theirs["crosswalk"]:
            return "crosswalk", self.config.occupation_credits["crosswalk"]
        if mine["unit_group"] & theirs["unit_group"]:
            return "unit_group", self.config.occupation_credits["unit_group"]
        if (mine["related"] & (theirs["crosswalk"] | {held})) or (theirs["related"] & (mine["crosswalk"] | {required})):
            return "related", self.config.occupation_credits["related"]
        if mine["minor_group"] & theirs["minor_group"]:
            return "minor_group", self.config.occupation_credits["minor_group"]
        return "", 0.0


class Scorer:
    """Scores profiles against a prepared job; the one scoring path of every entry point.

    Parameters
    ----------
    taxonomy : Taxonomy
    space : SkillSpace
        Skill vectors, for semantic skill credit.
    config : MatchConfig
    fitted : dict, optional
        The model's fitted ``{"weights": ..., "ranges": ...}``; ``config`` overrides either.
    skill_df : dict, optional
        ``{"documents": N, "df": {uri: n}}``: in how many background documents each skill's
        profile mass appears (for the ``skill_profile`` IDF); without it every skill weighs 1.
    provenance : dict, optional
        Recorded in every explanation.
    """

    def __init__(self, taxonomy, space, config: MatchConfig, fitted: dict | None = None,
                 provenance: dict | None = None, skill_df: dict | None = None) -> None:
        fitted = fitted or {}
        documents = (skill_df or {}).get("documents", 0)
        frequencies = (skill_df or {}).get("df", {})
        self.idf = {uri: float(np.log((documents + 1) / (n + 1)) + 1) for uri, n in frequencies.items()}
        self.unseen_idf = float(np.log(documents + 1) + 1) if documents else 1.0
        weights = config.signal_weights or fitted.get("weights") or DEFAULT_WEIGHTS
        total = sum(weights.values())
        self.weights = {k: float(weights[k]) / total for k in SIGNALS}
        ranges = config.signal_ranges or fitted.get("ranges") or DEFAULT_RANGES
        self.ranges = {k: (float(ranges[k][0]), float(ranges[k][1])) for k in SIGNALS}
        self.taxonomy = taxonomy
        self.config = config
        self.aligner = Aligner(taxonomy, space, config)
        self.occupations = OccupationAligner(taxonomy, config)
        self.provenance = dict(provenance or {}, weights={k: round(v, 4) for k, v in self.weights.items()})

    def normalise(self, signal: str, raw: float) -> float:
        low, high = self.ranges[signal]
        return min(1.0, max(0.0, (raw - low) / (high - low)))

    def signals(self, job, profile) -> dict[str, float]:
        """The raw value of each signal (no explanation): what fitting needs."""
        raw_skills, *_ = self._skills(job, profile)
        return {"skills": raw_skills, "skill_profile": self._skill_profile(job, profile)[0],
                "occupation": self._occupation(job, profile)[0],
                "keywords": self._keywords(job, profile)[0], "text_similarity": self._embedding(job, profile)}

    def quick_score(self, job, profile) -> float:
        """The score without its explanation, for ranking a shortlist: signals with weight 0
        are not computed. Equal to :meth:`score`'s up to float rounding (which sums the
        contributions instead)."""
        raw = {"skills": lambda: self._skills(job, profile)[0],
               "skill_profile": lambda: self._skill_profile(job, profile)[0],
               "occupation": lambda: self._occupation(job, profile)[0],
               "keywords": lambda: self._keywords(job, profile)[0],
               "text_similarity": lambda: self._embedding(job, profile)}
        return float(sum(weight * self.normalise(signal, raw[signal]())
                         for signal, weight in self.weights.items() if weight > 0))

    def score(self, job, profile, rank: int = 0) -> Match:
        """The candidate's :class:`Match`: score, and an explanation whose contributions add up to it."""
        contributions: list[Contribution] = []
        signals: dict[str, dict] = {}

        def add(signal: str, raw: float, parts: list[Contribution]) -> None:
            value = self.normalise(signal, raw)
            scale = self.weights[signal] * (value / raw if raw > 0 else 0.0)
            for part in parts:
                contributions.append(_scaled(part, scale))
            signals[signal] = {"raw": raw, "value": value, "weight": self.weights[signal],
                               "points": self.weights[signal] * value}

        raw, parts, missing, used = self._skills(job, profile)
        add("skills", raw, [_with_resume_line(part, profile) if part.relation == "missing" else part for part in parts])
        raw, parts = self._skill_profile(job, profile)
        add("skill_profile", raw, parts)
        raw, part = self._occupation(job, profile)
        add("occupation", raw, [part])
        raw, part = self._keywords(job, profile)
        add("keywords", raw, [part])
        raw = self._embedding(job, profile)
        add("text_similarity", raw, [Contribution("text_similarity", raw, credit=raw,
                                                  note="cosine of the two documents' embeddings")])
        score = float(sum(c.value for c in contributions))
        extra = tuple(Skill(s.uri, s.label, s.skill_type) for s in profile.skills if s.uri not in used)
        provenance = dict(self.provenance, occupation=job.occupation)
        warnings = list(job_warnings(job)) + [f"resume: {w}" for w in profile.warnings]
        explanation = Explanation(tuple(contributions), tuple(missing), extra, provenance, signals=signals,
                                  warnings=tuple(warnings))
        from skillmatch.match.wording import word

        wording = word(Match(profile.id, score, rank, explanation))
        return Match(profile.id, score, rank, explanation, wording.fit, wording.summary)

    # the signals ----------------------------------------------------------------------------
    def _skills(self, job, profile) -> tuple[float, list[Contribution], list[Skill], set[str]]:
        requirements = job.requirements
        taxonomy, config = self.taxonomy, self.config
        total_weight = sum(r.weight for r in requirements)
        parts: list[Contribution] = []
        missing: list[Skill] = []
        used: set[str] = set()
        held_skills = profile.skills
        positions = self.aligner.positions([s.uri for s in held_skills])
        confidences = np.array([s.score if config.confidence_weighting else 1.0 for s in held_skills])
        raw = 0.0
        for requirement in sorted(requirements, key=lambda r: (-r.weight, r.skill.label)):
            best = self.aligner.best_support(requirement.skill.uri, held_skills, positions, confidences)
            share = requirement.weight / total_weight if total_weight else 0.0
            required = Skill(requirement.skill.uri, requirement.skill.label, requirement.skill.skill_type)
            if best is None:
                missing.append(required)
                parts.append(Contribution("requirement", 0.0, required, requirement.importance, share,
                                          relation="missing", jd_evidence=requirement.evidence,
                                          note=requirement.reason))
                continue
            effective, relation, path, held = best
            used.add(held.uri)
            raw += share * effective
            parts.append(Contribution(
                "requirement", share * effective, required, requirement.importance, share,
                matched=Skill(held.uri, held.label, held.skill_type), relation=relation,
                path=tuple(_skill(taxonomy, uri) for uri in path), credit=effective,
                jd_evidence=requirement.evidence, resume_evidence=held.evidence[0] if held.evidence else None,
                note=f"{requirement.reason}; candidate confidence {held.score:.2f}"))
        return raw, parts, missing, used

    def _weighted_profile(self, profile) -> tuple[dict[str, tuple], float]:
        entries = {entry[0]: (entry[1] * self.idf.get(entry[0], self.unseen_idf), entry) for entry in
                   profile.skill_profile}
        norm = float(np.sqrt(sum(value * value for value, _ in entries.values())))
        return entries, norm

    def _skill_profile(self, job, profile) -> tuple[float, list[Contribution]]:
        mine, my_norm = self._weighted_profile(job.profile)
        theirs, their_norm = self._weighted_profile(profile)
        if not my_norm or not their_norm:
            return 0.0, [Contribution("skill_profile", 0.0, note="no skill profile to compare")]
        shared = sorted(((mine[u][0] * theirs[u][0] / (my_norm * their_norm), u) for u in mine.keys() & theirs.keys()),
                        key=lambda item: (-item[0], item[1]))
        parts = []
        for value, uri in shared[:TOP_SHARED_SKILLS]:
            skill = _skill(self.taxonomy, uri)
            parts.append(Contribution(
                "skill_profile", value, skill, matched=skill, relation="exact", credit=value,
                jd_evidence=_profile_evidence(job.profile.text, mine[uri][1]),
                resume_evidence=_profile_evidence(profile.text, theirs[uri][1]),
                note=f"both documents speak of {skill.label}"))
        rest = shared[TOP_SHARED_SKILLS:]
        if rest:
            parts.append(Contribution("skill_profile", sum(v for v, _ in rest), credit=sum(v for v, _ in rest),
                                      note=f"{len(rest)} more skills both documents speak of, each adding less"))
        return float(sum(v for v, _ in shared)), parts

    def _occupation(self, job, profile) -> tuple[float, Contribution]:
        best = (0.0, "", None, None)
        for wanted in job.profile.occupations:
            for held in profile.occupations:
                relation, credit = self.occupations.relation(wanted.uri, held.uri)
                value = credit * wanted.weight * held.weight
                if value > best[0]:
                    best = (value, relation, wanted, held)
        value, relation, wanted, held = best
        if wanted is None:
            return 0.0, Contribution("occupation", 0.0, relation="missing",
                                     note="no related occupation among the candidate's job titles"
                                     if job.profile.occupations else "the job title names no known occupation")
        return value, Contribution(
            "occupation", value, Skill(wanted.uri, wanted.label, "occupation"), matched=Skill(held.uri, held.label,
                                                                                              "occupation"),
            relation=relation, path=(Skill(wanted.uri, wanted.label, "occupation"), Skill(held.uri, held.label,
                                                                                          "occupation")),
            credit=value, jd_evidence=wanted.evidence, resume_evidence=held.evidence,
            note=f"job title names {wanted.label}; the candidate's titles name {held.label} ({relation})")

    def _keywords(self, job, profile) -> tuple[float, Contribution]:
        mine, theirs = job.profile.terms, profile.terms
        shared = sorted(((mine[t] * theirs[t], t) for t in mine.keys() & theirs.keys()), reverse=True)
        raw = float(sum(v for v, _ in shared))
        terms = tuple((t, round(v, 6)) for v, t in shared[:TOP_TERMS])
        top = terms[0][0] if terms else ""
        return raw, Contribution("keywords", raw, credit=raw, terms=terms,
                                 jd_evidence=_word_evidence(job.profile.text, top),
                                 resume_evidence=_word_evidence(profile.text, top),
                                 note="shared distinctive words: " + ", ".join(t for t, _ in terms) if terms
                                 else "no distinctive words in common")

    @staticmethod
    def _embedding(job, profile) -> float:
        return max(0.0, float(np.dot(job.profile.vector, profile.vector)))


def job_warnings(job) -> tuple[str, ...]:
    """What a recruiter must know about the job's side of every score."""
    found = [f"job: {w}" for w in job.profile.warnings]
    if not job.requirements:
        found.append("job: the job description has no recognised requirement, so skills add nothing to any score; "
                     "add requirements or check the text")
    return tuple(found)


def _scaled(part: Contribution, scale: float) -> Contribution:
    return replace(part, value=part.value * scale)


def _with_resume_line(missing: Contribution, profile) -> Contribution:
    """A missing requirement with the resume line that scores best for it, where that line is
    more likely than not to name it: "missing" is then a judgement a person can check, not a fact
    (the candidate's skills list may say "English" while the verdict gate dropped it)."""
    entry = next((e for e in profile.skill_profile if e[0] == missing.requirement.uri), None)
    if entry is None or entry[4] < UNCONFIRMED_MIN_P or not profile.text:
        return missing
    return replace(missing, resume_evidence=_profile_evidence(profile.text, entry),
                   note=f"{missing.note}; not among the candidate's extracted skills, though a resume line scores "
                        f"{entry[4]:.2f} for it: check that line")


def _profile_evidence(text: str, entry: tuple) -> Evidence:
    """The sentence where a skill of a profile scored best."""
    _, _, start, end, best = entry
    return Evidence(sentence=text[start:end], start=start, end=end, score=best, method="semantic")


def _word_evidence(text: str, word: str) -> Evidence | None:
    """The first line of ``text`` holding ``word`` as a whole word, with the word marked."""
    if not word or not text:
        return None
    found = re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", text, re.I)
    if found is None:
        return None
    start = text.rfind("\n", 0, found.start()) + 1
    end = text.find("\n", found.end())
    end = len(text) if end < 0 else end
    return Evidence(sentence=text[start:end], start=start, end=end, score=1.0, method="literal",
                    matched_text=found.group(), match_start=found.start(), match_end=found.end())


def rank(job, profiles, scorer: Scorer, top_k: int | None = None, full_profiles=None) -> list[Match]:
    """Profiles scored against a job, best first (ties by id), ranks from 1.

    Parameters
    ----------
    job : PreparedJob
    profiles : iterable of Profile
    scorer : Scorer
    top_k : int, optional
        Keep the best ``top_k`` only.
    full_profiles : callable, optional
        Given profile ids, their full profiles (text and evidence). When given, ``profiles``
        may be compact scoring records: all are ranked by :meth:`Scorer.quick_score`, and only
        the best ``top_k`` (plus a margin for float rounding at the cut) are scored in full,
        with explanations.

    Returns
    -------
    list of Match
    """
    profiles = list(profiles)
    if full_profiles is not None and top_k is not None and len(profiles) > top_k:
        quick = sorted(profiles, key=lambda p: (-scorer.quick_score(job, p), p.id))
        profiles = full_profiles([p.id for p in quick[:top_k + RANK_MARGIN]])
    elif full_profiles is not None:
        profiles = full_profiles([p.id for p in profiles])
    matches = sorted((scorer.score(job, profile) for profile in profiles), key=lambda m: (-m.score, m.id))
    if top_k is not None:
        matches = matches[:top_k]
    return [replace(m, rank=position) for position, m in enumerate(matches, 1)]
