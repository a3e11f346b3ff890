"""The font for text drawn into pictures (GIF captions, tick numbers, particle labels).

Pillow's built-in font has no Cyrillic, so captions in Russian would come out as boxes. DejaVu Sans ships with
the app (explainer/assets/fonts, license beside it) and covers Latin, Cyrillic and Greek (t, σ, ε) alike.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

FONT_FILE = Path(__file__).resolve().parents[1] / "assets" / "fonts" / "DejaVuSans.ttf"


@lru_cache(maxsize=16)
def font(size: int = 12) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """DejaVu Sans at `size` pixels; Pillow's default font if the file is missing or FreeType is absent
    (Latin-only then, but a picture with English words beats an error)."""
    try:
        return ImageFont.truetype(str(FONT_FILE), size)
    except (ImportError, OSError):
        try:
            return ImageFont.load_default(size=size)
        except (ImportError, OSError, TypeError):  # Pillow without FreeType: the small bitmap font
            return ImageFont.load_default()
