"""What the GAN tab does, without any UI: sample with verdicts, walk the latent space, read the training story.

Everything takes an explicit seed and returns plain numpy/dataclasses, so the tab, the API and the
benchmarks share one implementation.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import torch

from explainer.models import pretrained
from explainer.data.bundled import PRETRAINED_DIR
from explainer.data.pixels import to_uint8
from explainer.evaluation.metrics import class_histogram, digit_entropy, judge_outputs, recognizability
from explainer.evaluation.verdicts import Verdicts, judge_verdicts
from explainer.runtime.seeding import generator
from explainer.runtime.timing import timed
from explainer.runtime.problems import Problem

MAX_GRID = 64
MAX_WALK_STEPS = 64
COLLAPSE_SAMPLES = 1000


@dataclass(frozen=True)
class GanSample:
    images: np.ndarray  # uint8 (N, 28, 28)
    realness: np.ndarray  # D's probability of "real", (N,)
    verdicts: Verdicts
    generate_ms: float  # the generator's single forward pass


def _check_count(n: int, hi: int, key: str) -> int:
    n = int(n)
    if not 1 <= n <= hi:
        raise Problem(key, hi=hi, n=n)
    return n


def sample(seed: int, n: int, model: str = "gan") -> GanSample:
    """n digits from noise drawn with `seed`, D's score and the judge's reading of each."""
    n = _check_count(n, MAX_GRID, "GAN_IMAGES")
    gan = pretrained.load(model)
    z = gan.sample_z(n, generator(seed))
    with torch.inference_mode(), timed() as t:
        x = gan.generate(z)
    with torch.inference_mode():
        real = gan.realness(x).cpu().numpy()
    return GanSample(to_uint8(x), real, judge_verdicts(x), t.ms)



def sample_many(requests: list[tuple[int, int]], model: str = "gan") -> list[GanSample]:
    """`sample` for several (seed, n) requests at once: each gets the noise its own seed gives (the same
    pictures as `sample`), but the generator, D and the judge run once over all of them (Gradio batching)."""
    counts = [_check_count(n, MAX_GRID, "GAN_IMAGES") for _, n in requests]
    gan = pretrained.load(model)
    z = torch.cat([gan.sample_z(n, generator(seed)) for (seed, _), n in zip(requests, counts)])
    with torch.inference_mode(), timed() as t:
        x = gan.generate(z)
    with torch.inference_mode():
        real = gan.realness(x).cpu().numpy()
    v, images, out, start = judge_verdicts(x), to_uint8(x), [], 0
    for n in counts:
        part = slice(start, start + n)
        out.append(GanSample(images[part], real[part], Verdicts(v.labels[part], v.confidence[part]), t.ms))
        start += n
    return out

def slerp(z0: torch.Tensor, z1: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    """Spherical interpolation: keeps the norm near that of typical Gaussian samples all along the way."""
    cos = torch.clamp((z0 * z1).sum(-1) / (z0.norm(dim=-1) * z1.norm(dim=-1)), -1.0, 1.0)
    omega = torch.acos(cos)
    so = torch.sin(omega)
    if float(so) < 1e-6:  # (anti)parallel: fall back to a straight line
        return (1 - t)[:, None] * z0 + t[:, None] * z1
    return (torch.sin((1 - t) * omega) / so)[:, None] * z0 + (torch.sin(t * omega) / so)[:, None] * z1


@dataclass(frozen=True)
class Walk:
    images: np.ndarray  # uint8 (steps, 28, 28)
    z_norms: np.ndarray  # |z| along the path
    typical_norm: float  # sqrt(z_dim): where Gaussian samples live
    verdicts: Verdicts


def latent_walk(seed_a: int, seed_b: int, steps: int, spherical: bool = True) -> Walk:
    """Decode points on the path between the noise vectors of two seeds."""
    steps = _check_count(steps, MAX_WALK_STEPS, "GAN_STEPS")
    if steps < 2:
        raise Problem("GAN_WALK_STEPS")
    gan = pretrained.load("gan")
    z0, z1 = gan.sample_z(1, generator(seed_a))[0], gan.sample_z(1, generator(seed_b))[0]
    t = torch.linspace(0, 1, steps, device=z0.device)
    z = slerp(z0, z1, t) if spherical else (1 - t)[:, None] * z0 + t[:, None] * z1
    with torch.inference_mode():
        x = gan.generate(z)
    return Walk(to_uint8(x), z.norm(dim=1).cpu().numpy(), float(gan.cfg.z_dim) ** 0.5, judge_verdicts(x))


@dataclass(frozen=True)
class Spread:
    """How a generator spreads its samples over the digits, measured live by the judge."""

    images: np.ndarray  # a few of the samples, uint8
    histogram: np.ndarray  # (11,)
    entropy: float  # nats over digits 0..9
    recognizability: float


def class_spread(model: str, seed: int, n: int = COLLAPSE_SAMPLES, show: int = 32) -> Spread:
    gan = pretrained.load(model)
    with torch.inference_mode():
        x = gan.generate(gan.sample_z(n, generator(seed)))
    probs, _ = judge_outputs(pretrained.load("judge"), x)
    hist = class_histogram(probs)
    return Spread(to_uint8(x[:show]), hist, digit_entropy(hist), recognizability(probs))


@dataclass(frozen=True)
class History:
    loss_step: np.ndarray
    loss_d: np.ndarray
    loss_g: np.ndarray
    d_real: np.ndarray
    d_fake: np.ndarray
    ckpt_step: np.ndarray
    ckpt_images: np.ndarray  # (K, 64, 28, 28) uint8, the same fixed noise at every checkpoint
    ckpt_hist: np.ndarray  # (K, 11), counts of ckpt_judged pictures per checkpoint
    ckpt_entropy: np.ndarray
    ckpt_recognizability: np.ndarray
    steps_per_epoch: int
    ckpt_judged: int = 1000  # pictures each histogram counts: fresh samples at training time, or the 64 stored ones

    @property
    def checkpoints(self) -> int:
        return len(self.ckpt_step)


@lru_cache(maxsize=4)
def history(model: str = "gan") -> History:
    with np.load(PRETRAINED_DIR / f"{model}_history.npz", allow_pickle=False) as z:
        data = {k: z[k] for k in z.files}
    data["steps_per_epoch"] = int(data["steps_per_epoch"])
    if "ckpt_judged" in data:
        data["ckpt_judged"] = int(data["ckpt_judged"])
    return History(**data)
