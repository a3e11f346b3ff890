"""2-D lab tab: pick or draw a 2-D dataset, train a DDPM, a flow and a GAN live, watch particles, fields and modes."""
from __future__ import annotations

import numpy as np
import gradio as gr

from explainer.lessons.lab import reports as L
from explainer.draw import lab_plots as P
from explainer.draw.images import gif_bytes
from explainer.maths.ode import METHODS
from explainer.lessons.lab.datasets import LABELS as DATA_LABELS
from explainer.lessons.lab.datasets import NAMES
from explainer.lessons.lab.sample import MAX_STEPS
from explainer.lessons.lab.train import LABELS as MODEL_LABELS
from explainer.ui.words.en import lab as T
from explainer.ui.words.ru import lab as lab_ru
from explainer.ui import i18n
from explainer.ui import first_results
from explainer.ui import lab_guidance, lab_playground
from explainer.ui.widgets import LATEX, intro, seed_box
from explainer.ui.serving import playground
from explainer.ui.validation import as_choice, as_float, as_int, as_seed, friendly
from explainer.ui.files import temp_file
from explainer.ui.picture_inputs import size_checked_sketchpad

W = i18n.Words("lab", T, lab_ru)
# Deep links (ui/links.py): ?tab=lab&dataset=two%20moons&pg_model=GAN&pg_lr=0.02 sets the dataset, seed, the
# playground's knobs and the guidance view's; LINK_RUN redraws the playground's start (training waits for Play).
# The link row sits in the playground beside the knobs it carries (LINK_ROW), not on top, where it would push
# the lab's first picture below the fold.
LINK_CONTROLS: dict = {}
LINK_ROW: list = []
LINK_RUN: dict = {}
# Choice values are the English labels (what API clients send); the page shows them translated.
DATASETS = [DATA_LABELS[n] for n in NAMES]
TRAINABLE = [MODEL_LABELS[k] for k in ("ddpm", "flow", "gan")]
FIELDS = {T.FIELD_SCORE: "ddpm", T.FIELD_FLOW: "flow", T.FIELD_REFLOW: "reflow"}
SAMPLER_LABELS = {T.SAMPLER_ANCESTRAL: "ancestral", T.SAMPLER_DDIM: "ddim"}
SOLVERS = [m.title() for m in METHODS]
FIELD_NAMES = {"FIELD_SCORE": "ddpm", "FIELD_FLOW": "flow", "FIELD_REFLOW": "reflow"}
DATASET_NAMES = {"moons": "DATA_MOONS", "ring": "DATA_RING", "spiral": "DATA_SPIRAL", "checkerboard": "DATA_BOARD",
                 "drawing": "DATA_DRAWING"}
# The domain reports kinds and numbers; these keys put them into the reader's words.
MODEL_NAMES = {"flow": "NAME_FLOW", "reflow": "NAME_REFLOW"}  # DDPM and GAN are names in every language
SAMPLER_NAMES = {"ancestral": "HOW_ANCESTRAL", "ddim": "HOW_DDIM", "euler": "SOLVER_EULER", "heun": "SOLVER_HEUN"}
PLOT_WORDS = {"data": "PLOT_DATA", "paths": "PLOT_PATHS", "noise": "PLOT_NOISE", "sample": "PLOT_SAMPLE",
              "direction": "PLOT_DIRECTION", "mode": "PLOT_MODE", "no mode": "PLOT_NO_MODE",
              "even share": "PLOT_EVEN_SHARE", "count": "PLOT_COUNT", "step": "PLOT_STEP", "loss": "PLOT_LOSS"}
LOSS_NAMES = {"loss": "PLOT_LOSS", "loss_d": "PLOT_LOSS_D", "loss_g": "PLOT_LOSS_G"}


def _toy(dataset, seed, points):
    label = as_choice(dataset, "Dataset", DATASETS)
    return L.dataset(NAMES[DATASETS.index(label)], as_seed(seed), points)


def _name(kind: str) -> str:
    return W.text(MODEL_NAMES[kind]) if kind in MODEL_NAMES else MODEL_LABELS[kind]


