"""Reverse diffusion tab: noise becomes a digit step by step, steered by a prompt and guidance."""
from __future__ import annotations

import math

import gradio as gr
import numpy as np

from .. import reverse_loop as rl, reverse_tools as rt
from ..data import PRETRAINED_DIR, bundled_sample
from ..media import gif_bytes, grid
from ..reverse_eval import recommended_guidance
from ..runtime import on_gpu
from . import texts_reverse as T
from .common import LATEX, as_choice, as_int, as_seed, friendly, seed_box
from .files import temp_file
from .forward_tab import as_float

PROMPTS = ["none"] + [str(d) for d in range(10)]
SAMPLERS = {"DDIM (eta, 5-250 steps)": "ddim", "DDPM ancestral (1000 steps)": "ddpm"}
# Deep links (ui/links.py): ?tab=reverse&prompt=7&w=3&seed=1 sets these (the run waits for a click).
LINK_CONTROLS: dict = {}


def available() -> bool:
    return (PRETRAINED_DIR / f"{rt.MODEL}.safetensors").exists()


def _prompt(value) -> int | None:
    value = as_choice(str(value) if isinstance(value, int) and not isinstance(value, bool) else value, "Prompt", PROMPTS)
    return None if value == "none" else int(value)


def _settings(prompt, guidance, sampler, steps, eta, seed, batch) -> rt.Settings:
    sampler = SAMPLERS[as_choice(sampler, "Sampler", list(SAMPLERS))]
    return rt.Settings(_prompt(prompt), as_float(guidance, "Guidance w", 0, rt.MAX_GUIDANCE), sampler,
                       as_int(steps, "Steps", *rt.DDIM_STEPS) if sampler == "ddim" else 1000,
                       as_float(eta, "eta", 0, 1), as_seed(seed), as_int(batch, "Batch", 1, rt.MAX_BATCH)).checked()


def _show(images: np.ndarray, scale: int = 3) -> np.ndarray:
    return grid(images, cols=math.ceil(math.sqrt(len(images))), scale=scale)


def _status(f: rt.Frame, what: str) -> str:
    return (f"**{what}: step {f.index} / {f.steps}** · t = {f.k / rt.schedule().T:.3f} (k = {f.k}) · "
            f"network evaluations per image: **{f.nfe}** · {f.elapsed_ms / 1000:.2f} s")


def _frame_outputs(f: rt.Frame, what: str):
    return _show(f.x_t), _show(f.x0), _show(f.eps), _status(f, what)


@friendly
@on_gpu
def run(prompt, guidance, sampler, steps, eta, seed, batch):
    """Stream a whole run (frames subsampled to ~10 a second), then arm the scrubber with the trajectory."""
    s = _settings(prompt, guidance, sampler, steps, eta, seed, batch)
    for item in rt.stream(s):
        if isinstance(item, rt.Frame):
            if not item.done:  # the last frame comes with the trajectory, right after
                yield *_frame_outputs(item, "running"), gr.skip(), gr.skip()
        else:
            last = item.frame(len(item) - 1)
            text = _status(last, "done") + f" · first frame after {item.first_frame_ms:.0f} ms"
            yield (*_frame_outputs(last, "done")[:3], text, item,
                   gr.Slider(maximum=len(item) - 1, value=len(item) - 1, interactive=True))


@friendly
def scrub(trajectory, index):
    if not isinstance(trajectory, rt.Trajectory):
        raise ValueError("Run the sampler first; the scrubber then moves through its steps.")
    return _frame_outputs(trajectory.frame(as_int(index, "Frame", 0, len(trajectory) - 1)), "recorded")


GIF_FRAMES = 60


