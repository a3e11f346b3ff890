import gzip
import struct

import numpy as np
import pytest
import torch

from explainer.data import bundled, mnist, pixels
from tests.conftest import write_idx
from tests.conftest import refused


def test_read_idx_roundtrip(tmp_path):
    images = np.random.default_rng(0).integers(0, 256, (5, 28, 28), dtype=np.uint8)
    labels = np.array([3, 1, 4, 1, 5], dtype=np.uint8)
    write_idx(tmp_path, "test", images, labels)
    got_images, got_labels = mnist.load_split("test", tmp_path)
    np.testing.assert_array_equal(got_images, images)
    np.testing.assert_array_equal(got_labels, labels)


def test_read_idx_rejects_other_files(tmp_path):
    path = tmp_path / "x.gz"
    with gzip.open(path, "wb") as f:
        f.write(struct.pack(">II", 1234, 0))
    with refused("magic 1234"):
        mnist.read_idx(path)


def test_missing_data_names_the_four_files(tmp_path):
    with pytest.raises(mnist.DataNotFound) as e:
        mnist.load_split("train", tmp_path / "nowhere")
    for name in mnist.EXPECTED_FILES:
        assert name in str(e.value)


def test_pixel_conversions_roundtrip():
    u8 = np.arange(256, dtype=np.uint8)[:196].reshape(1, 14, 14)
    x = pixels.to_model(u8)
    assert x.shape == (1, 1, 14, 14) and x.min() >= -1 and x.max() <= 1
    np.testing.assert_array_equal(pixels.to_uint8(x), u8)
    assert pixels.to_uint8(torch.full((1, 1, 2, 2), 5.0)).max() == 255  # out of range is clipped


def test_bundled_sample_is_class_balanced_real_digits():
    s = bundled.bundled_sample()
    assert s.images.dtype == np.uint8 and s.images.shape[1:] == (28, 28)
    counts = np.bincount(s.labels, minlength=10)
    assert counts.min() >= 50 and len(counts) == 10


def test_balanced_sample_picks_per_class():
    labels = np.repeat(np.arange(10), 7)
    images = np.zeros((70, 28, 28), np.uint8)
    s = mnist.make_balanced_sample(images, labels, per_class=5)
    np.testing.assert_array_equal(np.bincount(s.labels), [5] * 10)
