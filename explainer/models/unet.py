"""A small class-conditional UNet for 28x28 digits: the noise predictor of the diffusion tabs.

Signature shared by diffusion and flow models: `model(x, t, y)` with x (N, 1, 28, 28) in pixel units,
t (N,) floats in [0, 1] (DDPM index k of T is t = k / T) and y (N,) ints 0..9, with NULL_CLASS = 10 meaning
"no prompt" (classifier-free guidance trains both by dropping labels). The output has the shape of x: the
predicted noise eps for DDPM/DDIM (or a velocity for flow matching).

Layout (channels c, 2c, 3c at 28, 14, 7 pixels): each resolution has one residual block on the way down
and one on the way up, joined by skip connections, so fine strokes and global digit shape both reach the
output. Time and class enter every residual block as one embedding vector (added after the first conv),
so the same weights behave differently at every noise level and for every prompt. Widths are chosen for a
2-core CPU: one forward pass at batch 16 takes a few milliseconds.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from explainer.runtime.problems import Problem

NULL_CLASS = 10  # the "no prompt" label; classes 0..9 are digits


@dataclass(frozen=True)
class UNetConfig:
    width: int = 40  # channels at the first level; 2x at the second, 3x in the middle
    patch: int = 2  # 1: full resolution; 2: fold 2x2 pixel patches into channels first (levels at 14 and 7 pixels, ~4x cheaper)
    emb_dim: int = 128  # time + class embedding size
    groups: int = 8  # GroupNorm groups
    num_classes: int = 10  # digits; one more embedding row is the null class


def timestep_embedding(t: torch.Tensor, dim: int, scale: float = 1000.0) -> torch.Tensor:
    """Sinusoidal features of t in [0, 1] (Transformer positions, as in DDPM): t is scaled to 0..1000 so the
    fastest frequency tells neighbouring DDPM steps apart and the slowest varies smoothly over the whole chain."""
    half = dim // 2
    freqs = torch.exp(-math.log(10_000.0) * torch.arange(half, device=t.device, dtype=torch.float32) / half)
    angles = (scale * t.float())[:, None] * freqs[None]  # angle_i = 1000 t / 10000^(i / half)
    return torch.cat([torch.sin(angles), torch.cos(angles)], dim=1)


class ResBlock(nn.Module):
    """GroupNorm -> SiLU -> conv, plus the embedding, then GroupNorm -> SiLU -> conv, plus a skip."""

    def __init__(self, c_in: int, c_out: int, emb_dim: int, groups: int):
        super().__init__()
        self.norm1 = nn.GroupNorm(groups, c_in)
        self.conv1 = nn.Conv2d(c_in, c_out, 3, padding=1)
        self.emb = nn.Linear(emb_dim, c_out)
        self.norm2 = nn.GroupNorm(groups, c_out)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, padding=1)
        self.skip = nn.Conv2d(c_in, c_out, 1) if c_in != c_out else nn.Identity()

    def forward(self, x: torch.Tensor, emb: torch.Tensor) -> torch.Tensor:
        h = self.conv1(F.silu(self.norm1(x)))
        h = h + self.emb(emb)[:, :, None, None]  # the noise level and prompt shift every channel
        h = self.conv2(F.silu(self.norm2(h)))
        return h + self.skip(x)


class UNet(nn.Module):
    def __init__(self, cfg: UNetConfig = UNetConfig()):
        super().__init__()
        self.cfg = cfg
        c, e, g = cfg.width, cfg.emb_dim, cfg.groups
        self.time_mlp = nn.Sequential(nn.Linear(e, e), nn.SiLU(), nn.Linear(e, e))
        self.class_emb = nn.Embedding(cfg.num_classes + 1, e)  # last row: the null class
        p = cfg.patch
        self.stem = nn.Sequential(nn.PixelUnshuffle(p), nn.Conv2d(p * p, c, 3, padding=1))
        self.down1 = ResBlock(c, c, e, g)  # 28x28
        self.pool1 = nn.Conv2d(c, c, 3, stride=2, padding=1)  # -> 14x14
        self.down2 = ResBlock(c, 2 * c, e, g)
        self.pool2 = nn.Conv2d(2 * c, 2 * c, 3, stride=2, padding=1)  # -> 7x7
        self.mid1 = ResBlock(2 * c, 3 * c, e, g)
        self.mid2 = ResBlock(3 * c, 3 * c, e, g)
        self.up2 = ResBlock(3 * c + 2 * c, 2 * c, e, g)  # 7 -> 14 happens before, skip from down2
        self.up1 = ResBlock(2 * c + c, c, e, g)  # skip from down1
        self.out = nn.Sequential(nn.GroupNorm(g, c), nn.SiLU(), nn.Conv2d(c, p * p, 3, padding=1), nn.PixelShuffle(p))
        nn.init.zeros_(self.out[2].weight)  # start by predicting zero noise: a calm first step of training
        nn.init.zeros_(self.out[2].bias)

    def embed(self, t: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return self.time_mlp(timestep_embedding(t, self.cfg.emb_dim)) + self.class_emb(y)

    def forward(self, x: torch.Tensor, t: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        if x.shape[-2:] != (28, 28):
            raise Problem("UNET_SHAPE", shape=tuple(x.shape[-2:]))
        emb = F.silu(self.embed(t.to(x.dtype).expand(len(x)), y.expand(len(x))))
        h1 = self.down1(self.stem(x), emb)  # 28x28
        h2 = self.down2(self.pool1(h1), emb)  # 14x14
        h = self.mid2(self.mid1(self.pool2(h2), emb), emb)  # 7x7
        h = F.interpolate(h, size=h2.shape[-2:], mode="nearest")
        h = self.up2(torch.cat([h, h2], 1), emb)
        h = F.interpolate(h, size=h1.shape[-2:], mode="nearest")
        h = self.up1(torch.cat([h, h1], 1), emb)
        return self.out(h)


def parameter_count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
