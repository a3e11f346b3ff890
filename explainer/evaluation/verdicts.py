"""The judge's reading of each picture of a batch: its label (a digit or "not a digit") and its confidence."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from explainer.evaluation.metrics import judge_outputs
from explainer.models import pretrained
from explainer.models.judge import CLASS_NAMES


@dataclass(frozen=True)
class Verdicts:
    """What the judge says about a batch: label index and confidence per image."""

    labels: np.ndarray  # int (N,), 10 = not a digit
    confidence: np.ndarray  # float (N,)

    @classmethod
    def from_probs(cls, probs: torch.Tensor) -> "Verdicts":
        """From the judge's class probabilities (N, 11): the likeliest class and its probability."""
        conf, labels = probs.max(1)
        return cls(labels.numpy(), conf.numpy())

    def text(self, i: int) -> str:
        return f"{CLASS_NAMES[self.labels[i]]} ({self.confidence[i]:.0%})"


def judge_verdicts(images: torch.Tensor) -> Verdicts:
    """The shipped judge's verdicts on pictures (N, 1, 28, 28) in [-1, 1]."""
    probs, _ = judge_outputs(pretrained.load("judge"), images)
    return Verdicts.from_probs(probs)
