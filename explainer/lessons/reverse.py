"""What the reverse-diffusion tab does, without any UI: stream a denoising run, keep its trajectory for a
scrubber, advance one step at a time, compare guidance weights, and time the GAN's one pass against it.

Images leave this module as uint8 (N, 28, 28); the noisy state, the predicted clean picture and the predicted
noise are all shown on one scale, [-1, 1] -> 0..255, clipped (noise values beyond +-1 saturate, as in every
diffusion demo). Every function takes an explicit seed; the maths lives in samplers.py.
"""
from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
import torch

from explainer.models import pretrained
from explainer.maths import diffusion_samplers as samplers
from explainer.data.pixels import to_uint8
from explainer.maths.diffusion import Schedule, make_schedule
from explainer.maths.steps import drain
from explainer.runtime.device import DEVICE
from explainer.runtime.seeding import generator
from explainer.runtime.timing import timed

MODEL = "ddpm"
MAX_BATCH = 16
MAX_GUIDANCE = 8.0
DDIM_STEPS = (5, 250)
MAX_RECORDED = 250  # frames kept for the scrubber; longer runs keep every k-th step
GRID_GUIDANCE = (0.0, 1.0, 3.0, 7.0)
STREAM_INTERVAL_S = 0.1  # at most ~10 frames a second reach the browser


@lru_cache(maxsize=1)
def schedule() -> Schedule:
    return make_schedule("linear")


def model():
    return pretrained.load(MODEL)


def check_request(label: int | None, guidance: float, batch: int) -> None:
    """What every sampler's settings share: a prompt, a guidance weight and a batch size in range."""
    if label is not None and not 0 <= label <= 9:
        raise ValueError(f"The prompt must be a digit from 0 to 9 or none, got {label}.")
    if not 0 <= guidance <= MAX_GUIDANCE:
        raise ValueError(f"Guidance w must be between 0 and {MAX_GUIDANCE:g}, got {guidance}.")
    if not 1 <= batch <= MAX_BATCH:
        raise ValueError(f"Batch must be between 1 and {MAX_BATCH}, got {batch}.")


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
            raise ValueError(f"Sampler must be ddpm or ddim, got {self.sampler!r}.")
        if not DDIM_STEPS[0] <= self.steps <= DDIM_STEPS[1]:
            raise ValueError(f"DDIM steps must be between {DDIM_STEPS[0]} and {DDIM_STEPS[1]}, got {self.steps}.")
        if not 0 <= self.eta <= 1:
            raise ValueError(f"eta must be between 0 and 1, got {self.eta}.")
        return self

    def sampler_kwargs(self) -> dict:
        return dict(label=self.label, guidance=self.guidance, sampler=self.sampler, steps=self.steps, eta=self.eta)


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

    settings: Settings
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
            raise ValueError(f"Frame must be between 0 and {len(self) - 1}, got {i}.")
        return Frame(int(self.index[i]), self.settings.steps, int(self.k[i]), int(self.nfe[i]),
                     self.x_t[i], self.x0[i], self.eps[i], self.total_ms)


def stream(settings: Settings, interval_s: float = STREAM_INTERVAL_S) -> Iterator[Frame | Trajectory]:
    """Run the sampler; yield a Frame at most every interval_s (always the first and the last step), then the
    recorded Trajectory."""
    s = settings.checked()
    steps = samplers.progressive(model(), s.batch, schedule(), generator(s.seed, DEVICE), **s.sampler_kwargs())
    return record(steps, s, interval_s)


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
        raise ValueError("This run has reached the clean picture; press Reset to start again.")
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
