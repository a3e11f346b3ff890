"""First results: what a tab shows before anyone clicks, in every language.

`each_language(make)` computes a handler's outputs once per language (a model run is done beforehand; `make`
only words it). Text reaches the page through `Words.pin(key, first.part(i))`; pictures and plots with words
drawn in through `on_load_in_language`, which one page-load event fills for a reader of another language.
`unlocalized_firsts` lists the outputs that differ by language but were handed over in English only (a test
keeps it empty).
"""
from __future__ import annotations

import inspect
import os
from pathlib import Path
from typing import Callable

import gradio as gr
import numpy as np

from explainer.ui import files
from explainer.ui.i18n import DEFAULT, LANGS, current, lang_of, localize, speaking


class FirstResult(tuple):
    """A handler's outputs in the default language (what the page is built with), and in every language in
    `by_lang` (see `each_language`)."""

    by_lang: dict[str, tuple]
    parts_asked: set[int]  # outputs handed to Words.pin or on_load_in_language: a reader gets them in her language

    def part(self, i: int) -> Callable[[], object]:
        """Output `i` in the language being asked for: a `make` for Words.pin and on_load_in_language."""
        self.parts_asked.add(i)
        return lambda: self.by_lang[current()][i]


_FIRSTS: list[tuple[str, FirstResult]] = []  # (where it was made, the result), for `unlocalized_firsts`


def _same(a, b) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape and np.array_equal(a, b)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, str) and isinstance(b, str) and a != b and os.path.isfile(a) and os.path.isfile(b):
        return files.same_content(a, b)  # a file made once per language (a GIF): its pictures
    if hasattr(a, "to_plotly_json"):  # a plotly figure: its titles and axis words
        return hasattr(b, "to_plotly_json") and a.to_plotly_json() == b.to_plotly_json()
    return a == b


def forget_firsts() -> None:
    """A new page is being built: the first results kept for `unlocalized_firsts` are the old page's."""
    _FIRSTS.clear()


def unlocalized_firsts() -> list[str]:
    """First results whose output differs between languages (words drawn into a picture, a plot's titles) but
    was never handed over per language: a Russian reader would see the English one until she clicks."""
    return [f"{where}: output {i}" for where, first in _FIRSTS for i in range(len(first))
            if i not in first.parts_asked and not all(_same(first.by_lang[DEFAULT][i], first.by_lang[lang][i])
                                                      for lang in LANGS)]


def each_language(make: Callable[[], tuple]) -> FirstResult:
    """`make()` in every language, localized as a handler's answer is: a first result shown before anyone clicks.
    Where a model run is heavy, do it once beforehand and let `make` only put words around its output, so a
    second language costs no second run. Arrays in the outputs may be shared between the languages: they are
    made read-only."""
    by_lang = {}
    for lang in LANGS:
        with speaking(lang):
            by_lang[lang] = localize(make(), lang)
        _freeze(by_lang[lang])
    first = FirstResult(by_lang[DEFAULT])
    first.by_lang, first.parts_asked = by_lang, set()
    caller = inspect.stack(0)[1]
    _FIRSTS.append((f"{Path(caller.filename).name}:{caller.lineno}", first))
    return first


def _freeze(value) -> None:
    if isinstance(value, np.ndarray):
        value.setflags(write=False)
    elif isinstance(value, (tuple, list)):
        for v in value:
            _freeze(v)


# Values that are not text (plotly figures shown before anyone clicks) cannot travel as gr.I18n keys: the
# page gets them in English and, for a reader of another language, one load event swaps in theirs.
_ON_LOAD: list[tuple[object, dict[str, object]]] = []


def on_load_in_language(component, make: Callable[[], object]) -> None:
    """Register `component` to receive `make()` rendered in the reader's language when the page loads
    (English readers keep the value the component was built with: nothing is sent)."""
    values = {}
    for lang in LANGS:
        if lang != DEFAULT:
            with speaking(lang):
                values[lang] = localize(make(), lang)
    _ON_LOAD.append((component, values))


def attach_on_load(demo) -> None:
    """Called once by build_demo, inside its Blocks: one load event fills every registered component."""
    # Only this demo's components: a tab built alone (tests) leaves entries that belong to no page.
    pending = [(c, v) for c, v in _ON_LOAD if demo.blocks.get(getattr(c, "_id", None)) is c]
    _ON_LOAD.clear()
    if not pending:
        return

    def fill(request: gr.Request):
        lang = lang_of(request)
        out = [values.get(lang, gr.skip()) for _, values in pending]
        return out if len(out) > 1 else out[0]

    demo.load(fill, None, [c for c, _ in pending], api_visibility="private", show_progress="hidden", queue=False)
