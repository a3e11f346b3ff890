"""Autoencoder vs VAE tab: latent maps, decode any point with both models, holes, your own digit, MSE's blind spot."""
from __future__ import annotations

import math

import gradio as gr

from .. import latent_tools as L
from .. import plots, pretrained
from ..digitize import digitize
from ..media import grid, strip, upscale
from ..runtime import on_gpu
from . import texts_autoencoder as T
from .common import LATEX, as_float, as_int, as_seed, friendly, seed_box

N_DIGITS = 2500
ZOOM = 6  # single 28x28 digits are sent enlarged (168 px), crisp on a projector
# Deep links (ui/links.py): ?tab=autoencoder&z1=-1.5&z2=0.8 moves the sliders there and runs LINK_RUN.
LINK_CONTROLS: dict = {}
LINK_RUN: dict = {}
# gr.Plot has no click event, so a tiny HTML component listens for clicks on the two maps, turns the
# pixel into latent coordinates with plotly's own axis conversion, and triggers its own "click" event.
# Drags (zoom, pan) are ignored; the z sliders remain the path for keyboards and API clients.
MAP_CLICK_JS = """
const attach = () => {
  for (const id of ['latent-map-ae', 'latent-map-vae']) {
    const gd = document.querySelector('#' + id + ' .js-plotly-plot');
    if (!gd || gd.dataset.latentClick) continue;
    gd.dataset.latentClick = '1';
    let down = null;
    gd.addEventListener('mousedown', (e) => { down = [e.clientX, e.clientY]; }, true);
    gd.addEventListener('click', (e) => {
      const fl = gd._fullLayout, drag = gd.querySelector('.nsewdrag');
      if (!fl || !drag || !down || Math.hypot(e.clientX - down[0], e.clientY - down[1]) > 4) return;
      const r = drag.getBoundingClientRect(), px = e.clientX - r.left, py = e.clientY - r.top;
      if (px < 0 || py < 0 || px > r.width || py > r.height) return;
      trigger('click', {z1: fl.xaxis.p2d(px), z2: fl.yaxis.p2d(py)});
    });
  }
};
new MutationObserver(attach).observe(document.body, {childList: true, subtree: true});
attach();
"""


def _maps(marks: dict[str, dict[str, tuple[float, float]]] | None = None):
    marks = marks or {}
    out = []
    for n in L.MODELS:
        m = L.latent_map(n)
        out.append(plots.latent_map(m.z, m.labels, f"{L.TITLES[n]}: 2,500 test digits", marks.get(n)))
    return out


@friendly
@on_gpu
def decode(z1, z2):
    """The hot path while dragging: both decoders and the judge, nothing else."""
    d = L.decode_point(as_float(z1, "z1", -L.Z_LIMIT, L.Z_LIMIT), as_float(z2, "z2", -L.Z_LIMIT, L.Z_LIMIT))
    text = " · ".join(f"**{L.TITLES[n]}**: judge reads {d.verdicts[n]}" for n in L.MODELS)
    return upscale(d.images["ae"], ZOOM), upscale(d.images["vae"], ZOOM), f"z = ({float(z1):.2f}, {float(z2):.2f}) → {text}"


@friendly
def mark_point(z1, z2):
    z = (as_float(z1, "z1", -L.Z_LIMIT, L.Z_LIMIT), as_float(z2, "z2", -L.Z_LIMIT, L.Z_LIMIT))
    return _maps({n: {"z": z} for n in L.MODELS})


@friendly
def map_click(evt: gr.EventData):
    """A click on either map: move the sliders there, decode, and star the point."""
    lim = L.Z_LIMIT
    z1 = round(as_float(getattr(evt, "z1", None), "z1", -lim, lim), 2)
    z2 = round(as_float(getattr(evt, "z2", None), "z2", -lim, lim), 2)
    return (z1, z2, *decode(z1, z2), *mark_point(z1, z2))


@friendly
def show_point(z1, z2):
    """Decode a point and star it on both maps (what a deep link into this tab shows)."""
    return (*decode(z1, z2), *mark_point(z1, z2))


