"""Forward diffusion tab: a picture dissolving into N(0, 1) under three schedules, live."""
from __future__ import annotations

import math
import numbers

import gradio as gr
import numpy as np

from .. import forward_frames, forward_tools as ft, plots
from ..data import bundled_sample
from ..diffusion import KIND_LABELS, KINDS
from ..media import grid, upscale
from . import texts_forward as T
from .common import LATEX, as_choice, as_int, as_seed, friendly, seed_box
from .files import temp_file

GIF_FRAMES = 50
DISPLAY_SIDE = 224
FIRST = {"digit": 7, "t": 0.3}  # what the tab shows before anyone touches it
# Deep links (ui/links.py): ?tab=forward&digit=3&schedule=cosine&t=0.5 sets these (their change events redraw).
LINK_CONTROLS: dict = {}


def as_float(value, name: str, lo: float, hi: float) -> float:
    """A finite number in [lo, hi] from a widget or API value; ValueError with a plain message otherwise."""
    message = f"{name} must be a number between {lo:g} and {hi:g}"
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, str)):
        raise ValueError(message + ".")
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{message}, got {str(value)[:40]!r}.") from None
    if not math.isfinite(number) or not lo <= number <= hi:
        raise ValueError(f"{message}, got {str(value)[:40]}.")
    return number


def _inputs(upload, digit, kind, seed):
    digit = as_int(digit, "Digit number", 0, len(bundled_sample().images) - 1)
    return ft.picture(upload, digit), as_choice(kind, "Schedule", list(KINDS)), as_seed(seed)


