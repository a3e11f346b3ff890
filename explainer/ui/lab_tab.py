"""2-D lab tab: pick or draw a 2-D dataset, train a DDPM, a flow and a GAN live, watch particles, fields and modes."""
from __future__ import annotations

import numpy as np
import gradio as gr

from .. import lab_tools as L
from .. import toy_plots as P
from ..media import gif_bytes
from ..ode import METHODS
from ..toy2d import LABELS as DATA_LABELS
from ..toy2d import NAMES
from ..toy_sample import MAX_STEPS
from ..toy_train import LABELS as MODEL_LABELS
from . import texts_lab as T
from .common import LATEX, as_choice, as_float, as_int, as_seed, friendly, seed_box
from .files import temp_file

DATASETS = [DATA_LABELS[n] for n in NAMES]
TRAINABLE = [MODEL_LABELS[k] for k in ("ddpm", "flow", "gan")]
FIELDS = {"DDPM score": "ddpm", "flow velocity": "flow", "reflowed velocity": "reflow"}
SAMPLER_LABELS = {"DDPM ancestral (noisy steps)": "ancestral", "DDIM (deterministic)": "ddim"}
SOLVERS = [m.title() for m in METHODS]


def _toy(dataset, seed, points):
    label = as_choice(dataset, "Dataset", DATASETS)
    return L.dataset(NAMES[DATASETS.index(label)], as_seed(seed), points)


def _bar(progress):
    return lambda f, text: progress(f, desc=text)


def _timing(r) -> str:
    tr = r.trained
    how = "from the cache (trained earlier" if r.from_cache else "trained just now"
    return f"{how} in {tr.seconds:.1f} s, {tr.loss_steps[-1]:,} steps on the CPU{')' if r.from_cache else ''}"


def _coverage_text(cov) -> str:
    if cov is None:
        return "This dataset has no countable modes: read the nearest-sample distance to see whether parts are missing."
    return f"**Modes covered: {cov.hit} of {cov.modes}**; {cov.off} of {sum(cov.counts) + cov.off} samples fall in no mode."


@friendly
def show_data(dataset, seed, points):
    toy = _toy(dataset, seed, points)
    fig = P.cloud(toy.points, title=f"{toy.label}: {len(toy.points):,} points")
    return fig, f"**{toy.label}**, seed {as_seed(seed)}: {len(toy.points):,} points."


@friendly
def use_drawing(sketch, seed):
    """The drawing's ink becomes the points text that every other request carries (and, in the page, the chosen
    dataset: set only after success, so that an error's overlay never hides the dataset list)."""
    text = L.drawing_points(sketch, as_seed(seed))
    return text, *show_data(DATA_LABELS["drawing"], seed, text)


@friendly
def train(dataset, seed, points, model, progress=gr.Progress()):
    kind = {v: k for k, v in MODEL_LABELS.items()}[as_choice(model, "Model", TRAINABLE)]
    toy = _toy(dataset, seed, points)
    r = L.train(kind, toy, as_seed(seed), _bar(progress))
    name = MODEL_LABELS[kind]
    fig = P.cloud(toy.points, r.samples, f"{name}: {len(r.samples):,} samples over the data", P.COLORS[kind], name)
    tr = r.trained
    losses = P.losses(tr.loss_steps, {k.replace("_", " "): v for k, v in tr.losses.items()}, f"{name}: training loss")
    text = f"**{name}**, {_timing(r)}. {r.fit.text()}."
    if kind == "gan":
        text += " " + _coverage_text(r.coverage)
    return fig, losses, text


def _paths_text(reports) -> str:
    rows = ["| model | sampler | straightness | evaluations / particle | energy distance |", "| --- | --- | ---: | ---: | ---: |"]
    rows += [f"| {MODEL_LABELS[r.kind]} | {r.how} | {r.straightness:.2f} | {r.paths.nfe} | {r.fit.energy:.3f} |"
             for r in reports]
    return "\n".join(rows)


def _gif(data, reports, fps: float = 12.0) -> str:
    """Side-by-side panels of the particles, one per report, frames aligned in t."""
    panels = [P.particle_frames(data, [(r.paths.states, P.COLORS[r.kind], f"{MODEL_LABELS[r.kind]}, {r.how}")])
              for r in reports]
    gap = np.zeros((panels[0][0].shape[0], 6), np.uint8)  # colour 0: white
    frames = [np.hstack([p[min(i, len(p) - 1)] if j == 0 else np.hstack([gap, p[min(i, len(p) - 1)]])
                         for j, p in enumerate(panels)]) for i in range(max(len(p) for p in panels))]
    return temp_file(gif_bytes(frames + [frames[-1]] * 8, fps=fps, palette=P.PALETTE), ".gif")  # pause on the samples


