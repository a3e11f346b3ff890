"""Flow-matching tab: a rectified-flow model integrated from noise to a digit, and its path beside DDIM's."""
from __future__ import annotations

import gradio as gr
import numpy as np

from .. import flow_samplers as fs, flow_tools as ft, pretrained, reverse_tools as rt
from ..data import PRETRAINED_DIR
from ..plots import sampler_paths
from ..reverse_eval import recommended_guidance
from ..runtime import on_gpu
from . import texts_flow as T
from .common import LATEX, as_choice, as_float, as_int, as_seed, friendly, seed_box
from .reverse_tab import PROMPTS, _prompt, _show, run_gif

SOLVERS = {"Euler (1 evaluation per step)": "euler", "Heun (2 evaluations per step)": "heun"}
# Deep links (ui/links.py): ?tab=flow&prompt=5&steps=4&seed=1 sets these (the run waits for a click).
LINK_CONTROLS: dict = {}


def available() -> bool:
    return (PRETRAINED_DIR / f"{ft.MODEL}.safetensors").exists()


def _ddim_available() -> bool:
    return (PRETRAINED_DIR / f"{rt.MODEL}.safetensors").exists()


def _settings(prompt, guidance, solver, steps, seed, batch) -> ft.FlowSettings:
    return ft.FlowSettings(_prompt(prompt), as_float(guidance, "Guidance w", 0, ft.MAX_GUIDANCE),
                           SOLVERS[as_choice(solver, "Solver", list(SOLVERS))], as_int(steps, "Steps", 1, fs.MAX_STEPS),
                           as_seed(seed), as_int(batch, "Batch", 1, ft.MAX_BATCH)).checked()


def _status(f: rt.Frame, what: str) -> str:
    return (f"**{what}: step {f.index} / {f.steps}** · t = {f.k / f.steps:.3f} · "
            f"network evaluations per image: **{f.nfe}** · {f.elapsed_ms / 1000:.2f} s")


def _outputs(f: rt.Frame, what: str):
    return _show(f.x_t), _show(f.x0), _show(f.eps), _status(f, what)


@friendly
@on_gpu
def run(prompt, guidance, solver, steps, seed, batch):
    """Stream the run (frames subsampled to ~10 a second), then arm the scrubber with the trajectory."""
    for item in ft.stream(_settings(prompt, guidance, solver, steps, seed, batch)):
        if isinstance(item, rt.Frame):
            if not item.done:
                yield *_outputs(item, "running"), gr.skip(), gr.skip()
        else:
            last = item.frame(len(item) - 1)
            yield (*_outputs(last, "done"), item,
                   gr.Slider(maximum=max(len(item) - 1, 1), value=len(item) - 1, interactive=len(item) > 1))


@friendly
def scrub(trajectory, index):
    if not isinstance(trajectory, rt.Trajectory):
        raise ValueError("Run the flow first; the scrubber then moves through its steps.")
    return _outputs(trajectory.frame(as_int(index, "Frame", 0, len(trajectory) - 1)), "recorded")


@friendly
@on_gpu
def paths(prompt, guidance, solver, steps, seed, batch):
    if not _ddim_available():
        raise ValueError("The diffusion model (pretrained/ddpm.*) is missing, so there is no DDIM to compare with.")
    s = _settings(prompt, guidance, solver, steps, seed, batch)
    flow_path, ddim_path = ft.compare_paths(s)
    figure = sampler_paths({p.name: (p.progress, p.offset) for p in (flow_path, ddim_path)},
                           f"{s.steps} steps from the same noise")
    rows = ["| | straightness (1 = straight line) | network evaluations per image | time |", "|---|---|---|---|"]
    rows += [f"| {p.name} | **{np.mean(p.straightness):.3f}** (min {p.straightness.min():.3f}, max "
             f"{p.straightness.max():.3f}) | {p.nfe} | {p.ms / 1000:.2f} s |" for p in (flow_path, ddim_path)]
    return _show(flow_path.images), _show(ddim_path.images), figure, "\n".join(rows)


def build() -> None:
    ft.model()  # load the weights now, so the first click pays only for sampling
    gr.Markdown(T.INTRO)
    with gr.Accordion("Flow matching, in formulas", open=False, elem_classes="advanced"):
        gr.Markdown(T.FORMULAS, latex_delimiters=LATEX)

    gr.Markdown("## 1. Follow the velocity\n" + T.RUN_HELP)
    with gr.Row():
        with gr.Column(scale=1, min_width=240):
            prompt = gr.Dropdown(PROMPTS, value="5", label="Prompt (the digit to draw)")
            guidance = gr.Slider(0, ft.MAX_GUIDANCE, value=recommended_guidance(ft.MODEL), step=0.5, label="Guidance w")
            solver = gr.Radio(list(SOLVERS), value=list(SOLVERS)[0], label="ODE solver")
            steps = gr.Slider(1, fs.MAX_STEPS, value=10, step=1, label="Steps")
            seed = seed_box("Seed", 0)
            batch = gr.Slider(1, ft.MAX_BATCH, value=16, step=1, label="Batch")
            run_btn = gr.Button("Run", variant="primary")
        with gr.Column(scale=3):
            with gr.Row():
                img = dict(format="png", elem_classes="pixelated", interactive=False)
                xt, x0, eps = (gr.Image(label="x_t: the state", **img), gr.Image(label="where it heads: x_t - t v", **img),
                               gr.Image(label="where it came from: x_t + (1 - t) v", **img))
            status = gr.Markdown()
            scrubber = gr.Slider(0, 1, value=0, step=1, label="Scrub through the finished run", interactive=False)
    trajectory = gr.State()
    settings = [prompt, guidance, solver, steps, seed, batch]
    run_btn.click(run, settings, [xt, x0, eps, status, trajectory, scrubber], api_name="flow_run", show_progress="hidden")
    scrubber.input(scrub, [trajectory, scrubber], [xt, x0, eps, status], api_visibility="private",
                   show_progress="hidden", trigger_mode="always_last")
    with gr.Row():
        gif_btn, gif_file = gr.Button("Make a GIF of the finished run", size="sm"), gr.File(label="Download GIF")
    gif_btn.click(run_gif, trajectory, gif_file, api_visibility="private")

    gr.Markdown("## 2. Straight or curved: the same noise through flow and DDIM\n" + T.PATHS_HELP)
    p_btn = gr.Button("Compare the paths (settings of section 1)", variant="primary")
    with gr.Row():
        p_flow = gr.Image(label="Flow", format="png", elem_classes="pixelated", interactive=False)
        p_ddim = gr.Image(label="DDIM, same noise and prompt", format="png", elem_classes="pixelated", interactive=False)
        p_plot = gr.Plot(label="Paths")
    p_text = gr.Markdown()
    p_btn.click(paths, settings, [p_flow, p_ddim, p_plot, p_text], api_name="flow_paths")

    gr.Markdown("## 3. Few steps, measured\n" + T.CARD_HELP)
    gr.Markdown(T.fid_table(_card_metrics()))

    LINK_CONTROLS.update(prompt=prompt, w=guidance, solver=solver, steps=steps, seed=seed, batch=batch)


def _card_metrics() -> dict | None:
    try:
        return pretrained.read_card(ft.MODEL).get("metrics")
    except FileNotFoundError:
        return None
