"""Tiny MLPs for the 2-D lab: a time-conditioned field network (DDPM noise or flow velocity) and a GAN pair.

The field network follows the app's one signature, `model(x, t)` with t a float per point in [0, 1] (data at
0, noise at 1; DDPM's index k of T enters as k / T); there are no classes in 2-D, so no `y`. Time enters through
sinusoidal features, as in the image UNet, so that one network can behave very differently near the data
and near the noise. A few tens of thousands of weights: each trains in seconds on one CPU core.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn


@dataclass(frozen=True)
class ToyConfig:
    hidden: int = 128
    depth: int = 3  # hidden layers
    time_features: int = 16  # sin and cos of 8 frequencies
    latent: int = 2  # GAN noise dimension (2-D noise makes the GAN's map from noise to data easy to picture)


def time_features(t: torch.Tensor, n: int) -> torch.Tensor:
    """[sin(w_i t), cos(w_i t)] for n / 2 frequencies w_i spread geometrically from 1 to 200 (t in [0, 1])."""
    freqs = torch.exp(torch.linspace(0.0, math.log(200.0), n // 2, device=t.device))
    angles = t.float().view(-1, 1) * freqs
    return torch.cat([angles.sin(), angles.cos()], dim=1)


def mlp(n_in: int, n_out: int, hidden: int, depth: int, act=nn.SiLU) -> nn.Sequential:
    layers, width = [], n_in
    for _ in range(depth):
        layers += [nn.Linear(width, hidden), act()]
        width = hidden
    return nn.Sequential(*layers, nn.Linear(width, n_out))


class FieldNet(nn.Module):
    """(x, t) -> a 2-D vector: the noise eps for DDPM, the velocity eps - x_0 for flow matching."""

    def __init__(self, cfg: ToyConfig = ToyConfig()):
        super().__init__()
        self.cfg = cfg
        self.net = mlp(2 + cfg.time_features, 2, cfg.hidden, cfg.depth)

    def forward(self, x: torch.Tensor, t: torch.Tensor | float) -> torch.Tensor:
        t = torch.as_tensor(t, dtype=x.dtype, device=x.device).expand(len(x))
        return self.net(torch.cat([x, time_features(t, self.cfg.time_features)], dim=1))


class Generator(nn.Module):
    """z ~ N(0, I) in cfg.latent dimensions -> a 2-D point."""

    def __init__(self, cfg: ToyConfig = ToyConfig()):
        super().__init__()
        self.cfg = cfg
        self.net = mlp(cfg.latent, 2, cfg.hidden, cfg.depth, act=nn.ReLU)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.net(z)


class Discriminator(nn.Module):
    """A 2-D point -> one logit (real if positive)."""

    def __init__(self, cfg: ToyConfig = ToyConfig()):
        super().__init__()
        self.net = mlp(2, 1, cfg.hidden, cfg.depth, act=lambda: nn.LeakyReLU(0.2))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x).squeeze(1)


def parameter_count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
