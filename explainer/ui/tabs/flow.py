"""Flow-matching tab: a rectified-flow model integrated from noise to a digit, and its path beside DDIM's."""
from __future__ import annotations

import gradio as gr
import numpy as np

from explainer.maths import flow_samplers as fs
from explainer.lessons import flow as ft
from explainer.models import pretrained
from explainer.lessons.runs import DIFFUSION_MODEL, Frame, Trajectory
from explainer.data.bundled import PRETRAINED_DIR
from explainer.draw.plots import sampler_paths
from explainer.evaluation.diffusion_card import recommended_guidance
from explainer.runtime.device import on_gpu
from explainer.ui.words.en import flow as T
from explainer.ui.words.ru import flow as flow_ru
from explainer.ui import i18n
from explainer.ui.widgets import LATEX, seed_box
from explainer.ui.validation import Invalid, as_choice, as_float, as_int, as_seed, friendly
from explainer.ui import runs

W = i18n.Words("flow", T, flow_ru)
SOLVERS = {T.SOLVER_EULER: "euler", T.SOLVER_HEUN: "heun"}  # API values (English labels) -> solver
# Deep links (ui/links.py): ?tab=flow&prompt=5&steps=4&seed=1 sets these (the run waits for a click).
LINK_CONTROLS: dict = {}


def available() -> bool:
    return (PRETRAINED_DIR / f"{ft.MODEL}.safetensors").exists()


def ddim_available() -> bool:
    """Whether the DDPM weights are here, for the DDIM path beside the flow's."""
    return (PRETRAINED_DIR / f"{DIFFUSION_MODEL}.safetensors").exists()


def checked_settings(prompt, guidance, solver, steps, seed, batch) -> ft.FlowSettings:
    return ft.FlowSettings(runs.prompt(prompt), as_float(guidance, "Guidance w", 0, ft.MAX_GUIDANCE),
                           SOLVERS[as_choice(solver, "Solver", list(SOLVERS))], as_int(steps, "Steps", 1, fs.MAX_STEPS),
                           as_seed(seed), as_int(batch, "Batch", 1, ft.MAX_BATCH)).checked()


def _status(f: Frame, what: str) -> str:
    """`what` names a words entry: RUNNING, DONE or RECORDED."""
    return W.text("STATUS", what=W.text(what), index=f.index, steps=f.steps, t=f.k / f.steps, nfe=f.nfe,
                  s=f.elapsed_ms / 1000)


def _outputs(f: Frame, what: str):
    return runs.show(f.x_t), runs.show(f.x0), runs.show(f.eps), _status(f, what)


@friendly
@on_gpu
def run(prompt, guidance, solver, steps, seed, batch):
    """Stream the run (frames subsampled to ~10 a second), then arm the scrubber with the trajectory."""
    for item in ft.stream(checked_settings(prompt, guidance, solver, steps, seed, batch)):
        if isinstance(item, Frame):
            if not item.done:
                yield *_outputs(item, "RUNNING"), gr.skip(), gr.skip()
        else:
            last = item.frame(len(item) - 1)
            yield (*_outputs(last, "DONE"), item,
                   gr.Slider(maximum=max(len(item) - 1, 1), value=len(item) - 1, interactive=len(item) > 1))


@friendly
def scrub(trajectory, index):
    if not isinstance(trajectory, Trajectory):
        raise Invalid("RUN_FIRST", W)
    return _outputs(trajectory.frame(as_int(index, "Frame", 0, len(trajectory) - 1)), "RECORDED")


@friendly
@on_gpu
def paths(prompt, guidance, solver, steps, seed, batch):
    if not ddim_available():
        raise Invalid("NO_DDIM", W)
    s = checked_settings(prompt, guidance, solver, steps, seed, batch)
    flow_path, ddim_path = ft.compare_paths(s)
    figure = sampler_paths({p.name: (p.progress, p.offset) for p in (flow_path, ddim_path)},
                           W.text("PATHS_TITLE", steps=s.steps))
    rows = [W.text("PATHS_HEADER"), "|---|---|---|---|"]
    rows += [W.text("PATHS_ROW", name=p.name, mean=np.mean(p.straightness), lo=p.straightness.min(),
                    hi=p.straightness.max(), nfe=p.nfe, s=p.ms / 1000) for p in (flow_path, ddim_path)]
    return runs.show(flow_path.images), runs.show(ddim_path.images), figure, "\n".join(rows)


