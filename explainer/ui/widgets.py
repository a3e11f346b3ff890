"""Pieces every tab builds with: the page's CSS, the Markdown maths delimiters, the seed field."""
from __future__ import annotations

import gradio as gr

from explainer.ui.validation import WORDS

CSS = """
/* 28x28 digits must stay crisp when enlarged: no smoothing. */
.pixelated img, .pixelated canvas { image-rendering: pixelated; image-rendering: crisp-edges; }
footer { font-size: 0.85em; }
"""
# Markdown maths: $$...$$ on its own line, $...$ inline.
LATEX = [{"left": "$$", "right": "$$", "display": True}, {"left": "$", "right": "$", "display": False}]


def seed_box(label, value: int) -> gr.Number:
    """A seed field. Range and integrality are checked by `as_seed` in the handler (not by the widget), so
    a browser user and an API client get the same message naming the field."""
    return gr.Number(value=value, label=label, info=WORDS("SEED_INFO"))
