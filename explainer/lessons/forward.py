"""What the forward-diffusion tab does, without any UI: noise a picture, measure how Gaussian it has become.

Pictures are float arrays in [-1, 1], (H, W) or (H, W, 3) (see data/picture_input.py). The noise for one view is
drawn once from the seed, so moving t only rescales the same two ingredients: x_t = a_t x_0 + s_t eps.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import torch

from explainer.maths import flow
from explainer.data.bundled import bundled_digit, bundled_sample
from explainer.data.pixels import to_model
from explainer.maths.diffusion import KINDS, Schedule, make_schedule, noise_steps, q_sample
from explainer.data.picture_input import load_picture
from explainer.runtime.seeding import generator
from explainer.runtime.problems import Problem, WrongType
from explainer.draw.forward_frames import HIST_RANGE  # the range the histogram is counted and drawn on

HIST_BINS = 80
MAX_BATCH = 16
COMPARE_SIDE = 128  # the step-by-step chain draws fresh noise k times; on a small CPU it runs on a smaller copy


@lru_cache(maxsize=len(KINDS))
def schedule(kind: str) -> Schedule:
    return make_schedule(kind)


@lru_cache(maxsize=len(KINDS))
def curves(kind: str) -> dict[str, np.ndarray]:
    """t, signal, noise and log-SNR of a schedule as numpy arrays, for plotting on every slider move."""
    s = schedule(kind)
    return {"t": s.t.numpy(), "signal": s.signal.numpy(), "noise": s.noise.numpy(), "log_snr": s.log_snr().numpy()}


@lru_cache(maxsize=8)
def _cached_upload(path: str, mtime_ns: int, size: int) -> np.ndarray:
    x = load_picture(path)
    x.flags.writeable = False  # shared between slider moves
    return x


def picture(upload, digit: int) -> np.ndarray:
    """The uploaded picture if there is one (loaded once per file), else bundled digit number `digit`."""
    if upload is None or upload == "":
        return bundled_digit(digit)
    if not isinstance(upload, (str, Path)):
        raise WrongType("UPLOAD_NOT_FILE")
    try:
        st = os.stat(upload)
    except OSError:
        raise Problem("UPLOAD_GONE") from None
    return _cached_upload(str(upload), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=8)
def fixed_noise(shape: tuple[int, ...], seed: int) -> np.ndarray:
    """eps ~ N(0, I) of the picture's shape, the same for the same seed (drawn on the CPU: identical everywhere).
    Cached, read-only, because a slider drags through many t with one noise."""
    eps = torch.randn(shape, generator=generator(seed, "cpu")).numpy()
    eps.flags.writeable = False
    return eps


@lru_cache(maxsize=4)
def _normal_quantiles(n: int) -> np.ndarray:
    return torch.special.ndtri((torch.arange(n, dtype=torch.float64) + 0.5) / n).numpy()


def wasserstein_to_normal(x: np.ndarray) -> float:
    """W1 distance between the pixel values and N(0, 1): how far, on average, each value must move for the
    histogram to become the bell curve (0 = a perfect sample). Sorted values against normal quantiles."""
    v = np.sort(np.asarray(x, dtype=np.float64).ravel())
    return float(np.abs(v - _normal_quantiles(v.size)).mean())


@dataclass(frozen=True)
class PixelStats:
    mean: float
    std: float
    w1: float  # Wasserstein-1 distance to N(0, 1)

    @classmethod
    def of(cls, x: np.ndarray) -> PixelStats:
        return cls(float(x.mean()), float(x.std()), wasserstein_to_normal(x))


def histogram(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(bin centres, density) over a fixed range, so that successive frames share their axes."""
    density, edges = np.histogram(x, bins=HIST_BINS, range=HIST_RANGE, density=False)
    width = edges[1] - edges[0]
    return (edges[:-1] + edges[1:]) / 2, density / (x.size * width)


@dataclass(frozen=True)
class View:
    """One point of the forward process: the noisy picture and its pixel statistics."""

    t: float
    k: int
    signal: float  # a_t
    noise: float  # s_t
    x_t: np.ndarray  # float, same shape as x_0
    centers: np.ndarray
    density: np.ndarray
    stats: PixelStats


def check_t(t) -> float:
    t = float(t)
    if not math.isfinite(t) or not 0.0 <= t <= 1.0:
        raise Problem("FORWARD_T")
    return t


