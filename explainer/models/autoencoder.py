"""A conv autoencoder and a conv VAE with a 2-D latent, so that the latent space is a plane you can plot.

Both share one encoder shape (28 -> 14 -> 7 -> hidden -> latent) and one decoder shape (the mirror
image, ending in tanh so pixels land in [-1, 1]). They differ only in what the encoder outputs and
how training treats it:

- Autoencoder: the encoder gives one point z per image; training only asks that decode(z) ~ x.
  Nothing says where in the plane the points should lie, so the map has gaps ("holes").
- VAE: the encoder gives a Gaussian q(z|x) = N(mu, diag(exp(logvar))); a sample from it is decoded
  (the reparameterization z = mu + sigma * eps keeps that step differentiable), and a KL term pulls
  every q(z|x) towards the prior N(0, I), so the prior's region is filled with decodable points.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn


@dataclass(frozen=True)
class AutoencoderConfig:
    latent_dim: int = 2
    width: int = 32  # channels at 14x14; 2x this at 7x7
    hidden: int = 256


class Encoder(nn.Module):
    """Image (N, 1, 28, 28) in [-1, 1] -> (N, out_dim)."""

    def __init__(self, cfg: AutoencoderConfig, out_dim: int):
        super().__init__()
        w = cfg.width
        self.net = nn.Sequential(
            nn.Conv2d(1, w, 4, 2, 1), nn.ReLU(inplace=True),  # 14x14
            nn.Conv2d(w, 2 * w, 4, 2, 1), nn.ReLU(inplace=True),  # 7x7
            nn.Flatten(),
            nn.Linear(2 * w * 7 * 7, cfg.hidden), nn.ReLU(inplace=True),
            nn.Linear(cfg.hidden, out_dim),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


class Decoder(nn.Module):
    """Latent (N, latent_dim) -> image (N, 1, 28, 28) in [-1, 1]."""

    def __init__(self, cfg: AutoencoderConfig):
        super().__init__()
        w = cfg.width
        self._w = w
        self.project = nn.Sequential(
            nn.Linear(cfg.latent_dim, cfg.hidden), nn.ReLU(inplace=True),
            nn.Linear(cfg.hidden, 2 * w * 7 * 7), nn.ReLU(inplace=True),
        )
        self.up = nn.Sequential(
            nn.ConvTranspose2d(2 * w, w, 4, 2, 1), nn.ReLU(inplace=True),  # 14x14
            nn.ConvTranspose2d(w, 1, 4, 2, 1), nn.Tanh(),  # 28x28
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.up(self.project(z).view(-1, 2 * self._w, 7, 7))


class Autoencoder(nn.Module):
    """Plain autoencoder: x -> z -> x_hat, trained on reconstruction alone."""

    variational = False

    def __init__(self, cfg: AutoencoderConfig = AutoencoderConfig()):
        super().__init__()
        self.cfg = cfg
        self.encoder = Encoder(cfg, cfg.latent_dim)
        self.decoder = Decoder(cfg)

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """The point of each image on the latent map, (N, latent_dim)."""
        return self.encoder(x)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return self.decoder(z)

    def forward(self, x: torch.Tensor, gen: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """(reconstruction, z). `gen` is accepted so both families train through one call."""
        z = self.encode(x)
        return self.decode(z), z


class VAE(nn.Module):
    """Variational autoencoder: x -> (mu, logvar) -> z = mu + sigma * eps -> x_hat."""

    variational = True

    def __init__(self, cfg: AutoencoderConfig = AutoencoderConfig()):
        super().__init__()
        self.cfg = cfg
        self.encoder = Encoder(cfg, 2 * cfg.latent_dim)
        self.decoder = Decoder(cfg)

    def encode_stats(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """mu and log sigma^2 of q(z|x), each (N, latent_dim)."""
        mu, logvar = self.encoder(x).chunk(2, dim=1)
        return mu, logvar.clamp(-12.0, 8.0)  # keeps exp() finite on odd inputs

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """The point of each image on the latent map: the mean of q(z|x)."""
        return self.encode_stats(x)[0]

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return self.decoder(z)

    def forward(self, x: torch.Tensor, gen: torch.Generator | None = None):
        """(reconstruction of a sampled z, mu, logvar)."""
        mu, logvar = self.encode_stats(x)
        return self.decode(reparameterize(mu, logvar, gen)), mu, logvar


def reparameterize(mu: torch.Tensor, logvar: torch.Tensor, gen: torch.Generator | None = None) -> torch.Tensor:
    """z = mu + sigma * eps with eps ~ N(0, I) drawn from `gen`: the randomness sits outside the
    network, so gradients flow through mu and sigma."""
    eps = torch.randn(mu.shape, generator=gen, device=mu.device, dtype=mu.dtype)
    return mu + torch.exp(0.5 * logvar) * eps


def kl(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """KL(N(mu, sigma^2) || N(0, I)) per sample, in nats:
    0.5 * sum_j (mu_j^2 + sigma_j^2 - log sigma_j^2 - 1)."""
    return 0.5 * (mu.pow(2) + logvar.exp() - logvar - 1.0).sum(dim=1)


def sample_prior(n: int, latent_dim: int, gen: torch.Generator) -> torch.Tensor:
    """z ~ N(0, I), the points a generator would decode."""
    return torch.randn(n, latent_dim, generator=gen, device=gen.device)


def to_fitted(eps: torch.Tensor, mean: torch.Tensor, cov: torch.Tensor) -> torch.Tensor:
    """Standard-normal points eps (N, d) moved onto a fitted Gaussian N(mean, cov): mean + A eps, A A^T = cov.
    The plain autoencoder's second kind of random point: its codes' Gaussian, estimated after training.
    A is the symmetric square root (eigh), which unlike Cholesky also takes a flat, degenerate cov."""
    vals, vecs = torch.linalg.eigh(cov.to(eps))
    root = vecs @ torch.diag(vals.clamp_min(0).sqrt()) @ vecs.T
    return mean.to(eps) + eps @ root.T
