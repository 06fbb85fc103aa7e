"""The skill space: one or more vectors per skill in a FAISS index, shared by extraction,
matching (skill-to-skill similarity) and training (embedding-nearest negatives).

Built once per (model, knowledge base, skill-text recipe), then loaded from the cache. A
skill may own several vectors (its preferred label, its alternative labels, its
description); a query scores each skill by its best vector.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

from skillmatch.errors import ConfigurationError, DataFileError

log = logging.getLogger(__name__)

MAX_ALT_LABELS = 12


KINDS = ("skill", "technology")


def space_uris(taxonomy, kinds: tuple[str, ...] = KINDS) -> list[str]:
    """The concepts of the skill space: ESCO skills, then the O*NET technologies that are not
    duplicates of an ESCO skill."""
    from skillmatch.extract.technology import TECHNOLOGY_TYPE, technology_uris

    uris: list[str] = []
    for kind in kinds:
        uris.extend(technology_uris(taxonomy) if kind == TECHNOLOGY_TYPE else taxonomy.uris(kind))
    return uris


def skill_texts(taxonomy, recipe: str, kinds: tuple[str, ...] = KINDS) -> tuple[list[str], list[str], np.ndarray]:
    """(concept uris, texts, owner index of each text) for a skill-text recipe."""
    uris = space_uris(taxonomy, kinds)
    texts: list[str] = []
    owners: list[int] = []
    for position, uri in enumerate(uris):
        concept = taxonomy.concept(uri)
        views = []
        if recipe.endswith("+description") and concept.description:
            views.append(f"{concept.label}: {concept.description}")
        else:
            views.append(concept.label)
        if recipe.startswith("labels"):
            views.extend(concept.alt_labels[:MAX_ALT_LABELS])
        for view in dict.fromkeys(views):
            texts.append(view)
            owners.append(position)
    return uris, texts, np.asarray(owners, dtype=np.int64)


class SkillSpace:
    """Nearest skills for sentence vectors (inner product on unit vectors = cosine).

    Parameters
    ----------
    uris : list of str
        Skill URIs; a skill's position in this list identifies it in results.
    vectors : ndarray
        ``n_texts × d`` unit vectors.
    owners : ndarray
        Position (in ``uris``) of the skill each vector belongs to.
    """

    def __init__(self, uris: list[str], vectors: np.ndarray, owners: np.ndarray, kinds: np.ndarray | None = None
                 ) -> None:
        import faiss

        self.uris = uris
        self.kinds = kinds  # the kind ("skill", "technology") of each position, when known
        self.owners = owners
        self.vectors = vectors
        self._position = {uri: i for i, uri in enumerate(uris)}
        self._index = faiss.IndexFlatIP(vectors.shape[1])
        self._index.add(vectors)
        self._multi = len(owners) != len(uris)
        # a skill's vectors are contiguous (skill_texts emits them owner by owner)
        self._starts = np.searchsorted(owners, np.arange(len(uris) + 1)) if self._multi else None

    def __len__(self) -> int:
        return len(self.uris)

    @property
    def dimension(self) -> int:
        return int(self.vectors.shape[1])

    def search(self, queries: np.ndarray, top_k: int) -> tuple[np.ndarray, np.ndarray]:
        """(skill positions, cosines), each ``len(queries) × top_k``, best first."""
        top_k = min(top_k, len(self.uris))
        if not self._multi:
            scores, ids = self._index.search(queries, top_k)
            return ids, scores
        fetch = min(len(self.owners), top_k * 8)
        scores, ids = self._index.search(queries, fetch)
        positions = np.full((len(queries), top_k), -1, dtype=np.int64)
        best = np.full((len(queries), top_k), -1.0, dtype=np.float32)
        for row in range(len(queries)):
            seen: dict[int, float] = {}
            for vector_id, score in zip(ids[row], scores[row]):
                if vector_id < 0:
                    break
                owner = int(self.owners[vector_id])
                if owner not in seen:
                    seen[owner] = float(score)
                    if len(seen) == top_k:
                        break
            for column, (owner, score) in enumerate(seen.items()):
                positions[row, column], best[row, column] = owner, score
        return positions, best

    def position(self, uri: str) -> int | None:
        return self._position.get(uri)

    def _rows(self, position: int) -> slice:
        if not self._multi:
            return slice(position, position + 1)
        return slice(int(self._starts[position]), int(self._starts[position + 1]))

    @property
    def skill_vectors(self) -> np.ndarray:
        """One vector per skill (its preferred-label view), in ``uris`` order."""
        return self.vectors[self._starts[:-1]] if self._multi else self.vectors

    def skill_vector(self, position: int) -> np.ndarray:
        """The skill's first vector (its preferred-label view)."""
        return self.vectors[self._rows(position).start]

    def cosine(self, query: np.ndarray, position: int) -> float:
        """Best cosine between one query vector and any vector of the skill at ``position``."""
        return float(np.max(self.vectors[self._rows(position)] @ query))

    # persistence -----------------------------------------------------------------------
    def save(self, folder: Path) -> None:
        import faiss

        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
        try:
            faiss.write_index(self._index, str(staging / "skills.faiss"))
            np.save(staging / "owners.npy", self.owners)
            if self.kinds is not None:
                np.save(staging / "kinds.npy", self.kinds)
            (staging / "uris.json").write_text(json.dumps(self.uris), encoding="utf-8")
            if folder.exists():
                shutil.rmtree(folder)
            os.replace(staging, folder)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise

    @classmethod
    def load(cls, folder: Path) -> "SkillSpace":
        import faiss

        try:
            index = faiss.read_index(str(folder / "skills.faiss"))
            owners = np.load(folder / "owners.npy")
            kinds = np.load(folder / "kinds.npy") if (folder / "kinds.npy").exists() else None
            uris = json.loads((folder / "uris.json").read_text(encoding="utf-8"))
        except (OSError, RuntimeError, ValueError) as exc:
            raise DataFileError(folder, f"skill index is unreadable ({exc})", expected="delete it to rebuild") from exc
        vectors = index.reconstruct_n(0, index.ntotal)
        return cls(uris, vectors, owners, kinds)

    @classmethod
    def build(cls, taxonomy, encoder, recipe: str, show_progress: bool = False,
              kinds: tuple[str, ...] = KINDS) -> "SkillSpace":
        uris, texts, owners = skill_texts(taxonomy, recipe, kinds)
        if not uris:
            raise ConfigurationError("the knowledge base has no skills to index")
        log.info("encoding %d skill texts for %d skills (%s)", len(texts), len(uris), recipe)
        kinds = np.array([taxonomy.kind(uri) for uri in uris])
        return cls(uris, encoder.encode(texts, show_progress=show_progress), owners, kinds)


