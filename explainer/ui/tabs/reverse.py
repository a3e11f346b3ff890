"""Reverse diffusion tab: noise becomes a digit step by step, steered by a prompt and guidance."""
from __future__ import annotations

import gradio as gr
import numpy as np

from explainer.lessons import retry_and_sdedit as rl
from explainer.lessons import reverse as rt
from explainer.data.bundled import PRETRAINED_DIR, bundled_sample
from explainer.draw.figures import captioned_grid
from explainer.draw.images import grid
from explainer.evaluation.diffusion_card import recommended_eta, recommended_guidance
from explainer.runtime.device import on_gpu
from explainer.ui.words.en import reverse as T
from explainer.ui.words.ru import reverse as reverse_ru
from explainer.ui import i18n
from explainer.ui import first_results
from explainer.ui.widgets import LATEX, download_button, intro, seed_box
from explainer.ui.validation import Invalid, as_choice, as_float, as_int, as_seed, friendly
from explainer.ui.picture_inputs import size_checked_sketchpad, picture_upload
from explainer.ui import runs
from explainer.ui.serving import cached, frame_interval, light

W = i18n.Words("reverse", T, reverse_ru)

SAMPLERS = {T.SAMPLER_DDIM: "ddim", T.SAMPLER_DDPM: "ddpm"}  # API values (English labels) -> sampler
# Deep links (ui/links.py): ?tab=reverse&prompt=7&w=3&seed=1 sets these (the run waits for a click).
LINK_CONTROLS: dict = {}
GIF_NAME = "reverse-diffusion-run"
FIRST_STEPS, FIRST_BATCH = 50, 16  # the run shown on arrival (DDIM at the card's guidance and eta)


def available() -> bool:
    return (PRETRAINED_DIR / f"{rt.MODEL}.safetensors").exists()


def checked_settings(prompt, guidance, sampler, steps, eta, seed, batch) -> rt.Settings:
    sampler = SAMPLERS[as_choice(sampler, "Sampler", list(SAMPLERS))]
    return rt.Settings(runs.prompt(prompt), as_float(guidance, "Guidance w", 0, rt.MAX_GUIDANCE), sampler,
                       as_int(steps, "Steps", *rt.DDIM_STEPS) if sampler == "ddim" else 1000,
                       as_float(eta, "eta", 0, 1), as_seed(seed), as_int(batch, "Batch", 1, rt.MAX_BATCH)).checked()


def _status(f: rt.Frame, what: str, timing: str | None = None) -> str:
    """`what` names a words entry (RUNNING, DONE, ...); `timing` replaces the default total-seconds tail."""
    head = W.text("STATUS", what=W.text(what), index=f.index, steps=f.steps, t=f.k / rt.schedule().T, k=f.k, nfe=f.nfe)
    return head + (timing if timing is not None else W.text("STATUS_TIME", s=f.elapsed_ms / 1000))


def _frame_outputs(f: rt.Frame, what: str):
    return runs.show(f.x_t), runs.show(f.x0), runs.show(f.eps), _status(f, what)


def _running_outputs(f: rt.Frame):
    """A frame while the run goes on: the status ends with the time left, extrapolated from the steps so far."""
    left = f.elapsed_ms / 1000 * (f.steps - f.index) / max(f.index, 1)
    return *_frame_outputs(f, "RUNNING")[:3], _status(f, "RUNNING", W.text("STATUS_LEFT", s=f.elapsed_ms / 1000, left=left))


@cached(max_size=16)  # a finished run keeps its trajectory (~2 MB at batch 16) for the scrubber
@friendly
@on_gpu
def run(prompt, guidance, sampler, steps, eta, seed, batch):
    """Stream a whole run (frames subsampled to ~10 a second), then arm the scrubber with the trajectory."""
    s = checked_settings(prompt, guidance, sampler, steps, eta, seed, batch)
    for item in rt.stream(s, interval_s=frame_interval()):
        if isinstance(item, rt.Frame):
            if not item.done:  # the last frame comes with the trajectory, right after
                yield *_running_outputs(item), gr.skip(), gr.skip()
        else:
            last = item.frame(len(item) - 1)
            text = _status(last, "DONE") + W.text("STATUS_FIRST_FRAME", ms=item.first_frame_ms)
            yield (*_frame_outputs(last, "DONE")[:3], text, item,
                   gr.Slider(maximum=len(item) - 1, value=len(item) - 1, interactive=True))


@light
@friendly
def scrub(trajectory, index):
    if not isinstance(trajectory, rt.Trajectory):
        raise Invalid("RUN_FIRST", W)
    return _frame_outputs(trajectory.frame(as_int(index, "Frame", 0, len(trajectory) - 1)), "RECORDED")


