"""Noise schedules and the forward (noising) process of diffusion models.

Conventions (shared with flow.py and the rest of the app):
- Time runs from data (t = 0) to noise (t = 1). A schedule of T steps lives on the grid k = 0..T with
  t = k / T; k = 0 is the untouched picture, k = T the end of the chain.
- Every path here is Gaussian:  x_t = a_t x_0 + s_t eps,  eps ~ N(0, I).  a_t is the signal coefficient,
  s_t the noise coefficient, and log-SNR = log(a_t^2 / s_t^2).
- DDPM's step k adds a little noise:  x_k = sqrt(1 - beta_k) x_{k-1} + sqrt(beta_k) eps_k.  Index k here is
  diffusers' timestep k - 1 (diffusers counts the first noisy step as 0).

Tensors are float32 and computed the way diffusers computes them (betas from float64 formulas, cumulative
product in float32), so they agree with it to ~1e-7.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from explainer.maths import flow
from explainer.runtime.problems import Problem

DEFAULT_T = 1000
KINDS = ("linear", "cosine", "flow")
KIND_LABELS = {"linear": "linear β (DDPM)", "cosine": "cosine (improved DDPM)", "flow": "straight path (flow matching)"}


def linear_betas(T: int, beta_start: float = 1e-4, beta_end: float = 0.02) -> torch.Tensor:
    """DDPM (Ho et al., 2020): betas grow linearly from 1e-4 to 0.02 over T = 1000 steps."""
    return torch.linspace(beta_start, beta_end, T, dtype=torch.float64).float()  # beta_k


def cosine_alpha_bar(t: torch.Tensor, s: float = 0.008) -> torch.Tensor:
    """Improved DDPM (Nichol & Dhariwal, 2021): alpha-bar follows a squared cosine in t."""
    return torch.cos((t + s) / (1 + s) * math.pi / 2) ** 2  # f(t) = cos^2(((t + s) / (1 + s)) * pi / 2)


def cosine_betas(T: int, s: float = 0.008, max_beta: float = 0.999) -> torch.Tensor:
    """Betas that make the chain's alpha-bar follow the cosine; capped so the last step is not pure noise-by-division."""
    f = cosine_alpha_bar(torch.arange(T + 1, dtype=torch.float64) / T, s)
    return (1 - f[1:] / f[:-1]).clamp(max=max_beta).float()  # beta_k = min(1 - f(k/T) / f((k-1)/T), 0.999)


@dataclass(frozen=True, eq=False)
class Schedule:
    """One noising path on the grid k = 0..T (t = k / T)."""

    kind: str
    T: int
    signal: torch.Tensor  # (T+1,) a_k, with x_k = a_k x_0 + s_k eps
    noise: torch.Tensor  # (T+1,) s_k
    betas: torch.Tensor | None  # (T,) betas[k-1] = beta_k for DDPM kinds; None for the flow path

    @property
    def alphas(self) -> torch.Tensor:
        return 1.0 - self.betas  # alpha_k = 1 - beta_k

    @property
    def alpha_bar(self) -> torch.Tensor:
        return self.signal**2  # alpha-bar_k = prod_{i<=k} alpha_i (DDPM), (1 - t)^2 for flow

    @property
    def t(self) -> torch.Tensor:
        return torch.arange(self.T + 1, dtype=torch.float32) / self.T

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    def log_snr(self) -> torch.Tensor:
        """log(a^2 / s^2) at every k: +inf at k = 0 (no noise yet), -inf at the flow path's end (no signal left)."""
        return 2 * (torch.log(self.signal) - torch.log(self.noise))  # lambda_t = log(a_t^2 / s_t^2)

    def index(self, t) -> torch.Tensor:
        """Nearest grid index k of time(s) t in [0, 1]."""
        t = torch.as_tensor(t, dtype=torch.float64)
        if not torch.isfinite(t).all() or (t < 0).any() or (t > 1).any():
            raise Problem("NOISE_T_RANGE")
        return torch.round(t * self.T).long()

    def coefficients(self, t) -> tuple[torch.Tensor, torch.Tensor]:
        """(a_t, s_t) at the grid point nearest to t."""
        k = self.index(t)
        return self.signal[k], self.noise[k]

    def step_coefficients(self) -> tuple[torch.Tensor, torch.Tensor]:
        """The small step k-1 -> k, x_k = r_k x_{k-1} + sigma_k eps_k, that keeps every marginal equal to the
        closed form. For DDPM r_k = sqrt(alpha_k) and sigma_k^2 = beta_k; the same formula serves the flow path."""
        r = self.signal[1:] / self.signal[:-1]  # r_k = a_k / a_{k-1}
        var = self.noise[1:] ** 2 - r**2 * self.noise[:-1] ** 2  # sigma_k^2 = s_k^2 - r_k^2 s_{k-1}^2
        return r, var.clamp(min=0).sqrt()


