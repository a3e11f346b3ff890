"""Two-dimensional datasets for the 2-D lab: point clouds small models can learn in seconds on a CPU.

Every dataset is a float32 tensor (N, 2) drawn from an explicit torch.Generator (same seed, same cloud) and
scaled to lie roughly within [-2.5, 2.5]^2, where N(0, I) noise lives too: the models then need no further
normalisation. The ring of 8 Gaussians and the checkerboard have countable modes (8 blobs, 8 filled
squares): `mode_index` says which mode each point falls in, which is how a GAN's mode collapse is counted.
A drawing (a gr.Sketchpad value or an RGB(A) array, dark ink on a light or transparent canvas) becomes a cloud
of points sampled from its ink, centred and scaled like the others.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

N_POINTS = 2000
NAMES = ("moons", "ring", "spiral", "checkerboard", "drawing")
LABELS = {"moons": "two moons", "ring": "ring of 8 Gaussians", "spiral": "spiral", "checkerboard": "checkerboard",
          "drawing": "your drawing"}
RING_RADIUS, RING_STD = 2.0, 0.12
BOARD = 4  # 4x4 squares over [-2, 2]^2, half of them filled: 8 modes
MIN_INK_PIXELS = 30
MAX_INK_SHARE = 0.6
DRAWING_RMS = 1.5  # a drawing is scaled so its points' root-mean-square distance from their centre is this


@dataclass(frozen=True, eq=False)
class Toy:
    name: str
    points: torch.Tensor  # (N, 2) float32

    @property
    def label(self) -> str:
        return LABELS[self.name]

    @property
    def n_modes(self) -> int:
        return mode_count(self.name)


def _uniform(n: int, g: torch.Generator) -> torch.Tensor:
    return torch.rand(n, generator=g)


def moons(n: int, g: torch.Generator) -> torch.Tensor:
    """Two interleaving half circles (as scikit-learn's make_moons), noise 0.06, scaled by 1.5."""
    half = n // 2
    theta = math.pi * _uniform(n, g)
    upper = torch.stack([torch.cos(theta[:half]), torch.sin(theta[:half])], 1)
    lower = torch.stack([1 - torch.cos(theta[half:]), 0.5 - torch.sin(theta[half:])], 1)
    pts = torch.cat([upper, lower]) + 0.06 * torch.randn(n, 2, generator=g)
    return 1.5 * (pts - torch.tensor([0.5, 0.25]))[torch.randperm(n, generator=g)]  # moons interleaved in order too


def ring_centres() -> torch.Tensor:
    angles = torch.arange(8) * (2 * math.pi / 8)
    return RING_RADIUS * torch.stack([torch.cos(angles), torch.sin(angles)], 1)


def ring(n: int, g: torch.Generator) -> torch.Tensor:
    """Eight Gaussian blobs (std 0.12) evenly spaced on a circle of radius 2, equally likely."""
    which = torch.randint(0, 8, (n,), generator=g)
    return ring_centres()[which] + RING_STD * torch.randn(n, 2, generator=g)


def spiral(n: int, g: torch.Generator) -> torch.Tensor:
    """One arm winding twice around the centre; points evenly spread along its length, noise 0.05."""
    theta = 4 * math.pi * _uniform(n, g).sqrt() + 0.5
    r = 2.4 * theta / (4 * math.pi + 0.5)
    pts = torch.stack([r * torch.cos(theta), r * torch.sin(theta)], 1)
    return pts + 0.05 * torch.randn(n, 2, generator=g)


def checkerboard(n: int, g: torch.Generator) -> torch.Tensor:
    """Uniform over the 8 dark squares of a 4x4 board on [-2, 2]^2."""
    squares = board_squares()
    which = torch.randint(0, len(squares), (n,), generator=g)
    return squares[which] + torch.rand(n, 2, generator=g)  # lower-left corner + uniform offset


def board_squares() -> torch.Tensor:
    """Lower-left corners of the filled squares (column + row even)."""
    return torch.tensor([[-2.0 + i, -2.0 + j] for j in range(BOARD) for i in range(BOARD) if (i + j) % 2 == 0])


GENERATORS = {"moons": moons, "ring": ring, "spiral": spiral, "checkerboard": checkerboard}


def _ink_mask(value) -> np.ndarray:
    """Boolean (H, W): where dark ink lies on the canvas (transparent pixels count as paper)."""
    if isinstance(value, dict):  # gr.Sketchpad / gr.ImageEditor value
        value = value.get("composite")
    if value is None:
        raise ValueError("The canvas is empty: draw some strokes first (or pick one of the ready datasets).")
    arr = np.asarray(value)
    if arr.dtype == object or arr.ndim not in (2, 3) or (arr.ndim == 3 and arr.shape[2] not in (1, 3, 4)):
        raise ValueError(f"A drawing must be a grayscale, RGB or RGBA picture, got an array of shape {arr.shape}.")
    if arr.size == 0 or min(arr.shape[:2]) < 8:
        raise ValueError("The drawing is too small: the canvas must be at least 8x8 pixels.")
    arr = arr.astype(np.float64)
    if not np.isfinite(arr).all():
        raise ValueError("The drawing contains NaN or infinite values.")
    if arr.max() > 1.0:
        arr = arr / 255.0
    if arr.ndim == 2:
        arr = arr[:, :, None]
    gray = arr[:, :, :3].mean(axis=2) if arr.shape[2] >= 3 else arr[:, :, 0]
    alpha = arr[:, :, 3] if arr.shape[2] == 4 else np.ones_like(gray)
    return (alpha > 0.5) & (gray < 0.5)


def from_drawing(value, n: int = N_POINTS, seed: int = 0) -> torch.Tensor:
    """n points spread over a drawing's ink (pixel centres plus a little jitter), centred and scaled."""
    ink = _ink_mask(value)
    rows, cols = np.nonzero(ink)
    if len(rows) < MIN_INK_PIXELS:
        raise ValueError(f"Too few points: the drawing has {len(rows)} ink pixels, at least {MIN_INK_PIXELS} are "
                         "needed. Draw a few strokes with the black brush.")
    if len(rows) > MAX_INK_SHARE * ink.size:
        raise ValueError("The canvas is mostly ink: draw strokes (a shape, letters) on a blank canvas, don't fill it.")
    g = torch.Generator().manual_seed(seed)
    pick = torch.randint(0, len(rows), (n,), generator=g).numpy()
    xy = np.stack([cols[pick], -rows[pick]], 1).astype(np.float64)  # image rows grow downwards
    xy += torch.rand(n, 2, generator=g, dtype=torch.float64).numpy() - 0.5
    xy -= xy.mean(axis=0)
    rms = math.sqrt((xy**2).sum(axis=1).mean())
    if rms < 3.0:  # pixels: a dot, not a shape
        raise ValueError("The drawing is a single dot: draw a shape with some extent (strokes, letters, curves).")
    return torch.from_numpy(xy * (DRAWING_RMS / rms)).float()


def load(name: str, seed: int = 0, drawing=None, n: int = N_POINTS) -> Toy:
    """A dataset by name (see NAMES); 'drawing' needs the drawing."""
    if name not in NAMES:
        raise ValueError(f"dataset must be one of: {', '.join(NAMES)}.")
    if name == "drawing":
        return Toy(name, from_drawing(drawing, n, seed))
    g = torch.Generator().manual_seed(int(seed))
    return Toy(name, GENERATORS[name](n, g).float())


def mode_count(name: str) -> int:
    return 8 if name in ("ring", "checkerboard") else 0


def mode_index(name: str, points: torch.Tensor) -> torch.Tensor:
    """For the ring and the checkerboard: which of the 8 modes each point falls in, -1 for none (a ring point
    counts when within 4 std of a centre, a board point when inside a filled square). Other datasets: all -1."""
    points = points.float()
    if name == "ring":
        d = torch.cdist(points, ring_centres())
        near, which = d.min(dim=1)
        return torch.where(near <= 4 * RING_STD, which, torch.full_like(which, -1))
    if name == "checkerboard":
        rel = points[:, None, :] - board_squares()[None]
        inside = ((rel >= 0) & (rel <= 1)).all(dim=2)
        which = inside.float().argmax(dim=1)
        return torch.where(inside.any(dim=1), which, torch.full_like(which, -1))
    return torch.full((len(points),), -1, dtype=torch.long)
