"""Latent diffusion, live: generate in the 4 x 7 x 7 latent of a VAE compressor, decode once, and set the cost of
each step beside pixel-space generation of the same request, measured in the same call.

The pixel model is the app's image flow (`flow`: the same sampler, Euler, the same steps and guidance), so the two
differ only in where they run: 196 latent numbers or 784 pixels, a small network or the pixel UNet.
"""
from __future__ import annotations

import functools
import time
from dataclasses import dataclass

import numpy as np
import torch

from explainer.data.bundled import PRETRAINED_DIR
from explainer.data.pixels import to_uint8
from explainer.evaluation import ldm_card
from explainer.evaluation.diffusion_card import recommended_guidance
from explainer.evaluation.verdicts import judge_verdicts
from explainer.maths import flow_samplers as fs
from explainer.maths import latent_samplers
from explainer.maths.steps import drain
from explainer.models import pretrained
from explainer.models.judge import NOT_A_DIGIT
from explainer.runtime.device import DEVICE
from explainer.runtime.problems import Problem
from explainer.runtime.seeding import generator

MODELS = ("ldm", "ldm_vae")
PIXEL_MODEL = "flow"
MAX_N = 8
MAX_STEPS = 50
SHAPE = ldm_card.LATENT_SHAPE


@dataclass(frozen=True)
class Generated:
    images: np.ndarray  # uint8 (n, 28, 28)
    verdicts: list[str]
    hits: int  # read as the request (any digit when none was asked)
    nfe: int  # network passes per picture
    ms: float  # the whole sampling, decode included
    ms_per_step: float


@dataclass(frozen=True)
class LatentRun:
    latents: np.ndarray  # float32 (n, 4, 7, 7): the finished latents, in the denoiser's units
    latent: Generated
    pixel: Generated | None  # the same request in pixel space (None when the pixel flow is not shipped)
    decode_ms: float
    steps: int
    guidance: float
    flops: dict[str, int]  # per picture: one latent pass, one pixel pass, one decode


def available(root=PRETRAINED_DIR) -> bool:
    return all((root / f"{name}.safetensors").exists() for name in MODELS)


@functools.lru_cache(maxsize=1)
def flops() -> dict[str, int]:
    counts = {"latent_step": ldm_card.flops_per_image(pretrained.load("ldm"), SHAPE),
              "decode": ldm_card.decoder_flops(pretrained.load("ldm_vae"))}
    if (PRETRAINED_DIR / f"{PIXEL_MODEL}.safetensors").exists():
        counts["pixel_step"] = ldm_card.flops_per_image(pretrained.load(PIXEL_MODEL), fs.PIXELS)
    return counts


def _generated(x: torch.Tensor, label: int | None, nfe: int, ms: float, steps: int, step_ms: float) -> Generated:
    v = judge_verdicts(x)
    hits = int((v.labels == label).sum()) if label is not None else int((v.labels < NOT_A_DIGIT).sum())
    return Generated(to_uint8(x), [v.text(i) for i in range(len(v.labels))], hits, nfe, ms, step_ms / steps)


def generate(label: int | None, seed: int, n: int, steps: int) -> LatentRun:
    if label is not None and not 0 <= label <= 9:
        raise Problem("COMPARE_REQUEST", label=label)
    if not 1 <= n <= MAX_N:
        raise Problem("COMPARE_PICTURES", hi=MAX_N, n=n)
    if not 1 <= steps <= MAX_STEPS:
        raise Problem("STEPS_RANGE", hi=MAX_STEPS, steps=steps)
    w = recommended_guidance("ldm") if label is not None else 0.0
    started = time.perf_counter()
    last = drain(latent_samplers.progressive(pretrained.load("ldm"), n, generator(seed, DEVICE), shape=SHAPE, label=label,
                                             guidance=w, steps=steps))
    sampled = time.perf_counter()
    x = latent_samplers.decode(pretrained.load("ldm_vae"), last.x_t, ldm_card.latent_scale())
    done = time.perf_counter()
    latent = _generated(x, label, last.nfe, (done - started) * 1000, steps, (sampled - started) * 1000)
    pixel = None
    if (PRETRAINED_DIR / f"{PIXEL_MODEL}.safetensors").exists():
        started = time.perf_counter()
        last_px = drain(fs.progressive(pretrained.load(PIXEL_MODEL), n, generator(seed, DEVICE), label=label, guidance=w,
                                       steps=steps))
        ms = (time.perf_counter() - started) * 1000
        pixel = _generated(last_px.x_t.clamp(-1, 1), label, last_px.nfe, ms, steps, ms)
    return LatentRun(last.x_t.float().cpu().numpy(), latent, pixel, (done - sampled) * 1000, steps, w, flops())


def latent_tiles(latents: np.ndarray) -> np.ndarray:
    """Each (4, 7, 7) latent as one 14 x 14 gray picture (its channels 2 x 2), 0 at mid-gray, +-3 at white/black."""
    z = np.clip(latents / 3.0, -1, 1) * 127.5 + 127.5
    top = np.concatenate([z[:, 0], z[:, 1]], axis=2)
    bottom = np.concatenate([z[:, 2], z[:, 3]], axis=2)
    return np.concatenate([top, bottom], axis=1).round().astype(np.uint8)