@friendly
def run_gif(trajectory):
    """The finished run as a GIF for slides: the state beside the predicted clean digits, lingering on the end."""
    if not isinstance(trajectory, rt.Trajectory):
        raise ValueError("Run the sampler first; the GIF is made from the finished run.")
    picks = np.unique(np.linspace(0, len(trajectory) - 1, min(GIF_FRAMES, len(trajectory))).round().astype(int))
    frames = []
    for i in picks:
        state, clean = _show(trajectory.x_t[i]), _show(trajectory.x0[i])
        frames.append(np.concatenate([state, np.full((state.shape[0], 12), 255, np.uint8), clean], axis=1))
    return temp_file(gif_bytes(frames + [frames[-1]] * 10, fps=10), ".gif")


@friendly
@on_gpu
def step(prompt, guidance, sampler, steps, eta, seed, batch, stepper):
    """One reverse step per click; changing any setting starts a new run from its noise."""
    s = _settings(prompt, guidance, sampler, steps, eta, seed, batch)
    if not isinstance(stepper, rt.Stepper) or stepper.settings != s or stepper.finished:
        stepper = rt.start_stepper(s)
    stepper, f = rt.step_once(stepper)
    return (*_frame_outputs(f, "one step at a time")[:3],
            _status(f, "one step at a time").replace(f" · {f.elapsed_ms / 1000:.2f} s", f" · this step {f.elapsed_ms:.0f} ms"),
            stepper)


@friendly
@on_gpu
def guidance_grid(seed, steps):
    g = rt.guidance_grid(as_seed(seed), as_int(steps, "Steps", rt.DDIM_STEPS[0], 100))
    rows = grid(g.images.reshape(-1, 28, 28), cols=10, scale=3)
    text = (f"Rows from top: w = {', '.join(f'{w:g}' for w in g.weights)}; columns: prompts 0 to 9, the same "
            f"starting noise in every row. {g.nfe} network evaluations in {g.ms / 1000:.1f} s.")
    return rows, text


@friendly
@on_gpu
def retry(prompt, candidates, guidance, bar, rounds, steps, seed):
    digit = _prompt(prompt)
    if digit is None:
        raise ValueError("The judge needs a prompt to check against: choose a digit.")
    r = rl.retry_until_sure(digit, as_int(candidates, "Candidates", 1, rl.MAX_CANDIDATES),
                            as_float(guidance, "Guidance w", 0, rt.MAX_GUIDANCE), as_int(steps, "Steps", 5, 100),
                            as_seed(seed), as_float(bar, "Judge's bar", 0.5, 0.999), as_int(rounds, "Rounds", 1, rl.MAX_ROUNDS))
    items = [(img, f"round {i + 1} · p({digit}) = {sc:.3f}") for i, rd in enumerate(r.rounds)
             for img, sc in zip(rd.images, rd.scores)]
    verdict = "satisfied" if r.satisfied else "not satisfied; budget spent"
    text = (f"**Best: p({digit}) = {r.best_score:.3f}** ({verdict}) after {len(r.rounds)} round(s) of {len(r.rounds[0].images)} "
            f"candidates: {r.nfe} network evaluations in {r.ms / 1000:.1f} s.")
    return items, _show(r.best_image[None], scale=6), text


@friendly
@on_gpu
def sdedit(source, index, upload, drawing, t, prompt, guidance, steps, seed):
    source = as_choice(source, "Source", T.SDEDIT_SOURCES)
    idx = as_int(index, "Test digit number", 0, len(bundled_sample().images) - 1)
    if source == T.SDEDIT_SOURCES[0]:
        x = rl.sdedit_source(bundled=idx)
    elif source == T.SDEDIT_SOURCES[1]:
        if upload in (None, ""):
            raise ValueError("Upload a picture of a digit first.")
        x = rl.sdedit_source(upload=upload)
    else:
        if drawing is None:
            raise ValueError("Draw a digit on the canvas first.")
        x = rl.sdedit_source(drawing=drawing)
    r = rl.noise_and_restore(x, as_float(t, "Noise level t", 0.01, 1), _prompt(prompt),
                             as_float(guidance, "Guidance w", 0, rt.MAX_GUIDANCE), as_int(steps, "Steps", 5, 100),
                             as_seed(seed))
    text = (f"Noised to t = {r.k_start / rt.schedule().T:.2f} (k = {r.k_start}), restored in {r.nfe} network "
            f"evaluations per image ({r.ms / 1000:.1f} s). The judge reads: {', '.join(map(str, r.judge_digits))}.")
    return _show(r.source[None], scale=6), _show(r.noised), _show(r.restored), text


