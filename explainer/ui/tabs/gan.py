"""GAN tab: sample with verdicts, latent walks, the training story and mode collapse."""
from __future__ import annotations

import os

import numpy as np
import gradio as gr

from explainer.lessons import gan as gan_lesson
from explainer.draw import plots
from explainer.draw.figures import captioned_grid
from explainer.draw.images import gif_bytes, grid, strip, upscale
from explainer.evaluation.metrics import MAX_ENTROPY
from explainer.runtime.device import on_gpu
from explainer.ui.words.en import gan as T
from explainer.ui.words.ru import gan as gan_ru
from explainer.ui import i18n
from explainer.ui import first_results
from explainer.ui.serving import cached, light
from explainer.ui.widgets import download_button, intro, seed_box
from explainer.ui.validation import as_choice, as_int, as_seed, friendly
from explainer.ui.files import temp_file

W = i18n.Words("gan", T, gan_ru)
WALK_MODES = ["spherical (slerp)", "linear (lerp)"]  # API values; the page shows PATH_SLERP / PATH_LERP
# Gradio batching for /gan_sample (benchmarks/load.py measures it against one request per call).
BATCH_GRIDS = os.environ.get("EXPLAINER_BATCH_GRIDS") == "1"
# Deep links (ui/links.py): ?tab=gan&seed=7&n=16 sets these controls, then runs LINK_RUN. Filled by build().
LINK_CONTROLS: dict = {}
LINK_RUN: dict = {}
FIRST_SEED, FIRST_COUNT = 0, 24  # the grid shown on arrival: three rows of eight fit a projector's first screen


GRID_COLS = 8


def captions(s: gan_lesson.GanSample) -> list[tuple[str, str]]:
    """Under each digit, in the page's language: the judge's reading first (what a learner reads first), then D's
    belief that it is real."""
    return [(i18n.localize(s.verdicts.text(i)), f"D {s.realness[i]:.2f}") for i in range(len(s.images))]


def grid_outputs(s: gan_lesson.GanSample):
    """A sample as one figure (each digit with its captions drawn under it) and its summary line."""
    captioned = captions(s)
    figure = captioned_grid(s.images, captioned, cols=min(GRID_COLS, len(s.images)))
    digits = int((s.verdicts.labels < 10).sum())
    info = W.text("GRID_INFO", n=len(captioned), ms=s.generate_ms, digits=digits, real=int((s.realness > 0.5).sum()))
    return figure, info


def draw(seed, count) -> gan_lesson.GanSample:
    """The model work of sample_grid, apart from its words: the tour draws its first grid once for every language."""
    return gan_lesson.sample(as_seed(seed), as_int(count, "Number of images", 1, gan_lesson.MAX_GRID))


@cached
@friendly
@on_gpu
def sample_grid(seed, count):
    return grid_outputs(draw(seed, count))


@friendly
@on_gpu
def sample_grids(seeds, counts):
    """Gradio-batched twin of sample_grid (lists in, lists out). One bad request fails its whole batch,
    which is why it is off by default (see BATCH_GRIDS)."""
    requests = [(as_seed(s), as_int(c, "Number of images", 1, gan_lesson.MAX_GRID)) for s, c in zip(seeds, counts)]
    outs = [grid_outputs(s) for s in gan_lesson.sample_many(requests)]
    return [o[0] for o in outs], [o[1] for o in outs]


@cached(files=True)
@friendly
@on_gpu
def walk(seed_a, seed_b, steps, mode):
    as_choice(mode, "Path", WALK_MODES)
    w = gan_lesson.latent_walk(as_seed(seed_a), as_seed(seed_b), as_int(steps, "Steps", 2, gan_lesson.MAX_WALK_STEPS),
                              spherical=mode == WALK_MODES[0])
    frames = [upscale(im, 6) for im in w.images]
    gif = temp_file(gif_bytes(frames + frames[-2:0:-1], fps=10), ".gif", name=f"gan-walk-{as_seed(seed_a)}-to-{as_seed(seed_b)}")
    norms = plots.line(np.linspace(0, 1, len(w.z_norms)), {W.text("WALK_NORM"): w.z_norms,
                       W.text("WALK_TYPICAL"): np.full(len(w.z_norms), w.typical_norm)},
                       W.text("WALK_PLOT_TITLE"), W.text("WALK_PLOT_X"), "|z|")
    labels = " → ".join(w.verdicts.text(i) for i in range(len(w.images)))
    return strip(w.images, scale=3), gif, gif, norms, W.text("WALK_JUDGE", labels=labels)


