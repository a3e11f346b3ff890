"""Composed figures: digits with their words drawn beside them, as one picture (uint8 in, uint8 RGB out).

A gallery of tiny files cuts its captions and lays them over the digits; a composed figure keeps every word
readable, travels as one file, and is drawn at the size it is shown (digits enlarged by whole pixels, so they
stay crisp), which is also why it is made here and not left to the browser.
"""
from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from explainer.draw.fonts import font
from explainer.draw.images import upscale
from explainer.runtime.problems import Problem

BACKGROUND = (250, 250, 250)
INK = (30, 30, 30)
FAINT_INK = (110, 110, 110)
GAP = 6  # pixels between cells


def _text_width(draw: ImageDraw.ImageDraw, text: str, size: int) -> float:
    return draw.textlength(text, font=font(size))


def _fit(draw: ImageDraw.ImageDraw, text: str, size: int, width: int) -> int:
    """The largest font size <= `size` (down to 9 px) at which `text` fits in `width` pixels."""
    while size > 9 and _text_width(draw, text, size) > width:
        size -= 1
    return size


def captioned_grid(images: np.ndarray, captions: list[tuple[str, ...]], cols: int, scale: int = 3,
                   font_px: int = 14) -> np.ndarray:
    """Digits (N, H, W) uint8 in a grid of `cols`, each with its caption lines centred under it (the first line
    in dark ink, the rest fainter). A line too long for its cell is drawn smaller, never cut."""
    images = np.asarray(images, dtype=np.uint8)
    n, h, w = images.shape
    if len(captions) != n:
        raise Problem("FIGURE_CAPTIONS", images=n, captions=len(captions))
    lines = max((len(c) for c in captions), default=0)
    cell_w, cell_h = w * scale, h * scale + lines * (font_px + 4) + 2
    rows = -(-n // cols)
    canvas = Image.new("RGB", (cols * (cell_w + GAP) + GAP, rows * (cell_h + GAP) + GAP), BACKGROUND)
    draw = ImageDraw.Draw(canvas)
    for i, (img, caption) in enumerate(zip(images, captions)):
        r, c = divmod(i, cols)
        x, y = GAP + c * (cell_w + GAP), GAP + r * (cell_h + GAP)
        canvas.paste(Image.fromarray(upscale(img, scale)).convert("RGB"), (x, y))
        for k, line in enumerate(caption):
            size = _fit(draw, line, font_px, cell_w)
            ty = y + h * scale + 2 + k * (font_px + 4) + (font_px - size)
            draw.text((x + (cell_w - _text_width(draw, line, size)) / 2, ty), line, font=font(size),
                      fill=INK if k == 0 else FAINT_INK)
    return np.asarray(canvas)


def _wrapped(draw: ImageDraw.ImageDraw, text: str, size: int, width: int) -> list[str]:
    """`text` broken at spaces into lines no wider than `width` (a single word longer than that stays whole)."""
    out, line = [], ""
    for word in text.split(" "):
        candidate = f"{line} {word}".strip()
        if line and _text_width(draw, candidate, size) > width:
            out.append(line)
            candidate = word
        line = candidate
    return out + [line]


def labelled_rows(rows: list[tuple[list[str], np.ndarray]], label_px: int = 280, font_px: int = 15) -> np.ndarray:
    """One row per entry: lines of words on the left (the first larger and dark, the rest fainter, wrapped to
    the column), its picture (uint8 gray or RGB, already at display size) on the right. Rows are as tall as the
    taller of the two."""
    pictures = [np.asarray(p, dtype=np.uint8) for _, p in rows]
    width = label_px + max((p.shape[1] for p in pictures), default=0) + 3 * GAP
    probe = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    texts = [[(k, part) for k, line in enumerate(lines) for part in _wrapped(probe, line, font_px + (k == 0), label_px)]
             for lines, _ in rows]
    heights = [max(p.shape[0], len(t) * (font_px + 5)) for t, p in zip(texts, pictures)]
    canvas = Image.new("RGB", (width, sum(heights) + GAP * (len(rows) + 1)), BACKGROUND)
    draw = ImageDraw.Draw(canvas)
    y = GAP
    for text, picture, height in zip(texts, pictures, heights):
        for j, (k, part) in enumerate(text):
            draw.text((GAP, y + j * (font_px + 5)), part, font=font(font_px + (k == 0)), fill=INK if k == 0 else FAINT_INK)
        pil = Image.fromarray(picture).convert("RGB")
        canvas.paste(pil, (label_px + 2 * GAP, y))
        y += height + GAP
    return np.asarray(canvas)
