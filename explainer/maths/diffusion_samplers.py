"""The reverse (denoising) process of diffusion: DDPM ancestral and DDIM samplers with classifier-free guidance.

Conventions (see diffusion.py): the chain index k runs 0..T, t = k / T, alpha-bar_k = schedule.alpha_bar[k] with
alpha-bar_0 = 1 (the clean picture). diffusers counts the same steps from 0, so its timestep tau is our k - 1, and
our grid of `steps` points k_i = round(k_start * i / steps) is diffusers' "trailing" spacing.

The primitive is a generator: `progressive(...)` yields one `Step` per network evaluation round, from noise to
the picture, and `final(...)` just drains it (steps.drain) (as improved-diffusion's p_sample_loop drains
p_sample_loop_progressive). The UI streams the steps, metrics drain them. All randomness comes from the
explicit torch.Generator passed in: the same seed gives the same digits on the same device.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import torch

from explainer.maths.diffusion import Schedule, q_sample
from explainer.maths.steps import drain
from explainer.models.unet import NULL_CLASS
from explainer.runtime.problems import Problem

SAMPLERS = ("ddpm", "ddim")
MAX_GUIDANCE = 20.0


@dataclass(frozen=True)
class Step:
    """One reverse step k -> k_prev; x_t is the new state at t = k_prev / T (the last one is the picture)."""

    index: int  # 1..n, position in this run
    k: int  # chain index reached by this step (k_prev)
    t: float  # k / T
    x_t: torch.Tensor  # (N, 1, 28, 28) state after the step
    x0: torch.Tensor  # the network's guess of the clean picture, made at the step's start
    eps: torch.Tensor  # the (guided) noise it predicted there
    nfe: int  # network evaluations per image so far (a guided step costs two: with and without prompt)


def timesteps(steps: int, k_start: int) -> list[int]:
    """Grid k_start = k_n > ... > k_0 = 0 with k_i = round(k_start * i / steps), each step at least one index."""
    if not 1 <= steps <= k_start:
        raise Problem("DDIM_GRID_STEPS", k_start=k_start, steps=steps)
    return [round(k_start * i / steps) for i in range(steps, -1, -1)]


def predict_x0(x_k: torch.Tensor, eps: torch.Tensor, ab_k: float) -> torch.Tensor:
    """Invert the forward jump (DDPM eq. 15): x0 = (x_k - sqrt(1 - ab_k) eps) / sqrt(ab_k)."""
    return (x_k - (1 - ab_k) ** 0.5 * eps) / ab_k**0.5


def ddpm_step(x_k, eps, ab_k: float, ab_prev: float, noise, clip: bool = True):
    """Ancestral step k -> k_prev of DDPM (Ho et al. 2020), with the posterior of eqs. 6-7. For a strided grid the
    step's own beta is 1 - ab_k / ab_prev (as diffusers does). Returns (x_prev, predicted x0)."""
    alpha = ab_k / ab_prev  # 1. alpha of this (possibly strided) step
    beta = 1 - alpha
    x0 = predict_x0(x_k, eps, ab_k)  # 2. the clean picture the noise implies (eq. 15)
    if clip:
        x0 = x0.clamp(-1, 1)  # pixels live in [-1, 1]
    c0 = ab_prev**0.5 * beta / (1 - ab_k)  # 3. posterior mean (eq. 7): c0 x0 + ck x_k
    ck = alpha**0.5 * (1 - ab_prev) / (1 - ab_k)
    mean = c0 * x0 + ck * x_k
    if ab_prev >= 1.0:  # 4. the last step lands on the picture: no noise
        return mean, x0
    var = max((1 - ab_prev) / (1 - ab_k) * beta, 1e-20)  # 5. beta-tilde, the "fixed small" variance (eq. 7)
    return mean + var**0.5 * noise, x0


def ddim_step(x_k, eps, ab_k: float, ab_prev: float, eta: float, noise, clip: bool = True, bound: float = 1.0):
    """DDIM step k -> k_prev (Song et al. 2021, eq. 12). eta = 0: deterministic; eta = 1: DDPM's variance.
    Returns (x_prev, predicted x0). `clip` keeps the predicted x0 in [-bound, bound]: pixels live in [-1, 1],
    the 2-D lab's points in a wider box.

    When x0 is clipped, the noise is re-derived from the clipped x0 (as improved-diffusion does, diffusers'
    use_clipped_model_output): otherwise the step mixes a clipped picture with noise that implies another
    one, and an imperfect network's deterministic path drifts into scribbles."""
    x0 = predict_x0(x_k, eps, ab_k)  # 1. "predicted x0" of eq. 12
    if clip:
        x0 = x0.clamp(-bound, bound)
        eps = (x_k - ab_k**0.5 * x0) / (1 - ab_k) ** 0.5  # the noise that this x0 implies
    sigma = eta * ((1 - ab_prev) / (1 - ab_k) * (1 - ab_k / ab_prev)) ** 0.5  # 2. eq. 16
    direction = max(1 - ab_prev - sigma**2, 0.0) ** 0.5 * eps  # 3. "direction pointing to x_t"
    x_prev = ab_prev**0.5 * x0 + direction  # 4. eq. 12 without its random term
    if sigma > 0 and noise is not None:
        x_prev = x_prev + sigma * noise  # 5. "random noise" term
    return x_prev, x0