def index_code() -> str:
    """The code that decides a cached skill index's content; part of its folder's name."""
    from skillmatch._io import source_fingerprint

    return source_fingerprint(Path(__file__), Path(__file__).with_name("technology.py"))


def load_or_build(taxonomy, encoder, recipe: str, cache_dir: Path, show_progress: bool = False,
                  kinds: tuple[str, ...] = KINDS) -> SkillSpace:
    """The cached space for this model, knowledge base, recipe and kinds; built on first use.

    Processes that share the cache (batch workers, parallel training runs) and ask for the same
    space at once build it once: the others wait for it under a file lock and then load it,
    instead of each encoding every label and replacing each other's folder."""
    from filelock import FileLock

    folder = (cache_dir / "skill-index" /
              f"{encoder.fingerprint}-{taxonomy.fingerprint}-{recipe}-{'+'.join(kinds)}-{index_code()}")
    if (folder / "uris.json").exists():
        return SkillSpace.load(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(folder.with_name(f".{folder.name}.lock"))):  # hidden: cache prune leaves it
        if (folder / "uris.json").exists():  # another process built it while this one waited
            return SkillSpace.load(folder)
        from skillmatch._progress import done, note

        started = note(f"encoding every {'/'.join(kinds)} label for this model — once per model and knowledge base")
        space = SkillSpace.build(taxonomy, encoder, recipe, True, kinds)
        space.save(folder)
        done(started, "skill space built")
    return space
