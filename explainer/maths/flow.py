"""Flow matching's straight (rectified-flow) path between a picture and Gaussian noise.

Convention shared with diffusion.py: time runs from data (t = 0) to noise (t = 1), so
    x_t = (1 - t) x_0 + t eps,   and the velocity along the path is  dx_t/dt = eps - x_0.
Unlike DDPM's variance-preserving path, the total variance dips in the middle (at t = 1/2 a
unit-variance x_0 and eps give variance 1/2): the path is a straight line, not an arc.
"""
from __future__ import annotations

import torch


def path_coefficients(t: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(signal, noise) coefficients of the straight path at time(s) t in [0, 1]."""
    return 1.0 - t, t  # a_t = 1 - t,  s_t = t


def straight_path(x0: torch.Tensor, eps: torch.Tensor, t: float | torch.Tensor) -> torch.Tensor:
    """x_t = (1 - t) x_0 + t eps (t a float, or one value per batch item)."""
    t = torch.as_tensor(t, dtype=x0.dtype, device=x0.device)
    if t.ndim == 1:
        t = t.view(-1, *([1] * (x0.ndim - 1)))
    return (1.0 - t) * x0 + t * eps


def straightness(states: torch.Tensor, pooled: bool = False) -> torch.Tensor:
    """How much longer than a straight line sampling paths are: length travelled over the distance between the
    ends, 1 for a straight line. states: (steps + 1, N, D), N particles. One ratio per particle (N,), or pooled:
    summed lengths over summed distances, so that particles barely moving weigh little."""
    lengths = (states[1:] - states[:-1]).norm(dim=-1)  # (steps, N)
    chords = (states[-1] - states[0]).norm(dim=-1)  # (N,)
    if pooled:
        return lengths.sum() / chords.sum().clamp(min=1e-12)
    return lengths.sum(0) / chords.clamp(min=1e-12)


def velocity(x0: torch.Tensor, eps: torch.Tensor) -> torch.Tensor:
    """The target a flow-matching network learns to predict: u = eps - x_0, constant along the path."""
    return eps - x0