def _story(index: int):
    h = gan_lesson.history("gan")
    k = as_int(index, "Checkpoint", 0, h.checkpoints - 1)
    step = int(h.ckpt_step[k])
    losses = plots.gan_losses(h.loss_step, h.loss_d, h.loss_g, h.d_real, h.d_fake, step, h.steps_per_epoch)
    near = int(np.clip(np.searchsorted(h.loss_step, step), 0, len(h.loss_step) - 1))
    hist = plots.class_histogram(h.ckpt_hist[k], W.text("STORY_HIST_TITLE", n=h.ckpt_judged, epoch=step / h.steps_per_epoch))
    info = W.text("STORY_INFO", epoch=step / h.steps_per_epoch, step=step, loss_d=h.loss_d[near], loss_g=h.loss_g[near],
                  recognized=h.ckpt_recognizability[k], entropy=h.ckpt_entropy[k], max_entropy=MAX_ENTROPY)
    return losses, grid(h.ckpt_images[k], cols=8, scale=3), hist, info


story = cached(light(friendly(_story)))


@cached(files=True)
@friendly
def story_gif():
    h = gan_lesson.history("gan")
    return temp_file(gif_bytes([grid(im, cols=8, scale=3) for im in h.ckpt_images], fps=4), ".gif", name="gan-training")


def _spreads(seed) -> list[tuple[str, gan_lesson.Spread]]:
    return [(name, gan_lesson.class_spread(name, as_seed(seed))) for name in ("gan", "gan_collapsed")]


def _collapse_outputs(spreads) -> list:
    out = []
    for name, s in spreads:
        title = W.text("HEALTHY_GAN" if name == "gan" else "COLLAPSED_GAN")
        out += [grid(s.images, cols=8, scale=3),
                plots.class_histogram(s.histogram, W.text("COLLAPSE_HIST_TITLE", title=title, entropy=s.entropy,
                                                          max_entropy=MAX_ENTROPY),
                                      color="#636efa" if name == "gan" else "#ef553b"),
                W.text("COLLAPSE_INFO", title=title, entropy=s.entropy, share=s.entropy / MAX_ENTROPY,
                       recognized=s.recognizability)]
    return out


@cached
@friendly
@on_gpu
def collapse(seed):
    return _collapse_outputs(_spreads(seed))


