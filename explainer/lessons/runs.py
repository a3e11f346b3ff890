"""What every streamed sampling run shares (reverse diffusion, flow, and the reverse model's other uses),
without any UI: the limits of a request and their check, the DDPM model and schedule the diffusion runs sample
from, and the recording of a sampler's steps as frames shown while it runs and a trajectory for the scrubber.

Pictures leave as uint8 (N, 28, 28) on one scale, [-1, 1] -> 0..255, clipped (noise values beyond +-1
saturate, as in every diffusion demo).
"""
from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from explainer.models import pretrained
from explainer.maths import diffusion_samplers as samplers
from explainer.data.pixels import to_uint8
from explainer.maths.diffusion import Schedule, make_schedule
from explainer.runtime.problems import Problem

DIFFUSION_MODEL = "ddpm"
MAX_BATCH = 16
MAX_GUIDANCE = 8.0
MAX_RECORDED = 250  # frames kept for the scrubber; longer runs keep every k-th step
STREAM_INTERVAL_S = 0.1  # at most ~10 frames a second reach the browser


@lru_cache(maxsize=1)
def schedule() -> Schedule:
    return make_schedule("linear")


def diffusion_model():
    return pretrained.load(DIFFUSION_MODEL)


def check_request(label: int | None, guidance: float, batch: int) -> None:
    """What every sampler's settings share: a prompt, a guidance weight and a batch size in range."""
    if label is not None and not 0 <= label <= 9:
        raise Problem("PROMPT_DIGIT_OR_NONE", label=label)
    if not 0 <= guidance <= MAX_GUIDANCE:
        raise Problem("GUIDANCE_W_RANGE", hi=MAX_GUIDANCE, w=guidance)
    if not 1 <= batch <= MAX_BATCH:
        raise Problem("BATCH_RANGE", hi=MAX_BATCH, n=batch)


@dataclass(frozen=True)
class Frame:
    """One displayed moment of a run."""

    index: int  # steps done
    steps: int  # steps in the run
    k: int  # chain index reached
    nfe: int  # network evaluations per image so far
    x_t: np.ndarray  # uint8 (N, 28, 28)
    x0: np.ndarray
    eps: np.ndarray
    elapsed_ms: float

    @property
    def done(self) -> bool:
        return self.index == self.steps


def _frame(step: samplers.Step, steps: int, started: float) -> Frame:
    return Frame(step.index, steps, step.k, step.nfe, to_uint8(step.x_t), to_uint8(step.x0), to_uint8(step.eps),
                 (time.perf_counter() - started) * 1000)


@dataclass
class Trajectory:
    """Recorded steps of a finished run, for the scrubber: uint8 arrays (F, N, 28, 28) and their step numbers."""

    settings: object  # the run's checked settings; .steps is the run's length
    index: np.ndarray  # (F,) steps done at each recorded frame
    k: np.ndarray
    nfe: np.ndarray
    x_t: np.ndarray
    x0: np.ndarray
    eps: np.ndarray
    total_ms: float = 0.0
    first_frame_ms: float = 0.0

    def __len__(self) -> int:
        return len(self.index)

    def frame(self, i: int) -> Frame:
        if not 0 <= i < len(self):
            raise Problem("FRAME_RANGE", hi=len(self) - 1, i=i)
        return Frame(int(self.index[i]), self.settings.steps, int(self.k[i]), int(self.nfe[i]),
                     self.x_t[i], self.x0[i], self.eps[i], self.total_ms)


def record(steps: Iterator[samplers.Step], s, interval_s: float = STREAM_INTERVAL_S) -> Iterator[Frame | Trajectory]:
    """Frames and trajectory of any sampler's steps (`s` has .steps, the run's length). Converting only the
    shown and recorded steps to pictures keeps the overhead small."""
    every = -(-s.steps // MAX_RECORDED)  # ceil: DDPM's 1000 steps keep every 4th
    rec: dict[str, list] = {key: [] for key in ("index", "k", "nfe", "x_t", "x0", "eps")}
    started = time.perf_counter()
    last_shown, first_ms = -1.0, 0.0
    for step in steps:
        now = time.perf_counter()
        keep = step.index % every == 0 or step.index in (1, s.steps)
        show = step.index in (1, s.steps) or now - last_shown >= interval_s
        if keep or show:
            f = _frame(step, s.steps, started)
            if keep:
                for key in rec:
                    rec[key].append(getattr(f, key))
            if show:
                last_shown = now
                first_ms = first_ms or f.elapsed_ms
                yield f
    arrays = {key: np.stack(v) for key, v in rec.items()}
    yield Trajectory(s, **arrays, total_ms=(time.perf_counter() - started) * 1000, first_frame_ms=first_ms)
