"""Turn a drawing or an uploaded picture into an MNIST-like digit: uint8 (28, 28), white ink on black.

The steps copy how MNIST itself was made, so the encoders see what they were trained on:
1. grayscale (a transparent background counts as paper, so an RGBA canvas works either way);
2. invert when the paper is light, so ink is bright;
3. crop to the ink's bounding box and scale its longer side to 20 pixels, keeping the aspect ratio;
4. paste into a 28x28 field with the ink's centre of mass at the centre.
A picture with no ink raises ValueError with a message meant for the person who drew it.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from explainer.data.picture_input import check_size, read_picture
from explainer.runtime.problems import Problem

WORK_SIZE = 256  # huge uploads are shrunk first, so a 4000x4000 photo costs what a small one does
BOX, FIELD = 20, 28
CENTRE = 14.0  # where MNIST digits have their centre of mass (row and column, measured on the test set)
MIN_CONTRAST = 0.15  # ink must differ from the paper by this much (0..1) to count as drawn


def _to_pil(value) -> Image.Image:
    if value is None:
        raise Problem("DRAWING_NONE")
    if isinstance(value, dict):  # gr.Sketchpad / gr.ImageEditor value
        value = value.get("composite")
        if value is None:
            raise Problem("DRAWING_CANVAS_BLANK")
    if isinstance(value, (str, Path, bytes)):
        return read_picture(value)  # one reader for every upload: formats, size cap and messages
    if isinstance(value, Image.Image):
        return value
    arr = np.asarray(value)
    if arr.dtype == object or arr.ndim not in (2, 3) or (arr.ndim == 3 and arr.shape[2] not in (1, 3, 4)):
        raise Problem("DRAWING_SHAPE", shape=arr.shape)
    if arr.size == 0:
        raise Problem("DRAWING_EMPTY")
    if arr.dtype == bool:
        arr = arr.astype(np.uint8) * 255
    elif arr.dtype != np.uint8:
        arr = arr.astype(np.float64)
        if not np.isfinite(arr).all():
            raise Problem("DRAWING_NOT_FINITE")
        if arr.max() <= 1.0:
            arr = arr * 255.0
        arr = np.clip(arr, 0, 255).astype(np.uint8)
    if arr.ndim == 3 and arr.shape[2] == 1:
        arr = arr[:, :, 0]
    return Image.fromarray(arr)


def _ink(img: Image.Image) -> np.ndarray:
    """Ink intensity in [0, 1] (paper = 0) of a picture of any mode, shrunk to at most WORK_SIZE."""
    check_size(img.width, img.height)
    img = img.copy()
    img.thumbnail((WORK_SIZE, WORK_SIZE), Image.Resampling.BOX)
    rgba = np.asarray(img.convert("RGBA"), dtype=np.float64) / 255.0
    gray = rgba[..., :3] @ np.array([0.299, 0.587, 0.114])
    alpha = rgba[..., 3]
    if alpha.min() < 0.99:
        # Transparent pixels are paper. Strokes are whatever differs from the opaque pixels' paper tone,
        # so dark-on-transparent and light-on-transparent drawings both work.
        opaque = alpha > 0.5
        stroke_gray = np.median(gray[opaque]) if opaque.any() else 0.0
        light_strokes = stroke_gray > 0.5
        gray = alpha * gray + (1 - alpha) * (0.0 if light_strokes else 1.0)
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    paper = float(np.median(border))
    ink = gray - paper if paper < 0.5 else paper - gray  # invert light paper
    return np.clip(ink, 0, None)


def ink_map(value) -> np.ndarray:
    """Ink intensity in [0, 1] (paper = 0) of a drawing or picture (any of digitize's inputs), at most WORK_SIZE
    pixels on its longer side; dark or light strokes, on paper or on a transparent canvas. Also used by the 2-D lab."""
    return _ink(_to_pil(value))


def digitize(value) -> np.ndarray:
    """An MNIST-like uint8 (28, 28) digit from a Sketchpad dict, a numpy array, a PIL image or a file path."""
    ink = ink_map(value)
    if ink.max() < MIN_CONTRAST:
        raise Problem("NO_DIGIT_FOUND")
    ink = ink / ink.max()
    rows, cols = np.flatnonzero((ink > 0.2).any(1)), np.flatnonzero((ink > 0.2).any(0))
    crop = ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    h, w = crop.shape
    scale = BOX / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    small = np.asarray(Image.fromarray((crop * 255).astype(np.uint8)).resize(size, Image.Resampling.LANCZOS), dtype=np.float64)
    small = np.clip(small, 0, 255)
    return _center_by_mass(small)


def _center_by_mass(small: np.ndarray) -> np.ndarray:
    """Place `small` (at most 20x20) in a 28x28 field with its centre of mass at the field's centre."""
    h, w = small.shape
    total = small.sum()
    ys, xs = np.indices(small.shape)
    cy, cx = ((ys * small).sum() / total, (xs * small).sum() / total) if total > 0 else ((h - 1) / 2, (w - 1) / 2)
    top = int(np.clip(round(CENTRE - cy), 0, FIELD - h))
    left = int(np.clip(round(CENTRE - cx), 0, FIELD - w))
    out = np.zeros((FIELD, FIELD), dtype=np.float64)
    out[top : top + h, left : left + w] = small
    return np.clip(out * (255.0 / max(out.max(), 1e-9)), 0, 255).round().astype(np.uint8)