@friendly
@on_gpu
def step(prompt, guidance, sampler, steps, eta, seed, batch, stepper):
    """One reverse step per click; changing any setting starts a new run from its noise."""
    s = checked_settings(prompt, guidance, sampler, steps, eta, seed, batch)
    if not isinstance(stepper, rt.Stepper) or stepper.settings != s or stepper.finished:
        stepper = rt.start_stepper(s)
    stepper, f = rt.step_once(stepper)
    return (*_frame_outputs(f, "STEPPING")[:3], _status(f, "STEPPING", W.text("STATUS_STEP_TIME", ms=f.elapsed_ms)),
            stepper)


@cached
@friendly
@on_gpu
def guidance_grid(seed, steps):
    return _grid_outputs(rt.guidance_grid(as_seed(seed), as_int(steps, "Steps", rt.DDIM_STEPS[0], 100)))


def _grid_outputs(g):
    rows = grid(g.images.reshape(-1, 28, 28), cols=10, scale=3)
    text = W.text("GRID_TEXT", weights=", ".join(f"{w:g}" for w in g.weights), nfe=g.nfe, s=g.ms / 1000)
    return rows, text


@cached
@friendly
@on_gpu
def retry(prompt, candidates, guidance, bar, rounds, steps, seed):
    digit = runs.prompt(prompt)
    if digit is None:
        raise Invalid("NEED_PROMPT", W)
    r = rl.retry_until_sure(digit, as_int(candidates, "Candidates", 1, rl.MAX_CANDIDATES),
                            as_float(guidance, "Guidance w", 0, rt.MAX_GUIDANCE), as_int(steps, "Steps", 5, 100),
                            as_seed(seed), as_float(bar, "Judge's bar", 0.5, 0.999), as_int(rounds, "Rounds", 1, rl.MAX_ROUNDS))
    return _retry_outputs(r, digit)


def _retry_outputs(r, digit: int):
    """Every candidate in one figure, a row per round, each with its round and the judge's p(digit) under it."""
    images = np.concatenate([rd.images for rd in r.rounds])
    captions = [(f"p({digit}) = {sc:.3f}", W.text("ROUND_CAPTION_ROUND", round=i + 1))
                for i, rd in enumerate(r.rounds) for sc in rd.scores]
    figure = captioned_grid(images, captions, cols=len(r.rounds[0].images))
    verdict = W.text("SATISFIED" if r.satisfied else "NOT_SATISFIED")
    text = W.text("RETRY_TEXT", digit=digit, best=r.best_score, verdict=verdict, rounds=len(r.rounds),
                  candidates=len(r.rounds[0].images), nfe=r.nfe, s=r.ms / 1000)
    return figure, runs.show(r.best_image[None], scale=6), text


@cached
@friendly
@on_gpu
def sdedit(source, index, upload, drawing, t, prompt, guidance, steps, seed):
    source = as_choice(source, "Source", T.SDEDIT_SOURCES)
    idx = as_int(index, "Test digit number", 0, len(bundled_sample().images) - 1)
    if source == T.SDEDIT_SOURCES[0]:
        x = rl.sdedit_source(bundled=idx)
    elif source == T.SDEDIT_SOURCES[1]:
        if upload in (None, ""):
            raise Invalid("NEED_UPLOAD", W)
        x = rl.sdedit_source(upload=upload)
    else:
        if drawing is None:
            raise Invalid("NEED_DRAWING", W)
        x = rl.sdedit_source(drawing=drawing)
    r = rl.noise_and_restore(x, as_float(t, "Noise level t", 0.01, 1), runs.prompt(prompt),
                             as_float(guidance, "Guidance w", 0, rt.MAX_GUIDANCE), as_int(steps, "Steps", 5, 100),
                             as_seed(seed))
    return _sdedit_outputs(r)


def _sdedit_outputs(r):
    text = W.text("SDEDIT_TEXT", t=r.k_start / rt.schedule().T, k=r.k_start, nfe=r.nfe, s=r.ms / 1000,
                  digits=", ".join(map(str, r.judge_digits)))
    return runs.show(r.source[None], scale=6), runs.show(r.noised), runs.show(r.restored), text


@friendly
@on_gpu
def speed(guidance, sampler, steps, eta, seed, batch):
    s = checked_settings(0, guidance, sampler, steps, eta, seed, batch)
    r = rt.speed(s)
    return W.text("SPEED_TABLE", batch=r.batch, gan_ms=r.gan_ms, gan_nfe=r.gan_nfe, diff_ms=r.diffusion_ms,
                  diff_nfe=r.diffusion_nfe, sampler=s.sampler.upper(), steps=s.steps,
                  ratio=r.diffusion_ms / max(r.gan_ms, 1e-3))


