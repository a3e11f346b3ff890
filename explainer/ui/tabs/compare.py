"""Compare tab: GAN, VAE, DDPM, DDIM, flow, reflow and latent diffusion on the same request, measured side by side."""
from __future__ import annotations

import gradio as gr
import numpy as np

from explainer.draw.figures import captioned_grid, labelled_rows
from explainer.lessons import compare as ct
from explainer.runtime.device import on_gpu
from explainer.ui.words.en import compare as T
from explainer.ui.words.ru import compare as compare_ru
from explainer.ui import i18n
from explainer.ui import first_results
from explainer.ui.serving import cached
from explainer.ui.validation import Invalid, as_int, as_seed, friendly
from explainer.ui.widgets import intro, seed_box
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


@cached
@friendly
@on_gpu
def compare(prompt, seed, n, families):
    label, seed, n, families = runs.prompt(prompt), as_seed(seed), as_int(n, "Pictures per model", 1, ct.MAX_N), _families(families)
    entries = []
    for e in ct.compare(label, seed, n, families):
        entries.append(e)
        yield figure(entries, label, n), _table(entries, label)


def figure(entries: list[ct.Entry], label: int | None, n: int):
    """One row per model: its name and numbers on the left, its pictures (each with the judge's reading) on the right."""
    asked = W.text("READ_AS_DIGIT", label=label) if label is not None else W.text("READ_AS_ANY")
    rows = []
    for e in entries:
        lines = [model_name(e), f"{asked}: {e.hits} / {len(e.images)}",
                 W.text("ROW_COST", draws=e.draws, nfe=e.nfe, seconds=W.text("SECONDS", s=e.ms / 1000)),
                 W.text("ROW_FID", fid=fid_text(e.fid))]
        if len(e.images):
            picture = captioned_grid(e.images, [(i18n.localize(v),) for v in e.verdicts], cols=n)
        else:
            picture = captioned_grid(np.zeros((0, 28, 28), np.uint8), [], cols=1)
            lines.append(W.text("NOTHING_ACCEPTED"))
        rows.append((lines, picture))
    return labelled_rows(rows)


FAMILY_WORDS = {"Flow": "FAMILY_FLOW", "Reflow": "FAMILY_REFLOW", "Latent": "FAMILY_LATENT"}  # the rest are names


def family_name(family: str) -> str:
    return W.text(FAMILY_WORDS[family]) if family in FAMILY_WORDS else family


def model_name(e: ct.Entry) -> str:
    """"DDIM, 50 steps, w = 3" in the page's language: the family, then how it was sampled."""
    name = family_name(e.family)
    if e.steps is not None:
        name = W.text("NAME_SOLVER_STEPS" if e.solver else "NAME_STEPS", family=family_name(e.family), steps=e.steps,
                      solver=e.solver and W.text("SOLVER_" + e.solver.upper()))
    if e.guidance is not None:
        name += W.text("NAME_GUIDANCE", w=f"{e.guidance:g}")
    return name


def fid_text(f: ct.CardFid) -> str:
    """The card's judge-FID with what it was measured on, in the reader's words."""
    if f.value is None:
        return W.text("FID_NONE")
    if f.request == "prior":
        return W.text("FID_PRIOR", fid=f.value, n=f.n)
    sampler = i18n.localize(f.sampler)
    if f.request == "prompted":
        return W.text("FID_PROMPTED", fid=f.value, n=f.n, w=f.guidance, sampler=sampler)
    return W.text("FID_UNPROMPTED", fid=f.value, n=f.n, sampler=sampler) if f.sampler else W.text("FID_SAMPLES", fid=f.value, n=f.n)


def _table(entries, label) -> str:
    """The comparison so far, one row per model, in the page's language."""
    asked = W.text("READ_AS_DIGIT", label=label) if label is not None else W.text("READ_AS_ANY")
    rows = [W.text("TABLE_HEADER", asked=asked), "|---|---|---|---|---|---|---|"]
    for e in entries:
        rows.append(f"| **{model_name(e)}** | {e.hits} / {len(e.images)} | {e.draws} | {e.nfe} | "
                    f"{W.text('SECONDS', s=e.ms / 1000)} | {fid_text(e.fid)} | {W.text('NOTE_' + e.family.upper())} |")
    return "\n".join(rows)


FIRST = dict(prompt="7", seed=0, n=4)  # the comparison shown on arrival


def build() -> None:
    intro(W)
    choices = ct.available()
    # Ticked on arrival: the article's families but DDPM, whose 1000 steps take ~10 s on a 2-core CPU; DDPM and the
    # modern answers (reflow, latent diffusion) are one tick away, so the first figure keeps digits large enough.
    first_families = [f for f in choices if f not in ("DDPM", "Reflow", "Latent")]
    first_entries = list(ct.compare(runs.prompt(FIRST["prompt"]), FIRST["seed"], FIRST["n"], first_families))
    label = runs.prompt(FIRST["prompt"])
    first = first_results.each_language(lambda: (figure(first_entries, label, FIRST["n"]), _table(first_entries, label)))
    with gr.Row():
        with gr.Column(scale=1, min_width=240):
            btn = gr.Button(W("COMPARE"), variant="primary")
            prompt = gr.Dropdown([(W("PROMPT_NONE"), "none")] + runs.PROMPTS[1:], value=FIRST["prompt"],
                                 label=W("REQUEST"))
            families = gr.CheckboxGroup([(W(FAMILY_WORDS[f]) if f in FAMILY_WORDS else f, f) for f in choices],
                                        value=first_families, label=W("MODELS"))
            n = gr.Slider(1, ct.MAX_N, value=FIRST["n"], step=1, label=W("PICTURES"))
            seed = seed_box(W("SEED"), FIRST["seed"])
        with gr.Column(scale=3, elem_classes="demo-picture"):
            gallery = gr.Image(first[0], label=W("GALLERY"), format="png", interactive=False,
                               elem_classes=["figure", "fits-screen"])
    first_results.on_load_in_language(gallery, first.part(0))  # the figure's words are drawn in: a Russian reader gets hers
    table = gr.Markdown(W.pin("TABLE_FIRST", first.part(1)))
    btn.click(compare, [prompt, seed, n, families], [gallery, table], api_name="compare")

    LINK_CONTROLS.update(prompt=prompt, seed=seed, n=n)
