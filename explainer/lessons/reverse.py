"""What the reverse-diffusion tab does, without any UI: stream a denoising run, keep its trajectory for a
scrubber, advance one step at a time, compare guidance weights, and time the GAN's one pass against it.

Images leave this module as uint8 (N, 28, 28); the noisy state, the predicted clean picture and the predicted
noise are all shown on one scale, [-1, 1] -> 0..255, clipped (noise values beyond +-1 saturate, as in every
diffusion demo; lessons/runs.py records them). Every function takes an explicit seed; the maths lives in
maths/diffusion_samplers.py.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

import numpy as np
import torch

from explainer.models import pretrained
from explainer.maths import diffusion_samplers as samplers
from explainer.lessons import runs
# The limits are this lesson's too (the tab's sliders read them here).
from explainer.lessons.runs import (MAX_BATCH, MAX_GUIDANCE, STREAM_INTERVAL_S, Frame, Trajectory, check_request,
                                    record, schedule)
from explainer.data.pixels import to_uint8
from explainer.maths.steps import drain
from explainer.runtime.device import DEVICE
from explainer.runtime.seeding import generator
from explainer.runtime.timing import timed
from explainer.runtime.problems import Problem

MODEL = runs.DIFFUSION_MODEL
DDIM_STEPS = (5, 250)
GRID_GUIDANCE = (0.0, 1.0, 3.0, 7.0)


def model():
    return runs.diffusion_model()


@dataclass(frozen=True)
class Settings:
    label: int | None  # 0..9, or None for no prompt
    guidance: float
    sampler: str  # "ddpm" (ancestral, all T steps) or "ddim"
    steps: int
    eta: float
    seed: int
    batch: int

    def checked(self) -> Settings:
        """These settings with DDPM's step count fixed to T; ValueError with a plain message if out of range."""
        check_request(self.label, self.guidance, self.batch)
        if self.sampler == "ddpm":
            return replace(self, steps=schedule().T, eta=1.0)
        if self.sampler != "ddim":
            raise Problem("REVERSE_SAMPLER", sampler=self.sampler)
        if not DDIM_STEPS[0] <= self.steps <= DDIM_STEPS[1]:
            raise Problem("DDIM_STEPS_RANGE", lo=DDIM_STEPS[0], hi=DDIM_STEPS[1], steps=self.steps)
        if not 0 <= self.eta <= 1:
            raise Problem("REVERSE_ETA", eta=self.eta)
        return self

    def sampler_kwargs(self) -> dict:
        return dict(label=self.label, guidance=self.guidance, sampler=self.sampler, steps=self.steps, eta=self.eta)


def stream(settings: Settings, interval_s: float = STREAM_INTERVAL_S) -> Iterator[Frame | Trajectory]:
    """Run the sampler; yield a Frame at most every interval_s (always the first and the last step), then the
    recorded Trajectory."""
    s = settings.checked()
    steps = samplers.progressive(model(), s.batch, schedule(), generator(s.seed, DEVICE), **s.sampler_kwargs())
    return record(steps, s, interval_s)


def run(settings: Settings) -> Trajectory:
    """Drain `stream` (benchmarks, tests)."""
    return drain(stream(settings, interval_s=float("inf")))


# -- one step per click ------------------------------------------------------------------------------------
@dataclass
class Stepper:
    """A run paused between clicks: the state x (numpy, so it survives Gradio's state copies) and the generator's
    state, so that clicking through gives exactly the pictures of an uninterrupted run with the same seed."""

    settings: Settings
    done: int
    x: np.ndarray  # float32 (N, 1, 28, 28)
    rng: np.ndarray  # uint8, torch.Generator.get_state()
    nfe: int = 0

    @property
    def grid(self) -> list[int]:
        return samplers.timesteps(self.settings.steps, schedule().T)

    @property
    def finished(self) -> bool:
        return self.done == self.settings.steps


def start_stepper(settings: Settings) -> Stepper:
    s = settings.checked()
    g = generator(s.seed, DEVICE)
    x = samplers.start_state(s.batch, schedule(), g)
    return Stepper(s, 0, x.cpu().numpy(), g.get_state().numpy())


def step_once(st: Stepper) -> tuple[Stepper, Frame]:
    """Advance a paused run by one step."""
    if st.finished:
        raise Problem("RUN_FINISHED")
    s, g = st.settings, torch.Generator(device=DEVICE)
    g.set_state(torch.from_numpy(st.rng))
    k, k_prev = st.grid[st.done], st.grid[st.done + 1]
    y = samplers.labels_tensor(s.label, s.batch, DEVICE)
    with timed() as t:
        x, x0, eps, cost = samplers.advance(model(), torch.from_numpy(st.x).to(DEVICE), k, k_prev, y,
                                            schedule().alpha_bar.tolist(), g, sampler=s.sampler, eta=s.eta,
                                            guidance=s.guidance, T=schedule().T)
    nxt = Stepper(s, st.done + 1, x.cpu().numpy(), g.get_state().numpy(), st.nfe + cost)
    return nxt, Frame(nxt.done, s.steps, k_prev, nxt.nfe, to_uint8(x), to_uint8(x0), to_uint8(eps), t.ms)


# -- guidance grid -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class GuidanceGrid:
    images: np.ndarray  # uint8 (len(weights), 10, 28, 28): row = guidance weight, column = digit
    weights: tuple[float, ...]
    nfe: int
    ms: float


def guidance_grid(seed: int, steps: int = 25, weights=GRID_GUIDANCE) -> GuidanceGrid:
    """Digits 0-9 (columns) at each guidance weight (rows), from the same ten starting noises (DDIM, eta 0)."""
    rows, nfe = [], 0
    with timed() as t:
        for w in weights:
            s = Settings(None, float(w), "ddim", int(steps), 0.0, seed, 10).checked()
            last = drain(samplers.progressive(model(), 10, schedule(), generator(seed, DEVICE),
                                              **(s.sampler_kwargs() | {"label": list(range(10))})))
            rows.append(to_uint8(last.x_t))
            nfe += last.nfe * 10
    return GuidanceGrid(np.stack(rows), tuple(weights), nfe, t.ms)


# -- the speed lesson --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SpeedReport:
    batch: int
    gan_ms: float
    gan_nfe: int  # one pass
    diffusion_ms: float
    diffusion_nfe: int  # per image
    diffusion_passes: int  # forward calls of the network (a guided step is one call on a doubled batch)


def speed(settings: Settings) -> SpeedReport:
    """Time the GAN's single generator pass and a full diffusion run at the same batch size."""
    s = settings.checked()
    gan = pretrained.load("gan")
    z = gan.sample_z(s.batch, generator(s.seed, DEVICE))
    with torch.inference_mode():
        gan.generate(z)  # warm-up: the first call pays for memory allocation
        with timed() as tg:
            gan.generate(z)
    traj = run(s)
    passes = s.steps
    return SpeedReport(s.batch, tg.ms, 1, traj.total_ms, int(traj.nfe[-1]), passes)
