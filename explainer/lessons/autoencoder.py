"""What the autoencoder tab does, without any UI: latent maps, decoding a point with both models,
holes measured by the judge, encoding a person's digit, interpolation and the compressor arithmetic.

MODELS are ("ae", "vae"); every function answers for both, so the tab can show them side by side.
Images come back as uint8 (28, 28); MSE is measured on the [0, 1] pixel scale.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import torch

from explainer.models import pretrained
from explainer.data.bundled import PRETRAINED_DIR, bundled_sample
from explainer.data.pixels import to_model, to_uint8
from explainer.evaluation.verdicts import Verdicts, judge_verdicts
from explainer.maths.distortions import equal_mse
from explainer.evaluation.metrics import judge_outputs, recognizability, ssim
from explainer.models.autoencoder import sample_prior, to_fitted
from explainer.models.judge import NOT_A_DIGIT
from explainer.runtime.device import DEVICE
from explainer.runtime.seeding import generator
from explainer.runtime.problems import Problem

MODELS = ("ae", "vae")
TITLES = {"ae": "Autoencoder", "vae": "VAE"}
Z_LIMIT = 100.0  # far beyond either map; larger values are a typo, not a question
MAX_GRID_SIDE = 25
MAX_PRIOR = 256
MAX_STEPS = 32


def model(name: str):
    return pretrained.load(name)


def check_z(z1, z2) -> torch.Tensor:
    """A (1, 2) latent point from two numbers; ValueError for NaN, infinities and absurd sizes."""
    try:
        z = [float(z1), float(z2)]
    except (TypeError, ValueError):
        raise Problem("Z_NOT_NUMBERS") from None
    if not all(math.isfinite(v) for v in z):
        raise Problem("Z_NOT_FINITE")
    if max(abs(v) for v in z) > Z_LIMIT:
        raise Problem("Z_RANGE", limit=Z_LIMIT)
    return torch.tensor([z], dtype=torch.float32, device=DEVICE)


@dataclass(frozen=True)
class LatentMap:
    z: np.ndarray  # (N, 2) where the encoder puts each bundled test digit (the VAE's mean)
    labels: np.ndarray  # (N,) true classes


@lru_cache(maxsize=2)
def latent_map(name: str) -> LatentMap:
    """The bundled test digits (2,500, 250 per class) encoded once and cached; ~0.1 s on a CPU."""
    s = bundled_sample()
    with torch.inference_mode():
        z = torch.cat([model(name).encode(chunk.to(DEVICE)).cpu() for chunk in to_model(s.images).split(500)])
    return LatentMap(z.numpy(), s.labels)


def map_extent() -> float:
    """Half-width of a square that holds both maps (for the z sliders)."""
    return float(max(np.abs(latent_map(n).z).max() for n in MODELS))


@dataclass(frozen=True)
class Decoded:
    images: dict[str, np.ndarray]  # model -> uint8 (28, 28)
    verdicts: dict[str, str]  # model -> "7 (98%)"


def decode_point(z1, z2) -> Decoded:
    """One latent point through both decoders, each read by the judge (the interactive hot path)."""
    z = check_z(z1, z2)
    with torch.inference_mode():
        x = torch.cat([model(n).decode(z) for n in MODELS])
        v = judge_verdicts(x)
    return Decoded({n: to_uint8(x[i : i + 1])[0] for i, n in enumerate(MODELS)},
                   {n: v.text(i) for i, n in enumerate(MODELS)})


@dataclass(frozen=True)
class Batch:
    """Images decoded by one model and what the judge makes of them."""

    images: np.ndarray  # uint8 (N, 28, 28)
    verdicts: Verdicts
    recognizability: float  # share read as a digit with confidence >= 0.9
    not_a_digit: float  # share the judge calls "not a digit"


def _judge_batch(x: torch.Tensor) -> Batch:
    probs, _ = judge_outputs(pretrained.load("judge"), x)
    v = Verdicts.from_probs(probs)
    return Batch(to_uint8(x), v, recognizability(probs), float((v.labels == NOT_A_DIGIT).mean()))


@lru_cache(maxsize=4)  # start-up asks for the default grid once per language, and most visitors keep it
def latent_grid(side: int, extent: float) -> dict[str, Batch]:
    """A side x side grid of points over [-extent, extent]^2 (row 0 at the top: large z2), decoded by both.
    Cached: the images come back read-only."""
    if not 2 <= int(side) <= MAX_GRID_SIDE:
        raise Problem("AE_GRID_SIDE", hi=MAX_GRID_SIDE)
    if not (math.isfinite(extent) and 0 < extent <= Z_LIMIT):
        raise Problem("AE_EXTENT", limit=Z_LIMIT)
    axis = torch.linspace(-extent, extent, int(side))
    z2, z1 = torch.meshgrid(axis.flip(0), axis, indexing="ij")
    z = torch.stack([z1.flatten(), z2.flatten()], 1).to(DEVICE)
    with torch.inference_mode():
        out = {n: _judge_batch(model(n).decode(z)) for n in MODELS}
    for b in out.values():
        b.images.setflags(write=False)
    return out


# The tab's random points: z ~ N(0, I) through both decoders, and (second view) the AE's fitted Gaussian.
PRIOR_VIEWS = ("ae", "vae", "ae_fitted")


@lru_cache(maxsize=2)  # cards are fixed while the app serves: read once, not on every click
def card_fitted_gaussian(name: str = "ae") -> tuple[torch.Tensor, torch.Tensor]:
    """(mean (2,), cov (2, 2)) of the model's 60,000 training codes, as measured at training time (its card)."""
    f = pretrained.read_card(name)["metrics"]["fitted_gaussian"]
    return torch.tensor(f["mean"], dtype=torch.float32), torch.tensor(f["cov"], dtype=torch.float32)


