"""The Gradio app: one module per tab, each exposing `build()` that is called inside a gr.Tab.

Tabs hold wiring and words only; the maths lives in the modules they import.
"""
from __future__ import annotations

import os

import gradio as gr
import torch

from explainer.runtime.device import device_label
from explainer.ui.words.en import app as app_en
from explainer.ui.words.ru import app as app_ru
from explainer.ui import atomic_cache, i18n, layout, links, presentation, serving
from explainer.ui import first_results
from explainer.ui.widgets import CSS
from explainer.ui.validation import gradio_checks_in_language

W = i18n.Words("app", app_en, app_ru)
TITLE = app_en.TITLE
MAX_UPLOAD = "10mb"


def all_tabs():
    """Every tab in order: the guided tour first, then one per topic."""
    from explainer.ui.tabs import tour as tour_tab

    return [("Tour", tour_tab)] + _topic_tabs()


def _topic_tabs():
    # Imported here so that `import explainer.ui` stays cheap and each tab is one line to add.
    from explainer.ui.tabs import gan as gan_tab
    from explainer.ui.tabs import autoencoder as autoencoder_tab
    from explainer.ui.tabs import forward as forward_tab
    from explainer.ui.tabs import lab as lab_tab
    from explainer.ui.tabs import reverse as reverse_tab
    from explainer.ui.tabs import flow as flow_tab
    from explainer.ui.tabs import compare as compare_tab

    return ([("GAN", gan_tab), ("Autoencoder vs VAE", autoencoder_tab), ("Diffusion: forward", forward_tab)]
            + [("Diffusion: reverse", reverse_tab)] * reverse_tab.available()
            + [("Flow matching", flow_tab)] * flow_tab.available()
            + [("2-D lab", lab_tab)]
            + [("Compare all", compare_tab)] * compare_tab.available())


def tab_label(label: str):
    """The tab's name in the page's language: an i18n key when app_en names it, else the label itself."""
    for name, english in vars(app_en).items():
        if name.startswith("TAB_") and english == label:
            return W(name)
    return label


def build_demo() -> gr.Blocks:
    atomic_cache.install()  # two users asking for the same image at once must both get all of it
    first_results.forget_firsts()
    with gr.Blocks(title=TITLE, delete_cache=(900, 3600)) as demo:
        # Sized for a 2-core Space and a classroom (benchmarks/classroom.py: 60 users): model calls one at a
        # time and light redraws beside them (the lanes of ui/serving.py, set below once every event exists);
        # a queue bounded at 64 holds a whole class (each browser has at most one request waiting) yet answers
        # "queue full" rather than piling up without end; answers already computed skip the queue (gr.cache).
        # /gan_sample can be Gradio-batched (EXPLAINER_BATCH_GRIDS=1, see gan_tab).
        # Set before any component: queue() rebuilds Gradio's server app, which is cheaper on an empty page
        # (leaving the block builds it again with everything).
        demo.queue(default_concurrency_limit=1, max_size=64)
        with gr.Row(elem_id="app-header", equal_height=True):
            gr.Markdown(W("INTRO", "LANGUAGE_HINT", sep=" · "))
            present = gr.Button(W("PRESENTATION"), size="sm", scale=0, min_width=200, elem_id="present-toggle")
        present.click(None, js=presentation.TOGGLE_JS)
        link_note = gr.Markdown(visible=False, elem_id="link-note")
        registry = links.LinkRegistry()
        with gr.Tabs(overflow_behavior="wrap") as tabs:  # every tab name visible, on a phone too
            for label, module in all_tabs():
                slug = links.slug_of(module)
                with gr.Tab(tab_label(label), id=slug):
                    # A tab with LINK_ROW places its own link row (the lab's sits by its knobs, so the row
                    # never pushes the tab's first picture off the first screen); the others get one on top.
                    own_row = hasattr(module, "LINK_ROW")
                    row = links.link_row() if hasattr(module, "LINK_CONTROLS") and not own_row else None
                    module.build()
                    registry.add(slug, module, tuple(module.LINK_ROW) if own_row else row)
        registry.wire(demo, tabs, link_note)
        footer = W.pin("FOOTER_NOW", lambda: W.text("FOOTER", device=i18n.localize(device_label()), torch=torch.__version__,
                                                     gradio=gr.__version__))
        gr.Markdown(footer, elem_id="device-footer")
        first_results.attach_on_load(demo)
    gradio_checks_in_language(demo)
    serving.schedule(demo)
    return demo


# Sessions whose state the server keeps (Gradio's default: 10,000). Every session, even one API call without a
# session, holds a copy of every component's config: about 0.8 MB with this many tabs, so the default let memory
# grow by ~0.8 MB per request up to ~8 GB. 200 covers a classroom with room to spare (least recently used go first).
SESSION_CAPACITY = 200


def worker_processes() -> int:
    """Worker processes for the 2-D lab's trainings (runtime/workers.py) when the app is served:
    EXPLAINER_LAB_WORKERS, 1 by default (0: train in the server's own threads)."""
    value = os.environ.get("EXPLAINER_LAB_WORKERS", "").strip()
    return max(0, int(value)) if value.isdigit() else 1


def launch_options() -> dict:
    """Arguments for demo.launch(): local by default, no public share link, an upload cap, both languages
    (call it after building the demo: the translations include what the build registered)."""
    return dict(server_name=None, server_port=None, share=False, max_file_size=MAX_UPLOAD,
                state_session_capacity=SESSION_CAPACITY,
                theme=gr.themes.Soft(), css=CSS + presentation.CSS + layout.CSS, show_error=True,
                i18n=i18n.translations(),
                js=i18n.page_js({lang: W.get("TITLE", lang) for lang in i18n.LANGS}, presentation.PAGE_JS))
