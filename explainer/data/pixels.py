"""Pixels: uint8 0..255 at the edges (files, UI), float in [-1, 1] inside models; the one conversion each way."""
from __future__ import annotations

import numpy as np
import torch


def to_model(images_uint8: np.ndarray | torch.Tensor) -> torch.Tensor:
    """uint8 (N, 28, 28) -> float (N, 1, 28, 28) in [-1, 1]."""
    x = torch.tensor(np.asarray(images_uint8), dtype=torch.float32)  # a copy: IDX buffers are read-only
    if x.ndim == 3:
        x = x.unsqueeze(1)
    return x / 127.5 - 1.0


def to_uint8(x: torch.Tensor | np.ndarray) -> np.ndarray:
    """float in [-1, 1] -> uint8 for display; values outside (noise, a network's guesses) are clipped. A batch
    (N, 1, H, W) loses its channel axis; any other shape ((N, H, W), a picture (H, W) or (H, W, 3)) is kept."""
    x = torch.tensor(x) if isinstance(x, np.ndarray) else x  # a copy: cached pictures are read-only
    x = x.detach().float().cpu()
    if x.ndim == 4:
        x = x[:, 0]
    return ((x.clamp(-1, 1) + 1.0) * 127.5).round().to(torch.uint8).numpy()
