"""Any picture a person uploads, as a float array in [-1, 1] the maths can use.

`load_picture` accepts a file path (anything Pillow reads), raw bytes, a PIL image or a numpy array
(what gr.Image hands over). Modes are normalised: palette and CMYK become RGB, transparency is laid
over white, integer images are divided by 255 or 65535 (whichever their values fit), float images are
stretched from their own min and max, animations give their first frame, EXIF rotation is applied.
Grayscale sources stay (H, W); colour ones become (H, W, 3). The long side is shrunk to `max_side`
(aspect kept). Corrupt files, non-images and decompression bombs raise a Problem (a ValueError) with a key.
"""
from __future__ import annotations

import io
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from explainer.runtime.problems import Problem, WrongType

MAX_SIDE = 256
MAX_PIXELS = 40_000_000  # refuse before decoding: a 40-megapixel photo is fine, a 1e5 x 1e5 "bomb" is not
MAX_FILE_BYTES = 50 * 2**20
GRAY_MODES = {"1", "L", "LA", "La", "I", "I;16", "I;16B", "I;16L", "I;16N", "F"}


def _open(value) -> Image.Image:
    if isinstance(value, Image.Image):
        return value
    if isinstance(value, (bytes, bytearray)):
        source, name = io.BytesIO(value), "The upload"
    elif isinstance(value, (str, Path)):
        path = Path(value)
        if not path.is_file():
            raise Problem("PICTURE_NOT_FOUND", name=path.name or repr(value))
        if path.stat().st_size > MAX_FILE_BYTES:
            raise Problem("PICTURE_FILE_TOO_LARGE", mb=MAX_FILE_BYTES // 2**20)
        source, name = io.BytesIO(path.read_bytes()), path.name  # read once: no file handle left open
    else:
        raise WrongType("PICTURE_WRONG_KIND", kind=type(value).__name__)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(source)
    except UnidentifiedImageError:
        raise Problem("PICTURE_UNREADABLE", name=name) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Problem("PICTURE_ENORMOUS", name=name) from None
    except (OSError, ValueError, SyntaxError, EOFError) as e:
        raise Problem("PICTURE_BROKEN", name=name, detail=str(e)[:80]) from None
    return im


def declared_size(source) -> tuple[int, int] | None:
    """(width, height) from a picture file's header (a path or a binary file object), without decoding
    pixels; None if it does not read as a picture (the decoder words that refusal itself). A header beyond
    Pillow's bomb limit raises ValueError."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(source) as im:
                return im.size
    except Image.DecompressionBombError:
        raise Problem("UPLOAD_ENORMOUS") from None
    except Exception:
        return None


def check_size(w: int, h: int) -> None:
    """Refuse a picture by its header's size, before any decoding."""
    if w < 1 or h < 1:
        raise Problem("PICTURE_NO_PIXELS")
    if w * h > MAX_PIXELS:
        raise Problem("PICTURE_TOO_MANY_PIXELS", w=w, h=h, megapixels=MAX_PIXELS // 1_000_000)


def _first_frame(im: Image.Image, max_side: int) -> Image.Image:
    """The first frame, loaded and turned upright by its EXIF tag; the mode is kept."""
    check_size(*im.size)
    try:
        im.seek(0)
        im.draft(None, (max_side, max_side))  # JPEG: decode at a reduced scale, much faster for big photos
        im.load()
        return ImageOps.exif_transpose(im) or im
    except (OSError, ValueError, SyntaxError, EOFError) as e:
        raise Problem("PICTURE_DAMAGED", detail=str(e)[:80]) from None


def read_picture(value, max_side: int = MAX_SIDE) -> Image.Image:
    """A file path or raw bytes -> its first frame as a loaded PIL image in its own mode (transparency kept),
    after the same checks as `load_picture`. JPEGs may come out smaller, down to about `max_side`."""
    return _first_frame(_open(value), max_side)


def _decode(im: Image.Image, max_side: int) -> Image.Image:
    """Load the first frame into one of the modes L, RGB or F (floats scaled to [0, 1])."""
    im = _first_frame(im, max_side)
    if im.mode in ("1", "L"):
        return im.convert("L")
    if im.mode in ("LA", "La", "PA", "RGBA", "RGBa") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        flat = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        flat.alpha_composite(rgba)  # transparency over white, as most viewers show it
        return flat.convert("L" if im.mode in ("LA", "La") else "RGB")
    if im.mode in GRAY_MODES:  # I;16, I, F: scale by the data's own range
        return _scaled_float(np.asarray(im))
    return im.convert("RGB")  # P, CMYK, YCbCr, LAB, HSV ...


def _scaled_float(a: np.ndarray) -> Image.Image:
    """Gray data of any number type -> mode F in [0, 1]: integers by their type's range, floats by their own."""
    if a.dtype.kind == "f" and not np.isfinite(a).all():
        raise Problem("PICTURE_NOT_FINITE")
    integer = a.dtype.kind in "uib"
    a = a.astype(np.float64)
    lo, hi = float(a.min()), float(a.max())
    if integer:  # e.g. 0..255 or 0..65535, whatever this picture happens to use
        a = np.clip(a, 0, None) / (1.0 if hi <= 1 else 255.0 if hi <= 255 else 65535.0 if hi <= 65535 else hi)
    elif hi > 1 or lo < 0:
        a = (a - lo) / (hi - lo) if hi > lo else np.zeros_like(a)
    return Image.fromarray(a.astype(np.float32), mode="F")


def _from_array(a) -> Image.Image:
    a = np.asarray(a)
    if a.dtype.kind not in "buif":
        raise WrongType("PICTURE_ARRAY_NOT_NUMBERS")
    if a.ndim == 3 and a.shape[2] == 1:
        a = a[:, :, 0]
    if a.ndim not in (2, 3) or (a.ndim == 3 and a.shape[2] not in (3, 4)):
        raise Problem("PICTURE_ARRAY_SHAPE", shape=a.shape)
    check_size(a.shape[1], a.shape[0])
    if a.dtype == np.uint8:
        return Image.fromarray(np.ascontiguousarray(a))  # L, RGB or RGBA
    if a.ndim == 2:
        return _scaled_float(a)
    if a.dtype.kind == "f" and not np.isfinite(a).all():
        raise Problem("PICTURE_NOT_FINITE")
    a = a.astype(np.float64)
    top = 1.0 if a.max() <= 1 else 255.0 if a.max() <= 255 else 65535.0
    return Image.fromarray((np.clip(a / top, 0, 1) * 255).round().astype(np.uint8))


def load_picture(value, max_side: int = MAX_SIDE) -> np.ndarray:
    """float32 in [-1, 1]: (H, W) for grayscale sources, (H, W, 3) for colour; long side <= max_side."""
    if value is None:
        raise Problem("PICTURE_NONE")
    im = _decode(_from_array(value) if isinstance(value, np.ndarray) else _open(value), max_side)
    if max(im.size) > max_side:
        scale = max_side / max(im.size)
        size = (max(1, round(im.width * scale)), max(1, round(im.height * scale)))
        im = im.resize(size, Image.Resampling.LANCZOS if im.mode != "F" else Image.Resampling.BILINEAR, reducing_gap=3.0)
    a = np.asarray(im, dtype=np.float32)
    a = a if im.mode == "F" else a / 255.0
    return np.clip(a * 2.0 - 1.0, -1.0, 1.0)
