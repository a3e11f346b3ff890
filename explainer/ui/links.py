"""Deep links for slides: `?tab=gan&seed=7&n=16` opens the GAN tab with its seed and count set (and, where the
tab says so, runs its main action). `&present=1` adds presentation mode (handled in the browser, see
presentation.py).

A tab opts in by filling its module-level `LINK_CONTROLS` (link name -> component) in `build()`; it may also
fill `LINK_RUN` (fn, inputs, outputs): a cheap action a link into that tab runs once the controls are set.
Values are checked against the component itself (a slider's range and step, a radio's choices, a seed box's
seed range) with the validators every handler uses, so a link can never set what a person could not.
A bad value is ignored and named in a visible note; the rest of the link still applies.
"""
from __future__ import annotations

import inspect
from collections.abc import Mapping
from dataclasses import dataclass, field

import gradio as gr

from explainer.ui.words.en import links as links_en
from explainer.ui.words.ru import links as links_ru
from explainer.ui import i18n
from explainer.ui.validation import Invalid, as_choice, as_float, as_int, as_seed, said

W = i18n.Words("links", links_en, links_ru)

RESERVED = {"tab", "present", "__theme"}  # read elsewhere (the app, the browser, Gradio's own dark mode)


@dataclass
class Link:
    tab: str | None = None
    values: dict[str, object] = field(default_factory=dict)  # link name -> checked value, for `tab`
    problems: list[str] = field(default_factory=list)

    def note(self) -> str:
        if not self.problems:
            return ""
        return W.text("IGNORED") + " " + " ".join(self.problems)


def _choice_values(component) -> list:
    return [c[1] if isinstance(c, (tuple, list)) else c for c in component.choices]


def check_value(component: gr.components.Component, raw: str, name: str):
    """The value `raw` (a URL string) would set on `component`; ValueError with a plain message if it can't."""
    if isinstance(component, gr.Number):
        if component.minimum is None and component.maximum is None:
            return as_seed(raw)  # every free number box in this app is a seed (ui.common.seed_box)
        lo, hi = component.minimum, component.maximum
        return as_float(raw, name, lo if lo is not None else -1e308, hi if hi is not None else 1e308)
    if isinstance(component, gr.Slider):
        lo, hi, step = component.minimum, component.maximum, component.step or 1
        if float(step).is_integer() and float(lo).is_integer():
            return as_int(raw, name, int(lo), int(hi))
        return as_float(raw, name, lo, hi)
    if isinstance(component, (gr.Radio, gr.Dropdown)):
        values = _choice_values(component)
        text = str(raw).strip()
        # Friendlier URLs: `path=linear` for "linear (lerp)", `sampler=ddpm` for "DDPM ancestral (1000 steps)".
        exact = [v for v in values if str(v).lower() == text.lower()]
        prefix = [v for v in values if str(v).lower().startswith(text.lower())] if text else []
        value = exact[0] if exact else prefix[0] if len(prefix) == 1 else raw
        return as_choice(value, name, values)
    raise Invalid("NOT_SETTABLE", W, name=name)


def parse(query: Mapping[str, str], tabs: Mapping[str, Mapping[str, gr.components.Component]]) -> Link:
    """Read a page's query parameters against the link controls of each tab (slug -> name -> component)."""
    link = Link()
    slug = query.get("tab")
    if slug is None:
        extra = sorted(k for k in query if k not in RESERVED)
        if extra:
            link.problems.append(W.text("NEED_TAB", names=", ".join(extra), example=next(iter(tabs), "gan")))
        return link
    slug = str(slug).strip().lower()
    if slug not in tabs:
        link.problems.append(W.text("NO_TAB", slug=slug[:40], tabs=", ".join(tabs)))
        return link
    link.tab = slug
    controls = tabs[slug]
    for key, raw in query.items():
        if key in RESERVED:
            continue
        if key not in controls:
            known = ", ".join(controls) or W.text("NONE")
            link.problems.append(W.text("NOT_A_SETTING", key=key[:40], known=known))
            continue
        try:
            link.values[key] = check_value(controls[key], raw, f"'{key}'")
        except ValueError as e:
            link.problems.append(said(e, i18n.current()))
    return link


def link_js(slug: str, names: list[str]) -> str:
    """Browser-side: build the link for the current values of a tab's controls, copy it, and return it."""
    return f"""(...values) => {{
  const names = {names!r};
  const q = new URLSearchParams({{tab: {slug!r}}});
  names.forEach((n, i) => {{ if (values[i] !== null && values[i] !== undefined) q.set(n, values[i]); }});
  if (document.body.classList.contains('present')) q.set('present', '1');
  const url = window.location.origin + window.location.pathname + '?' + q.toString();
  try {{ navigator.clipboard.writeText(url).catch(() => {{}}); }} catch (e) {{}}
  return url;
}}"""


