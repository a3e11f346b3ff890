"""Flow-matching tab: a rectified-flow model integrated from noise to a digit, and its path beside DDIM's."""
from __future__ import annotations

import gradio as gr
import numpy as np

from explainer.maths import flow_samplers as fs
from explainer.lessons import few_steps as few
from explainer.lessons import flow as ft
from explainer.models import pretrained
from explainer.lessons.runs import DIFFUSION_MODEL, Frame, Trajectory
from explainer.data.bundled import PRETRAINED_DIR
from explainer.draw.figures import captioned_grid, labelled_rows
from explainer.draw.plots import sampler_paths
from explainer.evaluation.diffusion_card import recommended_guidance
from explainer.runtime.device import on_gpu
from explainer.ui.words.en import flow as T
from explainer.ui.words.ru import flow as flow_ru
from explainer.ui import i18n
from explainer.ui import first_results
from explainer.ui.serving import cached, frame_interval, light
from explainer.ui.widgets import download_button, intro, seed_box
from explainer.ui.validation import Invalid, as_choice, as_float, as_int, as_seed, friendly
from explainer.ui import runs

W = i18n.Words("flow", T, flow_ru)
SOLVERS = {T.SOLVER_EULER: "euler", T.SOLVER_HEUN: "heun"}  # API values (English labels) -> solver
# Deep links (ui/links.py): ?tab=flow&prompt=5&steps=4&seed=1 sets these (the run waits for a click).
LINK_CONTROLS: dict = {}
GIF_NAME = "flow-matching-run"


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


@cached(max_size=16)  # a finished run keeps its trajectory for the scrubber
@friendly
@on_gpu
def run(prompt, guidance, solver, steps, seed, batch):
    """Stream the run (frames subsampled to ~10 a second), then arm the scrubber with the trajectory."""
    for item in ft.stream(checked_settings(prompt, guidance, solver, steps, seed, batch), interval_s=frame_interval()):
        if isinstance(item, Frame):
            if not item.done:
                left = item.elapsed_ms / 1000 * (item.steps - item.index) / max(item.index, 1)
                yield *_outputs(item, "RUNNING")[:3], _status(item, "RUNNING") + W.text("STATUS_LEFT", left=left), \
                    gr.skip(), gr.skip()
        else:
            last = item.frame(len(item) - 1)
            yield (*_outputs(last, "DONE"), item,
                   gr.Slider(maximum=max(len(item) - 1, 1), value=len(item) - 1, interactive=len(item) > 1))


@light
@friendly
def scrub(trajectory, index):
    if not isinstance(trajectory, Trajectory):
        raise Invalid("RUN_FIRST", W)
    return _outputs(trajectory.frame(as_int(index, "Frame", 0, len(trajectory) - 1)), "RECORDED")


@cached
@friendly
@on_gpu
def paths(prompt, guidance, solver, steps, seed, batch):
    if not ddim_available():
        raise Invalid("NO_DDIM", W)
    s = checked_settings(prompt, guidance, solver, steps, seed, batch)
    return _paths_outputs(s, *ft.compare_paths(s))


def _paths_outputs(s, flow_path, ddim_path):
    figure = sampler_paths({p.name: (p.progress, p.offset) for p in (flow_path, ddim_path)},
                           W.text("PATHS_TITLE", steps=s.steps))
    rows = [W.text("PATHS_HEADER"), "|---|---|---|---|"]
    rows += [W.text("PATHS_ROW", name=p.name, mean=np.mean(p.straightness), lo=p.straightness.min(),
                    hi=p.straightness.max(), nfe=p.nfe, s=p.ms / 1000) for p in (flow_path, ddim_path)]
    return runs.show(flow_path.images), runs.show(ddim_path.images), figure, "\n".join(rows)


