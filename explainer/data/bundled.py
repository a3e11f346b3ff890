"""The bundled sample: class-balanced real MNIST test digits shipped in pretrained/, so the app needs no dataset."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from explainer.data.pixels import to_model
from explainer.runtime.problems import Problem

PRETRAINED_DIR = Path(__file__).resolve().parents[2] / "pretrained"
SAMPLE_PATH = PRETRAINED_DIR / "mnist_sample.npz"


@dataclass(frozen=True)
class Sample:
    images: np.ndarray  # uint8 (N, 28, 28)
    labels: np.ndarray  # int64 (N,)


_sample_cache: Sample | None = None


def bundled_sample() -> Sample:
    """The class-balanced real test digits shipped in pretrained/ (no dataset needed)."""
    global _sample_cache
    if _sample_cache is None:
        with np.load(SAMPLE_PATH, allow_pickle=False) as z:
            _sample_cache = Sample(z["images"].astype(np.uint8), z["labels"].astype(np.int64))
    return _sample_cache


def bundled_digit(index: int) -> np.ndarray:
    """One of the shipped real MNIST test digits, (28, 28) in [-1, 1]."""
    images = bundled_sample().images
    if not 0 <= int(index) < len(images):
        raise Problem("FORWARD_DIGIT_NUMBER", hi=len(images) - 1, index=index)
    return to_model(images[int(index)][None])[0, 0].numpy()