def _how(r: L.PathReport) -> str:
    return W.text("HOW_ONE_STEP" if r.steps == 1 else "HOW", sampler=W.text(SAMPLER_NAMES[r.sampler]), steps=r.steps)


def _fit_text(fit) -> str:
    return W.text("FIT", energy=fit.energy, to_data=fit.to_data, to_samples=fit.to_samples)


def _plot_words() -> dict[str, str]:
    return {word: W.text(name) for word, name in PLOT_WORDS.items()}


def _bar(progress):
    """lab/train.py reports (fraction, kind, step, steps); the bar shows them in the reader's words."""
    return lambda f, kind, step, steps: progress(f, desc=W.text("TRAINING", name=_name(kind), step=step, steps=steps))


def _timing(r) -> str:
    tr = r.trained
    return W.text("TIMING_CACHED" if r.from_cache else "TIMING_FRESH", s=tr.seconds, steps=tr.loss_steps[-1])


def _coverage_text(cov) -> str:
    if cov is None:
        return W.text("NO_MODES")
    return W.text("COVERAGE", hit=cov.hit, modes=cov.modes, off=cov.off, total=sum(cov.counts) + cov.off)


@friendly
def show_data(dataset, seed, points):
    toy = _toy(dataset, seed, points)
    label = W.text(DATASET_NAMES[toy.name])
    return P.cloud(toy.points, title=W.text("DATA_TITLE", label=label, n=len(toy.points)), words=_plot_words()), \
        W.text("DATA_TEXT", label=label, seed=as_seed(seed), n=len(toy.points))


@friendly
def use_drawing(sketch, seed):
    """The drawing's ink becomes the points text that every other request carries (and, in the page, the chosen
    dataset: set only after success, so that an error's overlay never hides the dataset list)."""
    text = L.drawing_points(sketch, as_seed(seed))
    return text, *show_data(DATA_LABELS["drawing"], seed, text)


@playground
@friendly
def train(dataset, seed, points, model, progress=gr.Progress()):
    kind = {v: k for k, v in MODEL_LABELS.items()}[as_choice(model, "Model", TRAINABLE)]
    toy = _toy(dataset, seed, points)
    r = L.train(kind, toy, as_seed(seed), _bar(progress))
    name, words = _name(kind), _plot_words()
    fig = P.cloud(toy.points, r.samples, W.text("SAMPLES_TITLE", name=name, n=len(r.samples)), P.COLORS[kind], name,
                  words)
    tr = r.trained
    losses = P.losses(tr.loss_steps, {W.text(LOSS_NAMES[k]): v for k, v in tr.losses.items()},
                      W.text("LOSS_TITLE", name=name), words)
    text = f"**{name}**, {_timing(r)}. {_fit_text(r.fit)}."
    if kind == "gan":
        text += " " + _coverage_text(r.coverage)
    return fig, losses, text


def _paths_text(reports) -> str:
    rows = [W.text("PATHS_HEADER"), "| --- | --- | ---: | ---: | ---: |"]
    rows += [f"| {_name(r.kind)} | {_how(r)} | {r.straightness:.2f} | {r.paths.nfe} | {r.fit.energy:.3f} |"
             for r in reports]
    return "\n".join(rows)


def _gif(data, reports, fps: float = 12.0) -> str:
    """Side-by-side panels of the particles, one per report, frames aligned in t."""
    panels = [P.particle_frames(data, [(r.paths.states, P.COLORS[r.kind], f"{_name(r.kind)}, {_how(r)}")])
              for r in reports]
    gap = np.zeros((panels[0][0].shape[0], 6), np.uint8)  # colour 0: white
    frames = [np.hstack([p[min(i, len(p) - 1)] if j == 0 else np.hstack([gap, p[min(i, len(p) - 1)]])
                         for j, p in enumerate(panels)]) for i in range(max(len(p) for p in panels))]
    return temp_file(gif_bytes(frames + [frames[-1]] * 8, fps=fps, palette=P.PALETTE), ".gif",  # pause on the samples
                     name="lab-particles-" + "-vs-".join(r.kind for r in reports))