def _batch_text(title: str, b: L.Batch) -> str:
    return f"**{title}**: recognizability **{b.recognizability:.0%}**, \"not a digit\" {b.not_a_digit:.0%}"


@friendly
@on_gpu
def holes(side, extent):
    side = as_int(side, "Grid side", 2, L.MAX_GRID_SIDE)
    g = L.latent_grid(side, as_float(extent, "Half-width", 0.1, L.Z_LIMIT))
    text = " · ".join(_batch_text(L.TITLES[n], g[n]) for n in L.MODELS)
    return (grid(g["ae"].images, cols=side, pad=1), grid(g["vae"].images, cols=side, pad=1),
            f"{side}×{side} points over [−{float(extent):g}, {float(extent):g}]²: {text}")


@friendly
@on_gpu
def prior(seed):
    _, b = L.prior_samples(as_seed(seed), 64)
    ae, vae = b["ae"].recognizability, b["vae"].recognizability
    ratio = f"{vae / ae:.1f}×" if ae > 0 else "∞ (the AE got none)"
    cards = {n: pretrained.read_card(n)["metrics"]["prior_samples"]["recognizability"] for n in L.MODELS}
    text = (f"{_batch_text('Autoencoder', b['ae'])} · {_batch_text('VAE', b['vae'])} · VAE / AE = **{ratio}**.\n\n"
            f"Measured on 10,000 prior samples at training time (model cards): AE {cards['ae']:.0%}, VAE {cards['vae']:.0%}.")
    return grid(b["ae"].images, cols=8, scale=2), grid(b["vae"].images, cols=8, scale=2), text


def _encode(digit, source: str):
    e = L.encode_digit(digit)
    maps = _maps({n: {"you": tuple(e.z[n])} for n in L.MODELS})
    lines = [f"**{source}**, encoded:"] + [
        f"- **{L.TITLES[n]}**: z = ({e.z[n][0]:.2f}, {e.z[n][1]:.2f}), reconstruction MSE {e.mse[n]:.4f}, "
        f"judge reads {e.verdicts[n]}" for n in L.MODELS]
    images = [upscale(im, ZOOM) for im in (e.digit, e.reconstructions["ae"], e.reconstructions["vae"])]
    return [*images, "\n".join(lines), *maps]


@friendly
@on_gpu
def encode_sample(index):
    digit, label = L.bundled_digit(as_int(index, "Digit number", 0, N_DIGITS - 1))
    return _encode(digit, f"Test digit #{int(index)} (a {label})")


@friendly
@on_gpu
def encode_upload(image):
    return _encode(digitize(image), "Your picture")


@friendly
@on_gpu
def encode_drawing(sketch):
    return _encode(digitize(sketch), "Your drawing")


@friendly
@on_gpu
def interpolate(index_a, index_b, steps):
    a = as_int(index_a, "First digit", 0, N_DIGITS - 1)
    b = as_int(index_b, "Second digit", 0, N_DIGITS - 1)
    w = L.interpolate(a, b, as_int(steps, "Steps", 2, L.MAX_STEPS))
    text = "\n".join(f"- **{L.TITLES[n]}**: " + " → ".join(w[n].verdicts.text(i) for i in range(len(w[n].images)))
                     for n in L.MODELS)
    return strip(w["ae"].images), strip(w["vae"].images), "The judge along the way:\n" + text


@friendly
@on_gpu
def same_mse(index, target):
    rows = L.same_mse_lineup(as_int(index, "Digit number", 0, N_DIGITS - 1), as_float(target, "Target MSE", 0.002, 0.06))
    gallery = [(r.image, f"{r.name}: MSE {r.mse:.4f} · SSIM {r.ssim:.2f}") for r in rows]
    table = ["| picture | what was done | MSE | SSIM | judge-feature distance | judge reads |", "|---|---|---|---|---|---|"]
    table += [f"| {r.name} | {r.description} | {r.mse:.4f} | {r.ssim:.3f} | {r.judge_distance:.2f} | {r.verdict} |" for r in rows]
    return gallery, "\n".join(table)