def build() -> None:
    rt.model()  # load the weights now, so the first click pays only for sampling
    intro(W, formulas=True)

    prompts = [(W("PROMPT_NONE"), "none")] + runs.PROMPTS[1:]
    first_settings = ("3", recommended_guidance(), T.SAMPLER_DDIM, FIRST_STEPS, recommended_eta(), 0, FIRST_BATCH)
    first_run = [item for item in rt.stream(checked_settings(*first_settings)) if isinstance(item, rt.Trajectory)][0]
    first_last = first_run.frame(len(first_run) - 1)
    first = first_results.each_language(lambda: _frame_outputs(first_last, "DONE"))
    gr.Markdown(W("S1_TITLE"))
    with gr.Row():
        with gr.Column(scale=1, min_width=240):
            with gr.Row():  # the buttons first: pressing them must not scroll the pictures away
                run_btn = gr.Button(W("RUN"), variant="primary")
                step_btn = gr.Button(W("ONE_STEP"))
                stop_btn = gr.Button(W("STOP"), variant="stop")
            prompt = gr.Dropdown(prompts, value=first_settings[0], label=W("PROMPT_TO_DRAW"))
            guidance = gr.Slider(0, rt.MAX_GUIDANCE, value=first_settings[1], step=0.5, label=W("GUIDANCE"))
            steps = gr.Slider(*rt.DDIM_STEPS, value=FIRST_STEPS, step=1, label=W("DDIM_STEPS"))
            seed = seed_box(W("SEED"), 0)
            with gr.Accordion(W("MORE_SETTINGS"), open=False):
                sampler = gr.Radio([(W("SAMPLER_DDIM"), T.SAMPLER_DDIM), (W("SAMPLER_DDPM"), T.SAMPLER_DDPM)],
                                   value=T.SAMPLER_DDIM, label=W("SAMPLER"))
                eta = gr.Slider(0, 1, value=first_settings[4], step=0.1, label=W("ETA"))
                batch = gr.Slider(1, rt.MAX_BATCH, value=FIRST_BATCH, step=1, label=W("BATCH"))
        with gr.Column(scale=3, elem_classes="demo-picture"):
            with gr.Row():
                img = dict(format="png", elem_classes="pixelated", interactive=False)
                xt, x0, eps = (gr.Image(first[0], label=W("XT"), **img), gr.Image(first[1], label=W("X0"), **img),
                               gr.Image(first[2], label=W("EPS"), **img))
            status = gr.Markdown(W.pin("STATUS_FIRST", first.part(3)))
            scrubber = gr.Slider(0, 1, value=0, step=1, label=W("SCRUBBER"), interactive=False)
            gif_btn = gr.Button(W("MAKE_GIF"), size="sm")
            gif_file = download_button(W("DOWNLOAD_GIF"), runs.run_gif_file(first_run, GIF_NAME))
    gr.Markdown(W("RUN_HELP"), latex_delimiters=LATEX)
    trajectory, stepper = gr.State(), gr.State()
    settings = [prompt, guidance, sampler, steps, eta, seed, batch]
    running = run_btn.click(run, settings, [xt, x0, eps, status, trajectory, scrubber], api_name="reverse_run",
                            show_progress="hidden")
    stop_btn.click(None, cancels=[running])  # the frames shown so far stay
    scrubber.input(scrub, [trajectory, scrubber], [xt, x0, eps, status], api_visibility="private",
                   show_progress="hidden", trigger_mode="always_last")
    step_btn.click(step, [*settings, stepper], [xt, x0, eps, status, stepper], api_name="reverse_step",
                   show_progress="hidden")
    gif_btn.click(runs.gif_handler(GIF_NAME), trajectory, gif_file, api_visibility="private")

    gr.Markdown(W("S2_TITLE", "GRID_HELP", sep="\n"))
    with gr.Row():
        g_seed, g_steps = seed_box(W("SEED"), 1), gr.Slider(5, 100, value=20, step=1, label=W("DDIM_STEPS"))
        g_btn = gr.Button(W("DRAW_GRID"), variant="primary")
    first_g = rt.guidance_grid(1, 20)
    first_grid = first_results.each_language(lambda: _grid_outputs(first_g))
    g_img = gr.Image(first_grid[0], label=W("GUIDANCE_GRID"), format="png", elem_classes="pixelated", interactive=False)
    g_text = gr.Markdown(W.pin("GRID_FIRST", first_grid.part(1)))
    g_btn.click(guidance_grid, [g_seed, g_steps], [g_img, g_text], api_name="reverse_grid")

    gr.Markdown(W("S3_TITLE", "RETRY_HELP", sep="\n"))
    with gr.Row():
        r_prompt = gr.Dropdown(runs.PROMPTS[1:], value="8", label=W("PROMPT"))
        r_cand = gr.Slider(1, rl.MAX_CANDIDATES, value=8, step=1, label=W("CANDIDATES"))
        r_guid = gr.Slider(0, rt.MAX_GUIDANCE, value=1, step=0.5, label=W("GUIDANCE"))
        r_bar = gr.Slider(0.5, 0.999, value=0.99, step=0.001, label=W("BAR"))
        r_rounds = gr.Slider(1, rl.MAX_ROUNDS, value=3, step=1, label=W("ROUNDS"))
        r_steps = gr.Slider(5, 100, value=20, step=1, label=W("DDIM_STEPS"))
        r_seed = seed_box(W("SEED"), 0)
    r_btn = gr.Button(W("GENERATE_AND_JUDGE"), variant="primary")
    first_r = rl.retry_until_sure(8, 8, 1.0, 20, 0, threshold=0.99, max_rounds=3)
    first_retry = first_results.each_language(lambda: _retry_outputs(first_r, 8))
    with gr.Row():
        r_gallery = gr.Image(first_retry[0], label=W("CANDIDATE_GALLERY"), format="png", interactive=False,
                             elem_classes="figure", scale=3)
        r_best = gr.Image(first_retry[1], label=W("KEPT"), format="png", elem_classes="pixelated", interactive=False,
                          scale=1)
    first_results.on_load_in_language(r_gallery, first_retry.part(0))  # its captions are drawn in
    r_text = gr.Markdown(W.pin("RETRY_FIRST", first_retry.part(2)))
    r_btn.click(retry, [r_prompt, r_cand, r_guid, r_bar, r_rounds, r_steps, r_seed], [r_gallery, r_best, r_text],
                api_name="reverse_retry")

    gr.Markdown(W("S4_TITLE", "SDEDIT_HELP", sep="\n"))
    sources = [(W(name), value) for name, value in zip(("SOURCE_TEST_DIGIT", "SOURCE_UPLOAD", "SOURCE_DRAWING"),
                                                       T.SDEDIT_SOURCES)]
    with gr.Row():
        with gr.Column():
            s_source = gr.Radio(sources, value=T.SDEDIT_SOURCES[0], label=W("START_FROM"))
            s_index = gr.Slider(0, len(bundled_sample().images) - 1, value=7, step=1, label=W("TEST_DIGIT_NUMBER"))
            s_upload = picture_upload(W("UPLOAD_DIGIT"))
            s_draw = size_checked_sketchpad(label=W("DRAW_DIGIT"), type="numpy", canvas_size=(280, 280),
                                            brush=gr.Brush(default_size=18, colors=["#000000"], color_mode="fixed"))
        with gr.Column():
            s_t = gr.Slider(0.05, 1, value=0.5, step=0.05, label=W("NOISE_LEVEL"))
            s_prompt = gr.Dropdown(prompts, value="none", label=W("RESTORE_PROMPT"))
            s_guid = gr.Slider(0, rt.MAX_GUIDANCE, value=3, step=0.5, label=W("GUIDANCE"))
            s_steps = gr.Slider(5, 100, value=25, step=1, label=W("CHAIN_STEPS"))
            s_seed = seed_box(W("SEED"), 0)
            s_btn = gr.Button(W("NOISE_AND_RESTORE"), variant="primary")
            first_s = rl.noise_and_restore(rl.sdedit_source(bundled=7), 0.5, None, 3.0, 25, 0)
            first_sdedit = first_results.each_language(lambda: _sdedit_outputs(first_s))
            with gr.Row():
                s_src, s_noised, s_out = (gr.Image(first_sdedit[k], label=W(name), format="png", elem_classes="pixelated",
                                                   interactive=False)
                                          for k, name in enumerate(("AS_MODEL_SEES", "NOISED", "RESTORED")))
            s_text = gr.Markdown(W.pin("SDEDIT_FIRST", first_sdedit.part(3)))
    s_btn.click(sdedit, [s_source, s_index, s_upload, s_draw, s_t, s_prompt, s_guid, s_steps, s_seed],
                [s_src, s_noised, s_out, s_text], api_name="reverse_sdedit")

    gr.Markdown(W("S5_TITLE", "SPEED_HELP", sep="\n"))
    sp_btn = gr.Button(W("TIME_IT"))
    sp_text = gr.Markdown()
    sp_btn.click(speed, [guidance, sampler, steps, eta, seed, batch], sp_text, api_name="reverse_speed")

    LINK_CONTROLS.update(prompt=prompt, w=guidance, sampler=sampler, steps=steps, eta=eta, seed=seed, batch=batch)
