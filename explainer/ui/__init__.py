"""The Gradio app: one module per tab, each exposing `build()` that is called inside a gr.Tab.

Tabs hold wiring and words only; the maths lives in the modules they import.
"""
from __future__ import annotations

import gradio as gr
import torch

from ..runtime import device_label
from . import i18n, texts_app, texts_app_ru
from .common import CSS

W = i18n.Words("app", texts_app, texts_app_ru)
TITLE = texts_app.TITLE
MAX_UPLOAD = "10mb"


def _tabs():
    # Imported here so that `import explainer.ui` stays cheap and each tab is one line to add.
    from . import gan_tab
    from . import autoencoder_tab
    from . import forward_tab
    from . import reverse_tab
    from . import flow_tab
    from . import compare_tab

    return ([("GAN", gan_tab), ("Autoencoder vs VAE", autoencoder_tab), ("Diffusion: forward", forward_tab)]
            + [("Diffusion: reverse", reverse_tab)] * reverse_tab.available()
            + [("Flow matching", flow_tab)] * flow_tab.available()
            + [("Compare all", compare_tab)] * compare_tab.available())


def tab_label(label: str):
    """The tab's name in the page's language: an i18n key when texts_app names it, else the label itself."""
    for name, english in vars(texts_app).items():
        if name.startswith("TAB_") and english == label:
            return W(name)
    return label


def build_demo() -> gr.Blocks:
    with gr.Blocks(title=TITLE, delete_cache=(900, 3600)) as demo:
        gr.Markdown(W("INTRO", "LANGUAGE_HINT"))
        with gr.Tabs():
            for label, module in _tabs():
                with gr.Tab(tab_label(label), id=label.lower().replace(" ", "-")):
                    module.build()
        footer = W.pin("FOOTER_NOW", lambda: W.text("FOOTER", device=device_label(), torch=torch.__version__,
                                                     gradio=gr.__version__))
        gr.Markdown(footer, elem_id="device-footer")
        i18n.attach_on_load(demo)
    # Sized for a 2-core Space and a classroom (benchmarks/load.py: 50 users): one handler at a time, because
    # torch already uses both cores and two model calls at once only thrash them; a queue bounded at 64
    # holds a whole class (each browser has at most one request waiting) yet answers "queue full" rather
    # than piling up without end. /gan_sample can be Gradio-batched (EXPLAINER_BATCH_GRIDS=1, see gan_tab).
    demo.queue(default_concurrency_limit=1, max_size=64)
    return demo


def launch_options() -> dict:
    """Arguments for demo.launch(): local by default, no public share link, an upload cap, both languages
    (call it after building the demo: the translations include what the build registered)."""
    return dict(server_name=None, server_port=None, share=False, max_file_size=MAX_UPLOAD,
                theme=gr.themes.Soft(), css=CSS, show_error=True, i18n=i18n.translations(),
                js=i18n.page_js({lang: W.get("TITLE", lang) for lang in i18n.LANGS}))
