"""What the 2-D lab tab asks for, as plain results: a dataset, a trained model with its fit, particle paths of
DDPM against flow, flow against reflow, an arrow field, a GAN's mode coverage. No Gradio and no figures here:
the tab turns these into pictures and words. Models come from lab_train's cache (trained on first use), and
all sampling randomness from the user's seed.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch

from explainer.lessons.lab import datasets as lab_datasets
from explainer.lessons.lab import sample as lab_sample
from explainer.lessons.lab import train as lab_train
from explainer.lessons.lab import metrics as M
from explainer.maths.flow import straightness
from explainer.runtime.seeding import generator
from explainer.lessons.lab.datasets import Toy
from explainer.runtime.problems import Problem

N_SAMPLES = 2000  # samples scored against the data and drawn over it
MAX_PARTICLES = 1000
FIELD_SIDE = 21


def _g(seed: int) -> torch.Generator:
    return generator(seed, "cpu")


@dataclass(frozen=True, eq=False)
class TrainReport:
    trained: lab_train.Trained
    samples: torch.Tensor
    fit: M.Fit
    coverage: M.Coverage | None
    from_cache: bool


def train(kind: str, toy: Toy, seed: int, progress=None) -> TrainReport:
    from_cache = lab_train.cached(kind, toy, seed) is not None
    trained = lab_train.get(kind, toy, seed, progress)
    samples = lab_sample.samples(trained, N_SAMPLES, _g(seed))
    return TrainReport(trained, samples, M.fit(samples, toy.points), M.coverage(toy.name, samples), from_cache)


@dataclass(frozen=True, eq=False)
class PathReport:
    kind: str
    paths: lab_sample.Paths
    straightness: float
    fit: M.Fit
    sampler: str  # "ancestral" or "ddim" (DDPM), "euler" or "heun" (flow): the tab puts it into words
    steps: int


def _report(kind: str, paths: lab_sample.Paths, toy: Toy, sampler: str, steps: int) -> PathReport:
    return PathReport(kind, paths, float(straightness(paths.states, pooled=True)), M.fit(paths.samples, toy.points), sampler, steps)


def _check_particles(n: int) -> None:
    if not 1 <= n <= MAX_PARTICLES:
        raise Problem("LAB_PARTICLES", hi=MAX_PARTICLES, n=n)


def compare_paths(toy: Toy, seed: int, steps: int, ddpm_sampler: str, flow_method: str, n: int,
                  progress=None) -> tuple[PathReport, PathReport]:
    """DDPM and flow from the same noise (same seed), the same number of steps."""
    _check_particles(n)
    lab_sample.check(n, steps)
    half = progress and (lambda f, *at: progress(f / 2, *at))
    rest = progress and (lambda f, *at: progress(0.5 + f / 2, *at))
    ddpm, flow = lab_train.get("ddpm", toy, seed, half), lab_train.get("flow", toy, seed, rest)
    d = lab_sample.ddpm_paths(ddpm, n, steps, _g(seed), ddpm_sampler)
    f = lab_sample.flow_paths(flow, n, steps, _g(seed), flow_method)
    return _report("ddpm", d, toy, ddpm_sampler, steps), _report("flow", f, toy, flow_method, steps)


def compare_reflow(toy: Toy, seed: int, steps: int, n: int, progress=None) -> tuple[PathReport, PathReport]:
    """The first flow and its reflowed copy from the same noise, `steps` Euler steps each."""
    _check_particles(n)
    lab_sample.check(n, steps)
    reflow = lab_train.get("reflow", toy, seed, progress)
    flow = lab_train.get("flow", toy, seed)  # trained on the way to reflow
    out = []
    for kind, model in (("flow", flow), ("reflow", reflow)):
        p = lab_sample.flow_paths(model, n, steps, _g(seed), "euler")
        out.append(_report(kind, p, toy, "euler", steps))
    return out[0], out[1]


@dataclass(frozen=True, eq=False)
class FieldReport:
    points: torch.Tensor  # (FIELD_SIDE^2, 2)
    vectors: torch.Tensor
    particles: torch.Tensor  # where noise particles are at this t (the same seed's paths)
    t: float


def field(kind: str, toy: Toy, seed: int, t: float, progress=None) -> FieldReport:
    """Arrows on a grid at time t, with the particles of a 300-particle run caught at that time."""
    trained = lab_train.get(kind, toy, seed, progress)
    pts = lab_sample.grid_points(FIELD_SIDE, 3.0)
    steps = 50
    paths = (lab_sample.ddpm_paths(trained, 300, steps, _g(seed), "ddim") if kind == "ddpm"
             else lab_sample.flow_paths(trained, 300, steps, _g(seed)))
    at = min(range(len(paths.times)), key=lambda i: abs(paths.times[i] - t))
    return FieldReport(pts, lab_sample.field(trained, pts, t), paths.states[at], t)


def dataset(name: str, seed: int, points=None) -> Toy:
    return lab_datasets.load(name, seed, points)


def drawing_points(sketch, seed: int) -> str:
    """A drawing as the points text the other requests carry."""
    return lab_datasets.points_text(lab_datasets.from_drawing(sketch, lab_datasets.N_POINTS, seed))
