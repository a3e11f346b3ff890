"""Why MSE blurs: distortions of one digit, each scaled to the same MSE, that look nothing alike.

Images here are float arrays (28, 28) in [0, 1]; MSE is the mean squared pixel difference on that
scale. Every distortion is a function (image, strength) -> image whose MSE to the original grows
with the strength, so bisection finds the strength that hits a target MSE.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from explainer.runtime.problems import Problem

TOLERANCE = 0.02  # relative MSE error accepted by the solver
NOISE_SEED = 7  # one fixed noise pattern, so the noisy picture is the same on every call


def mse(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean((np.asarray(a, np.float64) - np.asarray(b, np.float64)) ** 2))


def gaussian_kernel(sigma: float, truncate: float = 3.5) -> np.ndarray:
    radius = max(1, int(truncate * sigma + 0.5))
    x = np.arange(-radius, radius + 1, dtype=np.float64)
    k = np.exp(-0.5 * (x / sigma) ** 2)
    return k / k.sum()


def _blur(img: np.ndarray, sigma: float) -> np.ndarray:
    """Separable gaussian blur with a black (zero) surround, like the paper around a digit."""
    if sigma <= 1e-6:
        return img.copy()
    k = gaussian_kernel(sigma)
    out = np.apply_along_axis(np.convolve, 0, img, k, mode="same")
    return np.apply_along_axis(np.convolve, 1, out, k, mode="same")


def _shift(img: np.ndarray, s: float) -> np.ndarray:
    """Move the digit s pixels right and s pixels down, bilinearly for fractional s."""
    out = img
    for axis in (0, 1):
        whole, frac = int(np.floor(s)), s - np.floor(s)
        a, b = np.roll(out, whole, axis), np.roll(out, whole + 1, axis)
        out = (1 - frac) * a + frac * b
    return out


def _noise(img: np.ndarray, s: float) -> np.ndarray:
    pattern = np.random.default_rng(NOISE_SEED).standard_normal(img.shape)
    return np.clip(img + s * pattern, 0, 1)


def _brightness(img: np.ndarray, s: float) -> np.ndarray:
    return np.clip(img + s, 0, 1)


def _contrast(img: np.ndarray, s: float) -> np.ndarray:
    """Pull every pixel towards the mean grey: s = 0 leaves it, s = 1 flattens it."""
    return img.mean() + (1 - s) * (img - img.mean())


def _occlusion(img: np.ndarray, s: float) -> np.ndarray:
    """A mid-grey square of side s pixels over the centre; edge pixels are covered fractionally."""
    n = img.shape[0]
    lo, hi = n / 2 - s / 2, n / 2 + s / 2
    edges = np.arange(n)
    cover = np.clip(np.minimum(edges + 1, hi) - np.maximum(edges, lo), 0, 1)
    mask = np.outer(cover, cover)
    return (1 - mask) * img + mask * 0.5


@dataclass(frozen=True)
class Distortion:
    name: str
    apply: Callable[[np.ndarray, float], np.ndarray]
    max_strength: float  # in the distortion's own unit: px of shift, blur sigma, noise std, ... (the words say it)


DISTORTIONS = [
    Distortion("shift", _shift, 2.0),
    Distortion("blur", _blur, 3.5),
    Distortion("noise", _noise, 1.0),
    Distortion("brightness", _brightness, 1.0),
    Distortion("contrast", _contrast, 1.0),
    Distortion("occlusion", _occlusion, 28.0),
]


def solve_strength(img: np.ndarray, d: Distortion, target: float, iters: int = 60) -> float:
    """The strength at which d's MSE to img equals target (bisection; MSE grows with strength)."""
    lo, hi = 0.0, d.max_strength
    if mse(img, d.apply(img, hi)) < target:
        raise Problem("DISTORTION_UNREACHABLE", name=d.name, target=target)
    for _ in range(iters):
        mid = (lo + hi) / 2
        err = mse(img, d.apply(img, mid))
        if abs(err - target) <= TOLERANCE * target / 4:
            return mid
        lo, hi = (mid, hi) if err < target else (lo, mid)
    return (lo + hi) / 2


@dataclass(frozen=True)
class Distorted:
    name: str
    strength: float  # what solve_strength found, in the distortion's unit
    image: np.ndarray  # float (28, 28) in [0, 1]
    mse: float


def equal_mse(img: np.ndarray, target: float) -> list[Distorted]:
    """Every distortion of img, each scaled so that its MSE to img equals target within TOLERANCE."""
    img = np.asarray(img, dtype=np.float64)
    if img.shape != (28, 28) or img.min() < 0 or img.max() > 1:
        raise Problem("DISTORTION_IMAGE")
    if not (np.isfinite(target) and target > 0):
        raise Problem("DISTORTION_TARGET")
    out = []
    for d in DISTORTIONS:
        s = solve_strength(img, d, target)
        x = np.clip(d.apply(img, s), 0, 1)
        out.append(Distorted(d.name, s, x, mse(img, x)))
    return out
