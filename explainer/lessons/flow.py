"""What the flow tab does, without any UI: stream a rectified-flow run, and set it beside DDIM from the same
noise and prompt to measure how straight each trajectory is.

Straightness of a path x_1 -> x_0 through the recorded states: its length (sum of the step distances) over
the straight-line distance between its ends; 1 means a straight line. The 2-D picture of a path keeps two
numbers per state: progress along the chord (0 at the noise, 1 at the picture) and the distance from the
chord, both in units of the chord's length, so both samplers' paths are drawn on the same axes.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import torch

from explainer.maths import flow_samplers as fs
from explainer.maths.flow import straightness
from explainer.models import pretrained
from explainer.data.pixels import to_uint8
from explainer.lessons import runs
from explainer.maths import diffusion_samplers as samplers
from explainer.runtime.device import DEVICE
from explainer.runtime.seeding import generator
from explainer.runtime.problems import Problem

MODEL = "flow"
MAX_BATCH = runs.MAX_BATCH
MAX_GUIDANCE = runs.MAX_GUIDANCE


def model():
    return pretrained.load(MODEL)


@dataclass(frozen=True)
class FlowSettings:
    label: int | None
    guidance: float
    solver: str  # "euler" or "heun"
    steps: int
    seed: int
    batch: int

    def checked(self) -> FlowSettings:
        runs.check_request(self.label, self.guidance, self.batch)
        if self.solver not in fs.SOLVERS:
            raise Problem("FLOW_SOLVER", solvers=", ".join(fs.SOLVERS), solver=self.solver)
        if not 1 <= self.steps <= fs.MAX_STEPS:
            raise Problem("FLOW_STEPS", hi=fs.MAX_STEPS, steps=self.steps)
        return self


def flow_steps(s: FlowSettings):
    return fs.progressive(model(), s.batch, generator(s.seed, DEVICE), label=s.label, guidance=s.guidance,
                          solver=s.solver, steps=s.steps)


def ddim_steps(s: FlowSettings):
    """DDIM (eta 0) from the same seed, so from the same starting noise, with as many steps as the flow."""
    return samplers.progressive(runs.diffusion_model(), s.batch, runs.schedule(), generator(s.seed, DEVICE),
                                label=s.label, guidance=s.guidance, sampler="ddim", steps=s.steps, eta=0.0)


def stream(settings: FlowSettings, interval_s: float = runs.STREAM_INTERVAL_S):
    """Frames of the flow run at most every interval_s, then its Trajectory (as the reverse lesson's stream)."""
    s = settings.checked()
    return runs.record(flow_steps(s), s, interval_s)


@dataclass(frozen=True)
class Path:
    """One sampler's run from the shared noise: its pictures, straightness and 2-D outline."""

    name: str
    images: np.ndarray  # uint8 (N, 28, 28)
    straightness: np.ndarray  # (N,) length / chord, >= 1
    progress: np.ndarray  # (N, S + 1) along the chord, 0 -> 1
    offset: np.ndarray  # (N, S + 1) distance from the chord
    nfe: int
    ms: float


def trace(name: str, start: torch.Tensor, steps) -> Path:
    """Run `steps` (a sampler's step iterator that begins at `start`) and measure the path it draws."""
    started = time.perf_counter()
    states = [start.flatten(1).double()]
    last = None
    for last in steps:
        states.append(last.x_t.flatten(1).double())
    ms = (time.perf_counter() - started) * 1000
    p = torch.stack(states, 1)  # (N, S + 1, D)
    chord = p[:, -1] - p[:, 0]
    chord_len = chord.norm(dim=1).clamp_min(1e-12)
    unit = chord / chord_len[:, None]
    rel = p - p[:, :1]
    along = (rel * unit[:, None]).sum(2)
    across = (rel - along[..., None] * unit[:, None]).norm(dim=2)
    return Path(name, to_uint8(last.x_t), straightness(p.transpose(0, 1)).numpy(), (along / chord_len[:, None]).numpy(),
                (across / chord_len[:, None]).numpy(), last.nfe, ms)


def compare_paths(settings: FlowSettings) -> tuple[Path, Path]:
    """The flow and DDIM from the same starting noise and prompt, with the same number of steps."""
    s = settings.checked()
    start = fs.start_state(s.batch, generator(s.seed, DEVICE))
    return trace(f"flow ({s.solver})", start, flow_steps(s)), trace("DDIM", start, ddim_steps(s))
