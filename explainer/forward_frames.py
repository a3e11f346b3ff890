"""Animation frames of the forward process drawn with numpy and Pillow: the noisy picture beside its
pixel histogram and the N(0, 1) curve. Drawing directly is ~100x faster than rendering plotly figures,
which is what lets a 50-frame GIF be made on a small CPU in about a second."""
from __future__ import annotations

import io
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from .forward_tools import HIST_RANGE, View, normal_pdf, to_display

PANEL = 200  # height of the picture and the histogram, pixels
HIST_W = 260
PIC_MAX_W = 320
CAPTION = 26
Y_MAX = 0.8  # density axis top; the t = 0 spike of a mostly-black digit runs off the chart on purpose
BG, AXIS, BAR, CURVE = (255, 255, 255), (90, 90, 90), (99, 110, 250), (214, 39, 40)


@lru_cache(maxsize=1)
def _font() -> ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=15)
    except (ImportError, OSError, TypeError):  # Pillow without FreeType: the small bitmap font
        return ImageFont.load_default()


def picture_panel(x_t: np.ndarray) -> np.ndarray:
    """The noisy picture as RGB uint8 fitted into PANEL x PIC_MAX_W (nearest-neighbour so digits stay crisp)."""
    im = Image.fromarray(to_display(x_t)).convert("RGB")
    scale = min(PANEL / im.height, PIC_MAX_W / im.width)
    size = (max(1, round(im.width * scale)), max(1, round(im.height * scale)))
    resample = Image.Resampling.NEAREST if scale >= 1 else Image.Resampling.BILINEAR
    pic = np.asarray(im.resize(size, resample))
    out = np.full((PANEL, size[0], 3), BG, dtype=np.uint8)
    top = (PANEL - size[1]) // 2
    out[top : top + size[1]] = pic
    return out


def _x_to_px(x: np.ndarray) -> np.ndarray:
    lo, hi = HIST_RANGE
    return (np.asarray(x) - lo) / (hi - lo) * (HIST_W - 1)


def _y_to_px(d: np.ndarray) -> np.ndarray:
    return (PANEL - 16) - np.clip(np.asarray(d) / Y_MAX, 0, 1) * (PANEL - 24)


@lru_cache(maxsize=1)
def _normal_curve() -> list[tuple[float, float]]:
    xs = np.linspace(*HIST_RANGE, 200)
    return list(zip(_x_to_px(xs).tolist(), _y_to_px(normal_pdf(xs)).tolist()))


def histogram_panel(v: View) -> np.ndarray:
    """Bars of the pixel-value density over a fixed range, the N(0, 1) density on top, ticks at -3..3."""
    canvas = np.full((PANEL, HIST_W, 3), BG, dtype=np.uint8)
    left = _x_to_px(v.centers - (v.centers[1] - v.centers[0]) / 2).astype(int)
    tops = _y_to_px(v.density).astype(int)
    base = PANEL - 16
    for x0, x1, top in zip(left, np.append(left[1:], HIST_W), tops):
        if top < base:
            canvas[top:base, x0 : max(x0 + 1, x1 - 1)] = BAR
    im = Image.fromarray(canvas)
    draw = ImageDraw.Draw(im)
    draw.line([(0, base), (HIST_W, base)], fill=AXIS)
    draw.line(_normal_curve(), fill=CURVE, width=2)
    for tick in range(-3, 4):
        px = float(_x_to_px(tick))
        draw.line([(px, base), (px, base + 3)], fill=AXIS)
        draw.text((px, base + 3), str(tick), fill=AXIS, anchor="ma", font=_font())
    return np.asarray(im)


def frame(v: View, label: str = "") -> np.ndarray:
    """One animation frame: picture | histogram side by side, caption below (RGB uint8)."""
    pic, hist = picture_panel(v.x_t), histogram_panel(v)
    gap = 10
    out = np.full((PANEL + CAPTION, pic.shape[1] + gap + HIST_W, 3), BG, dtype=np.uint8)
    out[:PANEL, : pic.shape[1]] = pic
    out[:PANEL, pic.shape[1] + gap :] = hist
    im = Image.fromarray(out)
    text = f"{label}  t = {v.t:.2f}   mean {v.stats.mean:+.2f}  std {v.stats.std:.2f}  W1 {v.stats.w1:.2f}"
    ImageDraw.Draw(im).text((4, PANEL + 5), text.strip(), fill=(0, 0, 0), font=_font())
    return np.asarray(im)


def animation_gif(views: list[View], label: str = "", fps: float = 12.0) -> bytes:
    """The frames as a looping GIF that lingers a moment on the picture and on the noise.

    One palette for all frames, built from the first, middle and last ones (fast octree): colours do not
    flicker, and it is ~50x faster than Pillow's default per-frame median cut."""
    frames = [frame(v, label) for v in views]
    if not frames:
        raise ValueError("an animation needs at least one frame")
    key = np.concatenate([frames[0], frames[len(frames) // 2], frames[-1]], axis=0)
    palette = Image.fromarray(key).quantize(256, method=Image.Quantize.FASTOCTREE)
    pal = [Image.fromarray(f).quantize(palette=palette, dither=Image.Dither.NONE) for f in frames]
    hold = max(1, int(fps // 2))
    pal = [pal[0]] * hold + pal + [pal[-1]] * hold
    buf = io.BytesIO()
    pal[0].save(buf, format="GIF", save_all=True, append_images=pal[1:], duration=max(20, int(1000 / fps)), loop=0)
    return buf.getvalue()
