"""What every recipe shares: the run record that becomes a model card, batching, the progress bar."""
from __future__ import annotations

import platform
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import torch

from explainer.data.mnist import load_split
from explainer.data.pixels import to_model
from explainer.runtime.device import DEVICE, device_label


@dataclass
class RunRecord:
    """Facts about one training run, written into the model card."""

    command: str
    data_dir: Path
    epochs: float
    seed: int
    started: float = field(default_factory=time.time)

    def card(self, **extra) -> dict:
        return {
            "command": self.command,
            "data": f"MNIST IDX files ({self.data_dir.name}); train split for training, test split for metrics",
            "epochs": self.epochs,
            "seed": self.seed,
            "wall_time_s": round(time.time() - self.started, 1),
            "device": device_label(),
            "torch": torch.__version__,
            "python": platform.python_version(),
            **extra,
        }


def load_tensors(split: str, data_dir: Path) -> tuple[torch.Tensor, torch.Tensor]:
    images, labels = load_split(split, data_dir, download=True)
    return to_model(images), torch.as_tensor(labels.astype("int64"))


def batches(n: int, batch_size: int, g: torch.Generator, drop_last: bool = True):
    """Shuffled index batches of one epoch."""
    perm = torch.randperm(n, generator=g)
    stop = n - n % batch_size if drop_last else n
    for i in range(0, stop, batch_size):
        yield perm[i : i + batch_size]


def progress(total: int, desc: str):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="it", dynamic_ncols=True, mininterval=2.0, file=sys.stderr)


def on_device(*tensors: torch.Tensor):
    return tuple(t.to(DEVICE, non_blocking=True) for t in tensors)
