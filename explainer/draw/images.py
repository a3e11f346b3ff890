"""Pictures for people: image grids, crisp display upscaling, strips and GIF export (uint8 in, uint8 out)."""
from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
from PIL import Image

from explainer.runtime.problems import Problem


def upscale(img: np.ndarray, factor: int) -> np.ndarray:
    """Nearest-neighbour enlargement so 28x28 pixels stay crisp on a projector."""
    return img.repeat(factor, axis=0).repeat(factor, axis=1)


def grid(images: np.ndarray, cols: int | None = None, pad: int = 2, pad_value: int = 40, scale: int = 1) -> np.ndarray:
    """Tile uint8 images (N, H, W) into one (rows*H', cols*W') picture with thin separators."""
    images = np.asarray(images, dtype=np.uint8)
    n, h, w = images.shape
    cols = cols or math.ceil(math.sqrt(n))
    rows = math.ceil(n / cols)
    out = np.full((rows * (h + pad) + pad, cols * (w + pad) + pad), pad_value, dtype=np.uint8)
    for i, im in enumerate(images):
        r, c = divmod(i, cols)
        out[pad + r * (h + pad) : pad + r * (h + pad) + h, pad + c * (w + pad) : pad + c * (w + pad) + w] = im
    return upscale(out, scale) if scale > 1 else out


def strip(images: np.ndarray, scale: int = 3) -> np.ndarray:
    """One row of images (N, H, W), e.g. a latent walk."""
    return grid(images, cols=len(images), scale=scale)


def gif_bytes(frames: list[np.ndarray] | np.ndarray, fps: float = 12.0, loop: bool = True,
              palette: list[int] | None = None) -> bytes:
    """An animated GIF of uint8 grayscale or RGB frames, or of 2-D colour indices into `palette` (flat R, G, B
    values), which skips Pillow's per-frame colour work: 10-20x faster for flat-coloured drawings."""
    pil = [Image.fromarray(np.asarray(f, dtype=np.uint8), None if palette is None else "P") for f in frames]
    for im in pil if palette is not None else ():
        im.putpalette(palette)
    if not pil:
        raise Problem("GIF_NO_FRAMES")
    buf = io.BytesIO()
    fixed = {} if palette is None else {"optimize": False}  # nothing to shrink in a given palette; 15x faster
    pil[0].save(buf, format="GIF", save_all=True, append_images=pil[1:], duration=max(20, int(1000 / fps)),
                loop=0 if loop else 1, **fixed)
    return buf.getvalue()


def write_gif(path: Path | str, frames, fps: float = 12.0) -> Path:
    path = Path(path)
    path.write_bytes(gif_bytes(frames, fps))
    return path
