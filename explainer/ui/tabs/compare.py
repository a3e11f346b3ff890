"""Compare tab: GAN, VAE, DDPM, DDIM and flow on the same request, measured side by side."""
from __future__ import annotations

import gradio as gr

from explainer.lessons import compare as ct
from explainer.runtime.device import on_gpu
from explainer.ui.words.en import compare as T
from explainer.ui.words.ru import compare as compare_ru
from explainer.ui import i18n
from explainer.ui.validation import Invalid, as_int, as_seed, friendly
from explainer.ui.widgets import seed_box
from explainer.ui import runs

W = i18n.Words("compare", T, compare_ru)
# Deep links (ui/links.py): ?tab=compare&prompt=3&seed=2&n=4 sets these (the comparison waits for a click).
LINK_CONTROLS: dict = {}


def available() -> bool:
    return len(ct.available()) >= 2


def _families(value) -> list[str]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise Invalid("CHOOSE_MODEL", W, models=", ".join(ct.available()))
    return value


@friendly
@on_gpu
def compare(prompt, seed, n, families):
    label, seed, n, families = runs.prompt(prompt), as_seed(seed), as_int(n, "Pictures per model", 1, ct.MAX_N), _families(families)
    entries, gallery = [], []
    for e in ct.compare(label, seed, n, families):
        entries.append(e)
        caption = f"{model_name(e)}: {', '.join(e.verdicts) or W.text('NOTHING_ACCEPTED')}"
        if len(e.images):
            gallery.append((runs.show(e.images, scale=3), caption))
        yield gallery, _table(entries, label)


def model_name(e: ct.Entry) -> str:
    """"DDIM, 50 steps, w = 3" in the page's language: the family, then how it was sampled."""
    name = e.family
    if e.steps is not None:
        name = W.text("NAME_SOLVER_STEPS" if e.solver else "NAME_STEPS", family=e.family, steps=e.steps,
                      solver=e.solver and W.text("SOLVER_" + e.solver.upper()))
    if e.guidance is not None:
        name += W.text("NAME_GUIDANCE", w=f"{e.guidance:g}")
    return name


def _table(entries, label) -> str:
    """The comparison so far, one row per model, in the page's language."""
    asked = W.text("READ_AS_DIGIT", label=label) if label is not None else W.text("READ_AS_ANY")
    rows = [W.text("TABLE_HEADER", asked=asked), "|---|---|---|---|---|---|---|"]
    for e in entries:
        rows.append(f"| **{model_name(e)}** | {e.hits} / {len(e.images)} | {e.draws} | {e.nfe} | "
                    f"{W.text('SECONDS', s=e.ms / 1000)} | {e.fid} | {W.text('NOTE_' + e.family.upper())} |")
    return "\n".join(rows)


def build() -> None:
    gr.Markdown(W("INTRO"))
    choices = ct.available()
    with gr.Row():
        prompt = gr.Dropdown([(W("PROMPT_NONE"), "none")] + runs.PROMPTS[1:], value="7", label=W("REQUEST"))
        seed = seed_box(W("SEED"), 0)
        n = gr.Slider(1, ct.MAX_N, value=4, step=1, label=W("PICTURES"))
    families = gr.CheckboxGroup(choices, value=choices, label=W("MODELS"))
    btn = gr.Button(W("COMPARE"), variant="primary")
    gallery = gr.Gallery(label=W("GALLERY"), columns=1, height="auto",
                         format="png", object_fit="contain", elem_classes="pixelated")
    table = gr.Markdown()
    btn.click(compare, [prompt, seed, n, families], [gallery, table], api_name="compare")

    LINK_CONTROLS.update(prompt=prompt, seed=seed, n=n)