@friendly
def paths(dataset, seed, points, steps, sampler, solver, particles, progress=gr.Progress()):
    toy = _toy(dataset, seed, points)
    steps = as_int(steps, "Steps", 1, MAX_STEPS)
    n = as_int(particles, "Particles", 1, L.MAX_PARTICLES)
    ddpm_sampler = SAMPLER_LABELS[as_choice(sampler, "DDPM sampler", list(SAMPLER_LABELS))]
    method = as_choice(solver, "Flow solver", SOLVERS).lower()
    d, f = L.compare_paths(toy, as_seed(seed), steps, ddpm_sampler, method, n, _bar(progress))
    figs = [P.paths(toy.points, r.paths.states, f"{MODEL_LABELS[r.kind]}: straightness {r.straightness:.2f}",
                    P.COLORS[r.kind]) for r in (d, f)]
    return *figs, _gif(toy.points, [d, f]), _paths_text([d, f])


@friendly
def reflow(dataset, seed, points, steps, progress=gr.Progress()):
    toy = _toy(dataset, seed, points)
    f, r = L.compare_reflow(toy, as_seed(seed), as_int(steps, "Steps", 1, MAX_STEPS), 300, _bar(progress))
    figs = [P.paths(toy.points, x.paths.states, f"{MODEL_LABELS[x.kind]}: straightness {x.straightness:.2f}",
                    P.COLORS[x.kind]) for x in (f, r)]
    verdict = ("reflow's samples are closer to the data" if r.fit.energy < f.fit.energy
               else "the first flow's samples are as close or closer to the data")
    return *figs, _paths_text([f, r]) + f"\n\nAt this step count {verdict}."


@friendly
def field(dataset, seed, points, which, t, progress=gr.Progress()):
    toy = _toy(dataset, seed, points)
    kind = FIELDS[as_choice(which, "Field", list(FIELDS))]
    t = as_float(t, "t", 0.0, 1.0)
    r = L.field(kind, toy, as_seed(seed), t, _bar(progress))
    fig = P.arrows(toy.points, r.points, r.vectors, f"{which} at t = {t:.2f}", P.COLORS[kind])
    fig.add_scatter(x=r.particles[:, 0].tolist(), y=r.particles[:, 1].tolist(), mode="markers",
                    name=f"particles at t ≈ {t:.2f}", marker=dict(size=4, color=P.COLORS["noise"]), hoverinfo="skip")
    mag = r.vectors.norm(dim=1)
    return fig, f"Arrow lengths on the grid: median {float(mag.median()):.2f}, largest {float(mag.max()):.2f}."


@friendly
def gan(dataset, seed, points, progress=gr.Progress()):
    toy = _toy(dataset, seed, points)
    r = L.train("gan", toy, as_seed(seed), _bar(progress))
    fig = P.cloud(toy.points, r.samples, f"GAN: {len(r.samples):,} samples over the data", P.COLORS["gan"], "GAN")
    cov = None if r.coverage is None else P.coverage(r.coverage.counts, r.coverage.off, "GAN samples per mode")
    tr = r.trained
    frames = [P.particle_frames(toy.points, [(s[None], P.COLORS["gan"], f"GAN, training step {k:,}")])[0]
              for s, k in zip(tr.snapshots, tr.snapshot_steps)]
    gif = temp_file(gif_bytes(frames + [frames[-1]] * 4, fps=4, palette=P.PALETTE), ".gif")
    return fig, cov, gif, f"{_coverage_text(r.coverage)} {r.fit.text()}. GAN {_timing(r)}."


