"""Sampling a rectified-flow model: integrate dx/dt = v(x, t, y) from noise (t = 1) to a picture (t = 0).

The network predicts the velocity of the straight path x_t = (1 - t) x_0 + t eps (see flow.py), so at any
state it also names its guess of both ends: x_0 = x_t - t v and eps = x_t + (1 - t) v. Euler takes one
evaluation per step; Heun (the trapezoidal rule: average the slope at both ends of the step) takes two and
is second-order accurate. Classifier-free guidance mixes velocities exactly as DDIM mixes noise predictions.

Like samplers.progressive, `progressive` yields one samplers.Step per solver step; its `k` counts the steps
still to go (the flow has no discrete chain), its `t` is the time reached.
"""
from __future__ import annotations

from collections.abc import Iterator

import torch

from explainer.maths import flow
from explainer.maths.diffusion_samplers import MAX_GUIDANCE, Step, guided_eps, labels_tensor
from explainer.runtime.problems import Problem

SOLVERS = ("euler", "heun")
MAX_STEPS = 100


def time_grid(steps: int, t_start: float = 1.0) -> list[float]:
    """Uniform grid t_start = t_0 > t_1 > ... > t_steps = 0."""
    return [t_start * (1 - i / steps) for i in range(steps + 1)]


def check_settings(solver: str, steps: int, guidance: float, t_start: float = 1.0) -> None:
    if solver not in SOLVERS:
        raise Problem("SOLVER_UNKNOWN", solvers=", ".join(SOLVERS), solver=solver)
    if not 1 <= steps <= MAX_STEPS:
        raise Problem("STEPS_RANGE", hi=MAX_STEPS, steps=steps)
    if not 0 <= guidance <= MAX_GUIDANCE:
        raise Problem("GUIDANCE_RANGE", hi=MAX_GUIDANCE, guidance=guidance)
    if not 0 < t_start <= 1:
        raise Problem("FLOW_START_RANGE", t=t_start)


def start_state(n: int, generator: torch.Generator, x_start: torch.Tensor | None = None, t_start: float = 1.0):
    """x_1 ~ N(0, I) (the same first draw as the diffusion samplers make), or a picture moved to t_start."""
    noise = torch.randn((n, 1, 28, 28), generator=generator, device=generator.device)
    if x_start is None:
        if t_start < 1:
            raise Problem("START_BELOW_1_NEEDS_PICTURE")
        return noise
    return flow.straight_path(x_start.to(noise.device).expand_as(noise), noise, t_start)


@torch.inference_mode()  # not no_grad: lighter per-op bookkeeping, which counts in a 1000-pass run at batch 1
def progressive(model, n: int, generator: torch.Generator, *, label=None, guidance: float = 1.0,
                solver: str = "euler", steps: int = 10, x_start: torch.Tensor | None = None,
                t_start: float = 1.0) -> Iterator[Step]:
    """Yield every solver step for n images, from noise (or a picture moved to t_start) down to t = 0."""
    guidance = float(guidance)
    check_settings(solver, steps, guidance, t_start)
    y = labels_tensor(label, n, generator.device)
    x = start_state(n, generator, x_start, t_start)
    grid, nfe = time_grid(steps, t_start), 0
    for i, (t, t_next) in enumerate(zip(grid[:-1], grid[1:]), start=1):
        v, cost = guided_eps(model, x, t, y, guidance)  # 1. velocity at the step's start
        x0, eps = x - t * v, x + (1 - t) * v  # 2. where the straight line through x with slope v meets t = 0, 1
        dt = t_next - t  # negative: time runs towards the data
        if solver == "heun":
            v_end, extra = guided_eps(model, x + dt * v, t_next, y, guidance)  # 3. slope at the Euler guess
            x, cost = x + dt * (v + v_end) / 2, cost + extra  # 4. trapezoidal rule
        else:
            x = x + dt * v
        nfe += cost
        yield Step(i, steps - i, t_next, x, x0, eps, nfe)


def final(*args, **kwargs) -> torch.Tensor:
    """The picture at the end of `progressive(...)` (same arguments)."""
    last = None
    for last in progressive(*args, **kwargs):
        pass
    return last.x_t.clamp(-1, 1)
