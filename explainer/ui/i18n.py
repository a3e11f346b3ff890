"""Two languages, English and Russian, for every word the app shows.

Words live in parallel modules: `words/en/<tab>.py` (English) and `words/ru/<tab>.py` (Russian) define the same
UPPERCASE string constants. A tab wraps the pair in `Words`, which registers each constant under the key
"<tab>.<NAME>" and then gives it out in two forms:

- `W("NAME")`: a gr.I18n key, for everything fixed when the page is built (labels, explanations, button
  captions, radio labels). The browser picks the language: the browser's own by default, or the one chosen
  in Gradio's Settings panel (footer), and switches on the spot.
- `W.text("NAME", **fields)`: a string formatted on the server, for what handlers produce at run time
  (status lines, captions, error messages, plot titles), in the language of the request being served.

The request's language: the `explainer_lang` cookie that PAGE_JS keeps equal to the language the page shows
(so a switch in Settings reaches the server), else the Accept-Language header, else English, which is what
API clients get. `validation.friendly` reads it for every handler and sets it for the duration of the call.
"""
from __future__ import annotations

import contextlib
import functools
import contextvars
import json
import os
import re
import string
from http.cookies import CookieError, SimpleCookie
from types import ModuleType
from typing import Callable

import gradio as gr
import plotly.graph_objects as go
from gradio.i18n import I18nData

LANGS = ("en", "ru")
DEFAULT = "en"
COOKIE = "explainer_lang"

_current: contextvars.ContextVar[str] = contextvars.ContextVar("explainer_lang", default=DEFAULT)
_KEYS: dict[str, dict[str, str]] = {lang: {} for lang in LANGS}  # what the browser receives as gr.I18n
ALL_WORDS: list["Words"] = []

# Keeps the cookie (and the window title, which gr.I18n does not reach) equal to the page's language:
# Gradio sets <html lang> at start-up and on every switch in Settings.
_PAGE_JS = """
() => {
  const titles = %s;
  const put = () => {
    const lang = (document.documentElement.lang || 'en').split('-')[0];
    document.cookie = '%s=' + lang + '; path=/; SameSite=Lax';
    document.title = titles[lang] || titles.en;
  };
  put();
  new MutationObserver(put).observe(document.documentElement, {attributes: true, attributeFilter: ['lang']});
}
"""


# Gradio re-translates a tab's header only once the tab has been shown, so after a switch in Settings the
# headers of tabs not opened yet kept the old language. Rename their text nodes in place (Svelte keeps
# updating the same nodes later, so nothing fights it).
_TAB_JS = """
() => {
  const names = %s;
  const relabel = () => {
    const col = names.langs.indexOf((document.documentElement.lang || 'en').split('-')[0]);
    if (col < 0) return;
    document.querySelectorAll('[role=tab]').forEach(tab => {
      const walk = document.createTreeWalker(tab, NodeFilter.SHOW_TEXT);
      for (let node = walk.nextNode(); node; node = walk.nextNode()) {
        const text = node.nodeValue.trim();
        const row = text && names.rows.find(r => r.includes(text));
        if (row && row[col] !== text) node.nodeValue = node.nodeValue.replace(text, row[col]);
      }
    });
  };
  new MutationObserver(relabel).observe(document.documentElement, {attributes: true, attributeFilter: ['lang']});
}
"""


def tab_names() -> dict:
    """Every registered tab header (keys named *.TAB_*) in each language, for _TAB_JS."""
    keys = sorted(k for k in _KEYS[DEFAULT] if k.split(".")[-1].startswith("TAB_"))
    return {"langs": list(LANGS), "rows": [[_KEYS[lang].get(k, _KEYS[DEFAULT][k]) for lang in LANGS] for k in keys]}


def page_js(titles: dict[str, str], *others: str) -> str:
    """The page script for demo.launch(js=...), which takes one function: this one, then `others` (each a
    `() => {...}` function of the same kind), each run in turn. Call it after the demo is built."""
    own = (_PAGE_JS % (json.dumps(titles, ensure_ascii=False), COOKIE),
           _TAB_JS % json.dumps(tab_names(), ensure_ascii=False))
    calls = "".join(f"\n  ({js.strip()})();" for js in (*own, *others))
    return "() => {" + calls + "\n}"


def _primary(tag: str) -> str:
    return tag.strip().split("-")[0].split("_")[0].lower()


def lang_of(request) -> str:
    """The language to answer `request` in (a gr.Request, a starlette Request or None)."""
    headers = getattr(request, "headers", None)
    if headers is None:
        return DEFAULT
    try:
        morsel = SimpleCookie(headers.get("cookie", "")).get(COOKIE)
    except CookieError:
        morsel = None
    if morsel is not None:
        return morsel.value if morsel.value in LANGS else DEFAULT
    # Accept-Language: "ru-RU,ru;q=0.9,en;q=0.8". The best-rated tag that names a language we speak wins.
    ranked = []
    for i, part in enumerate(headers.get("accept-language", "").split(",")):
        tag, _, q = part.partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            weight = 0.0
        ranked.append((-weight, i, _primary(tag)))
    for _, _, lang in sorted(ranked):
        if lang in LANGS:
            return lang
    return DEFAULT