def build() -> None:
    ft.model()  # load the weights now, so the first click pays only for sampling
    gr.Markdown(W("INTRO"))
    with gr.Accordion(W("FORMULAS_TITLE"), open=False, elem_classes="advanced"):
        gr.Markdown(W("FORMULAS"), latex_delimiters=LATEX)

    gr.Markdown(W("S1_TITLE", "RUN_HELP", sep="\n"))
    with gr.Row():
        with gr.Column(scale=1, min_width=240):
            prompt = gr.Dropdown([(W("PROMPT_NONE"), "none")] + runs.PROMPTS[1:], value="5", label=W("PROMPT_TO_DRAW"))
            guidance = gr.Slider(0, ft.MAX_GUIDANCE, value=recommended_guidance(ft.MODEL), step=0.5, label=W("GUIDANCE"))
            solver = gr.Radio([(W("SOLVER_EULER"), T.SOLVER_EULER), (W("SOLVER_HEUN"), T.SOLVER_HEUN)],
                              value=T.SOLVER_EULER, label=W("SOLVER"))
            steps = gr.Slider(1, fs.MAX_STEPS, value=10, step=1, label=W("STEPS"))
            seed = seed_box(W("SEED"), 0)
            batch = gr.Slider(1, ft.MAX_BATCH, value=16, step=1, label=W("BATCH"))
            run_btn = gr.Button(W("RUN"), variant="primary")
        with gr.Column(scale=3):
            with gr.Row():
                img = dict(format="png", elem_classes="pixelated", interactive=False)
                xt, x0, eps = (gr.Image(label=W("XT"), **img), gr.Image(label=W("HEADS"), **img),
                               gr.Image(label=W("CAME_FROM"), **img))
            status = gr.Markdown()
            scrubber = gr.Slider(0, 1, value=0, step=1, label=W("SCRUBBER"), interactive=False)
    trajectory = gr.State()
    settings = [prompt, guidance, solver, steps, seed, batch]
    run_btn.click(run, settings, [xt, x0, eps, status, trajectory, scrubber], api_name="flow_run", show_progress="hidden")
    scrubber.input(scrub, [trajectory, scrubber], [xt, x0, eps, status], api_visibility="private",
                   show_progress="hidden", trigger_mode="always_last")
    with gr.Row():
        gif_btn, gif_file = gr.Button(W("MAKE_GIF"), size="sm"), gr.File(label=W("DOWNLOAD_GIF"))
    gif_btn.click(runs.run_gif, trajectory, gif_file, api_visibility="private")

    gr.Markdown(W("S2_TITLE", "PATHS_HELP", sep="\n"))
    p_btn = gr.Button(W("COMPARE_PATHS"), variant="primary")
    with gr.Row():
        p_flow = gr.Image(label=W("FLOW"), format="png", elem_classes="pixelated", interactive=False)
        p_ddim = gr.Image(label=W("DDIM_SAME"), format="png", elem_classes="pixelated", interactive=False)
        p_plot = gr.Plot(label=W("PATHS"))
    p_text = gr.Markdown()
    p_btn.click(paths, settings, [p_flow, p_ddim, p_plot, p_text], api_name="flow_paths")

    gr.Markdown(W("S3_TITLE", "CARD_HELP", sep="\n"))
    gr.Markdown(W.pin("FID_TABLE_NOW", lambda: fid_table(_card_metrics())))

    LINK_CONTROLS.update(prompt=prompt, w=guidance, solver=solver, steps=steps, seed=seed, batch=batch)


def _card_metrics() -> dict | None:
    try:
        return pretrained.read_card(ft.MODEL).get("metrics")
    except FileNotFoundError:
        return None


def fid_table(card_metrics: dict | None) -> str:
    """The card's judge-FID table, in the page's language."""
    if not card_metrics or "judge_fid_by_steps" not in card_metrics:
        return W.text("NOT_MEASURED")
    t = card_metrics["judge_fid_by_steps"]
    steps = [k for k in t["flow"]]
    rows = [f"| {W.text('FID_STEPS')} | " + " | ".join(steps) + " |", "|---|" + "---|" * len(steps)]
    rows += [f"| {name} | " + " | ".join(f"{t[key][s]:.1f}" for s in steps) + " |"
             for name, key in ((W.text("FID_FLOW"), "flow"), ("DDIM", "ddim"))]
    return "\n".join(rows) + "\n\n" + W.text("FID_FOOTER", n=t["n_samples"], w=t["guidance"])