def build() -> None:
    intro(W, formulas=True)

    gr.Markdown(W("S1_TITLE"))
    first_sample = draw(FIRST_SEED, FIRST_COUNT)
    first = first_results.each_language(lambda: grid_outputs(first_sample))
    with gr.Row():
        with gr.Column(scale=1, min_width=220):
            seed = seed_box(W("SEED"), FIRST_SEED)
            count = gr.Slider(1, gan_lesson.MAX_GRID, value=FIRST_COUNT, step=1, label=W("COUNT"))
            run = gr.Button(W("GENERATE"), variant="primary")
            dice = gr.Button(W("RANDOM_SEED"))
            gr.Markdown(W("SAMPLE_HELP"))
        with gr.Column(scale=3, elem_classes="demo-picture"):
            gallery = gr.Image(first[0], label=W("GALLERY"), format="png", interactive=False, elem_classes="figure")
            first_results.on_load_in_language(gallery, first.part(0))  # captions are drawn in ("not a digit" among them)
            info = gr.Markdown(W.pin("GRID_INFO_FIRST", first.part(1)))
    grid_fn = dict(fn=sample_grids, batch=True, max_batch_size=8) if BATCH_GRIDS else dict(fn=sample_grid)
    run.click(inputs=[seed, count], outputs=[gallery, info], api_name="gan_sample", **grid_fn)
    dice.click(light(lambda: int(np.random.randint(0, 100_000))), None, seed, api_visibility="private").then(
        inputs=[seed, count], outputs=[gallery, info], api_visibility="private", **grid_fn)
    gr.Markdown(W("STRENGTHS"))

    gr.Markdown(W("S2_TITLE", "WALK_HELP"))
    with gr.Row():
        seed_a, seed_b = seed_box(W("START_SEED"), 1), seed_box(W("END_SEED"), 2)
        steps = gr.Slider(2, gan_lesson.MAX_WALK_STEPS, value=12, step=1, label=W("STEPS"))
        mode = gr.Radio(W.choices(dict(zip(WALK_MODES, ("PATH_SLERP", "PATH_LERP")))), value=WALK_MODES[0], label=W("PATH"))
    walk_btn = gr.Button(W("WALK"), variant="primary")
    first_walk = first_results.each_language(lambda: walk(1, 2, 12, WALK_MODES[0]))
    walk_strip = gr.Image(first_walk[0], label=W("WALK_STRIP"), format="png", elem_classes="pixelated", interactive=False)
    with gr.Row():
        walk_gif = gr.Image(first_walk[1], label=W("WALK_GIF"), type="filepath", interactive=False,
                            elem_classes="pixelated", height=220)
        walk_norm = gr.Plot(first_walk[3], label=W("WALK_NORM_PLOT"))
    walk_file = download_button(W("DOWNLOAD_GIF"), first_walk[1])
    walk_text = gr.Markdown(W.pin("WALK_FIRST", first_walk.part(4)))
    first_results.on_load_in_language(walk_norm, first_walk.part(3))
    walk_btn.click(walk, [seed_a, seed_b, steps, mode], [walk_strip, walk_gif, walk_file, walk_norm, walk_text],
                   api_name="gan_walk")

    gr.Markdown(W("S3_TITLE", "STORY_HELP"))
    h = gan_lesson.history("gan")
    ckpt = gr.Slider(0, h.checkpoints - 1, value=h.checkpoints - 1, step=1, label=W("CHECKPOINT"))
    first = first_results.each_language(lambda: _story(h.checkpoints - 1))
    story_loss = gr.Plot(first[0], label=W("LOSSES"))
    with gr.Row():
        story_grid = gr.Image(first[1], label=W("STORY_GRID"), format="png", elem_classes="pixelated", interactive=False)
        story_hist = gr.Plot(first[2], label=W("CLASS_HISTOGRAM"))
    story_info = gr.Markdown(W.pin("STORY_INFO_FIRST", first.part(3)))
    first_results.on_load_in_language(story_loss, first.part(0))
    first_results.on_load_in_language(story_hist, first.part(2))
    ckpt.change(story, ckpt, [story_loss, story_grid, story_hist, story_info], api_name="gan_history",
                show_progress="hidden", trigger_mode="always_last")
    story_gif_out = download_button(W("TRAINING_GIF"), story_gif())  # made once, here: it never changes
    # The endpoint stays for API users (README); on the page the download above already holds the file.
    gr.Button(W("MAKE_GIF"), visible=False).click(story_gif, None, story_gif_out, api_name="gan_history_gif")

    gr.Markdown(W("S4_TITLE", "COLLAPSE_HELP"))
    with gr.Row():
        c_seed = seed_box(W("SEED"), 0)
        c_btn = gr.Button(W("COLLAPSE_RUN"), variant="primary")
    outs = []
    first_spreads = _spreads(0)
    first_collapse = first_results.each_language(lambda: _collapse_outputs(first_spreads))
    with gr.Row():
        for k, kind in enumerate(("HEALTHY", "COLLAPSED")):
            with gr.Column():
                outs += [gr.Image(first_collapse[3 * k], label=W(f"{kind}_SAMPLES"), format="png",
                                  elem_classes="pixelated", interactive=False),
                         gr.Plot(first_collapse[3 * k + 1], label=W(f"{kind}_HISTOGRAM")),
                         gr.Markdown(W.pin(f"{kind}_FIRST", first_collapse.part(3 * k + 2)))]
                first_results.on_load_in_language(outs[-2], first_collapse.part(3 * k + 1))
    c_btn.click(collapse, c_seed, outs, api_name="gan_collapse")

    LINK_CONTROLS.update(seed=seed, n=count, walk_from=seed_a, walk_to=seed_b, walk_steps=steps, path=mode, checkpoint=ckpt)
    LINK_RUN.update(fn=sample_grid, inputs=[seed, count], outputs=[gallery, info])
