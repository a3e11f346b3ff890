"""Animation frames of the forward process drawn with numpy and Pillow: the noisy picture beside its
pixel histogram and the N(0, 1) curve. Drawing directly is ~100x faster than rendering plotly figures,
which is what lets a 50-frame GIF be made on a small CPU in about a second."""
from __future__ import annotations

import io
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw

from explainer.draw.fonts import font
from explainer.data.pixels import to_uint8
from explainer.maths.diffusion import normal_pdf
from explainer.runtime.problems import Problem

HIST_RANGE = (-4.0, 4.0)  # pixel values the histogram covers (the lesson counts on the same range)

PANEL = 200  # height of the picture and the histogram, pixels
HIST_W = 260
PIC_MAX_W = 320
GAP = 10  # between the picture and the histogram
CAPTION_H = 26
TEXT_SIZE = 15  # tick numbers and, when it fits, the caption
MIN_CAPTION_SIZE = 10
# The line under each frame. The UI passes the reader's language with the same fields.
CAPTION = "{label}  t = {t:.2f}   mean {mean:+.2f}  std {std:.2f}  W1 {w1:.2f}"
Y_MAX = 0.8  # density axis top; the t = 0 spike of a mostly-black digit runs off the chart on purpose
BG, AXIS, BAR, CURVE = (255, 255, 255), (90, 90, 90), (99, 110, 250), (214, 39, 40)


def _fitted(height: int, width: int) -> tuple[float, tuple[int, int]]:
    """The scale and (width, height) of a picture fitted into PANEL x PIC_MAX_W."""
    scale = min(PANEL / height, PIC_MAX_W / width)
    return scale, (max(1, round(width * scale)), max(1, round(height * scale)))


def picture_panel(x_t: np.ndarray) -> np.ndarray:
    """The noisy picture as RGB uint8 fitted into PANEL x PIC_MAX_W (nearest-neighbour so digits stay crisp)."""
    im = Image.fromarray(to_uint8(x_t)).convert("RGB")
    scale, size = _fitted(im.height, im.width)
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


def histogram_panel(v) -> np.ndarray:
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
        draw.text((px, base + 3), str(tick), fill=AXIS, anchor="ma", font=font(TEXT_SIZE))
    return np.asarray(im)


def caption_text(v, label: str = "", caption: str = CAPTION) -> str:
    return caption.format(label=label, t=v.t, mean=v.stats.mean, std=v.stats.std, w1=v.stats.w1).strip()


def _frame_width(x_t: np.ndarray) -> int:
    return _fitted(*x_t.shape[:2])[1][0] + GAP + HIST_W


def _caption_font(texts: list[str], width: int):
    """The largest size, from TEXT_SIZE down to MIN_CAPTION_SIZE, at which every caption fits the frame (a
    Russian caption is ~30% longer than the English one): one size for all frames, so the text does not jump."""
    for size in range(TEXT_SIZE, MIN_CAPTION_SIZE, -1):
        if max(font(size).getlength(t) for t in texts) <= width - 8:
            return font(size)
    return font(MIN_CAPTION_SIZE)


def frame(v, label: str = "", caption: str = CAPTION, caption_font=None) -> np.ndarray:
    """One animation frame: picture | histogram side by side, caption below (RGB uint8). `caption` is a format
    string with the fields label, t, mean, std and w1."""
    pic, hist = picture_panel(v.x_t), histogram_panel(v)
    out = np.full((PANEL + CAPTION_H, pic.shape[1] + GAP + HIST_W, 3), BG, dtype=np.uint8)
    out[:PANEL, : pic.shape[1]] = pic
    out[:PANEL, pic.shape[1] + GAP :] = hist
    im = Image.fromarray(out)
    text = caption_text(v, label, caption)
    ImageDraw.Draw(im).text((4, PANEL + 5), text, fill=(0, 0, 0),
                            font=caption_font or _caption_font([text], out.shape[1]))
    return np.asarray(im)


def animation_gif(views: list, label: str = "", fps: float = 12.0, caption: str = CAPTION) -> bytes:
    """The frames as a looping GIF that lingers a moment on the picture and on the noise.

    One palette for all frames, built from the first, middle and last ones (fast octree): colours do not
    flicker, and it is ~50x faster than Pillow's default per-frame median cut."""
    if not views:
        raise Problem("ANIMATION_NO_FRAMES")
    caption_font = _caption_font([caption_text(v, label, caption) for v in views], _frame_width(views[0].x_t))
    frames = [frame(v, label, caption, caption_font) for v in views]
    key = np.concatenate([frames[0], frames[len(frames) // 2], frames[-1]], axis=0)
    palette = Image.fromarray(key).quantize(256, method=Image.Quantize.FASTOCTREE)
    pal = [Image.fromarray(f).quantize(palette=palette, dither=Image.Dither.NONE) for f in frames]
    hold = max(1, int(fps // 2))
    pal = [pal[0]] * hold + pal + [pal[-1]] * hold
    buf = io.BytesIO()
    pal[0].save(buf, format="GIF", save_all=True, append_images=pal[1:], duration=max(20, int(1000 / fps)), loop=0)
    return buf.getvalue()
