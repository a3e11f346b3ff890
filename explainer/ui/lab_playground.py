"""The 2-D lab's playground section: Play, Pause, Step and Reset on a training that is each learner's own.

The run lives in the learner's session (a gr.State): Play streams frames while it advances the run a slice of
time at a time, Pause cancels the stream (the run keeps what it learned), Step advances a chosen number of
iterations in one call, Reset starts afresh. A run goes on only with the knobs, dataset and seed it was started
with; any change starts a new one. Handlers run in the playground lane (ui/serving.py), never behind a model.
"""
from __future__ import annotations

import gradio as gr

from explainer.draw import lab_plots as plots
from explainer.lessons.lab import playground as P
from explainer.lessons.lab import reports as L
from explainer.lessons.lab.datasets import LABELS as DATA_LABELS
from explainer.lessons.lab.datasets import NAMES
from explainer.ui import i18n, links
from explainer.ui import first_results
from explainer.ui.serving import playground
from explainer.ui.validation import as_choice, as_float, as_int, as_seed, friendly
from explainer.ui.words.en import lab as T
from explainer.ui.words.ru import lab as lab_ru

W = i18n.Words("lab", T, lab_ru)
DATASETS = [DATA_LABELS[n] for n in NAMES]
MODELS = {"GAN": "gan", "flow matching": "flow", "DDPM": "ddpm"}  # API values (English) -> kind
FRAME_S = 0.25  # training time between frames: ~3 frames a second with drawing
MAX_STEP_N = 2000
PRESET_WORDS = {name: name.upper() for name in P.PRESETS}
COLOR = {"gan": plots.COLORS["gan"], "flow": plots.COLORS["flow"], "ddpm": plots.COLORS["ddpm"]}
KNOB_NAMES = ("kind", "lr", "width", "depth", "batch", "total", "noise", "d_steps", "T", "schedule", "solver",
              "sample_steps")


def knobs(model, lr, width, depth, batch, total, noise, d_steps, T_, schedule, solver, sample_steps) -> P.Knobs:
    lo, hi = P.RANGES["lr"]
    return P.Knobs(MODELS[as_choice(model, "Model", list(MODELS))], as_float(lr, "Learning rate", lo, hi),
                   *(as_int(v, label, *P.RANGES[name]) for v, label, name in (
                       (width, "Hidden width", "width"), (depth, "Hidden layers", "depth"), (batch, "Batch size", "batch"),
                       (total, "Training steps", "total"), (noise, "Noise size", "noise"),
                       (d_steps, "Discriminator steps", "d_steps"), (T_, "Schedule steps T", "T"))),
                   as_choice(schedule, "Schedule", list(P.SCHEDULES)), as_choice(solver, "Solver", list(P.SOLVERS)),
                   as_int(sample_steps, "Solver steps", *P.RANGES["sample_steps"])).checked()


def _run(state, dataset, seed, points, knob_values, fresh: bool = False) -> P.Run:
    label = as_choice(dataset, "Dataset", DATASETS)
    toy, seed, k = L.dataset(NAMES[DATASETS.index(label)], as_seed(seed), points), as_seed(seed), knobs(*knob_values)
    same = (isinstance(state, P.Run) and not fresh and state.knobs == k and state.seed == seed
            and state.toy.name == toy.name and state.toy.points.shape == toy.points.shape
            and bool((state.toy.points == toy.points).all()))
    return state if same else P.start(k, toy, seed)


def _words() -> dict[str, str]:
    return {"data": W.text("PLOT_DATA"), "sample": W.text("PLOT_SAMPLE"), "step": W.text("PLOT_STEP"),
            "loss": W.text("PLOT_LOSS"), "belief": W.text("PLOT_BELIEF"), "warp": W.text("PLOT_WARP"),
            "pull": W.text("PLOT_PULL")}


def _model_name(kind: str) -> str:
    return W.text("NAME_FLOW") if kind == "flow" else kind.upper()