def _compression_md() -> str:
    rows = ["| model | picture | numbers | latent | numbers | ratio |", "|---|---|---|---|---|---|"]
    rows += [f"| {c.what} | {c.shape_in} | {c.inputs:,} | {c.shape_latent} | {c.latents:,} | {c.ratio:,.0f}× |"
             for c in L.compression_table()]
    return "\n".join(rows)


def _digit_image(label: str) -> gr.Image:
    return gr.Image(label=label, format="png", elem_classes="pixelated", interactive=False, height=190)


def build() -> None:
    gr.Markdown(T.INTRO)

    gr.Markdown("## 1. The latent maps\n" + T.MAP_HELP)
    first_maps = _maps({n: {"z": (0.0, 0.0)} for n in L.MODELS})
    with gr.Row():
        ae_map = gr.Plot(first_maps[0], label="Autoencoder latent map", elem_id="latent-map-ae")
        vae_map = gr.Plot(first_maps[1], label="VAE latent map", elem_id="latent-map-vae")
    clicks = gr.HTML("", js_on_load=MAP_CLICK_JS, elem_id="latent-map-clicks")

    gr.Markdown("## 2. Decode any point with both models\n" + T.DECODE_HELP)
    lim = math.ceil(L.map_extent())
    with gr.Row():
        with gr.Column(scale=2):
            z1 = gr.Slider(-lim, lim, value=0.0, step=0.05, label="z1")
            z2 = gr.Slider(-lim, lim, value=0.0, step=0.05, label="z2")
            point_text = gr.Markdown(elem_id="latent-point-text")
        ae_out, vae_out = _digit_image("Autoencoder decodes"), _digit_image("VAE decodes")
    for s in (z1, z2):
        s.input(decode, [z1, z2], [ae_out, vae_out, point_text], api_visibility="private",
                show_progress="hidden", trigger_mode="always_last")
        s.release(mark_point, [z1, z2], [ae_map, vae_map], api_visibility="private", show_progress="hidden")
    clicks.click(map_click, None, [z1, z2, ae_out, vae_out, point_text, ae_map, vae_map], api_visibility="private",
                 show_progress="hidden", trigger_mode="always_last")
    decode_btn = gr.Button("Decode this point", size="sm")
    decode_btn.click(decode, [z1, z2], [ae_out, vae_out, point_text], api_name="latent_decode")

    gr.Markdown("## 3. Holes, measured\n" + T.HOLES_HELP)
    with gr.Row():
        with gr.Column():
            with gr.Row():
                side = gr.Slider(2, L.MAX_GRID_SIDE, value=15, step=1, label="Grid side")
                extent = gr.Slider(0.5, lim, value=3.0, step=0.5, label="Half-width of the square")
            grid_btn = gr.Button("Decode the grid", variant="primary")
            first = holes(15, 3.0)  # filled at start-up (~0.1 s) so the section never opens empty
            with gr.Row():
                ae_grid = gr.Image(first[0], label="Autoencoder", format="png", elem_classes="pixelated", interactive=False)
                vae_grid = gr.Image(first[1], label="VAE", format="png", elem_classes="pixelated", interactive=False)
            grid_text = gr.Markdown(first[2])
        with gr.Column():
            seed = seed_box("Seed", 0)
            prior_btn = gr.Button("Sample 64 z from N(0, I) through both decoders", variant="primary")
            first = prior(0)
            with gr.Row():
                ae_prior = gr.Image(first[0], label="Autoencoder", format="png", elem_classes="pixelated", interactive=False)
                vae_prior = gr.Image(first[1], label="VAE", format="png", elem_classes="pixelated", interactive=False)
            prior_text = gr.Markdown(first[2])
    grid_btn.click(holes, [side, extent], [ae_grid, vae_grid, grid_text], api_name="latent_holes")
    prior_btn.click(prior, seed, [ae_prior, vae_prior, prior_text], api_name="latent_prior")

    gr.Markdown("## 4. Encode your own digit\n" + T.ENCODE_HELP)
    with gr.Row():
        with gr.Column():
            with gr.Tabs():
                with gr.Tab("Test digit"):
                    index = gr.Slider(0, N_DIGITS - 1, value=7, step=1, label="Digit number (250 per class: 0-249 are zeros, ...)")
                    sample_btn = gr.Button("Encode this test digit", variant="primary")
                with gr.Tab("Upload"):
                    upload = gr.Image(label="A picture of one digit", type="filepath", sources=["upload", "clipboard"])
                    upload_btn = gr.Button("Encode the picture", variant="primary")
                with gr.Tab("Draw"):
                    sketch = gr.Sketchpad(label="Draw a digit", type="numpy", canvas_size=(280, 280),
                                          brush=gr.Brush(default_size=18, colors=["#000000"], color_mode="fixed"))
                    draw_btn = gr.Button("Encode the drawing", variant="primary")
        with gr.Column():
            with gr.Row():
                enc_in = _digit_image("As the encoders see it")
                enc_ae, enc_vae = _digit_image("Autoencoder rebuilds"), _digit_image("VAE rebuilds")
            enc_text = gr.Markdown()
    with gr.Row():
        enc_ae_map, enc_vae_map = gr.Plot(label="Your digit on the AE map"), gr.Plot(label="Your digit on the VAE map")
    enc_outs = [enc_in, enc_ae, enc_vae, enc_text, enc_ae_map, enc_vae_map]
    sample_btn.click(encode_sample, index, enc_outs, api_name="latent_encode_sample")
    upload_btn.click(encode_upload, upload, enc_outs, api_name="latent_encode")
    draw_btn.click(encode_drawing, sketch, enc_outs, api_name="latent_encode_drawing")

    gr.Markdown("## 5. Interpolate between two digits\n" + T.INTERP_HELP)
    with gr.Row():
        ia = gr.Slider(0, N_DIGITS - 1, value=260, step=1, label="From digit number")
        ib = gr.Slider(0, N_DIGITS - 1, value=2010, step=1, label="To digit number")
        steps = gr.Slider(2, L.MAX_STEPS, value=10, step=1, label="Steps")
    interp_btn = gr.Button("Interpolate", variant="primary")
    interp_ae = gr.Image(label="Autoencoder: straight line in its latent", format="png", elem_classes="pixelated", interactive=False)
    interp_vae = gr.Image(label="VAE: straight line in its latent", format="png", elem_classes="pixelated", interactive=False)
    interp_text = gr.Markdown()
    interp_btn.click(interpolate, [ia, ib, steps], [interp_ae, interp_vae, interp_text], api_name="latent_interpolate")

    gr.Markdown("## 6. Why MSE blurs: same MSE, different pictures\n" + T.MSE_HELP)
    with gr.Row():
        mse_index = gr.Slider(0, N_DIGITS - 1, value=1800, step=1, label="Digit number")
        target = gr.Slider(0.005, 0.05, value=0.02, step=0.001, label="Target MSE (pixels in [0, 1])")
    mse_btn = gr.Button("Make six pictures with the same MSE", variant="primary")
    mse_gallery = gr.Gallery(label="Same MSE to the original", columns=7, height="auto", format="png",
                             object_fit="contain", elem_classes="pixelated")
    mse_table = gr.Markdown()
    mse_btn.click(same_mse, [mse_index, target], [mse_gallery, mse_table], api_name="mse_blur")

    gr.Markdown("## 7. The VAE as a compressor\n" + T.COMPRESS_HELP + "\n\n" + _compression_md())

    gr.Markdown("## 8. How it works")
    gr.Markdown(T.EXPLAIN, latex_delimiters=LATEX)

    LINK_CONTROLS.update(z1=z1, z2=z2, digit=index, prior_seed=seed)
    LINK_RUN.update(fn=show_point, inputs=[z1, z2], outputs=[ae_out, vae_out, point_text, ae_map, vae_map])
