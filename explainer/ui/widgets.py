"""Pieces every tab builds with: the page's CSS, the Markdown maths delimiters, the seed field."""
from __future__ import annotations

import gradio as gr

from explainer.ui.validation import WORDS

CSS = """
/* 28x28 digits must stay crisp when enlarged: no smoothing. */
.pixelated img, .pixelated canvas { image-rendering: pixelated; image-rendering: crisp-edges; }
/* Composed figures carry their own words: shown at their own size (never enlarged into blur), shrunk to fit. */
.figure img { object-fit: contain; max-width: 100%; width: auto !important; height: auto !important; }
/* A figure that is the whole demo (Compare all) shrinks to the screen below the header, never below half size. */
.fits-screen img { max-height: calc(100vh - 360px); min-height: 240px; }
footer { font-size: 0.85em; }
.lead p { margin: 0 !important; }
/* A picture's label sits above it, never over it, and wraps rather than being cut; the picture's own buttons
   (full screen, download) show only while the pointer is over it, so nothing covers a digit on a projector. */
.block:has(.image-container) > label[data-testid="block-label"].float {
  position: static; white-space: normal; max-width: 100%; margin: 0 0 4px 0;
}
.block:has(.image-container) > label[data-testid="block-label"].float > span { flex: none; }
.image-container .icon-button-wrapper.top-panel { opacity: 0; transition: opacity 0.15s; }
.image-container:hover .icon-button-wrapper.top-panel, .image-container:focus-within .icon-button-wrapper.top-panel {
  opacity: 1;
}
.formulas-title p { font-weight: 600; margin-top: 0.8em !important; }
"""
# Markdown maths: $$...$$ on its own line, $...$ inline.
LATEX = [{"left": "$$", "right": "$$", "display": True}, {"left": "$", "right": "$", "display": False}]


def intro(words, formulas: bool = False) -> None:
    """A tab's first words: its one-sentence LEAD in view, the longer INTRO (and FORMULAS) folded, so that the
    first screen belongs to the live demo."""
    gr.Markdown(words("LEAD"), elem_classes="lead")
    with gr.Accordion(WORDS("HOW_IT_WORKS"), open=False, elem_classes="advanced"):  # hidden in presentation mode
        gr.Markdown(words("INTRO"), latex_delimiters=LATEX)
        if formulas:
            gr.Markdown(words("FORMULAS_TITLE"), elem_classes="formulas-title")
            gr.Markdown(words("FORMULAS"), latex_delimiters=LATEX)


def download_button(label, path: str) -> gr.DownloadButton:
    """A download as a button holding its file from the start (the tab's first result), never an empty file box;
    a handler that makes a new file just returns its path."""
    return gr.DownloadButton(label, value=path, size="sm")


def seed_box(label, value: int) -> gr.Number:
    """A seed field. Range and integrality are checked by `as_seed` in the handler (not by the widget), so
    a browser user and an API client get the same message naming the field."""
    return gr.Number(value=value, label=label, info=WORDS("SEED_INFO"))
