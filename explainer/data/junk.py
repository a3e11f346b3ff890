"""Synthetic "not a digit" images that teach the judge to say so.

Each kind imitates a failure a generative model really produces: pure noise (an untrained
generator, a diffusion run stopped early), blobs and strokes (a GAN early in training), heavy blur
(an over-smoothed decoder) and two digits ghosted on top of each other (an autoencoder's holes).
"""
from __future__ import annotations

import torch

from explainer.data.softening import gaussian_blur

JUNK_BLUR_MIN = 2.5  # px: the judge calls a digit blurred this much "not a digit", and reads softer ones
KINDS = ("uniform", "gaussian", "blobs", "strokes", "blur", "ghost", "flat")


def _grid(device) -> tuple[torch.Tensor, torch.Tensor]:
    ax = torch.arange(28, device=device, dtype=torch.float32)
    return torch.meshgrid(ax, ax, indexing="ij")


def _blobs(n: int, g: torch.Generator) -> torch.Tensor:
    yy, xx = _grid(g.device)
    k = 6
    cy, cx = (torch.rand(n, k, 1, 1, generator=g, device=g.device) * 24 + 2 for _ in range(2))
    s = torch.rand(n, k, 1, 1, generator=g, device=g.device) * 4 + 1.5
    a = torch.rand(n, k, 1, 1, generator=g, device=g.device) < 0.6
    img = (a * torch.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / (2 * s**2))).sum(1)
    return img.clamp(0, 1)


def _strokes(n: int, g: torch.Generator) -> torch.Tensor:
    """Three random quadratic curves with a pen of random width (one or two alone can read as a 1 or a 7)."""
    yy, xx = _grid(g.device)
    img = torch.zeros(n, 28, 28, device=g.device)
    ts = torch.linspace(0, 1, 24, device=g.device).view(1, -1, 1, 1)
    for _ in range(3):
        p = torch.rand(n, 3, 2, generator=g, device=g.device) * 24 + 2
        curve = (1 - ts) ** 2 * p[:, None, 0, :, None] + 2 * (1 - ts) * ts * p[:, None, 1, :, None] + ts**2 * p[:, None, 2, :, None]
        py, px = curve[:, :, 0:1, :], curve[:, :, 1:2, :]  # (n, 24, 1, 1)
        width = torch.rand(n, 1, 1, 1, generator=g, device=g.device) * 1.0 + 0.7
        d2 = (yy - py.squeeze(-1).unsqueeze(-1)) ** 2 + (xx - px.squeeze(-1).unsqueeze(-1)) ** 2
        img = torch.maximum(img, torch.exp(-d2 / (2 * width**2)).amax(1))
    return img.clamp(0, 1)


def _blur(digits01: torch.Tensor, g: torch.Generator) -> torch.Tensor:
    """Digits blurred by JUNK_BLUR_MIN px or more: past that the strokes melt into a smudge. Half are left dim,
    half stretched back to full ink, so neither darkness nor brightness alone tells the judge which is which."""
    k = len(digits01)
    sigma = JUNK_BLUR_MIN + torch.rand(k, generator=g, device=g.device) * 2.0
    x = gaussian_blur(digits01, sigma)
    stretch = torch.rand(k, 1, 1, generator=g, device=g.device) < 0.5
    return torch.where(stretch, x / x.amax(dim=(1, 2), keepdim=True).clamp_min(1e-3), x)


def make_junk(n: int, g: torch.Generator, digits: torch.Tensor, digit_labels: torch.Tensor) -> torch.Tensor:
    """n junk images in [-1, 1], shape (n, 1, 28, 28). `digits` are real images in [-1, 1] with labels."""
    dev = g.device
    kind = torch.randint(len(KINDS), (n,), generator=g, device=dev)
    out = torch.empty(n, 28, 28, device=dev)
    d01 = (digits[:, 0] + 1) / 2
    m = len(d01)
    for i, name in enumerate(KINDS):
        idx = (kind == i).nonzero().flatten()
        if len(idx) == 0:
            continue
        k = len(idx)
        if name == "uniform":
            img = torch.rand(k, 28, 28, generator=g, device=dev)
        elif name == "gaussian":
            img = (0.5 + 0.35 * torch.randn(k, 28, 28, generator=g, device=dev)).clamp(0, 1)
        elif name == "blobs":
            img = _blobs(k, g)
        elif name == "strokes":
            img = _strokes(k, g)
        elif name == "blur":
            img = _blur(d01[torch.randint(m, (k,), generator=g, device=dev)], g)
        elif name == "ghost":
            a, b = torch.randint(m, (2, k), generator=g, device=dev)
            same = digit_labels[a] == digit_labels[b]
            b = torch.where(same, torch.roll(b, 1), b)  # prefer two different digits
            # both at full ink: a blend at 35-65% each taught judge v2 that faint ink is junk (contrast-halved
            # digits read 94.3%; v3 reads 99.7%). The stronger at full ink and the other at 54-100% of it did as
            # well on contrast but called only 98.1% of fresh junk junk (full ink both: 98.4%).
            img = torch.maximum(d01[a], d01[b])
        else:  # flat: blank, full or grey fields
            img = torch.rand(k, 1, 1, generator=g, device=dev).expand(k, 28, 28).clone()
        out[idx] = img
    return (out * 2 - 1).unsqueeze(1)
