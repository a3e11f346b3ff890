"""MNIST-format data: the IDX gzip reader and where the files live.

The same reader serves MNIST and Fashion-MNIST (identical file layout). Training finds files in
`--data-dir`, else `$EXPLAINER_DATA_DIR`, else `data/mnist`. The app never needs them: it uses
`pretrained/mnist_sample.npz`, a class-balanced sample of real test digits.
"""
from __future__ import annotations

import gzip
import os
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from explainer.data.bundled import Sample
from explainer.runtime.problems import Problem

IMAGE_MAGIC, LABEL_MAGIC = 2051, 2049
SPLIT_FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}
EXPECTED_FILES = [name for pair in SPLIT_FILES.values() for name in pair]


class DataNotFound(FileNotFoundError):
    """The IDX files are missing; the message names the files and where they were looked for."""


def default_data_dir() -> Path:
    return Path(os.environ.get("EXPLAINER_DATA_DIR", "data/mnist"))


def read_idx(path: Path | str) -> np.ndarray:
    """Read one gzip IDX file: uint8 images (N, rows, cols) or uint8 labels (N,)."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    magic, count = struct.unpack(">II", raw[:8])
    if magic == IMAGE_MAGIC:
        rows, cols = struct.unpack(">II", raw[8:16])
        data = np.frombuffer(raw, dtype=np.uint8, offset=16)
        return data.reshape(count, rows, cols)
    if magic == LABEL_MAGIC:
        return np.frombuffer(raw, dtype=np.uint8, offset=8).reshape(count)
    raise Problem("IDX_NOT_IDX", path=path, magic=magic)


def _download_with_torchvision(data_dir: Path) -> bool:
    """Best effort: fetch MNIST with torchvision when online. Returns True when the files appeared."""
    try:
        from torchvision.datasets import MNIST

        root = data_dir / "_torchvision"
        MNIST(root, train=True, download=True)
        MNIST(root, train=False, download=True)
        raw = root / "MNIST" / "raw"
        data_dir.mkdir(parents=True, exist_ok=True)
        for name in EXPECTED_FILES:
            (data_dir / name).write_bytes((raw / name).read_bytes())
        return True
    except Exception:
        return False


def load_split(split: str, data_dir: Path | str | None = None, download: bool = False):
    """(images uint8 (N, 28, 28), labels uint8 (N,)) of 'train' or 'test'."""
    if split not in SPLIT_FILES:
        raise Problem("MNIST_SPLIT", splits=list(SPLIT_FILES), split=split)
    data_dir = Path(data_dir) if data_dir is not None else default_data_dir()
    image_file, label_file = (data_dir / n for n in SPLIT_FILES[split])
    if not (image_file.exists() and label_file.exists()):
        if not (download and _download_with_torchvision(data_dir)):
            raise DataNotFound(
                f"MNIST-format files not found in {data_dir.resolve()}. Expected the four IDX gzip files "
                f"{', '.join(EXPECTED_FILES)}. Pass --data-dir DIR or set EXPLAINER_DATA_DIR."
            )
    images, labels = read_idx(image_file), read_idx(label_file)
    if len(images) != len(labels):
        raise Problem("MNIST_COUNTS", path=data_dir, images=len(images), labels=len(labels))
    return images, labels


def make_balanced_sample(images: np.ndarray, labels: np.ndarray, per_class: int, seed: int = 0) -> Sample:
    """Pick `per_class` images of each class at random (fixed seed), ordered by class."""
    rng = np.random.default_rng(seed)
    idx = np.concatenate([rng.choice(np.flatnonzero(labels == c), per_class, replace=False) for c in range(10)])
    return Sample(images[idx], labels[idx].astype(np.int64))
