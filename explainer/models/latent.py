"""Latent diffusion's two halves: a compressor (a VAE with a small spatial latent) and a denoiser that works there.

- `LatentVAE` squeezes a digit (1 x 28 x 28 = 784 numbers) into a 4 x 7 x 7 map (196 numbers, 4x fewer) and
  back. Its KL term is weak on purpose: it keeps the latent smooth and bounded, not N(0, I), because the
  compressor is judged by its reconstructions; the denoiser later learns the latent's real distribution.
  (This is the recipe of Stable Diffusion's KL autoencoder, at MNIST size.)
- `LatentDenoiser` is a velocity field v(z_t, t, y) on that 4 x 7 x 7 map, with the UNet's signature and its
  time/class embedding, so the flow samplers and classifier-free guidance run on it unchanged. It has no
  down- or up-sampling: at 7 x 7 every 3x3 conv already sees a third of the picture.

Generation then runs wholly in the latent (every step is a LatentDenoiser pass) and decodes once at the end.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from explainer.models.unet import ResBlock, timestep_embedding


@dataclass(frozen=True)
class LatentVAEConfig:
    channels: int = 4  # latent channels at 7 x 7
    width: int = 32  # channels at 28 x 28; 2x at 14, 4x at 7


class LatentVAE(nn.Module):
    """Image (N, 1, 28, 28) in [-1, 1] <-> latent (N, channels, 7, 7)."""

    def __init__(self, cfg: LatentVAEConfig = LatentVAEConfig()):
        super().__init__()
        self.cfg = cfg
        w, c = cfg.width, cfg.channels
        self.encoder = nn.Sequential(
            nn.Conv2d(1, w, 3, padding=1), nn.SiLU(),
            nn.Conv2d(w, 2 * w, 4, 2, 1), nn.SiLU(),  # 14 x 14
            nn.Conv2d(2 * w, 2 * w, 3, padding=1), nn.SiLU(),
            nn.Conv2d(2 * w, 4 * w, 4, 2, 1), nn.SiLU(),  # 7 x 7
            nn.Conv2d(4 * w, 2 * c, 3, padding=1),  # mean and log-variance of each latent number
        )
        self.decoder = nn.Sequential(
            nn.Conv2d(c, 4 * w, 3, padding=1), nn.SiLU(),
            nn.Conv2d(4 * w, 4 * w, 3, padding=1), nn.SiLU(),
            nn.ConvTranspose2d(4 * w, 2 * w, 4, 2, 1), nn.SiLU(),  # 14 x 14
            nn.Conv2d(2 * w, 2 * w, 3, padding=1), nn.SiLU(),
            nn.ConvTranspose2d(2 * w, w, 4, 2, 1), nn.SiLU(),  # 28 x 28
            nn.Conv2d(w, 1, 3, padding=1),  # logits of ink, one per pixel
        )

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        mu, logvar = self.encoder(x).chunk(2, dim=1)
        return mu, logvar.clamp(-12, 6)

    def decode_logits(self, z: torch.Tensor) -> torch.Tensor:
        return self.decoder(z)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """Latent -> image in [-1, 1]: tanh(l / 2) = 2 sigmoid(l) - 1, the ink probability in pixel units."""
        return torch.tanh(self.decode_logits(z) / 2)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        mu, logvar = self.encode(x)
        z = mu + torch.randn_like(mu) * (0.5 * logvar).exp()  # reparameterization
        return self.decode_logits(z), mu, logvar


@dataclass(frozen=True)
class LatentDenoiserConfig:
    channels: int = 4  # the latent's channels (LatentVAEConfig.channels)
    width: int = 64
    blocks: int = 3  # residual blocks, all at 7 x 7: a step costs ~1/4 of a pixel UNet pass (FLOPs)
    emb_dim: int = 128
    groups: int = 8
    num_classes: int = 10  # one more embedding row is the null class (no prompt)


class LatentDenoiser(nn.Module):
    """v(z_t, t, y): z_t (N, channels, 7, 7), t (N,) in [0, 1], y (N,) in 0..10 -> a velocity shaped as z_t."""

    def __init__(self, cfg: LatentDenoiserConfig = LatentDenoiserConfig()):
        super().__init__()
        self.cfg = cfg
        w, e, g = cfg.width, cfg.emb_dim, cfg.groups
        self.time_mlp = nn.Sequential(nn.Linear(e, e), nn.SiLU(), nn.Linear(e, e))
        self.class_emb = nn.Embedding(cfg.num_classes + 1, e)
        self.stem = nn.Conv2d(cfg.channels, w, 3, padding=1)
        self.blocks = nn.ModuleList(ResBlock(w, w, e, g) for _ in range(cfg.blocks))
        self.out = nn.Sequential(nn.GroupNorm(g, w), nn.SiLU(), nn.Conv2d(w, cfg.channels, 3, padding=1))
        nn.init.zeros_(self.out[2].weight)
        nn.init.zeros_(self.out[2].bias)

    def forward(self, z: torch.Tensor, t: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        emb = self.time_mlp(timestep_embedding(t.to(z.dtype).expand(len(z)), self.cfg.emb_dim))
        emb = F.silu(emb + self.class_emb(y.expand(len(z))))
        h = self.stem(z)
        for block in self.blocks:
            h = block(h, emb)
        return self.out(h)
