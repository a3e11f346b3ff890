"""Two uses of a trained denoiser beyond plain sampling, without any UI.

- Draw, check, retry: generate K candidates for a prompt, let the judge (the app's vision model) score how
  much each looks like the requested digit, keep the best, and draw again until it is sure enough or the
  budget of rounds runs out. The loop of the second article, in miniature.
- Noise and restore (SDEdit, Meng et al. 2022): noise a real or drawn digit to level t, then run the reverse
  process from there with a prompt. Little noise keeps the drawing; a lot leaves the model free to invent.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from explainer.models import pretrained
from explainer.maths import diffusion_samplers as samplers
from explainer.data.digitize import digitize
from explainer.data.pixels import to_uint8
from explainer.maths.steps import drain
from explainer.data.bundled import bundled_digit
from explainer.evaluation.metrics import judge_outputs
from explainer.lessons import runs
from explainer.lessons.runs import schedule
from explainer.runtime.device import DEVICE
from explainer.runtime.seeding import generator
from explainer.runtime.timing import timed
from explainer.runtime.problems import Problem

MAX_CANDIDATES = 16
MAX_ROUNDS = 8


@dataclass(frozen=True)
class Round:
    images: np.ndarray  # uint8 (K, 28, 28)
    scores: np.ndarray  # judge's probability of the requested digit, (K,)
    seed: int


@dataclass(frozen=True)
class RetryResult:
    rounds: list[Round]
    best_image: np.ndarray  # uint8 (28, 28)
    best_score: float
    satisfied: bool
    nfe: int  # network evaluations per image, summed over all candidates and rounds
    ms: float


def judge_scores(x: torch.Tensor, digit: int) -> np.ndarray:
    probs, _ = judge_outputs(pretrained.load("judge"), x)
    return probs[:, digit].numpy()


def retry_until_sure(digit: int, candidates: int, guidance: float, steps: int, seed: int,
                     threshold: float = 0.99, max_rounds: int = 4) -> RetryResult:
    """Rounds of K candidates (seeds seed, seed + 1, ...) until the best judge score reaches threshold."""
    if not 0 <= digit <= 9:
        raise Problem("PROMPT_DIGIT", digit=digit)
    if not 1 <= candidates <= MAX_CANDIDATES:
        raise Problem("CANDIDATES_RANGE", hi=MAX_CANDIDATES, n=candidates)
    if not 1 <= max_rounds <= MAX_ROUNDS:
        raise Problem("ROUNDS_RANGE", hi=MAX_ROUNDS, n=max_rounds)
    if not 0 < threshold <= 1:
        raise Problem("JUDGE_BAR", bar=threshold)
    rounds, nfe, best = [], 0, (-1.0, None)
    with timed() as t:
        for r in range(max_rounds):
            round_seed = seed + r
            x = drain(samplers.progressive(runs.diffusion_model(), candidates, schedule(), generator(round_seed, DEVICE),
                                                  label=digit, guidance=guidance, sampler="ddim", steps=steps))
            nfe += x.nfe * candidates
            scores = judge_scores(x.x_t.clamp(-1, 1), digit)
            images = to_uint8(x.x_t)
            rounds.append(Round(images, scores, round_seed))
            i = int(scores.argmax())
            if scores[i] > best[0]:
                best = (float(scores[i]), images[i])
            if best[0] >= threshold:
                break
    return RetryResult(rounds, best[1], best[0], best[0] >= threshold, nfe, t.ms)


def _digit_in_model_range(value) -> np.ndarray:
    """Any of digitize's inputs -> an MNIST-like (28, 28) float digit in [-1, 1] (digitize.py tells how)."""
    return digitize(value).astype(np.float32) / 127.5 - 1


def sdedit_source(upload=None, drawing=None, bundled: int = 0) -> np.ndarray:
    """The digit to restore, (28, 28) in [-1, 1]: the drawing if one is given (a blank canvas is refused),
    else the upload, else a bundled digit."""
    if drawing is not None:
        return _digit_in_model_range(drawing)  # the canvas as it is: digitize reads its transparency as paper
    if upload not in (None, ""):
        if not isinstance(upload, (str, Path)) or not os.path.isfile(upload):
            raise Problem("UPLOAD_GONE")
        return _digit_in_model_range(upload)  # as the autoencoder tab reads it, transparency included
    return bundled_digit(bundled)


@dataclass(frozen=True)
class Restoration:
    source: np.ndarray  # uint8 (28, 28)
    noised: np.ndarray  # uint8 (N, 28, 28), the start of the reverse run
    restored: np.ndarray  # uint8 (N, 28, 28)
    judge_digits: np.ndarray  # judge's label of each restored image
    k_start: int
    nfe: int
    ms: float


def noise_and_restore(source: np.ndarray, t: float, label: int | None, guidance: float, steps: int, seed: int,
                      n: int = 4) -> Restoration:
    """SDEdit: jump the source to time t with fresh noise, then denoise it with DDIM (eta 0) and the prompt."""
    if not 0.01 <= t <= 1:
        raise Problem("NOISE_LEVEL_RANGE", t=t)
    k_start = int(round(t * schedule().T))
    steps = max(1, min(int(steps), k_start))  # a short trip needs fewer steps
    x_src = torch.as_tensor(source, dtype=torch.float32)[None, None]
    g = generator(seed, DEVICE)
    start = samplers.start_state(n, schedule(), generator(seed, DEVICE), x_src, k_start)
    with timed() as tm:
        last = drain(samplers.progressive(runs.diffusion_model(), n, schedule(), g, label=label, guidance=guidance, sampler="ddim",
                                          steps=steps, x_start=x_src, k_start=k_start))
    probs, _ = judge_outputs(pretrained.load("judge"), last.x_t.clamp(-1, 1))
    return Restoration(to_uint8(x_src)[0], to_uint8(start), to_uint8(last.x_t), probs.argmax(1).numpy(), k_start,
                       last.nfe, tm.ms)