def prior_samples(seed: int, n: int = 64) -> tuple[np.ndarray, dict[str, Batch]]:
    """The same n points eps ~ N(0, I) (from `seed`) through both decoders, and moved onto the AE's fitted
    Gaussian for its second view: (eps (n, 2), view -> batch), views as in PRIOR_VIEWS."""
    if not 1 <= int(n) <= MAX_PRIOR:
        raise Problem("AE_PRIOR_SAMPLES", hi=MAX_PRIOR)
    eps = sample_prior(int(n), 2, generator(seed))
    points = {"ae": eps, "vae": eps, "ae_fitted": to_fitted(eps, *card_fitted_gaussian("ae"))}
    with torch.inference_mode():
        return eps.cpu().numpy(), {v: _judge_batch(model(v.removesuffix("_fitted")).decode(points[v])) for v in PRIOR_VIEWS}


def _ratio(a: float, b: float) -> float:
    return a / b if b > 0 else math.inf


@dataclass(frozen=True)
class PriorVerdict:
    """What the cards' 10,000 random points per view show, as one of a few statements the tab words."""

    key: str  # "VAE_AHEAD" (a lower judge-FID and >= 1.5x the AE's recognizability), "VAE_CLOSER" (a lower
    # judge-FID, under 1.5x), "AE_AHEAD" (the VAE's judge-FID is not lower)
    recognizability_ratio: float  # VAE / AE, both at z ~ N(0, I)
    fitted_close: bool  # the AE's fitted view reaches >= 90% of the VAE's recognizability


def prior_verdict(cards: dict[str, dict]) -> PriorVerdict:
    """Choose the tab's statement from the cards' numbers (cards: view -> quality report as in the model cards)."""
    ae, vae, fit = cards["ae"], cards["vae"], cards["ae_fitted"]
    ratio = _ratio(vae["recognizability"], ae["recognizability"])
    if vae["judge_fid"] >= ae["judge_fid"]:
        key = "AE_AHEAD"
    else:
        key = "VAE_AHEAD" if ratio >= 1.5 else "VAE_CLOSER"
    return PriorVerdict(key, ratio, fit["recognizability"] >= 0.9 * vae["recognizability"])


@lru_cache(maxsize=1)  # read once; callers only read it
def card_prior_reports() -> dict[str, dict]:
    """view -> the quality report of 10,000 random points measured at training time (the model cards)."""
    ae, vae = (pretrained.read_card(n)["metrics"] for n in MODELS)
    return {"ae": ae["prior_samples"], "vae": vae["prior_samples"], "ae_fitted": ae["fitted_samples"]}


@dataclass(frozen=True)
class Encoded:
    digit: np.ndarray  # uint8 (28, 28), the input as the encoders saw it
    z: dict[str, np.ndarray]  # model -> (2,)
    reconstructions: dict[str, np.ndarray]  # model -> uint8 (28, 28)
    mse: dict[str, float]  # model -> per-pixel MSE on [0, 1]
    verdicts: dict[str, str]