def current() -> str:
    """The language of the request being served (English outside a request)."""
    return _current.get()


@contextlib.contextmanager
def speaking(lang: str):
    token = _current.set(lang if lang in LANGS else DEFAULT)
    try:
        yield
    finally:
        _current.reset(token)


def has_cyrillic(text: str) -> bool:
    return re.search("[А-Яа-яЁё]", text) is not None


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


class Words:
    """One tab's words in both languages (see the module docstring)."""

    def __init__(self, prefix: str, en: ModuleType, ru: ModuleType):
        self.prefix = prefix
        self.by_lang = {"en": _constants(en), "ru": _constants(ru)}
        for lang, words in self.by_lang.items():
            for name, value in words.items():
                _KEYS[lang][f"{prefix}.{name}"] = value
        ALL_WORDS.append(self)

    @staticmethod
    def of(prefix: str) -> "Words":
        """The words registered under `prefix` (another tab's names, for a link to it)."""
        return next(w for w in ALL_WORDS if w.prefix == prefix)

    def get(self, name: str, lang: str) -> str:
        """The raw template; a name missing in Russian falls back to English (tests keep that from shipping)."""
        return self.by_lang[lang].get(name) or self.by_lang["en"][name]

    def __call__(self, *names: str, sep: str = "\n\n") -> I18nData:
        """A gr.I18n key for the browser; several names are joined (a heading and its paragraph)."""
        for name in names:
            self.by_lang["en"][name]  # a typo fails at start-up, not as a blank label
        key = f"{self.prefix}.{'+'.join(names)}"
        if len(names) > 1:
            for lang in LANGS:
                _KEYS[lang][key] = sep.join(self.get(n, lang) for n in names)
        return I18nData(key)

    def text(self, name: str, /, **fields) -> str:
        """The words formatted on the server, in the current request's language."""
        template = self.get(name, current())
        return template.format(**fields) if fields else template

    def pin(self, name: str, make: Callable[[], str]) -> I18nData:
        """A key for text computed once at start-up (a first result shown before anyone clicks): `make` runs
        once per language and each result is registered under the key."""
        key = f"{self.prefix}.{name}"
        for lang in LANGS:
            with speaking(lang):
                _KEYS[lang][key] = make()
        return I18nData(key)

    def choices(self, pairs: dict[str, str]) -> list[tuple[I18nData, str]]:
        """Radio/Dropdown choices: translated labels, stable English values (what API clients send)."""
        return [(self(name), value) for value, name in pairs.items()]


def _constants(module: ModuleType) -> dict[str, str]:
    return {k: v for k, v in vars(module).items() if k.isupper() and isinstance(v, str)}


def translations() -> gr.I18n:
    """Everything registered so far, for demo.launch(i18n=...): call it after the demo is built."""
    return gr.I18n(**{lang: dict(keys) for lang, keys in _KEYS.items()})


# Words that reach the screen from the domain modules (the judge's "not a digit", schedule and model names,
# plot axes): they stay English there (no language in the maths) and are swapped here on the way out.
_phrases: dict[str, tuple[re.Pattern | None, dict[str, str]]] = {}


def _phrase_table(lang: str):
    if lang not in _phrases:
        from importlib import import_module

        module = import_module(f"{__package__}.words.{lang}.common")
        table = getattr(module, "PHRASES", {})
        names = sorted(table, key=len, reverse=True)
        pattern = re.compile("|".join(f"(?<![A-Za-z]){re.escape(n)}(?![A-Za-z])" for n in names)) if names else None
        _phrases[lang] = (pattern, table)
    return _phrases[lang]


def localize(value, lang: str | None = None):
    """A handler's output with the domain's English phrases in `lang`: strings, captions inside lists and
    tuples (galleries), plotly figures (titles, axes, legends, categories). Pictures pass untouched."""
    lang = lang or current()
    if lang == DEFAULT:
        return value
    swap = _swapper(lang)

    def walk(v):
        if isinstance(v, str):
            if os.path.isabs(v) or v.startswith(("http://", "https://", "data:")):
                return v  # a file path or URL (GIFs, downloads): never rewrite
            return swap(v)
        if isinstance(v, tuple):
            return tuple(walk(x) for x in v)
        if isinstance(v, list):
            return [walk(x) for x in v]
        if isinstance(v, dict):
            if "bdata" in v:
                return v  # a packed numeric array
            return {k: x if k in _NO_TEXT else walk(x) for k, x in v.items()}
        if isinstance(v, go.Figure):
            return go.Figure(walk(v.to_plotly_json()), _validate=False)
        return v

    return walk(value)


# Figure keys that never hold words a reader sees: skipped, which keeps a figure's translation to ~1 ms.
_NO_TEXT = {"template", "y", "z", "customdata", "marker", "line", "shapes", "colorscale", "font"}


@functools.lru_cache(maxsize=None)
def _swapper(lang: str) -> Callable[[str], str]:
    pattern, table = _phrase_table(lang)

    @functools.lru_cache(maxsize=4096)  # axis titles, legends and verdicts repeat on every call
    def swap(text: str) -> str:
        return pattern.sub(lambda m: table[m.group(0)], text) if pattern else text

    return swap