def slug_of(module) -> str:
    """`explainer.ui.tabs.gan` -> `gan`: the tab's id and its name in links."""
    return module.__name__.rsplit(".", 1)[-1].removesuffix("_tab")


def link_row():
    """The "copy a link" button and box at the top of a tab (hidden in presentation mode)."""
    with gr.Row(elem_classes=["advanced", "link-row"]):
        button = gr.Button(W("COPY_LINK"), size="sm", scale=0, min_width=220)
        box = gr.Textbox(label=W("LINK_LABEL"), show_label=False, container=False, interactive=False, scale=4,
                         placeholder=W("LINK_PLACEHOLDER"))  # the label still names it for a screen reader
    return button, box


class LinkRegistry:
    """Collects each tab's link controls (and buttons that open other tabs) while the app is built, then wires
    the page-load event and those buttons."""

    def __init__(self):
        self.controls: dict[str, dict[str, gr.components.Component]] = {}
        self.runs: dict[str, dict] = {}
        self.goto: list[tuple[str, gr.Button]] = []

    def add(self, slug: str, module, row) -> None:
        controls = dict(getattr(module, "LINK_CONTROLS", {}))
        self.controls[slug] = controls
        self.goto += list(getattr(module, "GOTO_BUTTONS", []))
        if getattr(module, "LINK_RUN", None):
            self.runs[slug] = dict(module.LINK_RUN)
        if row is not None:
            button, box = row
            button.click(None, list(controls.values()), box, js=link_js(slug, list(controls)))

    def wire(self, demo: gr.Blocks, tabs: gr.Tabs, note: gr.Markdown) -> None:
        flat = [(slug, name, c) for slug, cs in self.controls.items() for name, c in cs.items()]
        # Which tab the link opened, for the link actions that follow. A hidden box rather than gr.State: a State
        # makes every page hold a heartbeat connection open.
        target = gr.Textbox("", visible=False)

        def apply(request: gr.Request):
            query = dict(request.query_params) if request is not None else {}
            with i18n.speaking(i18n.lang_of(request)):  # the note speaks the reader's language
                link = parse(query, self.controls)
                text = link.note()
            values = [link.values[name] if slug == link.tab and name in link.values else gr.skip()
                      for slug, name, _ in flat]
            return (gr.Tabs(selected=link.tab) if link.tab else gr.skip(),
                    gr.Markdown(text, visible=bool(link.problems)), link.tab or "", *values)

        # Not queued: a cheap read of the URL that must not wait behind a busy classroom's model calls.
        event = demo.load(apply, None, [tabs, note, target, *(c for _, _, c in flat)], queue=False,
                          api_visibility="private", show_progress="hidden")
        # Buttons that open another tab (the tour's). Not queued: switching tabs must be instant, even when busy.
        for slug, button in self.goto:
            if slug not in self.controls:
                button.visible = False  # that tab is not in this app (yet): no dead button
                continue
            button.click(_select(slug), None, tabs, queue=False, api_visibility="private",
                         js="() => { window.scrollTo({top: 0}); }")
        # Link actions follow every page load (a no-op unless the link named their tab). Not queued either: 50
        # pupils opening the page at once must not fill the queue (64 places) with no-ops; the actions allowed
        # here are cheap ones (a GAN grid, one decoded point).
        for slug, run in self.runs.items():
            event = event.then(_only_for(slug, run["fn"], len(run["outputs"]), len(run["inputs"])),
                               [target, *run["inputs"]], run["outputs"],
                               queue=False, api_visibility="private", show_progress="hidden")


def _select(slug: str):
    return lambda: gr.Tabs(selected=slug)


def _only_for(slug: str, fn, n_outputs: int, n_inputs: int):
    """A tab's link action, run only when the link pointed at that tab, in the reader's language."""

    def run(target, *args):
        *args, request = args  # Gradio appends the request (see the signature below)
        if target != slug:
            return tuple(gr.skip() for _ in range(n_outputs)) if n_outputs > 1 else gr.skip()
        with i18n.speaking(i18n.lang_of(request)):
            return fn(*args)

    # The target box and the tab's inputs, then the request, which Gradio fills in because of its annotation.
    params = [inspect.Parameter(f"in_{i}", inspect.Parameter.POSITIONAL_OR_KEYWORD) for i in range(n_inputs + 1)]
    params.append(inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None,
                                    annotation=gr.Request))
    run.__signature__ = inspect.Signature(params)
    run.__annotations__ = {"request": gr.Request}
    return run
