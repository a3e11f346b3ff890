"""Latent diffusion's sampler: the flow sampler run on a latent map, then one decode at the end.

A denoiser v(z_t, t, y) was trained on the compressor's latents divided by `scale` (their standard deviation on the
training set, so they have unit spread like the noise they are mixed with). Sampling integrates it from noise at
t = 1 to z_0 exactly as flow_samplers does for pictures, multiplies by `scale` and decodes once: every step costs
a pass of the small latent network, the one decode a pass of the decoder.
"""
from __future__ import annotations

from collections.abc import Iterator

import torch

from explainer.maths import flow_samplers
from explainer.maths.diffusion_samplers import Step
from explainer.maths.steps import drain


def progressive(denoiser, n: int, generator: torch.Generator, *, shape: tuple[int, ...], label=None,
                guidance: float = 1.0, solver: str = "euler", steps: int = 20) -> Iterator[Step]:
    """Every solver step in the latent (Step.x_t is a latent map, not a picture)."""
    return flow_samplers.progressive(denoiser, n, generator, label=label, guidance=guidance, solver=solver,
                                     steps=steps, shape=shape)


@torch.inference_mode()
def decode(vae, z: torch.Tensor, scale: float) -> torch.Tensor:
    """Latent maps in the denoiser's units -> pictures in [-1, 1]."""
    return vae.decode(z * scale).clamp(-1, 1)


def final(denoiser, vae, scale: float, n: int, generator: torch.Generator, **kwargs) -> torch.Tensor:
    """Pictures at the end of `progressive(...)`, decoded (same keyword arguments)."""
    z = drain(progressive(denoiser, n, generator, **kwargs)).x_t
    return decode(vae, z, scale)
