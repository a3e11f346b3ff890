"""Guided tour: the story in order (GAN, autoencoder, VAE, forward and reverse diffusion, flow), a few sentences
and one small live demo per step, each with a button to its full tab.

The demos reuse the tabs' own handlers (same validation, same pictures); every one is filled in when the app
starts, so the tour reads well before the first click, and on a busy Space. Sliders show "minimal" progress,
so a learner sees their place in the queue instead of a frozen picture.
"""
from __future__ import annotations

import gradio as gr
import numpy as np

from explainer.lessons import flow as ft
from explainer.lessons import autoencoder as L
from explainer.lessons import reverse as rt
from explainer.draw.images import grid, upscale
from explainer.evaluation.diffusion_card import recommended_guidance
from explainer.runtime.device import on_gpu
from explainer.ui.tabs import autoencoder as autoencoder_tab
from explainer.ui.tabs import flow as flow_tab
from explainer.ui.tabs import forward as forward_tab
from explainer.ui.tabs import gan as gan_tab
from explainer.ui.tabs import reverse as reverse_tab
from explainer.ui.words.en import app as app_en
from explainer.ui.words.en import tour as T
from explainer.ui.words.ru import tour as tour_ru
from explainer.ui import i18n, runs
from explainer.ui import first_results
from explainer.ui.serving import cached, light
from explainer.ui.validation import as_int, friendly
from explainer.ui.widgets import intro, seed_box

W = i18n.Words("tour", T, tour_ru)

GAN_COUNT = 8
FORWARD_DIGIT = 7
VAE_POINT = (2.0, -2.0)  # inside the VAE's disc, where it draws a clear 1 and the AE a smudge
VAE_RANGE = 4.0  # the VAE's disc and a margin around it
REVERSE_STEPS, REVERSE_BATCH, SNAPSHOTS = 25, 4, 8  # a DDIM run short enough for a tour (eta 0)
FLOW_STEPS = 10  # Euler steps: straight paths need few
# (tab slug, button): the app wires each to open its tab, and hides one whose tab this app lacks. Filled by build().
GOTO_BUTTONS: list = []


@friendly
def gan(seed):
    return gan_tab.sample_grid(seed, GAN_COUNT)