def encode_digit(digit: np.ndarray) -> Encoded:
    """A 28x28 uint8 digit (white on black) through both autoencoders (the VAE uses its mean)."""
    digit = np.asarray(digit)
    if digit.shape != (28, 28) or digit.dtype != np.uint8:
        raise Problem("AE_DIGIT")
    x = to_model(digit[None]).to(DEVICE)
    z, rec, mse = {}, {}, {}
    with torch.inference_mode():
        for n in MODELS:
            zn = model(n).encode(x)
            xn = model(n).decode(zn)
            z[n], rec[n] = zn[0].cpu().numpy(), xn
            mse[n] = float(((xn - x) / 2).pow(2).mean())
        v = judge_verdicts(torch.cat([rec[n] for n in MODELS]))
    return Encoded(digit, z, {n: to_uint8(rec[n])[0] for n in MODELS}, mse, {n: v.text(i) for i, n in enumerate(MODELS)})


def bundled_digit(index: int) -> tuple[np.ndarray, int]:
    s = bundled_sample()
    if not 0 <= int(index) < len(s.images):
        raise Problem("AE_DIGIT_NUMBER", hi=len(s.images) - 1)
    return s.images[int(index)], int(s.labels[int(index)])


def interpolate(index_a: int, index_b: int, steps: int) -> dict[str, Batch]:
    """Encode two bundled digits, walk the straight line between their latent points, decode each step."""
    if not 2 <= int(steps) <= MAX_STEPS:
        raise Problem("AE_STEPS", hi=MAX_STEPS)
    a, b = (to_model(bundled_digit(i)[0][None]).to(DEVICE) for i in (index_a, index_b))
    t = torch.linspace(0, 1, int(steps), device=DEVICE)[:, None]
    out = {}
    with torch.inference_mode():
        for n in MODELS:
            za, zb = model(n).encode(a), model(n).encode(b)
            out[n] = _judge_batch(model(n).decode((1 - t) * za + t * zb))
    return out


@dataclass(frozen=True)
class Compression:
    what: str
    inputs: int  # numbers in the picture
    latents: int  # numbers the latent keeps
    shape_in: str
    shape_latent: str

    @property
    def ratio(self) -> float:
        return self.inputs / self.latents


def compression_table() -> list[Compression]:
    """The VAE as a compressor, here and in latent diffusion (an 8x-per-side, 4-channel latent)."""
    here = [Compression("This app's latent-diffusion VAE (MNIST)", 28 * 28, 4 * 7 * 7, "28×28×1", "7×7×4")] \
        if (PRETRAINED_DIR / "ldm_vae.safetensors").exists() else []
    return [
        Compression("This tab's VAE (MNIST)", 28 * 28, 2, "28×28×1", "2"), *here,
        Compression("Stable-Diffusion-class VAE, 512 px", 512 * 512 * 3, 64 * 64 * 4, "512×512×3", "64×64×4"),
        Compression("Stable-Diffusion-class VAE, 1024 px", 1024 * 1024 * 3, 128 * 128 * 4, "1024×1024×3", "128×128×4"),
    ]


@dataclass(frozen=True)
class MseRow:
    """One picture of the "same MSE" line-up and how three measures see it."""

    name: str  # "original" or a distortion's name
    strength: float  # the distortion's strength in its unit (0 for the original); the tab words it
    image: np.ndarray  # uint8 (28, 28)
    mse: float
    ssim: float
    judge_distance: float  # Euclidean distance of judge features to the original's
    verdict: str


def same_mse_lineup(index: int, target: float) -> list[MseRow]:
    """A bundled digit and its distortions at one MSE, with SSIM and the judge's feature distance."""
    digit, _ = bundled_digit(index)
    original = digit.astype(np.float64) / 255.0
    variants = equal_mse(original, float(target))
    images = np.stack([original] + [v.image for v in variants])
    probs, feats = judge_outputs(pretrained.load("judge"), torch.as_tensor(images * 2 - 1, dtype=torch.float32)[:, None])
    v = Verdicts.from_probs(probs)
    dist = (feats - feats[0]).norm(dim=1).numpy()
    names = [("original", 0.0, 0.0)] + [(d.name, d.strength, d.mse) for d in variants]
    # these pictures are on the MSE's [0, 1] scale, not the models' [-1, 1] that to_uint8 takes
    return [MseRow(name, s, (images[i] * 255).round().astype(np.uint8), err, ssim(original, images[i]), float(dist[i]), v.text(i))
            for i, (name, s, err) in enumerate(names)]
