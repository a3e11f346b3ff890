"""The 2-D lab's guidance section: a class-conditional flow's conditional, unconditional and guided velocities as
three arrows per particle, with the guidance weight on a slider and the guided samples' density as contours."""
from __future__ import annotations

import gradio as gr

from explainer.draw import lab_plots as plots
from explainer.lessons.lab import guidance as G
from explainer.lessons.lab import reports as L
from explainer.lessons.lab.datasets import LABELS as DATA_LABELS
from explainer.lessons.lab.datasets import NAMES
from explainer.ui import i18n
from explainer.ui import first_results
from explainer.ui.serving import cached, playground
from explainer.ui.validation import as_choice, as_float, as_int, as_seed, friendly
from explainer.ui.words.en import lab as T
from explainer.ui.words.ru import lab as lab_ru

W = i18n.Words("lab", T, lab_ru)
DATASETS = [DATA_LABELS[n] for n in NAMES]
FIRST = dict(part=3, w=3.0, t=0.8)  # early enough that the three arrows still differ


def _words() -> dict[str, str]:
    return {"data": W.text("PLOT_DATA"), "density": W.text("PLOT_DENSITY"), "particles": W.text("PLOT_PARTICLES"),
            "cond": W.text("PLOT_COND"), "null": W.text("PLOT_NULL"), "guided": W.text("PLOT_GUIDED")}


def draw(toy, seed: int, part: int, w: float, t: float):
    v = G.view(toy, seed, part - 1, w, t)
    fig = plots.guidance_view(toy.points, v.particles, {"null": v.v_null, "cond": v.v_cond, "guided": v.v_guided},
                              v.samples, W.text("GD_TITLE_PLOT", part=part, w=w, t=t), _words())
    return fig, W.text("GD_RESULT", share=v.share_in_part, n=len(v.samples), part=part, w=w, base=v.share_unguided)


@cached
@playground
@friendly
def guidance(dataset, seed, points, part, w, t):
    """Three arrows per particle for part `part` (1-8) at guidance w and time t; the guided samples' density."""
    label = as_choice(dataset, "Dataset", DATASETS)
    seed = as_seed(seed)
    toy = L.dataset(NAMES[DATASETS.index(label)], seed, points)
    return draw(toy, seed, as_int(part, "Part", 1, 8), as_float(w, "Guidance w", 0, G.MAX_GUIDANCE),
                as_float(t, "t", 0, 1))


def build(dataset, seed, points) -> dict:
    gr.Markdown(W("GD_TITLE"))
    ring = L.dataset("ring", 0, "")
    firsts = first_results.each_language(lambda: draw(ring, 0, FIRST["part"], FIRST["w"], FIRST["t"]))
    with gr.Row():
        with gr.Column(scale=1, min_width=260):
            btn = gr.Button(W("GD_RUN"), variant="primary")
            part = gr.Slider(1, 8, value=FIRST["part"], step=1, label=W("GD_PART"))
            w = gr.Slider(0, G.MAX_GUIDANCE, value=FIRST["w"], step=0.5, label=W("GD_W"))
            t = gr.Slider(0, 1, value=FIRST["t"], step=0.05, label=W("GD_T"))
            result = gr.Markdown(W.pin("GD_RESULT_FIRST", firsts.part(1)))
            with gr.Accordion(W("GD_HOW"), open=False):
                gr.Markdown(W("GD_HELP"))
        with gr.Column(scale=2):
            plot = gr.Plot(firsts[0], label=W("GD_PLOT"))
    first_results.on_load_in_language(plot, firsts.part(0))
    inputs = [dataset, seed, points, part, w, t]
    btn.click(guidance, inputs, [plot, result], api_name="lab_guidance")
    for slider in (w, t):
        slider.release(guidance, inputs, [plot, result], api_visibility="private", trigger_mode="always_last")
    return {"gd_part": part, "gd_w": w, "gd_t": t}
