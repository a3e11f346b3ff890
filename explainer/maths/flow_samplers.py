"""Sampling a rectified-flow model: integrate dx/dt = v(x, t, y) from noise (t = 1) to a picture (t = 0).

The network predicts the velocity of the straight path x_t = (1 - t) x_0 + t eps (see flow.py), so at any
state it also names its guess of both ends: x_0 = x_t - t v and eps = x_t + (1 - t) v. The steps are
ode.euler's (one evaluation per step) or ode.heun's (the trapezoidal rule: two, second-order accurate).
Classifier-free guidance mixes velocities exactly as DDIM mixes noise predictions.

Like samplers.progressive, `progressive` yields one samplers.Step per solver step; its `k` counts the steps
still to go (the flow has no discrete chain), its `t` is the time reached.
"""
from __future__ import annotations

from collections.abc import Iterator

import torch

from explainer.maths import flow, ode
from explainer.maths.diffusion_samplers import MAX_GUIDANCE, Step, guided_eps, labels_tensor
from explainer.maths.steps import drain
from explainer.runtime.problems import Problem

SOLVERS = ode.METHODS
MAX_STEPS = 100
PIXELS = (1, 28, 28)


def check_settings(solver: str, steps: int, guidance: float, t_start: float = 1.0) -> None:
    if solver not in SOLVERS:
        raise Problem("SOLVER_UNKNOWN", solvers=", ".join(SOLVERS), solver=solver)
    if not 1 <= steps <= MAX_STEPS:
        raise Problem("STEPS_RANGE", hi=MAX_STEPS, steps=steps)
    if not 0 <= guidance <= MAX_GUIDANCE:
        raise Problem("GUIDANCE_RANGE", hi=MAX_GUIDANCE, guidance=guidance)
    if not 0 < t_start <= 1:
        raise Problem("FLOW_START_RANGE", t=t_start)


def start_state(n: int, generator: torch.Generator, x_start: torch.Tensor | None = None, t_start: float = 1.0,
                shape: tuple[int, ...] = PIXELS):
    """x_1 ~ N(0, I) (the same first draw as the diffusion samplers make), or a picture moved to t_start.
    `shape`: one sample's shape (a picture; a latent map for latent diffusion)."""
    noise = torch.randn((n, *shape), generator=generator, device=generator.device)
    if x_start is None:
        if t_start < 1:
            raise Problem("START_BELOW_1_NEEDS_PICTURE")
        return noise
    return flow.straight_path(x_start.to(noise.device).expand_as(noise), noise, t_start)


@torch.inference_mode()  # not no_grad: lighter per-op bookkeeping, which counts in a 1000-pass run at batch 1
def progressive(model, n: int, generator: torch.Generator, *, label=None, guidance: float = 1.0,
                solver: str = "euler", steps: int = 10, x_start: torch.Tensor | None = None,
                t_start: float = 1.0, shape: tuple[int, ...] = PIXELS) -> Iterator[Step]:
    """Yield every solver step for n images, from noise (or a picture moved to t_start) down to t = 0."""
    guidance = float(guidance)
    check_settings(solver, steps, guidance, t_start)
    y = labels_tensor(label, n, generator.device)
    cost = 1  # evaluations per image of one guided velocity (two when guidance mixes two passes)

    def velocity(x, t):
        nonlocal cost
        v, cost = guided_eps(model, x, t, y, guidance)
        return v

    x = start_state(n, generator, x_start, t_start, shape)
    t = t_start
    for s in ode.solver(solver)(velocity, x, ode.time_grid(steps, t_start)):
        # where the straight line through the step's start, with its first slope, meets t = 0 and t = 1
        x0, eps = x - t * s.v_start, x + (1 - t) * s.v_start
        yield Step(s.index, steps - s.index, s.t, s.x, x0, eps, s.nfe * cost)
        x, t = s.x, s.t


def final(*args, **kwargs) -> torch.Tensor:
    """The picture at the end of `progressive(...)` (same arguments)."""
    return drain(progressive(*args, **kwargs)).x_t.clamp(-1, 1)
