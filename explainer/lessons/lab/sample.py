"""Sampling the 2-D lab's trained models, keeping every particle's whole path from noise (t = 1) to data (t = 0).

- Flow matching (and reflow) integrates dx/dt = v(x, t) backwards with ode.euler or ode.heun.
- DDPM runs the reverse chain on its T = 100 grid with diffusion_samplers.ddim_step: eta = 1 is DDPM's ancestral sampler
  (fresh noise every step, jagged paths), eta = 0 is DDIM, the deterministic probability-flow counterpart
  (smooth but curved paths). The predicted x_0 is clipped to the box the data lives in, the 2-D counterpart of
  clipping pixels to [-1, 1]: near t = 1 the cosine schedule divides by a tiny signal coefficient.
- The GAN is one pass of its generator: no path at all.
Fields for the arrows: flow's -v (where a particle moves as t falls) and DDPM's score -eps / s_t (towards data).
All randomness comes from the explicit torch.Generator passed in; the work runs on one torch thread (tiny ops).
"""
from __future__ import annotations

from dataclasses import dataclass

import torch

from explainer.maths import ode
from explainer.maths.diffusion_samplers import ddim_step, timesteps
from explainer.runtime.threads import one_thread
from explainer.lessons.lab.train import SCHEDULE, T, Trained
from explainer.runtime.problems import Problem

BOX = 3.5  # the datasets lie within [-2.5, 2.5]^2; predicted x_0 is clipped to [-BOX, BOX]
MAX_PARTICLES = 2000
MAX_STEPS = T
DDPM_SAMPLERS = {"ancestral": 1.0, "ddim": 0.0}  # name -> eta


@dataclass(frozen=True, eq=False)
class Paths:
    states: torch.Tensor  # (steps + 1, N, 2): noise first, samples last
    times: list[float]  # t of each state, 1.0 down to 0.0
    nfe: int  # network evaluations per particle

    @property
    def samples(self) -> torch.Tensor:
        return self.states[-1]


def check(n: int, steps: int) -> None:
    if not 1 <= n <= MAX_PARTICLES:
        raise Problem("LAB_PARTICLES", hi=MAX_PARTICLES, n=n)
    if not 1 <= steps <= MAX_STEPS:
        raise Problem("STEPS_RANGE", hi=MAX_STEPS, steps=steps)


@one_thread()
@torch.no_grad()
def flow_paths(trained: Trained, n: int, steps: int, g: torch.Generator, method: str = "euler") -> Paths:
    check(n, steps)
    x = torch.randn(n, 2, generator=g)
    grid = ode.time_grid(steps)
    states, nfe = [x], 0
    for s in ode.solver(method)(lambda x, t: trained.model(x, t), x, grid):
        states.append(s.x)
        nfe = s.nfe
    return Paths(torch.stack(states), grid, nfe)


@one_thread()
@torch.no_grad()
def ddpm_paths(trained: Trained, n: int, steps: int, g: torch.Generator, sampler: str = "ancestral") -> Paths:
    """The reverse chain on `steps` of the T-step grid (all T for DDPM proper)."""
    check(n, steps)
    if sampler not in DDPM_SAMPLERS:
        raise Problem("LAB_DDPM_SAMPLER", samplers=", ".join(DDPM_SAMPLERS))
    eta, ab = DDPM_SAMPLERS[sampler], SCHEDULE.alpha_bar.tolist()
    x = torch.randn(n, 2, generator=g)
    grid = timesteps(steps, T)
    states = [x]
    for k, k_prev in zip(grid[:-1], grid[1:]):
        eps = trained.model(x, k / T)
        noise = torch.randn(x.shape, generator=g) if eta > 0 and k_prev > 0 else None
        x, _ = ddim_step(x, eps, ab[k], ab[k_prev], eta, noise, bound=BOX)  # DDIM eq. 12 (eta = 1: DDPM), x_0 clipped
        states.append(x)
    return Paths(torch.stack(states), [k / T for k in grid], steps)


@one_thread()
@torch.no_grad()
def gan_samples(trained: Trained, n: int, g: torch.Generator) -> torch.Tensor:
    check(n, 1)
    return trained.model(torch.randn(n, trained.model.cfg.latent, generator=g))


def samples(trained: Trained, n: int, g: torch.Generator) -> torch.Tensor:
    """Each model's default way to sample: DDPM ancestral over all T steps, flow Euler in 50 steps, GAN one pass."""
    if trained.kind == "gan":
        return gan_samples(trained, n, g)
    if trained.kind == "ddpm":
        return ddpm_paths(trained, n, T, g).samples
    return flow_paths(trained, n, 50, g).samples  # flow and reflow


@one_thread()
@torch.no_grad()
def field(trained: Trained, points: torch.Tensor, t: float) -> torch.Tensor:
    """The direction generation pushes each point at time t: flow's -v(x, t); DDPM's score -eps(x, t) / s_t."""
    if trained.kind == "gan":
        raise Problem("LAB_GAN_NO_FIELD")
    if not 0.0 <= t <= 1.0:
        raise Problem("LAB_FIELD_T", t=t)
    if trained.kind in ("flow", "reflow"):
        return -trained.model(points, t)
    k = min(max(round(t * T), 1), T)  # DDPM's network was trained on k = 1..T
    return -trained.model(points, k / T) / float(SCHEDULE.noise[k])  # score = grad log p_t = -eps / s_t


def grid_points(side: int = 17, half: float = 3.0) -> torch.Tensor:
    """side x side points on [-half, half]^2, where the arrows are drawn."""
    axis = torch.linspace(-half, half, side)
    yy, xx = torch.meshgrid(axis, axis, indexing="ij")
    return torch.stack([xx.reshape(-1), yy.reshape(-1)], 1)
