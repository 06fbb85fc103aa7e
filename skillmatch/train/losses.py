"""The training objective, kept apart from the model and the trainer (as sentence-transformers does).

Softmax cross-entropy of the positive skill among the candidates each sentence is allowed to
see, on scaled cosine similarities: MultipleNegativesRankingLoss generalised with a mask. The
mask is what makes the negative-sampling ablation honest: with ``random`` negatives alone a
sentence competes only against its own random draws, with ``in-batch`` only against the
batch's other positives, and a mixture sees both. It also removes false negatives — a batch
neighbour whose positive this sentence names too, or a synonym of its own skill. A ranking
loss fits the use (the extractor ranks all skills for a sentence) better than the paper's
independent binary cross-entropy, which spends its capacity on absolute scores that the
calibration step sets afterwards anyway.
"""
from __future__ import annotations

import torch
from torch import nn


class CandidateSoftmaxLoss(nn.Module):
    def __init__(self, scale: float = 20.0) -> None:
        super().__init__()
        self.scale = scale

    def forward(self, anchors: torch.Tensor, candidates: torch.Tensor, targets: torch.Tensor,
                allowed: torch.Tensor) -> torch.Tensor:
        """``anchors`` (n×d) and ``candidates`` (m×d) unit vectors; ``allowed`` (n×m) includes each target."""
        logits = self.scale * anchors @ candidates.T
        logits = logits.masked_fill(~allowed, torch.finfo(logits.dtype).min)
        return nn.functional.cross_entropy(logits, targets)