@playground
@friendly
def paths(dataset, seed, points, steps, sampler, solver, particles, progress=gr.Progress()):
    toy = _toy(dataset, seed, points)
    steps = as_int(steps, "Steps", 1, MAX_STEPS)
    n = as_int(particles, "Particles", 1, L.MAX_PARTICLES)
    ddpm_sampler = SAMPLER_LABELS[as_choice(sampler, "DDPM sampler", list(SAMPLER_LABELS))]
    method = as_choice(solver, "Flow solver", SOLVERS).lower()
    d, f = L.compare_paths(toy, as_seed(seed), steps, ddpm_sampler, method, n, _bar(progress))
    figs = [P.paths(toy.points, r.paths.states, W.text("PATHS_TITLE", name=_name(r.kind), s=r.straightness),
                    P.COLORS[r.kind], words=_plot_words()) for r in (d, f)]
    return *figs, _gif(toy.points, [d, f]), _paths_text([d, f])


@playground
@friendly
def reflow(dataset, seed, points, steps, progress=gr.Progress()):
    toy = _toy(dataset, seed, points)
    f, r = L.compare_reflow(toy, as_seed(seed), as_int(steps, "Steps", 1, MAX_STEPS), 300, _bar(progress))
    figs = [P.paths(toy.points, x.paths.states, W.text("PATHS_TITLE", name=_name(x.kind), s=x.straightness),
                    P.COLORS[x.kind], words=_plot_words()) for x in (f, r)]
    verdict = W.text("REFLOW_BETTER" if r.fit.energy < f.fit.energy else "REFLOW_NOT_BETTER")
    return *figs, _paths_text([f, r]) + "\n\n" + W.text("REFLOW_VERDICT", verdict=verdict)


@playground
@friendly
def field(dataset, seed, points, which, t, progress=gr.Progress()):
    toy = _toy(dataset, seed, points)
    kind = FIELDS[as_choice(which, "Field", list(FIELDS))]
    t = as_float(t, "t", 0.0, 1.0)
    r = L.field(kind, toy, as_seed(seed), t, _bar(progress))
    name = W.text({v: k for k, v in FIELD_NAMES.items()}[kind])
    fig = P.arrows(toy.points, r.points, r.vectors, W.text("FIELD_TITLE", which=name, t=t), P.COLORS[kind],
                   _plot_words())
    fig.add_scatter(x=r.particles[:, 0].tolist(), y=r.particles[:, 1].tolist(), mode="markers",
                    name=W.text("FIELD_PARTICLES", t=t), marker=dict(size=4, color=P.COLORS["noise"]), hoverinfo="skip")
    mag = r.vectors.norm(dim=1)
    return fig, W.text("ARROWS_TEXT", median=float(mag.median()), largest=float(mag.max()))


@playground
@friendly
def gan(dataset, seed, points, progress=gr.Progress()):
    toy = _toy(dataset, seed, points)
    r = L.train("gan", toy, as_seed(seed), _bar(progress))
    words = _plot_words()
    fig = P.cloud(toy.points, r.samples, W.text("SAMPLES_TITLE", name="GAN", n=len(r.samples)), P.COLORS["gan"], "GAN",
                  words)
    cov = None if r.coverage is None else P.coverage(r.coverage.counts, r.coverage.off, W.text("GAN_PER_MODE"),
                                                     words=words)
    tr = r.trained
    frames = [P.particle_frames(toy.points, [(s[None], P.COLORS["gan"], W.text("GIF_GAN_STEP", step=k))])[0]
              for s, k in zip(tr.snapshots, tr.snapshot_steps)]
    gif = temp_file(gif_bytes(frames + [frames[-1]] * 4, fps=4, palette=P.PALETTE), ".gif", name="lab-gan-training")
    return fig, cov, gif, f"{_coverage_text(r.coverage)} {_fit_text(r.fit)}. GAN {_timing(r)}."