def _from_betas(kind: str, betas: torch.Tensor) -> Schedule:
    alpha_bar = torch.cumprod(1.0 - betas, dim=0)  # alpha-bar_k = prod_{i=1..k} (1 - beta_i)
    alpha_bar = torch.cat([torch.ones(1), alpha_bar])  # k = 0: nothing added yet
    return Schedule(kind, len(betas), alpha_bar.sqrt(), (1.0 - alpha_bar).sqrt(), betas)


def make_schedule(kind: str, T: int = DEFAULT_T) -> Schedule:
    """'linear' (DDPM), 'cosine' (improved DDPM) or 'flow' (straight path), on T steps."""
    T = int(T)
    if not 1 <= T <= 100_000:
        raise Problem("SCHEDULE_T_RANGE", T=T)
    if kind == "linear":
        return _from_betas(kind, linear_betas(T))
    if kind == "cosine":
        return _from_betas(kind, cosine_betas(T))
    if kind == "flow":
        a, s = flow.path_coefficients(torch.arange(T + 1, dtype=torch.float64) / T)
        return Schedule(kind, T, a.float(), s.float(), None)
    raise Problem("SCHEDULE_UNKNOWN", kinds=", ".join(KINDS), kind=kind)


def _per_item(c: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """One value per batch item, shaped to broadcast over (N, ...)."""
    return c.to(device=x.device, dtype=x.dtype).view(-1, *([1] * (x.ndim - 1)))


def q_sample(x0, t, eps, schedule: Schedule):
    """Jump straight to time t:  x_t = a_t x_0 + s_t eps.

    x0 and eps are torch tensors, or numpy arrays when t is one number (numpy is single-threaded and so
    predictable for per-pixel work on a busy 2-core machine). t is a float or, for tensors, one per item."""
    a, s = schedule.coefficients(t)
    if a.ndim == 0:
        return float(a) * x0 + float(s) * eps  # x_t = sqrt(alpha-bar_t) x_0 + sqrt(1 - alpha-bar_t) eps
    return _per_item(a, x0) * x0 + _per_item(s, x0) * eps


def _randn_like(x, generator: torch.Generator):
    eps = torch.randn(tuple(x.shape), generator=generator, device=getattr(x, "device", "cpu"))
    return eps.to(x.dtype) if isinstance(x, torch.Tensor) else eps.numpy().astype(x.dtype, copy=False)


def noise_steps(x, k_from: int, k_to: int, schedule: Schedule, generator: torch.Generator):
    """Walk the chain one small step at a time from index k_from to k_to, fresh noise each step (q(x_k | x_{k-1})).
    x is a torch tensor or a numpy array; the noise comes from the torch generator either way."""
    if not 0 <= k_from <= k_to <= schedule.T:
        raise Problem("FORWARD_STEPS", T=schedule.T, k_from=k_from, k_to=k_to)
    r, sigma = (c.tolist() for c in schedule.step_coefficients())
    for k in range(k_from + 1, k_to + 1):
        x = r[k - 1] * x + sigma[k - 1] * _randn_like(x, generator)  # x_k = sqrt(alpha_k) x_{k-1} + sqrt(beta_k) eps_k
    return x


def normal_pdf(x: np.ndarray) -> np.ndarray:
    """The N(0, 1) density, where the forward process ends."""
    return np.exp(-0.5 * x**2) / math.sqrt(2 * math.pi)
