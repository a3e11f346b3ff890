"""Wall time of a block, with CUDA synchronised so that asynchronous kernels are counted."""
from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass

import torch

from explainer.runtime.device import DEVICE


class Timer:
    seconds: float = 0.0

    @property
    def ms(self) -> float:
        return self.seconds * 1000.0


@contextmanager
def timed():
    """Wall time of a block, synchronising CUDA so that asynchronous kernels are counted."""
    t = Timer()
    if DEVICE.type == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    try:
        yield t
    finally:
        if DEVICE.type == "cuda":
            torch.cuda.synchronize()
        t.seconds = time.perf_counter() - start
