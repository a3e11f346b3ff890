"""Few steps: the same noise through the flow and its reflowed student at 1, 2 and 4 Euler steps, beside the GAN.

Reflow (see trainers/reflow.py) retrains the flow on straight lines between noise and the flow's own pictures, so
its paths bend less and a single Euler step (one network pass) already lands near where many steps would. Here
both models start from the same noise and prompt; each row is one step count, timed now, read by the judge.
The GAN's single pass on the same number of pictures is timed in the same call, as the one-pass baseline.
Straightness is measured live too: the length of each 16-step Euler path over the distance between its ends.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import torch

from explainer.data.bundled import PRETRAINED_DIR
from explainer.data.pixels import to_uint8
from explainer.evaluation.verdicts import judge_verdicts
from explainer.maths import flow
from explainer.maths import flow_samplers as fs
from explainer.models import pretrained
from explainer.models.judge import NOT_A_DIGIT
from explainer.runtime.device import DEVICE
from explainer.runtime.problems import Problem
from explainer.runtime.seeding import generator

STEP_COUNTS = (1, 2, 4)
MODELS = ("flow", "reflow")
MAX_N = 8
STRAIGHTNESS_STEPS = 16


@dataclass(frozen=True)
class Row:
    model: str  # "flow", "reflow" or "gan"
    steps: int  # solver steps (1 for the GAN's single pass)
    images: np.ndarray  # uint8 (n, 28, 28)
    verdicts: list[str]
    hits: int  # pictures read as the request (any digit when none was asked)
    nfe: int  # network evaluations per picture
    ms: float


@dataclass(frozen=True)
class FewSteps:
    rows: list[Row]
    straightness: dict[str, float]  # model -> pooled straightness of this noise's 16-step paths (1 = straight)


def available(root=PRETRAINED_DIR) -> bool:
    return all((root / f"{name}.safetensors").exists() for name in MODELS)


def _read(images: torch.Tensor, label: int | None) -> tuple[list[str], int]:
    v = judge_verdicts(images)
    hits = int((v.labels == label).sum()) if label is not None else int((v.labels < NOT_A_DIGIT).sum())
    return [v.text(i) for i in range(len(v.labels))], hits


def _run(name: str, steps: int, label: int | None, n: int, seed: int) -> Row:
    w = 1.0 if label is not None else 0.0  # the plain field, as the reflow card measures it
    started = time.perf_counter()
    x = fs.final(pretrained.load(name), n, generator(seed, DEVICE), label=label, guidance=w, steps=steps)
    ms = (time.perf_counter() - started) * 1000
    verdicts, hits = _read(x, label)
    return Row(name, steps, to_uint8(x), verdicts, hits, steps, ms)


def _gan(label: int | None, n: int, seed: int) -> Row:
    gan = pretrained.load("gan")
    started = time.perf_counter()
    with torch.inference_mode():
        x = gan.generate(gan.sample_z(n, generator(seed, DEVICE)))
    ms = (time.perf_counter() - started) * 1000
    verdicts, hits = _read(x, label)
    return Row("gan", 1, to_uint8(x), verdicts, hits, 1, ms)


def straightness(name: str, label: int | None, n: int, seed: int) -> float:
    model, w = pretrained.load(name), 1.0 if label is not None else 0.0
    start = fs.start_state(n, generator(seed, DEVICE)).flatten(1)
    states = [s.x_t.flatten(1) for s in fs.progressive(model, n, generator(seed, DEVICE), label=label, guidance=w,
                                                          steps=STRAIGHTNESS_STEPS)]
    return float(flow.straightness(torch.stack([start, *states]).cpu(), pooled=True))


def few_steps(label: int | None, seed: int, n: int) -> FewSteps:
    if label is not None and not 0 <= label <= 9:
        raise Problem("COMPARE_REQUEST", label=label)
    if not 1 <= n <= MAX_N:
        raise Problem("COMPARE_PICTURES", hi=MAX_N, n=n)
    rows = [_run(name, steps, label, n, seed) for name in MODELS for steps in STEP_COUNTS]
    if (PRETRAINED_DIR / "gan.safetensors").exists():
        rows.append(_gan(label, n, seed))
    return FewSteps(rows, {name: straightness(name, label, n, seed) for name in MODELS})
