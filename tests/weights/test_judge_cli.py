"""`python -m explainer.judge`: anyone's samples read by the shipped judge, and one clear line for a malformed file."""
import json
import subprocess
import sys

import numpy as np
import pytest

from explainer.data.bundled import bundled_sample
from tests.conftest import ROOT

pytestmark = pytest.mark.weights


def _judge_cli(path):
    return subprocess.run([sys.executable, "-m", "explainer.judge", str(path)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def test_judge_cli_reads_samples_and_their_labels(tmp_path):
    s = bundled_sample()
    labels = s.labels.astype(np.int64).copy()
    labels[::2] = -1  # half without a request: class_accuracy counts the others only
    np.savez(tmp_path / "real.npz", images=s.images, labels=labels)
    r = _judge_cli(tmp_path / "real.npz")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out["n"] == 2500 and len(out["class_histogram"]) == 11
    assert sum(out["class_histogram"]) == pytest.approx(1, abs=1e-3)
    assert out["class_histogram"][-1] == out["not_a_digit"]
    assert out["class_accuracy"] >= 0.99 and out["recognizability"] >= 0.95 and out["judge_fid"] < 5
    np.savez(tmp_path / "noise.npz", images=np.random.default_rng(0).integers(0, 256, (300, 28, 28), dtype=np.uint8))
    noise = json.loads(_judge_cli(tmp_path / "noise.npz").stdout)
    assert noise["class_accuracy"] is None and noise["not_a_digit"] >= 0.98 and noise["judge_fid"] > 20 * out["judge_fid"]


@pytest.mark.parametrize("content, says", [
    (None, "no such file"),
    (b"not a zip", "not a .npz"),
    ({"pictures": np.zeros((2, 28, 28), np.uint8)}, "no `images`"),
    ({"images": np.zeros((2, 32, 32), np.uint8)}, "N x 28 x 28"),
    ({"images": np.zeros((2, 28, 28), np.float32)}, "uint8"),
    ({"images": np.full((2, 28, 28), np.nan, np.float32)}, "NaN"),
    ({"images": np.zeros((0, 28, 28), np.uint8)}, "empty"),
    ({"images": np.zeros((2, 28, 28), np.uint8), "labels": np.array([3, 11])}, "digits 0-9 or -1"),
    ({"images": np.zeros((2, 28, 28), np.uint8), "labels": np.array([3])}, "2 integers"),
], ids=["missing", "not_npz", "no_images", "shape", "dtype", "nan", "empty", "label_range", "label_count"])
def test_judge_cli_refuses_a_malformed_file_in_one_line(tmp_path, content, says):
    path = tmp_path / "in.npz"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        np.savez(path, **content)
    r = _judge_cli(path)
    assert r.returncode == 2 and r.stdout == ""
    lines = [line for line in r.stderr.splitlines() if line.startswith("python -m explainer.judge: error:")]
    assert len(lines) == 1 and says in lines[0], r.stderr
    assert "Traceback" not in r.stderr