def build() -> None:
    gr.Markdown(T.INTRO)
    with gr.Accordion("The three losses, in formulas", open=False):
        gr.Markdown(T.FORMULAS, latex_delimiters=LATEX)

    gr.Markdown("## 1. The data\n" + T.DATA_HELP)
    with gr.Row():
        with gr.Column(scale=1, min_width=260):
            dataset = gr.Radio(DATASETS, value=DATA_LABELS["ring"], label="Dataset")
            seed = seed_box("Seed", 0)
            show = gr.Button("Show the data")
        with gr.Column(scale=1):
            sketch = gr.Sketchpad(label="Draw your own data", type="numpy", canvas_size=(300, 300),
                                  brush=gr.Brush(default_size=6, colors=["#000000"], color_mode="fixed"))
            use = gr.Button("Use my drawing")
        with gr.Column(scale=2):
            data_plot, data_text = gr.Plot(label="Data"), gr.Markdown()
    with gr.Accordion("Points of 'your drawing' (x, y per line; edit or paste your own)", open=False):
        points = gr.Textbox(show_label=False, lines=6, max_lines=12, placeholder="0.5, -1.2")
    data_in = [dataset, seed, points]
    show.click(show_data, data_in, [data_plot, data_text], api_name="lab_data")
    use.click(use_drawing, [sketch, seed], [points, data_plot, data_text], api_name="lab_drawing").success(
        lambda: DATA_LABELS["drawing"], None, dataset, api_visibility="private", show_progress="hidden")

    gr.Markdown("## 2. Train a model\n" + T.TRAIN_HELP)
    with gr.Row():
        model = gr.Radio(TRAINABLE, value=TRAINABLE[1], label="Model")
        train_btn = gr.Button("Train (a few seconds)", variant="primary")
    with gr.Row():
        train_plot, loss_plot = gr.Plot(label="Samples over the data"), gr.Plot(label="Loss")
    train_text = gr.Markdown()
    train_btn.click(train, data_in + [model], [train_plot, loss_plot, train_text], api_name="lab_train")

    gr.Markdown("## 3. From noise to data: curved or straight?\n" + T.PATHS_HELP)
    with gr.Row():
        steps = gr.Slider(1, MAX_STEPS, value=50, step=1, label="Steps")
        sampler = gr.Radio(list(SAMPLER_LABELS), value=list(SAMPLER_LABELS)[0], label="DDPM sampler")
        solver = gr.Radio(SOLVERS, value=SOLVERS[0], label="Flow solver")
        particles = gr.Slider(10, L.MAX_PARTICLES, value=300, step=10, label="Particles")
    paths_btn = gr.Button("Send the particles", variant="primary")
    with gr.Row():
        ddpm_plot, flow_plot = gr.Plot(label="DDPM paths"), gr.Plot(label="Flow paths")
    with gr.Row():
        paths_gif = gr.Image(label="Particles moving (both from the same noise)", type="filepath", interactive=False)
        paths_text = gr.Markdown()
    paths_btn.click(paths, data_in + [steps, sampler, solver, particles], [ddpm_plot, flow_plot, paths_gif, paths_text],
                    api_name="lab_paths")

    gr.Markdown("## 4. Straighter still: reflow\n" + T.REFLOW_HELP)
    with gr.Row():
        reflow_steps = gr.Slider(1, 20, value=2, step=1, label="Euler steps")
        reflow_btn = gr.Button("Reflow and compare", variant="primary")
    with gr.Row():
        first_plot, reflow_plot = gr.Plot(label="First flow"), gr.Plot(label="Reflowed")
    reflow_text = gr.Markdown()
    reflow_btn.click(reflow, data_in + [reflow_steps], [first_plot, reflow_plot, reflow_text], api_name="lab_reflow")

    gr.Markdown("## 5. The field the network learned\n" + T.FIELD_HELP, latex_delimiters=LATEX)
    with gr.Row():
        with gr.Column(scale=1, min_width=260):
            which = gr.Radio(list(FIELDS), value="flow velocity", label="Field")
            t = gr.Slider(0.0, 1.0, value=0.3, step=0.05, label="t (1 = noise, 0 = data)")
            field_btn = gr.Button("Draw the arrows", variant="primary")
            field_text = gr.Markdown()
        with gr.Column(scale=2):
            field_plot = gr.Plot(label="Field")
    field_btn.click(field, data_in + [which, t], [field_plot, field_text], api_name="lab_field")
    t.release(field, data_in + [which, t], [field_plot, field_text], api_visibility="private", trigger_mode="always_last")

    gr.Markdown("## 6. The GAN and its modes\n" + T.GAN_HELP)
    gan_btn = gr.Button("Train the GAN and count its modes", variant="primary")
    with gr.Row():
        gan_plot, gan_cov = gr.Plot(label="GAN samples"), gr.Plot(label="Samples per mode")
        gan_gif = gr.Image(label="Through training", type="filepath", interactive=False)
    gan_text = gr.Markdown()
    gan_btn.click(gan, data_in, [gan_plot, gan_cov, gan_gif, gan_text], api_name="lab_gan")