def view(x0: np.ndarray, kind: str, t: float, seed: int, eps: np.ndarray | None = None) -> View:
    """x_t of one fixed noise sample (from the seed, unless eps is given) and its histogram and statistics."""
    s = schedule(kind)
    t = check_t(t)
    eps = fixed_noise(x0.shape, seed) if eps is None else eps
    k = int(s.index(t))
    xt = q_sample(x0, k / s.T, eps, s)
    centers, density = histogram(xt)
    return View(k / s.T, k, float(s.signal[k]), float(s.noise[k]), xt, centers, density, PixelStats.of(xt))


def sweep(x0: np.ndarray, kind: str, seed: int, frames: int) -> list[View]:
    """Views at evenly spaced t from 0 to 1, all with the same noise: the picture dissolving."""
    eps = fixed_noise(x0.shape, seed)
    return [view(x0, kind, t, seed, eps) for t in np.linspace(0, 1, frames)]


@dataclass(frozen=True)
class Route:
    """x_t reached one way, with how much of x_0 survives in it, measured by least squares."""

    x_t: np.ndarray
    stats: PixelStats
    signal_fit: float  # c minimising |x_t - c x_0|: should be a_t
    noise_fit: float  # std of x_t - c x_0: should be s_t


def _route(x0: np.ndarray, xt: np.ndarray) -> Route:
    c = float((xt * x0).sum() / max((x0 * x0).sum(), 1e-12))
    return Route(xt, PixelStats.of(xt), c, float((xt - c * x0).std()))


@dataclass(frozen=True)
class Comparison:
    t: float
    k: int
    signal: float
    noise: float
    one_shot: Route
    step_by_step: Route


def shrink(x0: np.ndarray, side: int) -> np.ndarray:
    """The picture with its long side at most `side` (antialiased), for work that scales with pixel count."""
    h, w = x0.shape[:2]
    if max(h, w) <= side:
        return x0
    x = torch.tensor(x0)  # a copy: cached pictures are read-only
    x = x[None, None] if x.ndim == 2 else x.permute(2, 0, 1)[None]
    size = (max(1, round(h * side / max(h, w))), max(1, round(w * side / max(h, w))))
    x = torch.nn.functional.interpolate(x, size=size, mode="bilinear", antialias=True, align_corners=False)[0]
    return (x[0] if x0.ndim == 2 else x.permute(1, 2, 0)).clamp(-1, 1).contiguous().numpy()


def compare(x0: np.ndarray, kind: str, t: float, seed: int) -> Comparison:
    """The closed-form jump to t against k small noisy steps (independent noise): same distribution."""
    s = schedule(kind)
    k = int(s.index(check_t(t)))
    x0 = shrink(x0, COMPARE_SIDE)
    one = q_sample(x0, k / s.T, fixed_noise(x0.shape, seed), s)
    chain_noise = generator((seed + 1) % 2**31, "cpu")  # independent of the jump's noise
    steps = noise_steps(x0, 0, k, s, chain_noise)
    return Comparison(k / s.T, k, float(s.signal[k]), float(s.noise[k]), _route(x0, one), _route(x0, steps))


@dataclass(frozen=True)
class TrainingBatch:
    """What one training step of the article sees: different digits, each at its own random noise level."""

    x0: np.ndarray  # (N, 28, 28) in [-1, 1]
    k: np.ndarray  # (N,) step index 1..T
    t: np.ndarray  # (N,) k / T
    x_t: np.ndarray  # (N, 28, 28)
    target: np.ndarray  # (N, 28, 28): what the network must predict: eps, or the velocity eps - x_0 (flow)
    target_name: str
    labels: np.ndarray


def training_batch(kind: str, seed: int, n: int = 8) -> TrainingBatch:
    n = int(n)
    if not 1 <= n <= MAX_BATCH:
        raise Problem("FORWARD_BATCH", hi=MAX_BATCH, n=n)
    s, sample = schedule(kind), bundled_sample()
    g = generator(seed, "cpu")
    idx = torch.randperm(len(sample.images), generator=g)[:n].numpy()
    k = torch.randint(1, s.T + 1, (n,), generator=g)
    x0 = to_model(sample.images[idx])
    eps = torch.randn(x0.shape, generator=g)
    xt = q_sample(x0, k.double() / s.T, eps, s)
    target, name = (flow.velocity(x0, eps), "velocity ε − x₀") if kind == "flow" else (eps, "noise ε")
    return TrainingBatch(x0[:, 0].numpy(), k.numpy(), k.numpy() / s.T, xt[:, 0].numpy(), target[:, 0].numpy(), name,
                         sample.labels[idx])
