"""`python -m explainer.sample NAME --n N --seed S --out FILE.npz [--png GRID.png]` writes samples.

The .npz holds `images` (uint8, N x 28 x 28) and `labels` (the requested class, or -1 when the model
was not asked for one). Conditional models also take --label K, diffusion and flow --steps,
--guidance and --sampler; a flag a model cannot honour is an error, never silently ignored.
"""
from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import torch
from PIL import Image

from explainer.models import pretrained
from explainer.data.pixels import to_uint8
from explainer.draw.images import grid
from explainer.models.autoencoder import sample_prior
from explainer.runtime.problems import Problem
from explainer.runtime.seeding import generator

CHUNK = 1000


@dataclass(frozen=True)
class Request:
    n: int
    seed: int
    label: int | None = None
    steps: int | None = None
    guidance: float | None = None
    sampler: str | None = None
    eta: float | None = None


def _only(req: Request, name: str, allowed: set[str]) -> None:
    for flag in ("label", "steps", "guidance", "sampler", "eta"):
        if getattr(req, flag) is not None and flag not in allowed:
            raise ValueError(f"{name} does not take --{flag}")


def sample_gan(name: str, req: Request) -> np.ndarray:
    _only(req, name, set())
    gan = pretrained.load(name)
    g = generator(req.seed)
    out = []
    with torch.inference_mode():
        for start in range(0, req.n, CHUNK):
            out.append(to_uint8(gan.generate(gan.sample_z(min(CHUNK, req.n - start), g))))
    return np.concatenate(out)


def sample_autoencoder(name: str, req: Request) -> np.ndarray:
    """Decode z ~ N(0, I), the autoencoder tab's first view of random points: the VAE was trained for it;
    the plain autoencoder meets it as a generator would that does not know its codes' range."""
    _only(req, name, set())
    model = pretrained.load(name)
    g = generator(req.seed)
    with torch.inference_mode():
        return np.concatenate([to_uint8(model.decode(sample_prior(min(CHUNK, req.n - start), model.cfg.latent_dim, g)))
                               for start in range(0, req.n, CHUNK)])


def sample_ddpm(name: str, req: Request) -> np.ndarray:
    """Class-conditional diffusion: --sampler ddpm|ddim (default ddim), --steps (default 50; ddpm: 1000),
    --label K (default: none, unconditional), --guidance W and --eta (DDIM only; defaults: the card's)."""
    from explainer.evaluation.diffusion_card import recommended_eta, recommended_guidance, sample_images

    sampler = req.sampler or "ddim"
    steps = req.steps or (1000 if sampler == "ddpm" else 50)
    guidance = recommended_guidance(name) if req.guidance is None else req.guidance
    if req.eta is not None and sampler != "ddim":
        raise ValueError("--eta is a DDIM setting; the DDPM sampler has no eta")
    # its range is checked by the sampler, as for the app
    eta = (recommended_eta(name) if req.eta is None else req.eta) if sampler == "ddim" else 0.0
    if req.label is not None and not 0 <= req.label <= 9:
        raise ValueError(f"--label must be a digit from 0 to 9, got {req.label}")
    images = sample_images(pretrained.load(name), [req.label] * req.n, req.seed, guidance=guidance,
                           sampler=sampler, steps=steps, eta=eta)
    return to_uint8(images)


def sample_flow(name: str, req: Request) -> np.ndarray:
    """Rectified flow: --sampler euler|heun (default euler), --steps (default 20), --label K, --guidance W."""
    from explainer.evaluation.flow_card import sample_flow as sample
    from explainer.evaluation.diffusion_card import recommended_guidance

    _only(req, name, {"label", "steps", "guidance", "sampler"})
    guidance = recommended_guidance(name) if req.guidance is None else req.guidance
    if req.label is not None and not 0 <= req.label <= 9:
        raise ValueError(f"--label must be a digit from 0 to 9, got {req.label}")
    images = sample(pretrained.load(name), [req.label] * req.n, req.seed, guidance=guidance,
                    solver=req.sampler or "euler", steps=req.steps or 20)
    return to_uint8(images)