def build() -> None:
    ft.model()  # load the weights now, so the first click pays only for sampling
    intro(W, formulas=True)

    first_settings = checked_settings("5", recommended_guidance(ft.MODEL), T.SOLVER_EULER, 10, 0, 16)
    first_run = [item for item in ft.stream(first_settings) if isinstance(item, Trajectory)][0]
    first = first_results.each_language(lambda: _outputs(first_run.frame(len(first_run) - 1), "DONE"))
    gr.Markdown(W("S1_TITLE"))
    with gr.Row():
        with gr.Column(scale=1, min_width=240):
            with gr.Row():  # first: pressing them must not scroll the pictures away
                run_btn = gr.Button(W("RUN"), variant="primary")
                stop_btn = gr.Button(W("STOP"), variant="stop")
            prompt = gr.Dropdown([(W("PROMPT_NONE"), "none")] + runs.PROMPTS[1:], value="5", label=W("PROMPT_TO_DRAW"))
            guidance = gr.Slider(0, ft.MAX_GUIDANCE, value=first_settings.guidance, step=0.5, label=W("GUIDANCE"))
            steps = gr.Slider(1, fs.MAX_STEPS, value=10, step=1, label=W("STEPS"))
            seed = seed_box(W("SEED"), 0)
            with gr.Accordion(W("MORE_SETTINGS"), open=False):
                solver = gr.Radio([(W("SOLVER_EULER"), T.SOLVER_EULER), (W("SOLVER_HEUN"), T.SOLVER_HEUN)],
                                  value=T.SOLVER_EULER, label=W("SOLVER"))
                batch = gr.Slider(1, ft.MAX_BATCH, value=16, step=1, label=W("BATCH"))
        with gr.Column(scale=3, elem_classes="demo-picture"):
            with gr.Row():
                img = dict(format="png", elem_classes="pixelated", interactive=False)
                xt, x0, eps = (gr.Image(first[0], label=W("XT"), **img), gr.Image(first[1], label=W("HEADS"), **img),
                               gr.Image(first[2], label=W("CAME_FROM"), **img))
            status = gr.Markdown(W.pin("STATUS_FIRST", first.part(3)))
            scrubber = gr.Slider(0, 1, value=0, step=1, label=W("SCRUBBER"), interactive=False)
            gif_btn = gr.Button(W("MAKE_GIF"), size="sm")
            gif_file = download_button(W("DOWNLOAD_GIF"), runs.run_gif_file(first_run, GIF_NAME))
    gr.Markdown(W("RUN_HELP"))
    trajectory = gr.State()
    settings = [prompt, guidance, solver, steps, seed, batch]
    running = run_btn.click(run, settings, [xt, x0, eps, status, trajectory, scrubber], api_name="flow_run",
                            show_progress="hidden")
    stop_btn.click(None, cancels=[running])  # the frames shown so far stay
    scrubber.input(scrub, [trajectory, scrubber], [xt, x0, eps, status], api_visibility="private",
                   show_progress="hidden", trigger_mode="always_last")
    gif_btn.click(runs.gif_handler(GIF_NAME), trajectory, gif_file, api_visibility="private")

    gr.Markdown(W("S2_TITLE", "PATHS_HELP", sep="\n"))
    p_btn = gr.Button(W("COMPARE_PATHS"), variant="primary")
    drawn_paths = ft.compare_paths(first_settings) if ddim_available() else None
    first_paths = first_results.each_language(lambda: _paths_outputs(first_settings, *drawn_paths)) if drawn_paths else None
    with gr.Row():
        p_flow = gr.Image(first_paths and first_paths[0], label=W("FLOW"), format="png", elem_classes="pixelated",
                          interactive=False)
        p_ddim = gr.Image(first_paths and first_paths[1], label=W("DDIM_SAME"), format="png", elem_classes="pixelated",
                          interactive=False)
        p_plot = gr.Plot(first_paths and first_paths[2], label=W("PATHS"))
    p_text = gr.Markdown(W.pin("PATHS_FIRST", first_paths.part(3)) if first_paths else "")
    if first_paths:
        first_results.on_load_in_language(p_plot, first_paths.part(2))
    p_btn.click(paths, settings, [p_flow, p_ddim, p_plot, p_text], api_name="flow_paths")

    gr.Markdown(W("S3_TITLE", "CARD_HELP", sep="\n"))
    gr.Markdown(W.pin("FID_TABLE_NOW", lambda: fid_table(_card_metrics())))

    if few.available():
        _reflow_section(prompt, seed)

    LINK_CONTROLS.update(prompt=prompt, w=guidance, solver=solver, steps=steps, seed=seed, batch=batch)


FIRST_REFLOW_N = 6


@cached
@friendly
@on_gpu
def reflow_steps(prompt, seed, n):
    """The same noise through the flow and the reflowed flow at 1, 2 and 4 Euler steps, and the GAN's one pass."""
    if not few.available():
        raise Invalid("NO_REFLOW", W)
    label = runs.prompt(prompt)
    result = few.few_steps(label, as_seed(seed), as_int(n, "Pictures", 1, few.MAX_N))
    return few_steps_figure(result, label), W.text("STRAIGHTNESS_NOW", **result.straightness)


def few_steps_figure(result: few.FewSteps, label: int | None):
    rows = []
    for row in result.rows:
        name = W.text("ROW_GAN") if row.model == "gan" else W.text(
            "ROW_STEPS", model=W.text("MODEL_" + row.model.upper()), steps=row.steps)
        read = W.text("ROW_READ_DIGIT", label=label, hits=row.hits, n=len(row.images)) if label is not None else \
            W.text("ROW_READ_ANY", hits=row.hits, n=len(row.images))
        picture = captioned_grid(row.images, [(i18n.localize(v),) for v in row.verdicts], cols=len(row.images))
        rows.append(([name, read, W.text("ROW_COST", nfe=row.nfe, ms=row.ms)], picture))
    return labelled_rows(rows, label_px=230, font_px=14)


