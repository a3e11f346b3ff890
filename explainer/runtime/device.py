"""Where models run: CUDA when available, else CPU, with the CPU's thread count set once.

On a ZeroGPU Space a GPU is lent per call: model-heavy handlers are wrapped in `on_gpu`, which is `spaces.GPU`
when Hugging Face's `spaces` package is importable and does nothing anywhere else.
"""
from __future__ import annotations

import os

import torch

try:  # Hugging Face ZeroGPU: `spaces` must be imported before CUDA is first touched (below).
    import spaces as _spaces  # noqa: F401
except ImportError:
    _spaces = None

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


def device_label() -> str:
    """A human-readable name of the compute device, for the app footer and model cards."""
    if DEVICE.type == "cuda":
        return f"CUDA ({torch.cuda.get_device_name(DEVICE)})"
    return f"CPU, threads: {torch.get_num_threads()}"


def on_gpu(fn):
    """`spaces.GPU` for a model-heavy handler when the `spaces` package is importable (a no-op off ZeroGPU
    hardware, per its docs); without the package the handler is returned unchanged. Put it under `friendly`,
    so that errors raised on the GPU still reach the user as one clear line."""
    try:
        import spaces
    except ImportError:
        return fn
    return spaces.GPU(fn, duration=GPU_SECONDS)
