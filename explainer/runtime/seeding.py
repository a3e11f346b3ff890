"""Randomness: every draw flows from an explicit `torch.Generator` made by `generator(seed)`, so that one seed
gives one picture per device."""
from __future__ import annotations

import torch

from explainer.runtime.device import DEVICE
from explainer.runtime.problems import Problem

MAX_SEED = 2**31 - 1


def generator(seed: int, device: torch.device | str | None = None) -> torch.Generator:
    """A generator seeded from a user's seed; raises ValueError for a seed out of range."""
    seed = int(seed)
    if not 0 <= seed <= MAX_SEED:
        raise Problem("SEED_RANGE", hi=MAX_SEED, seed=seed)
    g = torch.Generator(device=device or DEVICE)
    g.manual_seed(seed)
    return g


def seed_everything(seed: int) -> None:
    """Fix the global RNGs too (training only; inference uses explicit generators)."""
    import random

    import numpy as np

    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)
