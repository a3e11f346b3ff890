"""Forward diffusion tab: a picture dissolving into N(0, 1) under three schedules, live."""
from __future__ import annotations

import math

import gradio as gr
import numpy as np

from explainer.draw import forward_frames
from explainer.lessons import forward as ft
from explainer.draw import plots
from explainer.data.bundled import bundled_sample
from explainer.data.pixels import to_uint8
from explainer.maths.diffusion import KINDS, normal_pdf
from explainer.draw.images import grid, upscale
from explainer.ui.words.en import forward as T
from explainer.ui.words.ru import forward as forward_ru
from explainer.ui import i18n
from explainer.ui import first_results
from explainer.ui.serving import cached, light
from explainer.ui.widgets import download_button, intro, seed_box
from explainer.ui.validation import as_choice, as_float, as_int, as_seed, friendly
from explainer.ui.files import temp_file
from explainer.draw.figures import captioned_grid

W = i18n.Words("forward", T, forward_ru)

GIF_FRAMES = 50
DISPLAY_SIDE = 224
FIRST = {"digit": 7, "t": 0.3}  # what the tab shows before anyone touches it
# Deep links (ui/links.py): ?tab=forward&digit=3&schedule=cosine&t=0.5 sets these (their change events redraw).
LINK_CONTROLS: dict = {}


def _inputs(upload, digit, kind, seed):
    digit = as_int(digit, "Digit number", 0, len(bundled_sample().images) - 1)
    return ft.picture(upload, digit), as_choice(kind, "Schedule", list(KINDS)), as_seed(seed)


