"""GAN tab: sample with verdicts, latent walks, the training story and mode collapse."""
from __future__ import annotations

import os

import numpy as np
import gradio as gr

from .. import gan_tools, plots
from ..media import gif_bytes, grid, strip, upscale
from ..metrics import MAX_ENTROPY
from ..runtime import on_gpu
from . import texts_gan as T
from .common import LATEX, as_int, as_seed, friendly, seed_box
from .files import temp_file

WALK_MODES = ["spherical (slerp)", "linear (lerp)"]
# Gradio batching for /gan_sample (benchmarks/load.py measures it against one request per call).
BATCH_GRIDS = os.environ.get("EXPLAINER_BATCH_GRIDS") == "1"
# Deep links (ui/links.py): ?tab=gan&seed=7&n=16 sets these controls, then runs LINK_RUN. Filled by build().
LINK_CONTROLS: dict = {}
LINK_RUN: dict = {}


def _grid_outputs(s: gan_tools.GanSample):
    # The judge first: thumbnails cut long captions, and "what it looks like" is what a learner reads first.
    items = [(img, f"{s.verdicts.text(i)} · D {s.realness[i]:.2f}") for i, img in enumerate(s.images)]
    digits = int((s.verdicts.labels < 10).sum())
    info = (f"**{len(items)} digits in {s.generate_ms:.1f} ms**: one forward pass of the generator, no iterations. "
            f"The judge reads a digit in {digits} of {len(items)}; D calls {int((s.realness > 0.5).sum())} of them real.")
    return items, info


@friendly
@on_gpu
def sample_grid(seed, count):
    return _grid_outputs(gan_tools.sample(as_seed(seed), as_int(count, "Number of images", 1, gan_tools.MAX_GRID)))


@friendly
@on_gpu
def sample_grids(seeds, counts):
    """Gradio-batched twin of sample_grid (lists in, lists out). One bad request fails its whole batch,
    which is why it is off by default (see BATCH_GRIDS)."""
    requests = [(as_seed(s), as_int(c, "Number of images", 1, gan_tools.MAX_GRID)) for s, c in zip(seeds, counts)]
    outs = [_grid_outputs(s) for s in gan_tools.sample_many(requests)]
    return [o[0] for o in outs], [o[1] for o in outs]


@friendly
@on_gpu
def walk(seed_a, seed_b, steps, mode):
    if mode not in WALK_MODES:
        raise ValueError(f"Path must be one of: {', '.join(WALK_MODES)}.")
    w = gan_tools.latent_walk(as_seed(seed_a), as_seed(seed_b), as_int(steps, "Steps", 2, gan_tools.MAX_WALK_STEPS),
                              spherical=mode == WALK_MODES[0])
    frames = [upscale(im, 6) for im in w.images]
    gif = temp_file(gif_bytes(frames + frames[-2:0:-1], fps=10), ".gif")
    norms = plots.line(np.linspace(0, 1, len(w.z_norms)), {"|z| along the path": w.z_norms,
                       "typical |z| = √64": np.full(len(w.z_norms), w.typical_norm)},
                       "Length of the noise vector along the walk", "position on the path", "|z|")
    labels = " → ".join(w.verdicts.text(i) for i in range(len(w.images)))
    return strip(w.images, scale=3), gif, gif, norms, f"The judge along the way: {labels}"


def _story(index: int):
    h = gan_tools.history("gan")
    k = as_int(index, "Checkpoint", 0, h.checkpoints - 1)
    step = int(h.ckpt_step[k])
    losses = plots.gan_losses(h.loss_step, h.loss_d, h.loss_g, h.d_real, h.d_fake, step, h.steps_per_epoch)
    near = int(np.clip(np.searchsorted(h.loss_step, step), 0, len(h.loss_step) - 1))
    hist = plots.class_histogram(h.ckpt_hist[k], f"Judge's labels for 1,000 samples at epoch {step / h.steps_per_epoch:.2f}")
    info = (f"**Epoch {step / h.steps_per_epoch:.2f}** (step {step}). Loss D ≈ {h.loss_d[near]:.2f}, loss G ≈ {h.loss_g[near]:.2f}. "
            f"Judge recognizes {h.ckpt_recognizability[k]:.0%} of samples; spread over digits "
            f"{h.ckpt_entropy[k]:.2f} of {MAX_ENTROPY:.2f} nats.")
    return losses, grid(h.ckpt_images[k], cols=8, scale=3), hist, info


story = friendly(_story)


@friendly
def story_gif():
    h = gan_tools.history("gan")
    return temp_file(gif_bytes([grid(im, cols=8, scale=3) for im in h.ckpt_images], fps=4), ".gif")