@friendly
@on_gpu
def speed(guidance, sampler, steps, eta, seed, batch):
    s = _settings(0, guidance, sampler, steps, eta, seed, batch)
    r = rt.speed(s)
    return T.speed_table(r.batch, r.gan_ms, r.gan_nfe, r.diffusion_ms, r.diffusion_nfe, s.sampler, s.steps)


def build() -> None:
    rt.model()  # load the weights now, so the first click pays only for sampling
    gr.Markdown(T.INTRO)
    with gr.Accordion("The reverse process, in formulas", open=False, elem_classes="advanced"):
        gr.Markdown(T.FORMULAS, latex_delimiters=LATEX)

    gr.Markdown("## 1. Denoise, step by step\n" + T.RUN_HELP)
    with gr.Row():
        with gr.Column(scale=1, min_width=240):
            prompt = gr.Dropdown(PROMPTS, value="3", label="Prompt (the digit to draw)")
            guidance = gr.Slider(0, rt.MAX_GUIDANCE, value=recommended_guidance(), step=0.5, label="Guidance w")
            sampler = gr.Radio(list(SAMPLERS), value=list(SAMPLERS)[0], label="Sampler")
            steps = gr.Slider(*rt.DDIM_STEPS, value=50, step=1, label="DDIM steps")
            eta = gr.Slider(0, 1, value=0, step=0.1, label="DDIM eta (0: deterministic, 1: as noisy as DDPM)")
            seed = seed_box("Seed", 0)
            batch = gr.Slider(1, rt.MAX_BATCH, value=16, step=1, label="Batch")
            with gr.Row():
                run_btn = gr.Button("Run", variant="primary")
                step_btn = gr.Button("One step")
        with gr.Column(scale=3):
            with gr.Row():
                img = dict(format="png", elem_classes="pixelated", interactive=False)
                xt, x0, eps = gr.Image(label="x_t: the state", **img), gr.Image(label="predicted clean x0", **img), \
                    gr.Image(label="predicted noise eps", **img)
            status = gr.Markdown()
            scrubber = gr.Slider(0, 1, value=0, step=1, label="Scrub through the finished run", interactive=False)
    trajectory, stepper = gr.State(), gr.State()
    settings = [prompt, guidance, sampler, steps, eta, seed, batch]
    run_btn.click(run, settings, [xt, x0, eps, status, trajectory, scrubber], api_name="reverse_run",
                  show_progress="hidden")
    scrubber.input(scrub, [trajectory, scrubber], [xt, x0, eps, status], api_visibility="private",
                   show_progress="hidden", trigger_mode="always_last")
    step_btn.click(step, [*settings, stepper], [xt, x0, eps, status, stepper], api_name="reverse_step",
                   show_progress="hidden")
    with gr.Row():
        gif_btn, gif_file = gr.Button("Make a GIF of the finished run", size="sm"), gr.File(label="Download GIF")
    gif_btn.click(run_gif, trajectory, gif_file, api_visibility="private")

    gr.Markdown("## 2. Guidance: typical or diverse\n" + T.GRID_HELP)
    with gr.Row():
        g_seed, g_steps = seed_box("Seed", 1), gr.Slider(5, 100, value=20, step=1, label="DDIM steps")
        g_btn = gr.Button("Draw the grid", variant="primary")
    g_img, g_text = gr.Image(label="Guidance grid", format="png", elem_classes="pixelated", interactive=False), gr.Markdown()
    g_btn.click(guidance_grid, [g_seed, g_steps], [g_img, g_text], api_name="reverse_grid")

    gr.Markdown("## 3. Draw, let the judge check, retry\n" + T.RETRY_HELP)
    with gr.Row():
        r_prompt = gr.Dropdown(PROMPTS[1:], value="8", label="Prompt")
        r_cand = gr.Slider(1, rl.MAX_CANDIDATES, value=8, step=1, label="Candidates per round")
        r_guid = gr.Slider(0, rt.MAX_GUIDANCE, value=1, step=0.5, label="Guidance w")
        r_bar = gr.Slider(0.5, 0.999, value=0.99, step=0.001, label="Judge's bar p(digit)")
        r_rounds = gr.Slider(1, rl.MAX_ROUNDS, value=3, step=1, label="Budget: rounds")
        r_steps = gr.Slider(5, 100, value=20, step=1, label="DDIM steps")
        r_seed = seed_box("Seed", 0)
    r_btn = gr.Button("Generate and judge", variant="primary")
    with gr.Row():
        r_gallery = gr.Gallery(label="Every candidate with the judge's score", columns=8, height="auto", format="png",
                               object_fit="contain", elem_classes="pixelated", scale=3)
        r_best = gr.Image(label="Kept", format="png", elem_classes="pixelated", interactive=False, scale=1)
    r_text = gr.Markdown()
    r_btn.click(retry, [r_prompt, r_cand, r_guid, r_bar, r_rounds, r_steps, r_seed], [r_gallery, r_best, r_text],
                api_name="reverse_retry")

    gr.Markdown("## 4. Noise and restore (SDEdit)\n" + T.SDEDIT_HELP)
    with gr.Row():
        with gr.Column():
            s_source = gr.Radio(T.SDEDIT_SOURCES, value=T.SDEDIT_SOURCES[0], label="Start from")
            s_index = gr.Slider(0, len(bundled_sample().images) - 1, value=7, step=1, label="Test digit number (250 per class)")
            s_upload = gr.Image(label="Upload a digit", type="filepath", sources=["upload", "clipboard"])
            s_draw = gr.Sketchpad(label="Draw a digit", type="numpy", canvas_size=(280, 280),
                                  brush=gr.Brush(default_size=18, colors=["#000000"], color_mode="fixed"))
        with gr.Column():
            s_t = gr.Slider(0.05, 1, value=0.5, step=0.05, label="Noise level t")
            s_prompt = gr.Dropdown(PROMPTS, value="none", label="Prompt for the restoration")
            s_guid = gr.Slider(0, rt.MAX_GUIDANCE, value=3, step=0.5, label="Guidance w")
            s_steps = gr.Slider(5, 100, value=25, step=1, label="DDIM steps (for the whole chain)")
            s_seed = seed_box("Seed", 0)
            s_btn = gr.Button("Noise and restore", variant="primary")
            with gr.Row():
                s_src, s_noised, s_out = (gr.Image(label=lbl, format="png", elem_classes="pixelated", interactive=False)
                                          for lbl in ("As the model sees it", "Noised (4 draws)", "Restored"))
            s_text = gr.Markdown()
    s_btn.click(sdedit, [s_source, s_index, s_upload, s_draw, s_t, s_prompt, s_guid, s_steps, s_seed],
                [s_src, s_noised, s_out, s_text], api_name="reverse_sdedit")

    gr.Markdown("## 5. The price of many small steps\n" + T.SPEED_HELP)
    sp_btn = gr.Button("Time the GAN and this diffusion run (settings of section 1)")
    sp_text = gr.Markdown()
    sp_btn.click(speed, [guidance, sampler, steps, eta, seed, batch], sp_text, api_name="reverse_speed")

    LINK_CONTROLS.update(prompt=prompt, w=guidance, sampler=sampler, steps=steps, eta=eta, seed=seed, batch=batch)