def frame(run: P.Run, rate: float):
    """(view, losses, status) of the run as it stands."""
    words, kind, name = _words(), run.knobs.kind, _model_name(run.knobs.kind)
    gan = kind == "gan"
    view = plots.playground_view(run.toy.points, run.samples(), W.text("PG_VIEW_TITLE", model=name, step=run.step),
                                 COLOR[kind], words, belief=run.belief() if gan else None,
                                 pull=run.generator_pull() if gan else None, warp=run.warp() if gan else None)
    names = {"loss": W.text("PLOT_LOSS"), "loss_d": W.text("PLOT_LOSS_D"), "loss_g": W.text("PLOT_LOSS_G")}
    loss = plots.losses(run.loss_steps, {names[k]: v for k, v in run.losses.items()}, W.text("PG_LOSS_TITLE"), words)
    status = W.text("PG_STATUS", model=name, step=run.step, total=run.knobs.total, rate=rate, seconds=run.seconds)
    return view, loss, status + (W.text("PG_STATUS_DONE") if run.done else "")


def _rate(run: P.Run) -> float:
    return run.step / run.seconds if run.seconds > 0 else 0.0


@playground
@friendly
def play(dataset, seed, points, model, lr, width, depth, batch, total, noise, d_steps, T_, schedule, solver,
         sample_steps, state):
    """Stream frames while training runs to its `total` (Pause cancels; the run keeps its state)."""
    knob_values = (model, lr, width, depth, batch, total, noise, d_steps, T_, schedule, solver, sample_steps)
    run = _run(state, dataset, seed, points, knob_values)
    if run.done:  # finished: Play starts over
        run = P.start(run.knobs, run.toy, run.seed)
    yield *frame(run, _rate(run)), run  # the first frame at once
    while not run.done:
        run.advance(P.RANGES["total"][1], budget_s=FRAME_S)
        yield *frame(run, _rate(run)), run


@playground
@friendly
def step(dataset, seed, points, model, lr, width, depth, batch, total, noise, d_steps, T_, schedule, solver,
         sample_steps, n, state):
    """Advance the run by n iterations (one call) and show where it stands."""
    knob_values = (model, lr, width, depth, batch, total, noise, d_steps, T_, schedule, solver, sample_steps)
    run = _run(state, dataset, seed, points, knob_values)
    run.advance(as_int(n, "Iterations per Step", 1, MAX_STEP_N))
    return *frame(run, _rate(run)), run


@playground
@friendly
def reset(dataset, seed, points, model, lr, width, depth, batch, total, noise, d_steps, T_, schedule, solver,
          sample_steps, state):
    knob_values = (model, lr, width, depth, batch, total, noise, d_steps, T_, schedule, solver, sample_steps)
    run = _run(None, dataset, seed, points, knob_values, fresh=True)
    return *frame(run, 0.0), run


@playground
def pause(state):
    """After Play is cancelled: redraw the run as it stands (it may have trained a slice past the last frame)."""
    if not isinstance(state, P.Run):
        return gr.skip(), gr.skip(), gr.skip(), gr.skip()
    return *frame(state, _rate(state)), state


def preset(name):
    """The knobs of a preset (a failure on purpose, or a healthy start) and its one sentence on what to look for."""
    k = P.PRESETS[name if name in P.PRESETS else "healthy_gan"]
    model = next(label for label, kind in MODELS.items() if kind == k.kind)
    return (model, k.lr, k.width, k.depth, k.batch, k.total, k.noise, k.d_steps, k.T, k.schedule, k.solver,
            k.sample_steps, W.text("PG_HINT_" + PRESET_WORDS[name]))


