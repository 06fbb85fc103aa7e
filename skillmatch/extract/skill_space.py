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


def skill_texts(taxonomy, recipe: str, kind: str = "skill") -> tuple[list[str], list[str], np.ndarray]:
    """(skill uris, texts, owner index of each text) for a skill-text recipe."""
    uris = taxonomy.uris(kind)
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

    def __init__(self, uris: list[str], vectors: np.ndarray, owners: np.ndarray) -> None:
        import faiss

        self.uris = uris
        self.owners = owners
        self.vectors = vectors
        self._position = {uri: i for i, uri in enumerate(uris)}
        self._index = faiss.IndexFlatIP(vectors.shape[1])
        self._index.add(vectors)
        self._multi = len(owners) != len(uris)

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

    def skill_vector(self, position: int) -> np.ndarray:
        """The skill's first vector (its preferred-label view)."""
        return self.vectors[int(np.flatnonzero(self.owners == position)[0]) if self._multi else position]

    def cosine(self, query: np.ndarray, position: int) -> float:
        """Best cosine between one query vector and any vector of the skill at ``position``."""
        rows = np.flatnonzero(self.owners == position) if self._multi else [position]
        return float(np.max(self.vectors[rows] @ query))

    # persistence -----------------------------------------------------------------------
    def save(self, folder: Path) -> None:
        import faiss

        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
        try:
            faiss.write_index(self._index, str(staging / "skills.faiss"))
            np.save(staging / "owners.npy", self.owners)
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
            uris = json.loads((folder / "uris.json").read_text(encoding="utf-8"))
        except (OSError, RuntimeError, ValueError) as exc:
            raise DataFileError(folder, f"skill index is unreadable ({exc})", expected="delete it to rebuild") from exc
        vectors = index.reconstruct_n(0, index.ntotal)
        return cls(uris, vectors, owners)

    @classmethod
    def build(cls, taxonomy, encoder, recipe: str, show_progress: bool = False) -> "SkillSpace":
        uris, texts, owners = skill_texts(taxonomy, recipe)
        if not uris:
            raise ConfigurationError("the knowledge base has no skills to index")
        log.info("encoding %d skill texts for %d skills (%s)", len(texts), len(uris), recipe)
        return cls(uris, encoder.encode(texts, show_progress=show_progress), owners)


def load_or_build(taxonomy, encoder, recipe: str, cache_dir: Path, show_progress: bool = False) -> SkillSpace:
    """The cached space for this model, knowledge base and recipe; built on first use."""
    folder = cache_dir / "skill-index" / f"{encoder.fingerprint}-{taxonomy.fingerprint}-{recipe}"
    if (folder / "uris.json").exists():
        return SkillSpace.load(folder)
    space = SkillSpace.build(taxonomy, encoder, recipe, show_progress)
    space.save(folder)
    return space
