"""The Gradio app: one module per tab, each exposing `build()` that is called inside a gr.Tab.

Tabs hold wiring and words only; the maths lives in the modules they import.
"""
from __future__ import annotations

import gradio as gr
import torch

from ..runtime import device_label
from .common import CSS

TITLE = "Generative CV, hands on"
MAX_UPLOAD = "10mb"


def _tabs():
    # Imported here so that `import explainer.ui` stays cheap and each tab is one line to add.
    from . import gan_tab
    from . import forward_tab
    from . import reverse_tab

    return [("GAN", gan_tab), ("Diffusion: forward", forward_tab)] + [("Diffusion: reverse", reverse_tab)] * reverse_tab.available()


def build_demo() -> gr.Blocks:
    with gr.Blocks(title=TITLE, delete_cache=(900, 3600)) as demo:
        gr.Markdown(f"# {TITLE}\nSmall, live PyTorch models trained on MNIST handwritten digits. "
                    "Every picture below is computed on this machine as you click.")
        with gr.Tabs():
            for label, module in _tabs():
                with gr.Tab(label, id=label.lower().replace(" ", "-")):
                    module.build()
        gr.Markdown(f"Running on **{device_label()}** · PyTorch {torch.__version__} · Gradio {gr.__version__} · "
                    "models load from `pretrained/`, nothing from the internet.", elem_id="device-footer")
    # One model call at a time suits a 2-core CPU; a bounded queue answers "busy" instead of piling up.
    demo.queue(default_concurrency_limit=1, max_size=64)
    return demo


def launch_options() -> dict:
    """Arguments for demo.launch(): local by default, no public share link, an upload cap."""
    return dict(server_name=None, server_port=None, share=False, max_file_size=MAX_UPLOAD,
                theme=gr.themes.Soft(), css=CSS, show_error=True)
