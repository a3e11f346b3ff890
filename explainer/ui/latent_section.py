"""The autoencoder tab's live latent diffusion: generate in a VAE's 4 x 7 x 7 latent, decode once, and the same
request in pixel space beside it, timed in the same call (its words live with the tab's, prefix "ae")."""
from __future__ import annotations

import gradio as gr

from explainer.draw.figures import captioned_grid, labelled_rows
from explainer.lessons import latent_diffusion as LD
from explainer.models import pretrained
from explainer.runtime.device import on_gpu
from explainer.ui import i18n, runs
from explainer.ui import first_results
from explainer.ui.serving import cached
from explainer.ui.validation import Invalid, as_int, as_seed, friendly
from explainer.ui.widgets import seed_box
from explainer.ui.words.en import autoencoder as T
from explainer.ui.words.ru import autoencoder as autoencoder_ru

W = i18n.Words("ae", T, autoencoder_ru)

FIRST_LDM = dict(prompt="3", seed=0, n=6, steps=20)


@cached
@friendly
@on_gpu
def latent_diffusion(prompt, seed, steps):
    """Generate in the latent, decode once; the same request in pixel space beside it, timed in the same call."""
    if not LD.available():
        raise Invalid("NO_LDM", W)
    label = runs.prompt(prompt)
    run = LD.generate(label, as_seed(seed), FIRST_LDM["n"], as_int(steps, "Steps", 1, LD.MAX_STEPS))
    return latent_figure(run, label), latent_numbers(run)


def _read(g: LD.Generated, label) -> str:
    if label is None:
        return W.text("LDM_READ_ANY", hits=g.hits, n=len(g.images))
    return W.text("LDM_READ_DIGIT", label=label, hits=g.hits, n=len(g.images))


def latent_figure(run: LD.LatentRun, label):
    tiles = LD.latent_tiles(run.latents)
    n = len(tiles)
    rows = [([W.text("LDM_ROW_LATENT")], captioned_grid(tiles, [()] * n, cols=n, scale=6)),
            ([W.text("LDM_ROW_DECODED"), _read(run.latent, label),
              W.text("LDM_COST_LATENT", nfe=run.latent.nfe, ms=run.latent.ms, decode=run.decode_ms)],
             captioned_grid(run.latent.images, [(i18n.localize(v),) for v in run.latent.verdicts], cols=n))]
    if run.pixel:
        rows.append(([W.text("LDM_ROW_PIXEL"), _read(run.pixel, label),
                      W.text("LDM_COST_PIXEL", nfe=run.pixel.nfe, ms=run.pixel.ms)],
                     captioned_grid(run.pixel.images, [(i18n.localize(v),) for v in run.pixel.verdicts], cols=n)))
    return labelled_rows(rows, label_px=230, font_px=14)


def latent_numbers(run: LD.LatentRun) -> str:
    f = {k: v / 1e6 for k, v in run.flops.items()}
    if run.pixel is None:
        return W.text("LDM_NUMBERS_NO_PIXEL", latent=run.latent.ms_per_step, lf=f["latent_step"], df=f["decode"])
    return W.text("LDM_NUMBERS", latent=run.latent.ms_per_step, pixel=run.pixel.ms_per_step,
                  speed=run.pixel.ms_per_step / max(run.latent.ms_per_step, 1e-9), lf=f["latent_step"],
                  pf=f["pixel_step"], ratio=f["pixel_step"] / f["latent_step"], df=f["decode"], w=run.guidance,
                  steps=run.steps)


def latent_card() -> str:
    try:
        card, vae = pretrained.read_card("ldm"), pretrained.read_card("ldm_vae")
    except FileNotFoundError:
        return W.text("LDM_NOT_MEASURED")
    m = card.get("metrics")
    if not m:
        return W.text("LDM_NOT_MEASURED")
    w = card["recommended_guidance"]
    return W.text("LDM_CARD", n=m["n_samples_per_setting"], steps=m["sampler"].split()[1].rstrip(","),
                  acc=m["class_accuracy_by_guidance"][f"{w:g}"], w=w, fid=m["guided_w1"]["judge_fid"],
                  ddim=m["pixel_ddim50_w1"]["judge_fid"], rec=vae["metrics"]["reconstructions_read_as_true_digit"])


def build() -> None:
    first_run = LD.generate(runs.prompt(FIRST_LDM["prompt"]), FIRST_LDM["seed"], FIRST_LDM["n"], FIRST_LDM["steps"])
    first = first_results.each_language(lambda: (latent_figure(first_run, int(FIRST_LDM["prompt"])), latent_numbers(first_run)))
    gr.Markdown(W("LDM_TITLE"))
    with gr.Row():
        with gr.Column(scale=1, min_width=240):
            btn = gr.Button(W("LDM_RUN"), variant="primary")
            prompt = gr.Dropdown([(W("PROMPT_NONE"), "none")] + runs.PROMPTS[1:], value=FIRST_LDM["prompt"],
                                 label=W("LDM_PROMPT"))
            steps = gr.Slider(1, LD.MAX_STEPS, value=FIRST_LDM["steps"], step=1, label=W("LDM_STEPS"))
            seed = seed_box(W("SEED"), FIRST_LDM["seed"])
            gr.Markdown(W("LDM_HELP"))
        with gr.Column(scale=3, elem_classes="demo-picture"):
            figure = gr.Image(first[0], label=W("LDM_FIGURE"), format="png", interactive=False,
                              elem_classes=["figure", "fits-screen"])
            first_results.on_load_in_language(figure, first.part(0))  # its labels are drawn in
            numbers = gr.Markdown(W.pin("LDM_NUMBERS_FIRST", first.part(1)))
    gr.Markdown(W.pin("LDM_CARD_NOW", latent_card))
    btn.click(latent_diffusion, [prompt, seed, steps], [figure, numbers], api_name="latent_diffusion")
