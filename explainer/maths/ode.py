"""Euler and Heun integrators for the generative ODE dx/dt = v(x, t), run from noise (t = 1) to data (t = 0).

Convention (flow.py, diffusion.py): time runs from data (t = 0) to noise (t = 1), and a flow-matching network
predicts v = dx_t/dt = eps - x_0. Sampling walks that ODE backwards, so every time grid here decreases and the
step h = t_next - t is negative: x_next = x + h v.

Both integrators are generators yielding one `OdeStep` per step (the state reached, its time and the network
evaluations so far); `integrate` drains one and returns the last state. `v(x, t)` is any callable taking the batch
x (N, ...) and a float t and returning a tensor of x's shape: a trained network or, in the tests, an analytic
field whose exact solution is known. Euler's error shrinks like h, Heun's (the trapezoid rule with an Euler
predictor) like h^2, for twice the evaluations per step.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import torch

from explainer.maths.steps import drain
from explainer.runtime.problems import Problem

Field = Callable[[torch.Tensor, float], torch.Tensor]
METHODS = ("euler", "heun")


@dataclass(frozen=True)
class OdeStep:
    index: int  # 1..n, position in this run
    t: float  # time reached by this step
    x: torch.Tensor  # state at t
    v: torch.Tensor  # the velocity the step moved along (Heun: the average of its two slopes)
    v_start: torch.Tensor  # the slope at the step's start (Euler: v itself)
    nfe: int  # evaluations of v so far


def time_grid(steps: int, t_start: float = 1.0, t_end: float = 0.0) -> list[float]:
    """`steps` equal steps from t_start (noise) down to t_end (data)."""
    steps = int(steps)
    if steps < 1:
        raise Problem("ODE_STEPS", steps=steps)
    if not 0.0 <= t_end < t_start <= 1.0:
        raise Problem("ODE_TIMES", t_start=t_start, t_end=t_end)
    return [t_end + (t_start - t_end) * (1 - i / steps) for i in range(steps + 1)]


def _check_grid(t_grid: Sequence[float]) -> list[float]:
    ts = [float(t) for t in t_grid]
    if len(ts) < 2 or any(b >= a for a, b in zip(ts, ts[1:])):
        raise Problem("ODE_GRID")
    return ts


def euler(v: Field, x: torch.Tensor, t_grid: Sequence[float]) -> Iterator[OdeStep]:
    """x_{i+1} = x_i + h_i v(x_i, t_i): one evaluation per step, first-order accurate."""
    ts = _check_grid(t_grid)
    for i, (t, t_next) in enumerate(zip(ts[:-1], ts[1:]), start=1):
        slope = v(x, t)
        x = x + (t_next - t) * slope
        yield OdeStep(i, t_next, x, slope, slope, i)


def heun(v: Field, x: torch.Tensor, t_grid: Sequence[float]) -> Iterator[OdeStep]:
    """Heun's method: an Euler guess, then the average of the slopes at both ends. Two evaluations per step,
    second-order accurate (halving the step divides the error by about four)."""
    ts = _check_grid(t_grid)
    for i, (t, t_next) in enumerate(zip(ts[:-1], ts[1:]), start=1):
        h = t_next - t
        k1 = v(x, t)  # 1. slope where we stand
        k2 = v(x + h * k1, t_next)  # 2. slope where Euler would land
        slope = 0.5 * (k1 + k2)  # 3. trapezoid rule
        x = x + h * slope
        yield OdeStep(i, t_next, x, slope, k1, 2 * i)


def solver(method: str):
    if method not in METHODS:
        raise Problem("ODE_METHOD", methods=", ".join(METHODS), method=method)
    return euler if method == "euler" else heun


def integrate(v: Field, x: torch.Tensor, t_grid: Sequence[float], method: str = "euler") -> torch.Tensor:
    """The state at the grid's last time (drains the generator)."""
    return drain(solver(method)(v, x, t_grid)).x