def _show(x: np.ndarray) -> np.ndarray:
    """uint8 for display; small pictures (digits) enlarged by whole pixels so they are not thumbnails."""
    img = ft.to_display(x)
    return upscale(img, max(1, DISPLAY_SIDE // max(img.shape[:2])))


def _stats_line(st: ft.PixelStats) -> str:
    return f"mean {st.mean:+.3f} · std {st.std:.3f} · distance to N(0, 1) W₁ = {st.w1:.3f}"


@friendly
def show_picture(upload, digit):
    x0, _, _ = _inputs(upload, digit, KINDS[0], 0)
    return _show(x0)


@friendly
def step(upload, digit, kind, t, seed):
    x0, kind, seed = _inputs(upload, digit, kind, seed)
    v = ft.view(x0, kind, as_float(t, "t", 0.0, 1.0), seed)
    s = ft.schedule(kind)
    hist = plots.pixel_histogram(v.centers, v.density, ft.normal_pdf(v.centers), f"Pixel values of x_t at t = {v.t:.3f}")
    c = ft.curves(kind)
    curves = plots.noise_schedule(c["t"], c["signal"], c["noise"], c["log_snr"], v.t, s.label)
    snr = "∞" if v.noise == 0 else "−∞" if v.signal == 0 else f"{2 * math.log(v.signal / v.noise):+.2f}"
    verdict = ("the picture itself" if v.k == 0 else "by eye, a sample of N(0, 1)" if v.stats.w1 < 0.05 else
               "close to N(0, 1)" if v.stats.w1 < 0.15 else "still far from N(0, 1)")
    info = (f"**t = {v.t:.3f}** (step {v.k} of {s.T}) · signal a_t = {v.signal:.3f} · noise s_t = {v.noise:.3f} · "
            f"log-SNR {snr}  \nPixels of x_t: {_stats_line(v.stats)}: **{verdict}**.")
    return _show(v.x_t), hist, curves, info


@friendly
def play(upload, digit, kind, seed):
    x0, kind, seed = _inputs(upload, digit, kind, seed)
    gif = temp_file(forward_frames.animation_gif(ft.sweep(x0, kind, seed, GIF_FRAMES), kind), ".gif")
    return gif, gif


@friendly
def compare(upload, digit, kind, t, seed):
    x0, kind, seed = _inputs(upload, digit, kind, seed)
    c = ft.compare(x0, kind, as_float(t, "t", 0.0, 1.0), seed)
    rows = [f"| | one jump | {c.k} small steps | expected |", "|---|---|---|---|"]
    for name, one, many, want in (("share of x₀ kept (fit of c)", c.one_shot.signal_fit, c.step_by_step.signal_fit, c.signal),
                                  ("noise around it (std)", c.one_shot.noise_fit, c.step_by_step.noise_fit, c.noise),
                                  ("pixel mean", c.one_shot.stats.mean, c.step_by_step.stats.mean, None),
                                  ("pixel std", c.one_shot.stats.std, c.step_by_step.stats.std, None),
                                  ("W₁ to N(0, 1)", c.one_shot.stats.w1, c.step_by_step.stats.w1, None)):
        rows.append(f"| {name} | {one:.3f} | {many:.3f} | {'' if want is None else f'{want:.3f}'} |")
    info = f"**t = {c.t:.3f}**: same distribution, different random numbers.\n\n" + "\n".join(rows)
    return _show(c.one_shot.x_t), _show(c.step_by_step.x_t), info


@friendly
def batch(kind, seed, size):
    b = ft.training_batch(as_choice(kind, "Schedule", list(KINDS)), as_seed(seed), as_int(size, "Batch size", 1, ft.MAX_BATCH))
    items = []
    for i in range(len(b.k)):
        trio = np.stack([ft.to_display(b.x0[i]), ft.to_display(b.x_t[i]), ft.to_display(b.target[i])])
        items.append((upscale(grid(trio, cols=3, pad=2, pad_value=128), 4),
                      f"digit {b.labels[i]} · step k = {b.k[i]} (t = {b.t[i]:.2f})"))
    info = f"Each card: clean digit x₀ · noisy input x_t · what the network must predict: the **{b.target_name}**."
    return items, info


def build() -> None:
    gr.Markdown(T.INTRO)
    with gr.Accordion("The forward process, in formulas", open=False, elem_classes="advanced"):
        gr.Markdown(T.FORMULAS, latex_delimiters=LATEX)

    gr.Markdown("## 1. A picture, a schedule, and t")
    first_x0, first = show_picture(None, FIRST["digit"]), step(None, FIRST["digit"], "linear", FIRST["t"], 0)
    kinds = [(KIND_LABELS[k], k) for k in KINDS]
    with gr.Row():
        with gr.Column(scale=1, min_width=240):
            digit = gr.Slider(0, len(bundled_sample().images) - 1, value=FIRST["digit"], step=1, label="Bundled MNIST digit (number)")
            upload = gr.File(label="…or upload any picture (it replaces the digit)", file_types=["image"], type="filepath")
            kind = gr.Radio(kinds, value="linear", label="Schedule")
            seed = seed_box("Noise seed", 0)
        with gr.Column(scale=2):
            curves = gr.Plot(first[2], label="Signal, noise and log-SNR")
    t = gr.Slider(0, 1, value=FIRST["t"], step=0.001, label="t: drag from the picture (0) to pure noise (1)")
    with gr.Row():
        x0_img = gr.Image(first_x0, label="x₀: the picture", format="png", elem_classes="pixelated", interactive=False, height=260)
        xt_img = gr.Image(first[0], label="x_t: the noisy picture", format="png", elem_classes="pixelated", interactive=False, height=260)
        hist = gr.Plot(first[1], label="Pixel histogram")
    info = gr.Markdown(first[3])
    gr.Markdown(T.HISTOGRAM_HELP)
    gr.Markdown(T.SCHEDULE_HELP)

    view_inputs, view_outputs = [upload, digit, kind, t, seed], [xt_img, hist, curves, info]
    t.change(step, view_inputs, view_outputs, api_name="forward_step", trigger_mode="always_last", show_progress="hidden")
    for source in (upload, digit):
        source.change(show_picture, [upload, digit], x0_img, api_visibility="private", show_progress="hidden").then(
            step, view_inputs, view_outputs, api_visibility="private", show_progress="hidden")
    for control in (kind, seed):
        control.change(step, view_inputs, view_outputs, api_visibility="private", trigger_mode="always_last",
                       show_progress="hidden")

    gr.Markdown("## 2. Play it")
    gr.Markdown(T.PLAY_HELP)
    with gr.Row():
        play_btn = gr.Button("▶ Play (50 frames)", variant="primary")
    with gr.Row():
        gif_view = gr.Image(label="The forward process", type="filepath", interactive=False, elem_classes="pixelated")
        gif_file = gr.File(label="Download GIF")
    play_btn.click(play, [upload, digit, kind, seed], [gif_view, gif_file], api_name="forward_gif")

    gr.Markdown("## 3. One jump or many small steps?")
    gr.Markdown(T.COMPARE_HELP)
    with gr.Row():
        t_cmp = gr.Slider(0, 1, value=0.5, step=0.001, label="t")
        cmp_btn = gr.Button("Noise it both ways", variant="primary")
    with gr.Row():
        one_img = gr.Image(label="One jump (closed form)", format="png", elem_classes="pixelated", interactive=False, height=240)
        many_img = gr.Image(label="Step by step (t·1000 small steps)", format="png", elem_classes="pixelated",
                            interactive=False, height=240)
    cmp_info = gr.Markdown()
    cmp_btn.click(compare, [upload, digit, kind, t_cmp, seed], [one_img, many_img, cmp_info], api_name="forward_compare")

    gr.Markdown("## 4. A training batch")
    gr.Markdown(T.BATCH_HELP)
    with gr.Row():
        b_seed = seed_box("Batch seed", 0)
        b_size = gr.Slider(1, ft.MAX_BATCH, value=8, step=1, label="Batch size")
        b_btn = gr.Button("Draw a batch", variant="primary")
    b_gallery = gr.Gallery(label="x₀ · x_t · target", columns=4, height="auto", format="png", object_fit="contain",
                           elem_classes="pixelated")
    b_info = gr.Markdown()
    b_btn.click(batch, [kind, b_seed, b_size], [b_gallery, b_info], api_name="forward_batch")

    LINK_CONTROLS.update(digit=digit, schedule=kind, t=t, seed=seed, t_compare=t_cmp)