def _show(x: np.ndarray) -> np.ndarray:
    """uint8 for display; small pictures (digits) enlarged by whole pixels so they are not thumbnails."""
    img = to_uint8(x)
    return upscale(img, max(1, DISPLAY_SIDE // max(img.shape[:2])))


def _stats_line(st: ft.PixelStats) -> str:
    return W.text("STATS", mean=st.mean, std=st.std, w1=st.w1)


@cached
@light
@friendly
def show_picture(upload, digit):
    x0, _, _ = _inputs(upload, digit, KINDS[0], 0)
    return _show(x0)


@cached
@light
@friendly
def step(upload, digit, kind, t, seed):
    x0, kind, seed = _inputs(upload, digit, kind, seed)
    v = ft.view(x0, kind, as_float(t, "t", 0.0, 1.0), seed)
    s = ft.schedule(kind)
    hist = plots.pixel_histogram(v.centers, v.density, normal_pdf(v.centers), W.text("HIST_TITLE", t=v.t))
    c = ft.curves(kind)
    curves = plots.noise_schedule(c["t"], c["signal"], c["noise"], c["log_snr"], v.t, s.label)
    snr = "∞" if v.noise == 0 else "−∞" if v.signal == 0 else f"{2 * math.log(v.signal / v.noise):+.2f}"
    verdict = W.text("VERDICT_PICTURE" if v.k == 0 else "VERDICT_NORMAL" if v.stats.w1 < 0.05 else
                     "VERDICT_CLOSE" if v.stats.w1 < 0.15 else "VERDICT_FAR")
    info = W.text("STEP_INFO", t=v.t, k=v.k, T=s.T, signal=v.signal, noise=v.noise, snr=snr,
                  stats=_stats_line(v.stats), verdict=verdict)
    return _show(v.x_t), hist, curves, info


@cached(files=True)
@friendly
def play(upload, digit, kind, seed):
    x0, kind, seed = _inputs(upload, digit, kind, seed)
    frames = ft.sweep(x0, kind, seed, GIF_FRAMES)
    gif = temp_file(forward_frames.animation_gif(frames, W.text(f"GIF_{kind.upper()}"), caption=W.text("GIF_CAPTION")),
                    ".gif", name=f"forward-diffusion-{kind}")
    return gif, gif


@cached
@friendly
def compare(upload, digit, kind, t, seed):
    x0, kind, seed = _inputs(upload, digit, kind, seed)
    c = ft.compare(x0, kind, as_float(t, "t", 0.0, 1.0), seed)
    rows = [W.text("COMPARE_HEADER", k=c.k), "|---|---|---|---|"]
    for name, one, many, want in (("ROW_KEPT", c.one_shot.signal_fit, c.step_by_step.signal_fit, c.signal),
                                  ("ROW_NOISE", c.one_shot.noise_fit, c.step_by_step.noise_fit, c.noise),
                                  ("ROW_MEAN", c.one_shot.stats.mean, c.step_by_step.stats.mean, None),
                                  ("ROW_STD", c.one_shot.stats.std, c.step_by_step.stats.std, None),
                                  ("ROW_W1", c.one_shot.stats.w1, c.step_by_step.stats.w1, None)):
        rows.append(f"| {W.text(name)} | {one:.3f} | {many:.3f} | {'' if want is None else f'{want:.3f}'} |")
    info = W.text("COMPARE_INFO", t=c.t) + "\n\n" + "\n".join(rows)
    return _show(c.one_shot.x_t), _show(c.step_by_step.x_t), info


@cached
@friendly
def batch(kind, seed, size):
    b = ft.training_batch(as_choice(kind, "Schedule", list(KINDS)), as_seed(seed), as_int(size, "Batch size", 1, ft.MAX_BATCH))
    trios = np.stack([grid(np.stack([to_uint8(b.x0[i]), to_uint8(b.x_t[i]), to_uint8(b.target[i])]), cols=3, pad=2,
                           pad_value=128) for i in range(len(b.k))])
    captions = [(W.text("BATCH_CAPTION", label=b.labels[i], k=b.k[i], t=b.t[i]),) for i in range(len(b.k))]
    info = W.text("BATCH_INFO", target=b.target_name)
    return captioned_grid(trios, captions, cols=min(4, len(trios)), scale=2), info


KIND_NAMES = {"linear": "KIND_LINEAR", "cosine": "KIND_COSINE", "flow": "KIND_FLOW"}


def build() -> None:
    intro(W, formulas=True)

    gr.Markdown(W("S1_TITLE"))
    first_x0 = show_picture(None, FIRST["digit"])
    first = first_results.each_language(lambda: step(None, FIRST["digit"], "linear", FIRST["t"], 0))
    kinds = W.choices({k: KIND_NAMES[k] for k in KINDS})
    with gr.Row():
        with gr.Column(scale=1, min_width=240):  # the slider first: it is the whole demo
            t = gr.Slider(0, 1, value=FIRST["t"], step=0.001, label=W("T_SLIDER"))
            digit = gr.Slider(0, len(bundled_sample().images) - 1, value=FIRST["digit"], step=1, label=W("DIGIT"))
            kind = gr.Radio(kinds, value="linear", label=W("SCHEDULE"))
            seed = seed_box(W("NOISE_SEED"), 0)
            upload = gr.File(label=W("UPLOAD"), file_types=["image"], type="filepath", height=90)
        with gr.Column(scale=2, elem_classes="demo-picture"):
            with gr.Row():
                x0_img = gr.Image(first_x0, label=W("X0_IMAGE"), format="png", elem_classes="pixelated",
                                  interactive=False, height=230)
                xt_img = gr.Image(first[0], label=W("XT_IMAGE"), format="png", elem_classes="pixelated",
                                  interactive=False, height=230)
            info = gr.Markdown(W.pin("STEP_FIRST", first.part(3)))
    with gr.Row():
        curves = gr.Plot(first[2], label=W("CURVES"))
        hist = gr.Plot(first[1], label=W("PIXEL_HISTOGRAM"))
    for k, plot in ((2, curves), (1, hist)):
        first_results.on_load_in_language(plot, first.part(k))
    gr.Markdown(W("HISTOGRAM_HELP"))
    gr.Markdown(W("SCHEDULE_HELP"))

    view_inputs, view_outputs = [upload, digit, kind, t, seed], [xt_img, hist, curves, info]
    t.change(step, view_inputs, view_outputs, api_name="forward_step", trigger_mode="always_last", show_progress="hidden")
    for source in (upload, digit):
        source.change(show_picture, [upload, digit], x0_img, api_visibility="private", show_progress="hidden").then(
            step, view_inputs, view_outputs, api_visibility="private", show_progress="hidden")
    for control in (kind, seed):
        control.change(step, view_inputs, view_outputs, api_visibility="private", trigger_mode="always_last",
                       show_progress="hidden")

    gr.Markdown(W("S2_TITLE"))
    gr.Markdown(W("PLAY_HELP"))
    with gr.Row():
        play_btn = gr.Button(W("PLAY"), variant="primary")
    first_gif = first_results.each_language(lambda: play(None, FIRST["digit"], "linear", 0))
    with gr.Row():
        gif_view = gr.Image(first_gif[0], label=W("GIF_VIEW"), type="filepath", interactive=False, elem_classes="pixelated")
    gif_file = download_button(W("GIF_FILE"), first_gif[1])
    for k, shown in enumerate((gif_view, gif_file)):  # the GIF's histogram words are drawn in
        first_results.on_load_in_language(shown, first_gif.part(k))
    play_btn.click(play, [upload, digit, kind, seed], [gif_view, gif_file], api_name="forward_gif")

    gr.Markdown(W("S3_TITLE"))
    gr.Markdown(W("COMPARE_HELP"))
    with gr.Row():
        t_cmp = gr.Slider(0, 1, value=0.5, step=0.001, label="t")
        cmp_btn = gr.Button(W("NOISE_BOTH"), variant="primary")
    first_cmp = first_results.each_language(lambda: compare(None, FIRST["digit"], "linear", 0.5, 0))
    with gr.Row():
        one_img = gr.Image(first_cmp[0], label=W("ONE_JUMP"), format="png", elem_classes="pixelated", interactive=False,
                           height=240)
        many_img = gr.Image(first_cmp[1], label=W("STEP_BY_STEP"), format="png", elem_classes="pixelated",
                            interactive=False, height=240)
    cmp_info = gr.Markdown(W.pin("COMPARE_FIRST", first_cmp.part(2)))
    cmp_btn.click(compare, [upload, digit, kind, t_cmp, seed], [one_img, many_img, cmp_info], api_name="forward_compare")

    gr.Markdown(W("S4_TITLE"))
    gr.Markdown(W("BATCH_HELP"))
    with gr.Row():
        b_seed = seed_box(W("BATCH_SEED"), 0)
        b_size = gr.Slider(1, ft.MAX_BATCH, value=8, step=1, label=W("BATCH_SIZE"))
        b_btn = gr.Button(W("DRAW_BATCH"), variant="primary")
    first_batch = first_results.each_language(lambda: batch("linear", 0, 8))
    b_gallery = gr.Image(first_batch[0], label=W("BATCH_GALLERY"), format="png", interactive=False, elem_classes="figure")
    first_results.on_load_in_language(b_gallery, first_batch.part(0))  # its captions are drawn in
    b_info = gr.Markdown(W.pin("BATCH_FIRST", first_batch.part(1)))
    b_btn.click(batch, [kind, b_seed, b_size], [b_gallery, b_info], api_name="forward_batch")

    LINK_CONTROLS.update(digit=digit, schedule=kind, t=t, seed=seed, t_compare=t_cmp)

