"""DCGAN for 28x28 digits: a transposed-conv generator from a noise vector and a conv discriminator.

The discriminator returns logits; sigmoid(logit) is its belief that an image is real. Training
(in explainer.train) uses the BCE losses of the original GAN:
    loss_D = BCE(D(x), 1) + BCE(D(G(z)), 0)      loss_G = BCE(D(G(z)), 1)   (non-saturating)
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn


@dataclass(frozen=True)
class GANConfig:
    z_dim: int = 64
    g_width: int = 64  # channels at 14x14; 2x this at 7x7
    d_width: int = 64
    d_dropout: float = 0.0  # dropout before D's verdict: a less certain D leaves G useful gradients
    hidden: int = 0  # > 0 adds a fully connected layer of this width to both players (InfoGAN's MNIST design)


class Generator(nn.Module):
    def __init__(self, cfg: GANConfig):
        super().__init__()
        w = cfg.g_width
        fc = [cfg.z_dim, cfg.hidden, 2 * w * 7 * 7] if cfg.hidden else [cfg.z_dim, 2 * w * 7 * 7]
        layers = []
        for n_in, n_out in zip(fc[:-1], fc[1:]):
            layers += [nn.Linear(n_in, n_out, bias=False), nn.BatchNorm1d(n_out), nn.ReLU(True)]
        self.project = nn.Sequential(*layers)
        self.up = nn.Sequential(
            nn.ConvTranspose2d(2 * w, w, 4, 2, 1, bias=False), nn.BatchNorm2d(w), nn.ReLU(True),  # 14x14
            nn.ConvTranspose2d(w, 1, 4, 2, 1), nn.Tanh(),  # 28x28 in [-1, 1]
        )
        self._w = w

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.up(self.project(z).view(-1, 2 * self._w, 7, 7))


class Discriminator(nn.Module):
    def __init__(self, cfg: GANConfig):
        super().__init__()
        w = cfg.d_width
        self.net = nn.Sequential(
            nn.Conv2d(1, w, 4, 2, 1), nn.LeakyReLU(0.2, True),  # 14x14
            nn.Conv2d(w, 2 * w, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * w), nn.LeakyReLU(0.2, True),  # 7x7
            nn.Flatten(),
            *([nn.Linear(2 * w * 7 * 7, cfg.hidden, bias=False), nn.BatchNorm1d(cfg.hidden), nn.LeakyReLU(0.2, True)]
              if cfg.hidden else []),
            nn.Linear(cfg.hidden or 2 * w * 7 * 7, 1),
        )
        self.dropout = nn.Dropout(cfg.d_dropout)  # no weights: state dicts match with or without it

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits (N,)."""
        return self.net[-1](self.dropout(self.net[:-1](x))).squeeze(1)


class GAN(nn.Module):
    """Both players in one module, so one safetensors file holds the whole game."""

    def __init__(self, cfg: GANConfig = GANConfig()):
        super().__init__()
        self.cfg = cfg
        self.generator = Generator(cfg)
        self.discriminator = Discriminator(cfg)

    def sample_z(self, n: int, gen: torch.Generator) -> torch.Tensor:
        return torch.randn(n, self.cfg.z_dim, generator=gen, device=gen.device)

    @torch.no_grad()
    def generate(self, z: torch.Tensor) -> torch.Tensor:
        return self.generator(z)

    @torch.no_grad()
    def realness(self, x: torch.Tensor) -> torch.Tensor:
        """D's probability that each image is real, (N,)."""
        return torch.sigmoid(self.discriminator(x))


def discriminator_loss(real_logits: torch.Tensor, fake_logits: torch.Tensor, real_label: float = 1.0) -> torch.Tensor:
    """BCE(D(x), 1) + BCE(D(G(z)), 0): call real digits real and generated ones fake.

    real_label < 1 is one-sided label smoothing (Salimans et al., 2016): D is never pushed to total
    certainty on real digits, which keeps it from overpowering G."""
    return F.binary_cross_entropy_with_logits(real_logits, torch.full_like(real_logits, real_label)) + \
        F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))


def generator_loss(fake_logits: torch.Tensor) -> torch.Tensor:
    """BCE(D(G(z)), 1): the non-saturating generator loss, -log D(G(z))."""
    return F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits))
