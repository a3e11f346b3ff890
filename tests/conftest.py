"""Shared fixtures. Markers: `weights` needs pretrained/, `api` launches the app, `browser` drives Chromium."""
from __future__ import annotations

import gzip
import socket
import struct
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def write_idx(folder: Path, split: str, images: np.ndarray, labels: np.ndarray) -> None:
    """Write a tiny MNIST-format split (gzip IDX) for tests that must not need the real data."""
    from explainer.data import SPLIT_FILES

    img_name, lbl_name = SPLIT_FILES[split]
    folder.mkdir(parents=True, exist_ok=True)
    n, h, w = images.shape
    with gzip.open(folder / img_name, "wb") as f:
        f.write(struct.pack(">IIII", 2051, n, h, w) + images.astype(np.uint8).tobytes())
    with gzip.open(folder / lbl_name, "wb") as f:
        f.write(struct.pack(">II", 2049, n) + labels.astype(np.uint8).tobytes())


@pytest.fixture
def tiny_mnist(tmp_path) -> Path:
    """A fake MNIST folder built from the bundled real sample (train = test = the sample)."""
    from explainer.data import bundled_sample

    s = bundled_sample()
    folder = tmp_path / "mnist"
    for split in ("train", "test"):
        write_idx(folder, split, s.images, s.labels)
    return folder


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def app_url():
    """The real app, launched in-process on a free port."""
    from app import demo
    from explainer.ui import launch_options

    opts = launch_options() | dict(server_name="127.0.0.1", server_port=free_port(), prevent_thread_lock=True, quiet=True)
    _, url, _ = demo.launch(**opts)
    yield url
    demo.close()


@pytest.fixture(scope="session")
def client(app_url):
    from gradio_client import Client

    return Client(app_url, verbose=False)