@friendly
@on_gpu
def collapse(seed):
    seed = as_seed(seed)
    out = []
    for name, title in (("gan", "Healthy GAN"), ("gan_collapsed", "Collapsed GAN")):
        s = gan_tools.class_spread(name, seed)
        out += [grid(s.images, cols=8, scale=3),
                plots.class_histogram(s.histogram, f"{title}: entropy {s.entropy:.2f} / {MAX_ENTROPY:.2f}",
                                      color="#636efa" if name == "gan" else "#ef553b"),
                f"**{title}**: entropy {s.entropy:.2f} nats ({s.entropy / MAX_ENTROPY:.0%} of an even spread), "
                f"recognizability {s.recognizability:.0%}."]
    return out


def build() -> None:
    gr.Markdown(T.INTRO)
    with gr.Accordion("The losses, in formulas", open=False, elem_classes="advanced"):
        gr.Markdown(T.FORMULAS, latex_delimiters=LATEX)

    gr.Markdown("## 1. Sample: noise in, digit out")
    with gr.Row():
        with gr.Column(scale=1, min_width=220):
            seed = seed_box("Seed", 0)
            count = gr.Slider(1, gan_tools.MAX_GRID, value=32, step=1, label="Number of images")
            run = gr.Button("Generate", variant="primary")
            dice = gr.Button("🎲 Random seed")
            gr.Markdown(T.SAMPLE_HELP)
        with gr.Column(scale=3):
            gallery = gr.Gallery(label="Generated digits", columns=8, height="auto", format="png",
                                 object_fit="contain", elem_classes="pixelated")
            info = gr.Markdown()
    grid_fn = dict(fn=sample_grids, batch=True, max_batch_size=8) if BATCH_GRIDS else dict(fn=sample_grid)
    run.click(inputs=[seed, count], outputs=[gallery, info], api_name="gan_sample", **grid_fn)
    dice.click(lambda: int(np.random.randint(0, 100_000)), None, seed, api_visibility="private").then(
        inputs=[seed, count], outputs=[gallery, info], api_visibility="private", **grid_fn)
    gr.Markdown(T.STRENGTHS)

    gr.Markdown("## 2. Walk through the latent space")
    gr.Markdown(T.WALK_HELP)
    with gr.Row():
        seed_a, seed_b = seed_box("Start seed", 1), seed_box("End seed", 2)
        steps = gr.Slider(2, gan_tools.MAX_WALK_STEPS, value=12, step=1, label="Steps")
        mode = gr.Radio(WALK_MODES, value=WALK_MODES[0], label="Path")
    walk_btn = gr.Button("Walk", variant="primary")
    walk_strip = gr.Image(label="The walk, left to right", format="png", elem_classes="pixelated", interactive=False)
    with gr.Row():
        walk_gif = gr.Image(label="As an animation (download for slides)", type="filepath", interactive=False,
                            elem_classes="pixelated", height=220)
        walk_norm = gr.Plot(label="|z| along the path")
    walk_file = gr.File(label="Download GIF")
    walk_text = gr.Markdown()
    walk_btn.click(walk, [seed_a, seed_b, steps, mode], [walk_strip, walk_gif, walk_file, walk_norm, walk_text],
                   api_name="gan_walk")

    gr.Markdown("## 3. The training story: losses say little about quality")
    gr.Markdown(T.STORY_HELP)
    h = gan_tools.history("gan")
    ckpt = gr.Slider(0, h.checkpoints - 1, value=h.checkpoints - 1, step=1, label="Checkpoint (drag to scrub through training)")
    first = _story(h.checkpoints - 1)
    story_loss = gr.Plot(first[0], label="Losses")
    with gr.Row():
        story_grid = gr.Image(first[1], label="Same 64 noise vectors at this checkpoint", format="png",
                              elem_classes="pixelated", interactive=False)
        story_hist = gr.Plot(first[2], label="Class histogram")
    story_info = gr.Markdown(first[3])
    ckpt.change(story, ckpt, [story_loss, story_grid, story_hist, story_info], api_name="gan_history",
                show_progress="hidden", trigger_mode="always_last")
    with gr.Row():
        gif_btn = gr.Button("Make a GIF of the whole training")
        story_gif_out = gr.File(label="Training GIF")
    gif_btn.click(story_gif, None, story_gif_out, api_name="gan_history_gif")

    gr.Markdown("## 4. Mode collapse, measured")
    gr.Markdown(T.COLLAPSE_HELP)
    with gr.Row():
        c_seed = seed_box("Seed", 0)
        c_btn = gr.Button("Sample 1,000 from each and let the judge count", variant="primary")
    outs = []
    with gr.Row():
        for title in ("Healthy", "Collapsed"):
            with gr.Column():
                outs += [gr.Image(label=f"{title} generator: 32 samples", format="png", elem_classes="pixelated",
                                  interactive=False), gr.Plot(label=f"{title}: class histogram"), gr.Markdown()]
    c_btn.click(collapse, c_seed, outs, api_name="gan_collapse")

    LINK_CONTROLS.update(seed=seed, n=count, walk_from=seed_a, walk_to=seed_b, walk_steps=steps, path=mode, checkpoint=ckpt)
    LINK_RUN.update(fn=sample_grid, inputs=[seed, count], outputs=[gallery, info])