def _quiet(*args, **kwargs) -> None:
    """A progress bar for the first results computed while the page is built: nobody is waiting on it yet."""


def _first_results() -> dict[str, first_results.FirstResult]:
    """Every section's answer on the default data, in both languages (the models are trained once: the second
    language reads them from the lab's cache)."""
    data = [DATA_LABELS["ring"], 0, ""]
    return {"data": first_results.each_language(lambda: show_data(*data)),
            "train": first_results.each_language(lambda: train(*data, TRAINABLE[1], progress=_quiet)),
            "paths": first_results.each_language(lambda: paths(*data, 50, T.SAMPLER_ANCESTRAL, SOLVERS[0], 300, progress=_quiet)),
            "reflow": first_results.each_language(lambda: reflow(*data, 2, progress=_quiet)),
            "field": first_results.each_language(lambda: field(*data, T.FIELD_FLOW, 0.3, progress=_quiet)),
            "gan": first_results.each_language(lambda: gan(*data, progress=_quiet))}


def _plot(first: first_results.FirstResult, k: int, label) -> gr.Plot:
    """A plot showing output k of a first result, in the reader's language once the page loads."""
    plot = gr.Plot(first[k], label=label)
    first_results.on_load_in_language(plot, first.part(k))
    return plot


def _text(firsts: dict, key: str, k: int) -> gr.Markdown:
    return gr.Markdown(W.pin(f"{key.upper()}_FIRST", firsts[key].part(k)))


