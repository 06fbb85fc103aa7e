"""A static-embedding student distilled from a trained encoder: one vector per token, averaged.

The student reads a sentence as the mean of its tokens' vectors — no attention, no layers —
so it encodes tens of thousands of sentences a second on one core. Its token vectors start
from the teacher's input embeddings and are trained so that the student's sentence vector
points where the teacher's does (cosine loss) on real job-ad and resume sentences and on
the skill labels the extractor ranks. What it loses in quality is measured beside the
teacher (``benchmarks/skill_extraction_val.py``, ``benchmarks/extract_speed.py``).
"""
from __future__ import annotations

import logging
import shutil
from pathlib import Path

import numpy as np

from skillmatch.extract.model import ModelSpec

log = logging.getLogger(__name__)

STATIC_FILE = "static.npy"


def distill_static(teacher: str | Path, sentences: list[str], out: str | Path, epochs: int = 4,
                   batch_size: int = 256, learning_rate: float = 0.05, seed: int = 0) -> ModelSpec:
    """Train a static student of ``teacher`` on ``sentences`` and write it as a model folder.

    Parameters
    ----------
    teacher : str or Path
        A model folder with an ONNX encoder (the vectors to imitate).
    sentences : list of str
        Training sentences (corpus sentences and skill labels).
    out : str or Path
        The student's model folder (its recipe keeps the teacher's sources and calibration
        until recalibrated).
    epochs, batch_size, learning_rate, seed
        Optimisation.

    Returns
    -------
    ModelSpec
        The student's recipe.
    """
    import time

    import torch
    from skillmatch.extract.encoder import OnnxEncoder, load_sentence_transformer, load_tokenizer, static_token_ids

    started = time.perf_counter()
    teacher_spec = ModelSpec.load(teacher)
    targets = OnnxEncoder(teacher_spec).encode(sentences, show_progress=True)
    ids = [static_token_ids(e) for e in load_tokenizer(teacher_spec).encode_batch(sentences)]
    base = load_sentence_transformer(teacher_spec.replace(quantize=False), "cpu")
    initial = base[0].auto_model.embeddings.word_embeddings.weight.detach().clone()
    torch.manual_seed(seed)
    table = torch.nn.EmbeddingBag.from_pretrained(initial, freeze=False, mode="mean")
    optimiser = torch.optim.Adam(table.parameters(), lr=learning_rate)
    target = torch.from_numpy(targets)
    order = np.random.default_rng(seed)
    for epoch in range(epochs):
        permutation = order.permutation(len(sentences))
        total = 0.0
        for start in range(0, len(permutation), batch_size):
            batch = permutation[start:start + batch_size]
            flat = torch.tensor([t for i in batch for t in ids[i]], dtype=torch.long)
            offsets = torch.tensor(np.cumsum([0] + [len(ids[i]) for i in batch[:-1]]), dtype=torch.long)
            predicted = torch.nn.functional.normalize(table(flat, offsets), dim=-1)
            loss = (1 - (predicted * target[batch]).sum(-1)).mean()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total += float(loss.detach()) * len(batch)
        log.info("epoch %d: mean cosine distance %.4f", epoch + 1, total / len(sentences))
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    np.save(out / STATIC_FILE, table.weight.detach().numpy().astype(np.float16))
    shutil.copyfile(teacher_spec.file(teacher_spec.tokenizer), out / "tokenizer.json")
    # the teacher's gates read the teacher's sentence vectors and outputs: the student's are fitted
    # on its own (make fast-model), never inherited by file name from whatever the folder held
    spec = teacher_spec.replace(name=out.name, weights=None, onnx=None, static=STATIC_FILE, tokenizer="tokenizer.json",
                                matching=None, statements=None, mentions=None, verdicts=None,
                                description=f"{out.name}: static token vectors distilled from {teacher_spec.name} "
                                            f"({len(sentences)} sentences, {epochs} epochs)")
    spec.save(out)
    write_card(out, teacher_spec, len(sentences), epochs, time.perf_counter() - started)
    return ModelSpec.load(out)


def write_card(out: Path, teacher: ModelSpec, sentences: int, epochs: int, seconds: float) -> None:
    """The student's model card: what it is, how it was made, where its quality is measured."""
    (Path(out) / "MODEL_CARD.md").write_text(f"""# {Path(out).name}

A static-embedding student of `{teacher.name}` {teacher.version}: one 384-dimensional vector
per WordPiece token (the teacher's tokenizer), averaged over a sentence. No attention and no
layers, so it encodes tens of thousands of sentences a second on one core; the rest of the
extractor (FAISS skill space, literal and TF-IDF signals, calibration) is the teacher's recipe,
recalibrated for the student.

## How it was made

- Token vectors start from the teacher's input embeddings and are trained (Adam, cosine loss,
  {epochs} epochs) so that the mean of a sentence's token vectors points where the teacher's
  sentence vector points, on {sentences:,} texts: job-ad, posting, task and resume sentences of
  the training corpora and the skill labels the extractor ranks.
- Command: `make fast-model` (the corpus files are listed in the Makefile, relative to
  `$SKILLMATCH_DATA`); {seconds / 60:.0f} minutes on 2 CPU cores.

## Quality and speed

Measured beside the teacher in `benchmarks/README.md` (`benchmarks/skill_extraction_val.py
--model models/fast`, `benchmarks/extract_speed.py --compare-model models/fast`,
`benchmarks/extraction_precision.py`). It carries no fitted matching weights: use it for
extraction; matching with it falls back to default signal weights.

ESCO: This service uses the ESCO classification of the European Commission.
""", encoding="utf-8")