def build(dataset, seed, points) -> tuple[dict, tuple, dict]:
    """The section; returns, for deep links, its knob components (name -> component), its link row and the
    action a link runs (ui/links.py's LINK_RUN)."""
    gr.Markdown(W("PG_TITLE"))
    first = P.PRESETS["healthy_gan"]
    start_run = P.start(first, L.dataset("ring", 0, ""), 0)
    firsts = first_results.each_language(lambda: frame(start_run, 0.0))
    with gr.Row():
        with gr.Column(scale=1, min_width=260):
            with gr.Row():
                play_btn = gr.Button(W("PG_PLAY"), variant="primary")
                pause_btn = gr.Button(W("PG_PAUSE"), variant="stop")
            with gr.Row():
                step_btn = gr.Button(W("PG_STEP"))
                reset_btn = gr.Button(W("PG_RESET"))
            step_n = gr.Slider(1, MAX_STEP_N, value=100, step=1, label=W("PG_STEP_N"))
            chosen = gr.Dropdown([(W("PG_PRESET_" + PRESET_WORDS[n]), n) for n in P.PRESETS], value="healthy_gan",
                                 label=W("PG_PRESET"))
            hint = gr.Markdown(W.pin("PG_HINT_FIRST", lambda: W.text("PG_HINT_HEALTHY_GAN")))
            model = gr.Radio(list(MODELS), value="GAN", label=W("PG_MODEL"))
            with gr.Accordion(W("PG_KNOBS"), open=False):
                lr = gr.Number(first.lr, label=W("PG_LR"), minimum=P.RANGES["lr"][0], maximum=P.RANGES["lr"][1])
                width = gr.Slider(4, 256, value=first.width, step=4, label=W("PG_WIDTH"))
                depth = gr.Slider(1, 6, value=first.depth, step=1, label=W("PG_DEPTH"))
                batch = gr.Slider(8, 1024, value=first.batch, step=8, label=W("PG_BATCH"))
                total = gr.Slider(100, 20_000, value=first.total, step=100, label=W("PG_TOTAL"))
                noise = gr.Slider(1, 8, value=first.noise, step=1, label=W("PG_NOISE"))
                d_steps = gr.Slider(1, 10, value=first.d_steps, step=1, label=W("PG_D_STEPS"))
                t_steps = gr.Slider(2, 1000, value=first.T, step=1, label=W("PG_T"))
                schedule = gr.Radio(list(P.SCHEDULES), value=first.schedule, label=W("PG_SCHEDULE"))
                solver = gr.Radio(list(P.SOLVERS), value=first.solver, label=W("PG_SOLVER"))
                sample_steps = gr.Slider(1, 100, value=first.sample_steps, step=1, label=W("PG_SAMPLE_STEPS"))
            link = links.link_row()  # the lab's link: dataset, seed and the knobs above
        with gr.Column(scale=2):
            view = gr.Plot(firsts[0], label=W("PG_VIEW"))
            status = gr.Markdown(W.pin("PG_STATUS_FIRST", firsts.part(2)))
            losses = gr.Plot(firsts[1], label=W("PG_LOSSES"))
    first_results.on_load_in_language(view, firsts.part(0))
    first_results.on_load_in_language(losses, firsts.part(1))
    with gr.Accordion(W("PG_HOW"), open=False):
        gr.Markdown(W("PG_HELP"))
    run = gr.State()
    knob_inputs = [model, lr, width, depth, batch, total, noise, d_steps, t_steps, schedule, solver, sample_steps]
    data_in = [dataset, seed, points]
    outputs = [view, losses, status, run]
    playing = play_btn.click(play, data_in + knob_inputs + [run], outputs, api_name="lab_play", show_progress="hidden")
    pause_btn.click(pause, run, outputs, cancels=[playing], api_visibility="private")
    step_btn.click(step, data_in + knob_inputs + [step_n, run], outputs, api_name="lab_step", cancels=[playing])
    reset_btn.click(reset, data_in + knob_inputs + [run], outputs, api_name="lab_reset", cancels=[playing])
    chosen.change(preset, chosen, knob_inputs + [hint], api_visibility="private")
    # A link into the lab shows a fresh run with its knobs (the view matches the link; training waits for Play).
    link_run = dict(fn=reset, inputs=data_in + knob_inputs + [run], outputs=outputs)
    names = ("pg_model", "pg_lr", "pg_width", "pg_depth", "pg_batch", "pg_total", "pg_noise", "pg_d_steps", "pg_T",
             "pg_schedule", "pg_solver", "pg_sample_steps")
    return dict(zip(names, knob_inputs)), link, link_run
