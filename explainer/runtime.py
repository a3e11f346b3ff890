"""Where models run and how randomness and time are handled.

The device is CUDA when available, else CPU. On a ZeroGPU Space a GPU is lent per call: model-heavy handlers
are wrapped in `on_gpu`, which is `spaces.GPU` when Hugging Face's `spaces` package is importable and does
nothing anywhere else. All randomness goes through an explicit
`torch.Generator` made by `generator(seed)` so that one seed gives one picture per device.
"""
from __future__ import annotations

import os
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass

import torch

try:  # Hugging Face ZeroGPU: `spaces` must be imported before CUDA is first touched (below).
    import spaces as _spaces  # noqa: F401
except ImportError:
    _spaces = None

MAX_SEED = 2**31 - 1
GPU_SECONDS = 30  # longest model call we ask ZeroGPU for (a 1000-step DDPM run of 16 digits needs far less)


def _pick_device() -> torch.device:
    wanted = os.environ.get("EXPLAINER_DEVICE")
    if wanted:
        return torch.device(wanted)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


DEVICE = _pick_device()

# Small convnets on a 2-core Space run fastest with intra-op threads equal to the cores. When
# several jobs share the machine (trainings beside the app), EXPLAINER_THREADS=1 avoids thread
# oversubscription, which slows every job down many times over.
if DEVICE.type == "cpu":
    torch.set_num_threads(int(os.environ.get("EXPLAINER_THREADS", 0)) or max(1, min(4, os.cpu_count() or 1)))


_ONE_THREAD_LOCK = threading.Lock()
_one_thread_users = 0
_threads_before = 0


@contextmanager
def one_thread():
    """Run a block of tiny CPU work (the 2-D lab's MLPs) on one torch thread; usable as a decorator too. Their
    ops are too small to share between cores, and on a busy 2-core machine two threads spin-waiting for each
    other made them 30-40x slower (measured).
    torch's thread count is per OS thread once a thread has run torch code, and new threads copy a process-wide
    value that every set_num_threads also writes. So each user sets 1 for its own thread, and on the way out
    restores the count that held before the first of any concurrent users came in, never a 1 it may have
    inherited from another user: both its own thread and the process-wide value end where they started."""
    global _one_thread_users, _threads_before
    with _ONE_THREAD_LOCK:
        if _one_thread_users == 0:
            _threads_before = torch.get_num_threads()
        _one_thread_users += 1
        restore = _threads_before
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(restore)
        with _ONE_THREAD_LOCK:
            _one_thread_users -= 1


def device_label() -> str:
    """A human-readable name of the compute device, for the app footer and model cards."""
    if DEVICE.type == "cuda":
        return f"CUDA ({torch.cuda.get_device_name(DEVICE)})"
    return f"CPU ({torch.get_num_threads()} threads)"


def generator(seed: int, device: torch.device | str | None = None) -> torch.Generator:
    """A generator seeded from a user's seed; raises ValueError for a seed out of range."""
    seed = int(seed)
    if not 0 <= seed <= MAX_SEED:
        raise ValueError(f"seed must be between 0 and {MAX_SEED}, got {seed}")
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


@dataclass
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


def on_gpu(fn):
    """`spaces.GPU` for a model-heavy handler when the `spaces` package is importable (a no-op off ZeroGPU
    hardware, per its docs); without the package the handler is returned unchanged. Put it under `friendly`,
    so that errors raised on the GPU still reach the user as one clear line."""
    try:
        import spaces
    except ImportError:
        return fn
    return spaces.GPU(fn, duration=GPU_SECONDS)