@cached
@friendly
@on_gpu
def autoencoder(index):
    index = as_int(index, "Digit number", 0, autoencoder_tab.N_DIGITS - 1)
    digit, label = L.bundled_digit(index)
    e = L.encode_digit(digit)
    z = e.z["ae"]
    pair = upscale(grid(np.stack([e.digit, e.reconstructions["ae"]]), cols=2, pad=2), autoencoder_tab.ZOOM // 2)
    text = W.text("AE_TEXT", index=index, label=label, z1=z[0], z2=z[1], mse=e.mse["ae"], verdict=e.verdicts["ae"])
    return pair, text


@cached
@light
@friendly
def vae(z1, z2):
    return autoencoder_tab.decode(z1, z2)


@cached
@light
@friendly
def forward(t):
    x_t, hist, _, info = forward_tab.step(None, FORWARD_DIGIT, "linear", t, 0)
    return x_t, hist, info.split("  \n", 1)[-1]


@cached
@friendly
@on_gpu
def reverse(prompt, seed):
    ddim = next(label for label, kind in reverse_tab.SAMPLERS.items() if kind == "ddim")
    s = reverse_tab.checked_settings(prompt, recommended_guidance(), ddim, REVERSE_STEPS, 0.0, seed, REVERSE_BATCH)
    return _snapshots(rt.run(s), s.steps, "RUN_DDIM")


@cached
@friendly
@on_gpu
def flow(prompt, seed):
    euler = next(label for label, kind in flow_tab.SOLVERS.items() if kind == "euler")
    s = flow_tab.checked_settings(prompt, recommended_guidance(ft.MODEL), euler, FLOW_STEPS, seed, REVERSE_BATCH)
    *_, run = ft.stream(s, interval_s=float("inf"))  # the last item is the recorded run
    return _snapshots(run, s.steps, "RUN_EULER")


def _snapshots(run, steps: int, how: str):
    """A finished run as one picture: a row per digit, time running left to right from noise to digit."""
    picks = np.unique(np.linspace(0, len(run) - 1, min(SNAPSHOTS, len(run))).round().astype(int))
    rows = run.x_t[picks].transpose(1, 0, 2, 3).reshape(-1, 28, 28)
    text = W.text("SNAPSHOTS_TEXT", n=len(picks), steps=steps, run=W.text(how), nfe=run.frame(len(run) - 1).nfe,
                  s=run.total_ms / 1000)
    return grid(rows, cols=len(picks), scale=3), text


def _goto(slug: str, label: str) -> None:
    """A button to the tab named `label` (its English name, as in app_en), in the reader's language."""
    tab = next(name for name, english in vars(app_en).items() if name.startswith("TAB_") and english == label)
    app = i18n.Words.of("app")
    GOTO_BUTTONS.append((slug, gr.Button(W.pin(f"GOTO_{tab}", lambda: W.text("GOTO", label=app.text(tab))), size="sm")))


def build() -> None:
    GOTO_BUTTONS.clear()
    intro(W)
    prompts = [(W("PROMPT_NONE"), "none")] + runs.PROMPTS[1:]
    img = dict(format="png", elem_classes="pixelated", interactive=False)

    gr.Markdown(W("GAN"))
    draw = on_gpu(gan_tab.draw)  # a model call, where the handler would run it
    draw(0, GAN_COUNT)  # warm-up: the text below tells how long one pass takes, and a process's first is slower
    drawn = draw(0, GAN_COUNT)  # each language only words these same digits
    first = first_results.each_language(lambda: gan_tab.grid_outputs(drawn))
    with gr.Row():
        with gr.Column(scale=1, min_width=200):
            g_seed = seed_box(W("SEED"), 0)
            g_btn = gr.Button(W.pin("DRAW_DIGITS_NOW", lambda: W.text("DRAW_DIGITS", n=GAN_COUNT)), variant="primary")
            _goto("gan", "GAN")
        with gr.Column(scale=3, min_width=280):
            g_gallery = gr.Image(first[0], label=W("GAN_GALLERY"), format="png", interactive=False, elem_classes="figure")
            g_text = gr.Markdown(W.pin("GAN_FIRST", first.part(1)))
    g_btn.click(gan, g_seed, [g_gallery, g_text], api_name="tour_gan")
    _more("GAN")

    gr.Markdown(W("AUTOENCODER"))
    first = first_results.each_language(lambda: autoencoder(7))
    with gr.Row():
        with gr.Column(scale=1, min_width=200):
            a_index = gr.Slider(0, autoencoder_tab.N_DIGITS - 1, value=7, step=1, label=W("TEST_DIGIT"))
            _goto("autoencoder", "Autoencoder vs VAE")
        with gr.Column(scale=3, min_width=280):
            a_pair = gr.Image(first[0], label=W("AE_PAIR"), height=200, **img)
            a_text = gr.Markdown(W.pin("AE_FIRST", first.part(1)))
    a_index.change(autoencoder, a_index, [a_pair, a_text], api_name="tour_autoencoder", trigger_mode="always_last",
                   show_progress="minimal")
    _more("AUTOENCODER")

    gr.Markdown(W("VAE"))
    with gr.Row():
        maps = [gr.Plot(figure, label=W(name), min_width=280)
                for figure, name in zip(autoencoder_tab.both_maps({n: {"z": VAE_POINT} for n in L.MODELS}), ("MAP_AE", "MAP_VAE"))]
    for k, m in enumerate(maps):
        first_results.on_load_in_language(m, lambda k=k: autoencoder_tab.map_figure(L.MODELS[k], {"z": VAE_POINT}))
    first = first_results.each_language(lambda: vae(*VAE_POINT))
    with gr.Row():
        with gr.Column(scale=1, min_width=200):
            v_z1 = gr.Slider(-VAE_RANGE, VAE_RANGE, value=VAE_POINT[0], step=0.1, label="z1")
            v_z2 = gr.Slider(-VAE_RANGE, VAE_RANGE, value=VAE_POINT[1], step=0.1, label="z2")
            _goto("autoencoder", "Autoencoder vs VAE")
        with gr.Column(scale=3, min_width=280):
            with gr.Row():
                v_ae = gr.Image(first[0], label=W("AE_DECODES"), height=200, **img)
                v_vae = gr.Image(first[1], label=W("VAE_DECODES"), height=200, **img)
            v_text = gr.Markdown(W.pin("VAE_FIRST", first.part(2)))
    v_event = dict(fn=vae, inputs=[v_z1, v_z2], outputs=[v_ae, v_vae, v_text], trigger_mode="always_last",
                   show_progress="minimal")
    v_z1.change(api_name="tour_vae", **v_event)
    v_z2.change(api_visibility="private", **v_event)
    for z in (v_z1, v_z2):  # the star follows when a slider is let go (the maps are heavier than two digits)
        z.release(autoencoder_tab.mark_point, [v_z1, v_z2], maps, api_visibility="private", show_progress="hidden")
    _more("VAE")

    gr.Markdown(W("FORWARD"))
    first = first_results.each_language(lambda: forward(0.3))
    with gr.Row():
        with gr.Column(scale=1, min_width=200):
            f_t = gr.Slider(0, 1, value=0.3, step=0.01, label=W("T_SLIDER"))
            _goto("forward", "Diffusion: forward")
        with gr.Column(scale=3, min_width=280):
            with gr.Row():
                f_img = gr.Image(first[0], label="x_t", height=240, **img)
                f_hist = gr.Plot(first[1], label=W("PIXEL_HISTOGRAM"))
            f_text = gr.Markdown(W.pin("FORWARD_FIRST", first.part(2)))
    first_results.on_load_in_language(f_hist, first.part(1))
    f_t.change(forward, f_t, [f_img, f_hist, f_text], api_name="tour_forward", trigger_mode="always_last",
               show_progress="minimal")
    _more("FORWARD")

    _prompted_demo("REVERSE", reverse_tab.available(), "3", W.pin("DENOISE_NOW", lambda: W.text("DENOISE", n=REVERSE_BATCH)),
                   "reverse", "Diffusion: reverse", reverse, "tour_reverse", prompts, img)
    _prompted_demo("FLOW", flow_tab.available(), "5",
                   W.pin("FLOW_DRAW_NOW", lambda: W.text("FLOW_DRAW", n=REVERSE_BATCH, steps=FLOW_STEPS)),
                   "flow", "Flow matching", flow, "tour_flow", prompts, img)
    gr.Markdown(W("OUTRO"))


def _prompted_demo(key, available, first_prompt, button_label, slug, tab_label, fn, api_name, prompts, img):
    """A tour step whose demo draws digits for a prompt and a seed (reverse diffusion, flow), or the note that
    its weights are missing (text keys KEY and KEY_MISSING)."""
    gr.Markdown(W(key))
    if not available:
        gr.Markdown(W(f"{key}_MISSING"))
        return
    with gr.Row():
        with gr.Column(scale=1, min_width=200):
            prompt = gr.Dropdown(prompts, value=first_prompt, label=W("PROMPT"))
            seed = seed_box(W("SEED"), 0)
            button = gr.Button(button_label, variant="primary")
            _goto(slug, tab_label)
        with gr.Column(scale=3, min_width=280):
            first = first_results.each_language(lambda: fn(first_prompt, 0))  # a short run (~0.3 s), once per language
            picture = gr.Image(first[0], label=W("SNAPSHOTS_IMAGE"), **img)
            text = gr.Markdown(W.pin(f"{key}_FIRST", first.part(1)))
    button.click(fn, [prompt, seed], [picture, text], api_name=api_name)
    _more(key)


def _more(key: str) -> None:
    """The rest of a step's words, folded under its demo: the first screen keeps the idea and the picture."""
    if hasattr(T, f"{key}_MORE"):
        with gr.Accordion(W("MORE"), open=False):
            gr.Markdown(W(f"{key}_MORE"))