def sample_reflow(name: str, req: Request) -> np.ndarray:
    """The reflowed flow: Euler only, --steps (default 2), --label K; guidance 1 with a prompt (the teacher's is in
    its training pairs), 0 without; --guidance W overrides."""
    from explainer.evaluation.flow_card import sample_flow as sample

    _only(req, name, {"label", "steps", "guidance"})
    if req.label is not None and not 0 <= req.label <= 9:
        raise ValueError(f"--label must be a digit from 0 to 9, got {req.label}")
    guidance = req.guidance if req.guidance is not None else (1.0 if req.label is not None else 0.0)
    return to_uint8(sample(pretrained.load(name), [req.label] * req.n, req.seed, guidance=guidance, steps=req.steps or 2))


def sample_ldm(name: str, req: Request) -> np.ndarray:
    """Latent diffusion: Euler in the 4 x 7 x 7 latent, then one decode: --steps (default 20), --label K,
    --guidance W (default: the card's)."""
    from explainer.evaluation.diffusion_card import recommended_guidance
    from explainer.evaluation.ldm_card import sample_ldm as sample

    _only(req, name, {"label", "steps", "guidance"})
    if req.label is not None and not 0 <= req.label <= 9:
        raise ValueError(f"--label must be a digit from 0 to 9, got {req.label}")
    guidance = recommended_guidance(name) if req.guidance is None else req.guidance
    return to_uint8(sample([req.label] * req.n, req.seed, guidance=guidance, steps=req.steps or 20))


# model name -> function(name, request) -> uint8 images (n, 28, 28)
SAMPLERS: dict[str, Callable[[str, Request], np.ndarray]] = {
    "gan": sample_gan,
    "gan_collapsed": sample_gan,
    "ae": sample_autoencoder,
    "vae": sample_autoencoder,
    "ddpm": sample_ddpm,
    "flow": sample_flow,
    "reflow": sample_reflow,
    "ldm": sample_ldm,
}


DRAWN_FROM = {
    "ae": "drawn from z ~ N(0, I), as a generator would that does not know the autoencoder's range "
          "(the autoencoder tab's first view; its second view uses a Gaussian fitted to the codes)",
    "vae": "drawn from z ~ N(0, I), the prior the VAE was trained towards (the autoencoder tab's first view)",
}


def generate(name: str, req: Request) -> tuple[np.ndarray, np.ndarray]:
    if name not in SAMPLERS:
        raise ValueError(f"unknown model {name!r}; choose from {', '.join(SAMPLERS)}")
    if req.n < 1:
        raise ValueError("--n must be at least 1")
    images = SAMPLERS[name](name, req)
    labels = np.full(req.n, -1 if req.label is None else req.label, dtype=np.int64)
    return images, labels


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m explainer.sample", description=__doc__.splitlines()[0])
    p.add_argument("name", choices=sorted(SAMPLERS))
    p.add_argument("--n", type=int, default=64, help="number of images")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", type=Path, required=True, help="output .npz")
    p.add_argument("--png", type=Path, help="also write a grid picture")
    p.add_argument("--label", type=int, help="requested class 0-9 (conditional models)")
    p.add_argument("--steps", type=int, help="sampling steps (diffusion, flow)")
    p.add_argument("--guidance", type=float, help="classifier-free guidance weight w (diffusion, flow)")
    p.add_argument("--sampler", help="sampler name (diffusion, flow)")
    p.add_argument("--eta", type=float, help="DDIM noise: 0 deterministic, 1 as noisy as DDPM (ddpm; default: the card's)")
    a = p.parse_args(argv)
    try:
        images, labels = generate(a.name, Request(a.n, a.seed, a.label, a.steps, a.guidance, a.sampler, a.eta))
    except Problem as e:  # a refusal from below, in the words the app uses (English: the CLI's language)
        from explainer.ui.words.en import problems as english

        p.error(getattr(english, e.key).format(**e.fields))
    except ValueError as e:
        p.error(str(e))
    a.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(a.out, images=images, labels=labels)
    if a.png:
        Image.fromarray(grid(images[:256], scale=2)).save(a.png)
    print(f"wrote {len(images)} images to {a.out}" + (f" and {a.png}" if a.png else ""))
    if a.name in DRAWN_FROM:
        print(DRAWN_FROM[a.name])


if __name__ == "__main__":
    main()
