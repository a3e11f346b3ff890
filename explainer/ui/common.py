"""Shared by every tab: input validation with messages a person understands, the error wrapper, CSS.

Handlers take raw widget values (or whatever an API client sends) and must answer bad ones with a
one-line gr.Error, never a stack trace: `friendly` turns ValueError/TypeError raised anywhere below
into that, and logs anything unexpected while still answering with a short message.
"""
from __future__ import annotations

import functools
import inspect
import logging
import math

import gradio as gr

from ..runtime import MAX_SEED

log = logging.getLogger("explainer")

CSS = """
/* 28x28 digits must stay crisp when enlarged: no smoothing. */
.pixelated img, .pixelated canvas { image-rendering: pixelated; image-rendering: crisp-edges; }
footer { font-size: 0.85em; }
"""
# Markdown maths: $$...$$ on its own line, $...$ inline.
LATEX = [{"left": "$$", "right": "$$", "display": True}, {"left": "$", "right": "$", "display": False}]


def as_int(value, name: str, lo: int, hi: int) -> int:
    """An integer in [lo, hi] from a widget or API value; ValueError with a plain message otherwise."""
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict, tuple)):
        raise ValueError(f"{name} must be a whole number between {lo} and {hi}.")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a whole number between {lo} and {hi}, got {str(value)[:40]!r}.") from None
    if not math.isfinite(number) or number != int(number):
        raise ValueError(f"{name} must be a whole number between {lo} and {hi}, got {str(value)[:40]}.")
    if not lo <= number <= hi:
        raise ValueError(f"{name} must be between {lo} and {hi}, got {int(number)}.")
    return int(number)


def as_float(value, name: str, lo: float, hi: float) -> float:
    """A finite number in [lo, hi] from a widget or API value; ValueError with a plain message otherwise."""
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict, tuple)):
        raise ValueError(f"{name} must be a number between {lo:g} and {hi:g}.")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number between {lo:g} and {hi:g}, got {str(value)[:40]!r}.") from None
    if not math.isfinite(number) or not lo <= number <= hi:
        raise ValueError(f"{name} must be a number between {lo:g} and {hi:g}, got {str(value)[:40]}.")
    return number


def as_seed(value) -> int:
    return as_int(value, "Seed", 0, MAX_SEED)


def seed_box(label: str, value: int) -> gr.Number:
    """A seed field. Range and integrality are checked by `as_seed` in the handler (not by the widget), so
    a browser user and an API client get the same message naming the field."""
    return gr.Number(value=value, label=label, info=f"a whole number from 0 to {MAX_SEED}")


def as_choice(value, name: str, choices: list[str]) -> str:
    if value not in choices:
        raise ValueError(f"{name} must be one of: {', '.join(choices)}.")
    return value


def friendly(fn):
    """Wrap a handler (function or generator) so every failure reaches the user as one clear line."""

    def translate(e: Exception) -> gr.Error:
        if isinstance(e, gr.Error):
            return e
        if isinstance(e, (ValueError, TypeError)):
            return gr.Error(str(e))
        log.exception("handler %s failed", fn.__name__)
        return gr.Error(f"Something went wrong ({type(e).__name__}). Please try again or change the settings.")

    if inspect.isgeneratorfunction(fn):

        @functools.wraps(fn)
        def gen_wrapper(*args, **kwargs):
            try:
                yield from fn(*args, **kwargs)
            except Exception as e:
                raise translate(e) from None

        return gen_wrapper

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as e:
            raise translate(e) from None

    return wrapper
