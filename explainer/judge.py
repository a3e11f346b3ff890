"""`python -m explainer.judge IMAGES.npz` reads anyone's samples with the app's judge and prints one JSON line.

The .npz holds `images` (uint8, N x 28 x 28, white digit on black as in MNIST) and optionally `labels`
(the class each image was asked to be, -1 for none): the format `python -m explainer.sample` writes.
The line holds n, recognizability (share read as a digit with probability >= 0.9), judge_fid (against
the MNIST test set; null below 2 images), class_histogram (11 shares, the last "not a digit"),
not_a_digit, class_entropy_over_ln10 and class_accuracy (share read as its label, over labels >= 0;
null when there are none). A malformed file is refused with one line and exit code 2.
"""
from __future__ import annotations

import argparse
import json
import zipfile
from pathlib import Path

import numpy as np

from explainer.data.pixels import to_model
from explainer.evaluation import metrics
from explainer.models import pretrained
from explainer.models.judge import NOT_A_DIGIT


class Malformed(ValueError):
    """The file cannot be judged; the message says why in one line."""


def read_images(path: Path) -> tuple[np.ndarray, np.ndarray | None]:
    """(images uint8 (N, 28, 28), labels int64 (N,) or None), or Malformed."""
    if not path.is_file():
        raise Malformed(f"{path}: no such file")
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as e:
        raise Malformed(f"{path}: not a .npz file ({type(e).__name__})") from None
    if "images" not in arrays:
        raise Malformed(f"{path}: no `images` array (found: {', '.join(arrays) or 'none'})")
    images = arrays["images"]
    if images.ndim == 4 and images.shape[1] == 1:
        images = images[:, 0]  # (N, 1, 28, 28), as torch writes them
    if images.ndim != 3 or images.shape[1:] != (28, 28):
        raise Malformed(f"{path}: `images` must be N x 28 x 28, got shape {images.shape}")
    if len(images) == 0:
        raise Malformed(f"{path}: `images` is empty")
    if images.dtype.kind == "f" and not np.isfinite(images).all():
        raise Malformed(f"{path}: `images` contains NaN or infinite values; expected uint8 pixels 0-255")
    if images.dtype != np.uint8:
        raise Malformed(f"{path}: `images` must be uint8 (pixels 0-255), got {images.dtype}")
    labels = arrays.get("labels")
    if labels is None:
        return images, None
    if labels.dtype.kind not in "iu" or labels.shape != (len(images),):
        raise Malformed(f"{path}: `labels` must be {len(images)} integers, got {labels.dtype} of shape {labels.shape}")
    if ((labels < -1) | (labels > 9)).any():
        raise Malformed(f"{path}: `labels` must be digits 0-9 or -1 for none")
    return images, labels.astype(np.int64)


def judge_report(images: np.ndarray, labels: np.ndarray | None = None, judge=None) -> dict:
    """The judge's reading of uint8 images (N, 28, 28), as the JSON line prints it."""
    judge = judge or pretrained.load("judge")
    probs, feats = metrics.judge_outputs(judge, to_model(images))
    hist = metrics.class_histogram(probs)
    n = len(images)
    asked = labels is not None and (labels >= 0).any()
    if asked:
        keep = labels >= 0
        accuracy = float((probs.argmax(1).numpy()[keep] == labels[keep]).mean())
    return {
        "n": n,
        "recognizability": round(metrics.recognizability(probs), 4),
        "judge_fid": round(metrics.judge_fid(judge, feats), 3) if n >= 2 else None,
        "class_histogram": [round(c / n, 4) for c in hist.tolist()],
        "not_a_digit": round(hist[NOT_A_DIGIT] / n, 4),
        "class_entropy_over_ln10": round(metrics.digit_entropy(hist) / metrics.MAX_ENTROPY, 4),
        "class_accuracy": round(accuracy, 4) if asked else None,
        "judge_version": pretrained.read_card("judge").get("version", 1),
    }


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m explainer.judge", description=__doc__.splitlines()[0])
    p.add_argument("images", type=Path, help=".npz with `images` (uint8, N x 28 x 28) and optional `labels`")
    a = p.parse_args(argv)
    try:
        images, labels = read_images(a.images)
    except Malformed as e:
        p.error(str(e))
    print(json.dumps(judge_report(images, labels)))


if __name__ == "__main__":
    main()
