"""How close generated 2-D points are to the data, how straight particle paths are, how many modes a GAN covers.

- Energy distance (Szekely): 2 E|X - Y| - E|X - X'| - E|Y - Y'|, zero exactly when the two distributions are equal,
  sensitive both to samples off the data and to data regions no sample reaches.
- Nearest-neighbour distances split those two failures apart: samples -> data is large when samples land off the
  data (blur), data -> samples is large when part of the data is never generated (mode collapse).
- Straightness of paths: maths/flow.straightness (pooled over the particles).
"""
from __future__ import annotations

from dataclasses import dataclass

import torch

from explainer.lessons.lab.datasets import mode_count, mode_index

MAX_POINTS = 1000  # the distances below are O(N^2): 1,000 points each keep them at a few milliseconds
MIN_MODE_SHARE = 0.25  # a mode counts as covered when it gets a quarter of its fair share of samples


def _first(x: torch.Tensor, n: int = MAX_POINTS) -> torch.Tensor:
    """At most n points, evenly strided through x (so an ordered cloud is not cut to one part)."""
    return x[:: -(-len(x) // n)].double()


def energy_distance(x: torch.Tensor, y: torch.Tensor) -> float:
    """Energy distance between two (N, 2) clouds (the first MAX_POINTS of each)."""
    x, y = _first(x), _first(y)
    return float(2 * torch.cdist(x, y).mean() - torch.cdist(x, x).mean() - torch.cdist(y, y).mean())


def nearest_distance(frm: torch.Tensor, to: torch.Tensor) -> float:
    """Mean distance from each point of `frm` to its nearest point of `to`."""
    return float(torch.cdist(_first(frm), _first(to, 4 * MAX_POINTS)).min(dim=1).values.mean())


@dataclass(frozen=True)
class Fit:
    energy: float  # energy distance samples <-> data
    to_data: float  # mean distance from a sample to the nearest data point (samples off the data)
    to_samples: float  # mean distance from a data point to the nearest sample (data never generated)


def fit(samples: torch.Tensor, data: torch.Tensor) -> Fit:
    samples, data = samples.detach().cpu(), data.detach().cpu()
    return Fit(energy_distance(samples, data), nearest_distance(samples, data), nearest_distance(data, samples))


@dataclass(frozen=True)
class Coverage:
    counts: list[int]  # samples per mode
    off: int  # samples in no mode
    hit: int  # modes with at least MIN_MODE_SHARE of their fair share

    @property
    def modes(self) -> int:
        return len(self.counts)


def coverage(name: str, samples: torch.Tensor) -> Coverage | None:
    """Samples per mode for datasets with countable modes (ring, checkerboard); None for the others."""
    n_modes = mode_count(name)
    if not n_modes:
        return None
    idx = mode_index(name, samples.detach().cpu())
    counts = torch.bincount(idx[idx >= 0], minlength=n_modes).tolist()
    fair = len(samples) / n_modes
    return Coverage(counts, int((idx < 0).sum()), sum(c >= MIN_MODE_SHARE * fair for c in counts))
