"""The judge: a small MNIST classifier with an eleventh class, "not a digit".

It is the app's eye. It names what a generated image looks like, and its penultimate features
are the space in which judge-FID is measured. A plain 10-way classifier is confidently wrong on
junk (uniform noise gets a >0.9 score for some digit), so the judge is also trained on synthetic
junk (noise, blobs, strokes, heavy blur, ghosted pairs of digits) labelled NOT_A_DIGIT.
The reference statistics of its features on the MNIST test set travel inside its weights as
buffers, so judge-FID needs no dataset at run time.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

NOT_A_DIGIT = 10
CLASS_NAMES = [str(d) for d in range(10)] + ["not a digit"]


@dataclass(frozen=True)
class JudgeConfig:
    width: int = 32
    feature_dim: int = 128
    num_classes: int = 11
    dropout: float = 0.3


def _conv_block(c_in: int, c_out: int) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(inplace=True))


class Judge(nn.Module):
    def __init__(self, cfg: JudgeConfig = JudgeConfig()):
        super().__init__()
        self.cfg = cfg
        w = cfg.width
        self.body = nn.Sequential(
            _conv_block(1, w), _conv_block(w, w), nn.MaxPool2d(2),  # 14x14
            _conv_block(w, 2 * w), _conv_block(2 * w, 2 * w), nn.MaxPool2d(2),  # 7x7
            nn.Flatten(),
            nn.Linear(2 * w * 7 * 7, cfg.feature_dim), nn.ReLU(inplace=True),
        )
        self.dropout = nn.Dropout(cfg.dropout)
        self.head = nn.Linear(cfg.feature_dim, cfg.num_classes)
        # Reference statistics of features on the MNIST test set (filled in by training).
        self.register_buffer("ref_mu", torch.zeros(cfg.feature_dim))
        self.register_buffer("ref_cov", torch.eye(cfg.feature_dim))

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """Penultimate activations (N, feature_dim) of images in [-1, 1]."""
        return self.body(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits (N, 11)."""
        return self.head(self.dropout(self.features(x)))