def guided_eps(model, x: torch.Tensor, t: float, y: torch.Tensor, w: float) -> tuple[torch.Tensor, int]:
    """Classifier-free guidance: eps = eps_null + w (eps_cond - eps_null). Returns (eps, evaluations per image).
    w = 0 (or no prompt) needs only the unconditional pass, w = 1 only the conditional one; otherwise both go
    through the network as one batch of 2N."""
    tt = torch.full((len(x),), t, device=x.device)
    null = torch.full_like(y, NULL_CLASS)
    if w == 0 or bool((y == NULL_CLASS).all()):
        return model(x, tt, null), 1
    if w == 1:
        return model(x, tt, y), 1
    eps_cond, eps_null = model(torch.cat([x, x]), torch.cat([tt, tt]), torch.cat([y, null])).chunk(2)
    return eps_null + w * (eps_cond - eps_null), 2


def labels_tensor(label, n: int, device) -> torch.Tensor:
    """A prompt for each of n images: None (no prompt), one digit for all, or a sequence of n digits."""
    if label is None:
        return torch.full((n,), NULL_CLASS, dtype=torch.long, device=device)
    y = torch.as_tensor(label, dtype=torch.long, device=device).reshape(-1)
    if len(y) == 1:
        y = y.expand(n).clone()
    if len(y) != n or bool(((y < 0) | (y > NULL_CLASS)).any()):
        raise Problem("SAMPLER_LABELS", n=n, null=NULL_CLASS)
    return y


def check_settings(sampler: str, steps: int, eta: float, guidance: float, k_start: int, T: int) -> None:
    if sampler not in SAMPLERS:
        raise Problem("SAMPLER_UNKNOWN", samplers=", ".join(SAMPLERS), sampler=sampler)
    if not 1 <= k_start <= T:
        raise Problem("SAMPLER_START", T=T, k_start=k_start)
    timesteps(steps, k_start)
    if not 0 <= eta <= 1:
        raise Problem("ETA_RANGE", eta=eta)
    if not 0 <= guidance <= MAX_GUIDANCE:
        raise Problem("GUIDANCE_RANGE", hi=MAX_GUIDANCE, guidance=guidance)


@torch.inference_mode()  # not no_grad: lighter per-op bookkeeping, which counts in a 1000-pass run at batch 1
def progressive(model, n: int, schedule: Schedule, generator: torch.Generator, *, label=None, guidance: float = 1.0,
                sampler: str = "ddim", steps: int = 50, eta: float = 0.0, x_start: torch.Tensor | None = None,
                k_start: int | None = None, clip: bool = True) -> Iterator[Step]:
    """Yield every step of the reverse process for n images, from pure noise (or from `x_start`, a clean picture
    noised to index k_start: SDEdit) down to k = 0."""
    k_start = schedule.T if k_start is None else int(k_start)
    guidance = float(guidance)
    check_settings(sampler, steps, eta, guidance, k_start, schedule.T)
    device = generator.device
    y = labels_tensor(label, n, device)
    x = start_state(n, schedule, generator, x_start, k_start)
    ab = schedule.alpha_bar.tolist()
    grid, nfe = timesteps(steps, k_start), 0
    for i, (k, k_prev) in enumerate(zip(grid[:-1], grid[1:]), start=1):
        x, x0, eps, cost = advance(model, x, k, k_prev, y, ab, generator, sampler=sampler, eta=eta,
                                   guidance=guidance, T=schedule.T, clip=clip)
        nfe += cost
        yield Step(i, k_prev, k_prev / schedule.T, x, x0, eps, nfe)


def start_state(n: int, schedule: Schedule, generator: torch.Generator, x_start=None, k_start: int | None = None):
    """x_T ~ N(0, I), or (SDEdit) the picture x_start jumped to index k_start with fresh noise."""
    k_start = schedule.T if k_start is None else k_start
    shape, device = (n, 1, 28, 28), generator.device
    if x_start is None:
        if k_start < schedule.T:
            raise Problem("START_BELOW_T_NEEDS_PICTURE")
        return torch.randn(shape, generator=generator, device=device)
    noise = torch.randn(shape, generator=generator, device=device)
    return q_sample(x_start.to(device).expand(shape), torch.full((n,), k_start / schedule.T), noise, schedule)


@torch.inference_mode()  # not no_grad: lighter per-op bookkeeping, which counts in a 1000-pass run at batch 1
def advance(model, x, k: int, k_prev: int, y, ab: list[float], generator: torch.Generator, *, sampler: str,
            eta: float, guidance: float, T: int, clip: bool = True):
    """One reverse step k -> k_prev: (x_prev, predicted x0, guided eps, evaluations per image).
    Noise is drawn only when the step uses it, so DDIM with eta = 0 leaves the generator untouched."""
    eps, cost = guided_eps(model, x, k / T, y, guidance)
    stochastic = (sampler == "ddpm" or eta > 0) and k_prev > 0
    noise = torch.randn(x.shape, generator=generator, device=x.device) if stochastic else None
    if sampler == "ddpm":
        x, x0 = ddpm_step(x, eps, ab[k], ab[k_prev], noise, clip)
    else:
        x, x0 = ddim_step(x, eps, ab[k], ab[k_prev], eta, noise, clip)
    return x, x0, eps, cost


def final(*args, **kwargs) -> torch.Tensor:
    """The picture at the end of `progressive(...)` (same arguments), without keeping the intermediate steps."""
    return drain(progressive(*args, **kwargs)).x_t.clamp(-1, 1)
