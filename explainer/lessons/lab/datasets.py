"""Two-dimensional datasets for the 2-D lab: point clouds small models can learn in seconds on a CPU.

Every dataset is a float32 tensor (N, 2) drawn from an explicit torch.Generator (same seed, same cloud) and
scaled to lie roughly within [-2.5, 2.5]^2, where N(0, I) noise lives too: the models then need no further
normalisation. The ring of 8 Gaussians and the checkerboard have countable modes (8 blobs, 8 filled
squares): `mode_index` says which mode each point falls in, which is how a GAN's mode collapse is counted.
A drawing (a gr.Sketchpad value, an array or a picture, read the way digitize.py reads digits) becomes a cloud of
points sampled from its ink, centred and scaled like the others; it travels as text, one "x, y" per line, which
a person may also type or paste (parse_points).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from explainer.data.digitize import ink_map
from explainer.runtime.problems import Problem

N_POINTS = 2000
NAMES = ("moons", "ring", "spiral", "checkerboard", "drawing")
LABELS = {"moons": "two moons", "ring": "ring of 8 Gaussians", "spiral": "spiral", "checkerboard": "checkerboard",
          "drawing": "your drawing"}
RING_RADIUS, RING_STD = 2.0, 0.12
BOARD = 4  # 4x4 squares over [-2, 2]^2, half of them filled: 8 modes
MIN_INK_PIXELS = 30
MAX_INK_SHARE = 0.6
MIN_CONTRAST = 0.15  # ink must differ from the paper by this much (0..1)
MIN_TEXT_POINTS, MAX_TEXT_POINTS = 20, 5000
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


def _normalise(xy: np.ndarray) -> torch.Tensor:
    """Centre a cloud and scale it so its points' root-mean-square distance from the centre is DRAWING_RMS."""
    xy = xy - xy.mean(axis=0)
    rms = math.sqrt((xy**2).sum(axis=1).mean())
    if rms < 1e-6:
        raise Problem("LAB_NO_EXTENT")
    return torch.from_numpy(xy * (DRAWING_RMS / rms)).float()


def from_drawing(value, n: int = N_POINTS, seed: int = 0) -> torch.Tensor:
    """n points spread over a drawing's ink (pixel centres plus a little jitter), centred and scaled. The drawing is
    anything digitize reads: a gr.Sketchpad value, an array, a PIL image or a file; dark or light strokes."""
    if value is None or (isinstance(value, dict) and value.get("composite") is None):
        raise Problem("LAB_CANVAS_EMPTY")
    ink = ink_map(value)
    if min(ink.shape) < 8:
        raise Problem("LAB_DRAWING_SMALL", side=8)
    if ink.max() < MIN_CONTRAST:
        raise Problem("LAB_CANVAS_BLANK")
    rows, cols = np.nonzero(ink >= 0.5 * ink.max())
    if len(rows) < MIN_INK_PIXELS:
        raise Problem("LAB_FEW_INK", ink=len(rows), least=MIN_INK_PIXELS)
    if len(rows) > MAX_INK_SHARE * ink.size:
        raise Problem("LAB_MOSTLY_INK")
    g = torch.Generator().manual_seed(seed)
    pick = torch.randint(0, len(rows), (n,), generator=g).numpy()
    xy = np.stack([cols[pick], -rows[pick]], 1).astype(np.float64)  # image rows grow downwards
    xy += torch.rand(n, 2, generator=g, dtype=torch.float64).numpy() - 0.5
    if math.sqrt(xy.var(axis=0).sum()) < 3.0:  # pixels: a dot, not a shape
        raise Problem("LAB_SINGLE_DOT")
    return _normalise(xy)


def parse_points(text) -> torch.Tensor:
    """Points typed or pasted as text, one "x, y" (or "x y") per line, centred and scaled like a drawing."""
    if not isinstance(text, str) or not text.strip():
        raise Problem("LAB_NO_POINTS")
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    if len(lines) > MAX_TEXT_POINTS:
        raise Problem("LAB_TOO_MANY_POINTS", lines=len(lines), most=MAX_TEXT_POINTS)
    xy = []
    for i, line in enumerate(lines, start=1):
        parts = line.replace(",", " ").split()
        try:
            x, y = (float(p) for p in parts)
        except ValueError:
            raise Problem("LAB_POINT_LINE", i=i, line=line[:40]) from None
        if not (math.isfinite(x) and math.isfinite(y) and abs(x) <= 1e6 and abs(y) <= 1e6):
            raise Problem("LAB_POINT_RANGE", i=i, line=line[:40])
        xy.append((x, y))
    if len(xy) < MIN_TEXT_POINTS:
        raise Problem("LAB_FEW_POINTS", given=len(xy), least=MIN_TEXT_POINTS)
    return _normalise(np.asarray(xy, dtype=np.float64))


def points_text(points: torch.Tensor) -> str:
    """The inverse of parse_points: one "x, y" line per point, 3 decimals."""
    return "\n".join(f"{x:.3f}, {y:.3f}" for x, y in points.tolist())


def load(name: str, seed: int = 0, points=None, n: int = N_POINTS) -> Toy:
    """A dataset by name (see NAMES); 'drawing' takes its points as text (parse_points), the others ignore them."""
    if name not in NAMES:
        raise Problem("LAB_DATASET", names=", ".join(NAMES))
    if name == "drawing":
        return Toy(name, parse_points(points))
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