def build() -> None:
    intro(W, formulas=True)
    firsts = _first_results()

    gr.Markdown(W("S1_TITLE", "DATA_HELP", sep="\n"))
    with gr.Row():
        with gr.Column(scale=1, min_width=260):
            datasets = [(W(DATASET_NAMES[n]), DATA_LABELS[n]) for n in NAMES]
            dataset = gr.Radio(datasets, value=DATA_LABELS["ring"], label=W("DATASET"))
            seed = seed_box(W("SEED"), 0)
            show = gr.Button(W("SHOW_DATA"))
        with gr.Column(scale=1):
            sketch = size_checked_sketchpad(label=W("DRAWING"), type="numpy", canvas_size=(300, 300),
                                            brush=gr.Brush(default_size=6, colors=["#000000"], color_mode="fixed"))
            use = gr.Button(W("USE_DRAWING"))
        with gr.Column(scale=2):
            data_plot, data_text = _plot(firsts["data"], 0, W("DATA")), _text(firsts, "data", 1)
    with gr.Accordion(W("POINTS_TITLE"), open=False):
        points = gr.Textbox(show_label=False, lines=6, max_lines=12, placeholder="0.5, -1.2")
    data_in = [dataset, seed, points]
    show.click(show_data, data_in, [data_plot, data_text], api_name="lab_data")
    use.click(use_drawing, [sketch, seed], [points, data_plot, data_text], api_name="lab_drawing").success(
        lambda: DATA_LABELS["drawing"], None, dataset, api_visibility="private", show_progress="hidden")

    gr.Markdown(W("S2_TITLE", "TRAIN_HELP", sep="\n"))
    with gr.Row():
        models = [(W("MODEL_FLOW") if m == MODEL_LABELS["flow"] else m, m) for m in TRAINABLE]
        model = gr.Radio(models, value=TRAINABLE[1], label=W("MODEL"))
        train_btn = gr.Button(W("TRAIN"), variant="primary")
    with gr.Row():
        train_plot, loss_plot = _plot(firsts["train"], 0, W("SAMPLES_OVER_DATA")), _plot(firsts["train"], 1, W("LOSS"))
    train_text = _text(firsts, "train", 2)
    train_btn.click(train, data_in + [model], [train_plot, loss_plot, train_text], api_name="lab_train")

    gr.Markdown(W("S3_TITLE", "PATHS_HELP", sep="\n"))
    with gr.Row():
        steps = gr.Slider(1, MAX_STEPS, value=50, step=1, label=W("STEPS"))
        sampler = gr.Radio([(W("SAMPLER_ANCESTRAL"), T.SAMPLER_ANCESTRAL), (W("SAMPLER_DDIM"), T.SAMPLER_DDIM)],
                           value=T.SAMPLER_ANCESTRAL, label=W("DDPM_SAMPLER"))
        solver = gr.Radio([(W(f"SOLVER_{m.upper()}"), m) for m in SOLVERS], value=SOLVERS[0], label=W("FLOW_SOLVER"))
        particles = gr.Slider(10, L.MAX_PARTICLES, value=300, step=10, label=W("PARTICLES"))
    paths_btn = gr.Button(W("SEND_PARTICLES"), variant="primary")
    with gr.Row():
        ddpm_plot, flow_plot = _plot(firsts["paths"], 0, W("DDPM_PATHS")), _plot(firsts["paths"], 1, W("FLOW_PATHS"))
    with gr.Row():
        paths_gif = gr.Image(firsts["paths"][2], label=W("PARTICLES_GIF"), type="filepath", interactive=False)
        first_results.on_load_in_language(paths_gif, firsts["paths"].part(2))  # the panels' names are drawn in
        paths_text = _text(firsts, "paths", 3)
    paths_btn.click(paths, data_in + [steps, sampler, solver, particles], [ddpm_plot, flow_plot, paths_gif, paths_text],
                    api_name="lab_paths")

    gr.Markdown(W("S4_TITLE", "REFLOW_HELP", sep="\n"))
    with gr.Row():
        reflow_steps = gr.Slider(1, 20, value=2, step=1, label=W("EULER_STEPS"))
        reflow_btn = gr.Button(W("REFLOW_RUN"), variant="primary")
    with gr.Row():
        first_plot, reflow_plot = _plot(firsts["reflow"], 0, W("FIRST_FLOW")), _plot(firsts["reflow"], 1, W("REFLOWED"))
    reflow_text = _text(firsts, "reflow", 2)
    reflow_btn.click(reflow, data_in + [reflow_steps], [first_plot, reflow_plot, reflow_text], api_name="lab_reflow")

    gr.Markdown(W("S5_TITLE", "FIELD_HELP", sep="\n"), latex_delimiters=LATEX)
    with gr.Row():
        with gr.Column(scale=1, min_width=260):
            which = gr.Radio([(W(name), getattr(T, name)) for name in FIELD_NAMES], value=T.FIELD_FLOW, label=W("FIELD"))
            t = gr.Slider(0.0, 1.0, value=0.3, step=0.05, label=W("T_SLIDER"))
            field_btn = gr.Button(W("DRAW_ARROWS"), variant="primary")
            field_text = _text(firsts, "field", 1)
        with gr.Column(scale=2):
            field_plot = _plot(firsts["field"], 0, W("FIELD"))
    field_btn.click(field, data_in + [which, t], [field_plot, field_text], api_name="lab_field")
    t.release(field, data_in + [which, t], [field_plot, field_text], api_visibility="private", trigger_mode="always_last")

    gr.Markdown(W("S6_TITLE", "GAN_HELP", sep="\n"))
    gan_btn = gr.Button(W("GAN_RUN"), variant="primary")
    with gr.Row():
        gan_plot, gan_cov = _plot(firsts["gan"], 0, W("GAN_SAMPLES")), _plot(firsts["gan"], 1, W("PER_MODE"))
        gan_gif = gr.Image(firsts["gan"][2], label=W("THROUGH_TRAINING"), type="filepath", interactive=False)
        first_results.on_load_in_language(gan_gif, firsts["gan"].part(2))  # "step k" is drawn in
    gan_text = _text(firsts, "gan", 3)
    gan_btn.click(gan, data_in, [gan_plot, gan_cov, gan_gif, gan_text], api_name="lab_gan")

    knobs, row, run = lab_playground.build(*data_in)
    knobs |= lab_guidance.build(*data_in)
    LINK_CONTROLS.update(dataset=dataset, seed=seed, **knobs)
    LINK_ROW[:] = row
    LINK_RUN.update(run)
