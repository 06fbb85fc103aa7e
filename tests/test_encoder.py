"""The ONNX inference path: same vectors and rankings as the torch model it was exported from,
and no torch or transformers import."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
SENTENCES = [line.strip("-# ").strip() for line in (ROOT / "examples" / "jd_data_scientist.md").read_text().splitlines()
             if len(line.split()) >= 4] + [line.strip() for path in sorted((ROOT / "examples" / "resumes").glob("*.txt"))
                                           for line in path.read_text().splitlines() if len(line.split()) >= 4]


def test_onnx_vectors_match_the_torch_model_they_were_exported_from():
    from skillmatch.extract.encoder import OnnxEncoder, TorchEncoder
    from skillmatch.extract.model import ModelSpec

    spec = ModelSpec.load("default")
    assert spec.onnx and spec.tokenizer
    onnx = OnnxEncoder(spec).encode(SENTENCES)
    torch_fp32 = TorchEncoder(spec.replace(quantize=False)).encode(SENTENCES)
    assert len(SENTENCES) >= 20 and onnx.shape == torch_fp32.shape
    np.testing.assert_allclose(np.linalg.norm(onnx, axis=1), 1.0, atol=1e-4)
    cosines = np.sum(onnx * torch_fp32, axis=1)
    # int8 weights move each vector a little: stated tolerance, mean ≥ 0.98 and none below 0.95
    assert cosines.mean() >= 0.98 and cosines.min() >= 0.95


def test_onnx_ranks_the_same_top5_as_torch(taxonomy, kb_cache):
    from skillmatch.config import ExtractionConfig
    from skillmatch.extract import SkillExtractor

    onnx = SkillExtractor(taxonomy, config=ExtractionConfig(backend="onnx"), cache_dir=kb_cache)
    torch_path = SkillExtractor(taxonomy, model=onnx.spec.replace(quantize=False),
                                config=ExtractionConfig(backend="torch"), cache_dir=kb_cache)
    assert onnx.encoder.backend == "onnx" and torch_path.encoder.backend == "torch"
    overlaps = [len({s.uri for s in a} & {s.uri for s in b}) / 5
                for a, b in zip(onnx.rank(SENTENCES, 5), torch_path.rank(SENTENCES, 5))]
    # stated tolerance: on average at least 4.5 of the 5 skills agree, and every list shares 3
    assert np.mean(overlaps) >= 0.9 and min(overlaps) >= 0.6


@pytest.mark.slow
def test_extraction_imports_no_library_it_does_not_use(sample_data_dir, kb_cache, tmp_path):
    """A cold start pays for every import: torch and transformers are the training back-end's,
    scikit-learn and scipy only fit tables (importing scipy alone was a tenth of a cold start),
    rdflib only builds the knowledge base, tqdm only draws progress bars, and pydantic came with
    typer 0.29, which validates every CLI parameter through it (0.2 s of each start)."""
    unused = ("torch", "transformers", "sentence_transformers", "sklearn", "scipy", "rdflib", "tqdm", "pydantic")
    report = f"print(sorted(m for m in {unused!r} if m in sys.modules))"
    library = ("import sys; from skillmatch import SkillExtractor; "
               f"e = SkillExtractor.from_data({str(sample_data_dir)!r}, cache_dir={str(kb_cache)!r}); "
               "r = e.extract('Strong Python and SQL skills are required.'); "
               "assert r.skills, r; " + report)
    subprocess.run([sys.executable, "-c", library], capture_output=True, text=True, check=True)  # caches built (fitting
    # the TF-IDF table imports scikit-learn), so the next processes start as every later start does
    out = subprocess.run([sys.executable, "-c", library], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    jd = tmp_path / "jd.txt"
    jd.write_text("Strong Python and SQL skills are required.\n", encoding="utf-8")
    cli = ("import sys, atexit; from skillmatch.cli import main; "
           f"atexit.register(lambda: sys.stderr.write(repr(sorted(m for m in {unused!r} if m in sys.modules)))); "
           f"sys.argv = ['skillmatch', 'extract', {str(jd)!r}, '--data', {str(sample_data_dir)!r}]; main()")
    out = subprocess.run([sys.executable, "-c", cli], capture_output=True, text=True,
                         env={**os.environ, "SKILLMATCH_CACHE": str(kb_cache)})
    assert out.returncode == 0 and "Python" in out.stdout, out.stderr
    assert out.stderr.strip().splitlines()[-1] == "[]"


def test_a_sentence_vector_does_not_depend_on_the_rest_of_the_document():
    """The int8 graph quantises activations per run: batched, "This involves supporting" moved by
    up to 0.03 per coordinate with its batch-mates, so redacting one line changed the skills of
    another. Each sentence now runs alone."""
    from skillmatch.extract.encoder import OnnxEncoder
    from skillmatch.extract.model import ModelSpec

    encoder = OnnxEncoder(ModelSpec.load("default"), threads=2)
    alone = encoder.encode(["This involves supporting"])
    beside = encoder.encode(["Polite and Calm [NAME] " * 20, "This involves supporting", "SQL"])
    assert np.array_equal(alone[0], beside[1])