def reflow_table() -> str:
    """The reflow card's judge-FID by steps, flow against reflow, with the GAN's and a verdict chosen by them."""
    try:
        card = pretrained.read_card("reflow")
    except FileNotFoundError:
        return W.text("NO_REFLOW")
    m = card.get("metrics")
    if not m or "by_steps" not in m:
        return W.text("REFLOW_NOT_MEASURED")
    fid = {name: {s: m["by_steps"][name][s]["prompted"]["judge_fid"] for s in m["by_steps"][name]} for name in m["by_steps"]}
    rows = [W.text("REFLOW_TABLE_HEADER"), "|---|---|---|---|"]
    teacher, flow_epochs = card["teacher"]["epochs"], m.get("flow_epochs") or card["teacher"]["epochs"]
    flow_name = (W.text("MODEL_TEACHER", epochs=teacher) if flow_epochs == teacher
                 else W.text("MODEL_FLOW_PAST_TEACHER", epochs=flow_epochs, teacher=teacher))
    names = {"flow": flow_name, "reflow": W.text("MODEL_REFLOW")}
    rows += [f"| {names[name]} | {fid[name]['1']:.0f} | {fid[name]['2']:.0f} | {fid[name]['4']:.0f} |"
             for name in ("flow", "reflow")]
    gan = m["gan_judge_fid_same_n"]
    footer = W.text("REFLOW_TABLE_FOOTER", n=m["n_samples_per_setting"], gan=gan, sf=m["straightness_50_steps"]["flow"],
                    sr=m["straightness_50_steps"]["reflow"], epochs=card["epochs_done"], pairs=card["pairs"]["n"])
    if "distillation" in card:
        d = card["distillation"]
        footer += " " + W.text("REFLOW_DISTILLED", epochs=d["epochs_done"], pairs=d["pairs"]["n"],
                               share=round(100 * d["t_one_share"]))
    verdict = W.text("REFLOW_VERDICT_AHEAD" if fid["reflow"]["2"] <= gan else "REFLOW_VERDICT_BEHIND")
    verdict += " " + W.text("REFLOW_ONE_STEP_RATIO", ratio=fid["reflow"]["1"] / gan)
    if fid["reflow"]["2"] < fid["flow"]["2"]:
        verdict = W.text("REFLOW_AHEAD_OF_FLOW_AT_2") + " " + verdict
    if fid["reflow"]["4"] > fid["flow"]["4"]:
        verdict += " " + W.text("REFLOW_TEACHER_AHEAD_AT_4")
    return "\n".join(rows) + "\n\n" + footer + " " + verdict


def _reflow_section(prompt, seed) -> None:
    first_result = few.few_steps(5, 0, FIRST_REFLOW_N)
    first = first_results.each_language(lambda: (few_steps_figure(first_result, 5), W.text("STRAIGHTNESS_NOW", **first_result.straightness)))
    gr.Markdown(W("S4_TITLE"))
    with gr.Row():
        with gr.Column(scale=1, min_width=240):
            btn = gr.Button(W("REFLOW_RUN"), variant="primary")
            n = gr.Slider(1, few.MAX_N, value=FIRST_REFLOW_N, step=1, label=W("REFLOW_N"))
            with gr.Accordion(W("WHAT_IS_REFLOW"), open=False):
                gr.Markdown(W("REFLOW_HELP"))
        with gr.Column(scale=3, elem_classes="demo-picture"):
            figure = gr.Image(first[0], label=W("REFLOW_FIGURE"), format="png", interactive=False,
                              elem_classes=["figure", "fits-screen"])
            first_results.on_load_in_language(figure, first.part(0))  # its labels are drawn in
            straight = gr.Markdown(W.pin("STRAIGHTNESS_FIRST", first.part(1)))
    gr.Markdown(W.pin("REFLOW_TABLE_NOW", reflow_table))
    btn.click(reflow_steps, [prompt, seed, n], [figure, straight], api_name="flow_reflow")


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
    text = "\n".join(rows) + "\n\n" + W.text("FID_FOOTER", n=t["n_samples"], w=t["guidance"])
    free = card_metrics.get("unprompted_judge_fid_by_steps")
    if free:
        steps = list(free["flow"])
        rows = [f"| {W.text('FID_STEPS')} | " + " | ".join(steps) + " |", "|---|" + "---|" * len(steps)]
        rows += [f"| {name} | " + " | ".join(f"{free[key][s]:.1f}" for s in steps) + " |"
                 for name, key in ((W.text("FID_FLOW"), "flow"), ("DDIM, eta 0", "ddim_eta0"), ("DDIM, eta 1", "ddim_eta1"))]
        text += "\n\n" + W.text("FID_UNPROMPTED_TITLE") + "\n\n" + "\n".join(rows) + "\n\n" + \
            W.text("FID_UNPROMPTED_FOOTER", n=free["n_samples"])
    return text
