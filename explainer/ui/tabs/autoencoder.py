"""Autoencoder vs VAE tab: latent maps, decode any point with both models, holes, your own digit, MSE's blind spot."""
from __future__ import annotations

import math

import gradio as gr
import numpy as np

from explainer.lessons import autoencoder as L
from explainer.lessons import latent_diffusion as LD
from explainer.ui import latent_section
from explainer.ui.autoencoder_cards import calibration_text, prior_card_text, reconstruction_text
from explainer.draw import plots
from explainer.data.digitize import digitize
from explainer.draw.figures import captioned_grid
from explainer.draw.images import grid, strip, upscale
from explainer.runtime.device import on_gpu
from explainer.ui.words.en import autoencoder as T
from explainer.ui.words.ru import autoencoder as autoencoder_ru
from explainer.ui import i18n
from explainer.ui import first_results
from explainer.ui.serving import cached, light
from explainer.ui.widgets import LATEX, intro, seed_box
from explainer.ui.validation import as_float, as_int, as_seed, friendly
from explainer.ui.picture_inputs import size_checked_sketchpad, picture_upload

W = i18n.Words("ae", T, autoencoder_ru)

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


def map_figure(name: str, marks: dict[str, tuple[float, float]] | None = None):
    """One model's latent map (plotly), with named marker points."""
    m = L.latent_map(name)
    return plots.latent_map(m.z, m.labels, W.text("MAP_TITLE", model=L.TITLES[name]), marks)


def both_maps(marks: dict[str, dict[str, tuple[float, float]]] | None = None):
    """The AE and VAE latent maps, each with its marked points."""
    marks = marks or {}
    return [map_figure(n, marks.get(n)) for n in L.MODELS]


@cached
@light
@friendly
@on_gpu
def decode(z1, z2):
    """The hot path while dragging: both decoders and the judge, nothing else."""
    d = L.decode_point(as_float(z1, "z1", -L.Z_LIMIT, L.Z_LIMIT), as_float(z2, "z2", -L.Z_LIMIT, L.Z_LIMIT))
    text = " · ".join(W.text("JUDGE_READS", model=L.TITLES[n], verdict=d.verdicts[n]) for n in L.MODELS)
    return upscale(d.images["ae"], ZOOM), upscale(d.images["vae"], ZOOM), f"z = ({float(z1):.2f}, {float(z2):.2f}) → {text}"


@light
@friendly
def mark_point(z1, z2):
    z = (as_float(z1, "z1", -L.Z_LIMIT, L.Z_LIMIT), as_float(z2, "z2", -L.Z_LIMIT, L.Z_LIMIT))
    return both_maps({n: {"z": z} for n in L.MODELS})


@light
@friendly
def map_click(evt: gr.EventData):
    """A click on either map: move the sliders there, decode, and star the point."""
    lim = L.Z_LIMIT
    z1 = round(as_float(getattr(evt, "z1", None), "z1", -lim, lim), 2)
    z2 = round(as_float(getattr(evt, "z2", None), "z2", -lim, lim), 2)
    return (z1, z2, *decode(z1, z2), *mark_point(z1, z2))


@light
@friendly
def show_point(z1, z2):
    """Decode a point and star it on both maps (what a deep link into this tab shows)."""
    return (*decode(z1, z2), *mark_point(z1, z2))


def _batch_text(title: str, b: L.Batch) -> str:
    return W.text("BATCH_TEXT", model=title, recognized=b.recognizability, junk=b.not_a_digit)


@cached
@friendly
@on_gpu
def holes(side, extent):
    side = as_int(side, "Grid side", 2, L.MAX_GRID_SIDE)
    g = L.latent_grid(side, as_float(extent, "Half-width", 0.1, L.Z_LIMIT))
    text = " · ".join(_batch_text(L.TITLES[n], g[n]) for n in L.MODELS)
    return (grid(g["ae"].images, cols=side, pad=1), grid(g["vae"].images, cols=side, pad=1),
            W.text("HOLES_TEXT", side=side, extent=f"{float(extent):g}", text=text))


def _prior_batches(seed) -> dict[str, L.Batch]:
    """The model work of `prior`, apart from its words: start-up draws its first batch once for every language."""
    return L.prior_samples(as_seed(seed), 64)[1]


@cached
@friendly
@on_gpu
def prior(seed):
    return _prior_outputs(_prior_batches(seed))


def _prior_outputs(b: dict[str, L.Batch]):
    live = " · ".join(_batch_text(W.text("VIEW_" + v.upper()), b[v]) for v in L.PRIOR_VIEWS)
    text = W.text("PRIOR_LIVE", n=len(b["ae"].images), live=live) + "\n\n" + prior_card_text()
    return (*(grid(b[v].images, cols=8, scale=2) for v in L.PRIOR_VIEWS), text)


def _encode(digit, source: str):
    e = L.encode_digit(digit)
    maps = both_maps({n: {W.text("MARK_YOU"): tuple(e.z[n])} for n in L.MODELS})
    lines = [W.text("ENCODED", source=source)] + [
        W.text("ENCODED_LINE", model=L.TITLES[n], z1=e.z[n][0], z2=e.z[n][1], mse=e.mse[n], verdict=e.verdicts[n])
        for n in L.MODELS]
    images = [upscale(im, ZOOM) for im in (e.digit, e.reconstructions["ae"], e.reconstructions["vae"])]
    return [*images, "\n".join(lines), *maps]


@cached
@friendly
@on_gpu
def encode_sample(index):
    digit, label = L.bundled_digit(as_int(index, "Digit number", 0, N_DIGITS - 1))
    return _encode(digit, W.text("SOURCE_TEST_DIGIT", index=int(index), label=label))


@friendly
@on_gpu
def encode_upload(image):
    return _encode(digitize(image), W.text("SOURCE_PICTURE"))


@friendly
@on_gpu
def encode_drawing(sketch):
    return _encode(digitize(sketch), W.text("SOURCE_DRAWING"))


@cached
@friendly
@on_gpu
def interpolate(index_a, index_b, steps):
    a = as_int(index_a, "First digit", 0, N_DIGITS - 1)
    b = as_int(index_b, "Second digit", 0, N_DIGITS - 1)
    w = L.interpolate(a, b, as_int(steps, "Steps", 2, L.MAX_STEPS))
    text = "\n".join(f"- **{L.TITLES[n]}**: " + " → ".join(w[n].verdicts.text(i) for i in range(len(w[n].images)))
                     for n in L.MODELS)
    return strip(w["ae"].images), strip(w["vae"].images), W.text("JUDGE_ALONG") + "\n" + text


@cached
@friendly
@on_gpu
def same_mse(index, target):
    rows = L.same_mse_lineup(as_int(index, "Digit number", 0, N_DIGITS - 1), as_float(target, "Target MSE", 0.002, 0.06))
    figure = captioned_grid(np.stack([r.image for r in rows]), [(i18n.localize(r.name), f"MSE {r.mse:.4f}", f"SSIM {r.ssim:.2f}")
                                                               for r in rows], cols=len(rows), scale=4)
    table = [W.text("MSE_TABLE_HEADER"), "|---|---|---|---|---|---|"]
    table += [f"| {r.name} | {W.text('DONE_' + r.name.upper(), s=r.strength)} | {r.mse:.4f} | {r.ssim:.3f} | {r.judge_distance:.2f} | {r.verdict} |" for r in rows]
    return figure, "\n".join(table)


def _compression_md() -> str:
    rows = [W.text("COMPRESS_HEADER"), "|---|---|---|---|---|---|"]
    rows += [f"| {c.what} | {c.shape_in} | {c.inputs:,} | {c.shape_latent} | {c.latents:,} | {c.ratio:,.0f}× |"
             for c in L.compression_table()]
    return i18n.localize("\n".join(rows))


def _digit_image(label, value=None) -> gr.Image:
    return gr.Image(value, label=label, format="png", elem_classes="pixelated", interactive=False, height=190)


def build() -> None:
    intro(W)

    gr.Markdown(W("S1_TITLE"))
    first_maps = both_maps({n: {"z": (0.0, 0.0)} for n in L.MODELS})
    first_point = first_results.each_language(lambda: decode(0.0, 0.0))
    lim = math.ceil(L.map_extent())
    with gr.Row():  # the maps and what a click on them decodes, side by side on one screen
        ae_map = gr.Plot(first_maps[0], label=W("AE_MAP"), elem_id="latent-map-ae", scale=2)
        vae_map = gr.Plot(first_maps[1], label=W("VAE_MAP"), elem_id="latent-map-vae", scale=2)
        with gr.Column(scale=1, min_width=200):
            ae_out = _digit_image(W("AE_DECODES"), first_point[0])
            vae_out = _digit_image(W("VAE_DECODES"), first_point[1])
    with gr.Row():
        z1 = gr.Slider(-lim, lim, value=0.0, step=0.05, label="z1")
        z2 = gr.Slider(-lim, lim, value=0.0, step=0.05, label="z2")
        decode_btn = gr.Button(W("DECODE_POINT"), size="sm", scale=0, min_width=160)
    point_text = gr.Markdown(W.pin("POINT_FIRST", first_point.part(2)), elem_id="latent-point-text")
    for k, m in enumerate((ae_map, vae_map)):
        first_results.on_load_in_language(m, lambda k=k: map_figure(L.MODELS[k], {"z": (0.0, 0.0)}))
    clicks = gr.HTML("", js_on_load=MAP_CLICK_JS, elem_id="latent-map-clicks")
    gr.Markdown(W("MAP_HELP", "DECODE_HELP", sep="\n"))
    for s in (z1, z2):
        s.input(decode, [z1, z2], [ae_out, vae_out, point_text], api_visibility="private",
                show_progress="hidden", trigger_mode="always_last")
        s.release(mark_point, [z1, z2], [ae_map, vae_map], api_visibility="private", show_progress="hidden")
    clicks.click(map_click, None, [z1, z2, ae_out, vae_out, point_text, ae_map, vae_map], api_visibility="private",
                 show_progress="hidden", trigger_mode="always_last")
    decode_btn.click(decode, [z1, z2], [ae_out, vae_out, point_text], api_name="latent_decode")

    gr.Markdown(W("S3_TITLE", "HOLES_HELP", sep="\n"))
    with gr.Row():
        side = gr.Slider(2, L.MAX_GRID_SIDE, value=15, step=1, label=W("GRID_SIDE"))
        extent = gr.Slider(0.5, lim, value=3.0, step=0.5, label=W("HALF_WIDTH"))
        grid_btn = gr.Button(W("DECODE_GRID"), variant="primary")
    first = first_results.each_language(lambda: holes(15, 3.0))  # filled at start-up so the section never opens empty
    with gr.Row():
        ae_grid = gr.Image(first[0], label=W("AUTOENCODER"), format="png", elem_classes="pixelated", interactive=False)
        vae_grid = gr.Image(first[1], label="VAE", format="png", elem_classes="pixelated", interactive=False)
    grid_text = gr.Markdown(W.pin("HOLES_FIRST", first.part(2)))

    gr.Markdown(W("PRIOR_HELP"))
    with gr.Row():
        seed = seed_box(W("SEED"), 0)
        prior_btn = gr.Button(W("SAMPLE_PRIOR"), variant="primary")
    batches = on_gpu(_prior_batches)(0)  # once (where the handler would run): each language only words it
    first = first_results.each_language(lambda: _prior_outputs(batches))
    with gr.Row():
        prior_images = [gr.Image(first[k], label=W("VIEW_" + v.upper()), format="png", elem_classes="pixelated",
                                 interactive=False) for k, v in enumerate(L.PRIOR_VIEWS)]
    prior_text = gr.Markdown(W.pin("PRIOR_FIRST", first.part(3)))
    with gr.Accordion(W("CALIBRATION_TITLE"), open=False):
        gr.Markdown(W.pin("CALIBRATION_NOW", calibration_text))
    grid_btn.click(holes, [side, extent], [ae_grid, vae_grid, grid_text], api_name="latent_holes")
    prior_btn.click(prior, seed, [*prior_images, prior_text], api_name="latent_prior")

    gr.Markdown(W("S4_TITLE", "ENCODE_HELP", sep="\n"))
    with gr.Row():
        with gr.Column():
            with gr.Tabs():
                with gr.Tab(W("TAB_TEST_DIGIT")):
                    index = gr.Slider(0, N_DIGITS - 1, value=7, step=1, label=W("DIGIT_NUMBER_CLASSES"))
                    sample_btn = gr.Button(W("ENCODE_TEST_DIGIT"), variant="primary")
                with gr.Tab(W("TAB_UPLOAD")):
                    upload = picture_upload(W("ONE_DIGIT_PICTURE"))
                    upload_btn = gr.Button(W("ENCODE_PICTURE"), variant="primary")
                with gr.Tab(W("TAB_DRAW")):
                    sketch = size_checked_sketchpad(label=W("DRAW_DIGIT"), type="numpy", canvas_size=(280, 280),
                                                    brush=gr.Brush(default_size=18, colors=["#000000"], color_mode="fixed"))
                    draw_btn = gr.Button(W("ENCODE_DRAWING"), variant="primary")
        with gr.Column():
            first_enc = first_results.each_language(lambda: encode_sample(7))
            with gr.Row():
                enc_in = _digit_image(W("AS_ENCODERS_SEE"), first_enc[0])
                enc_ae, enc_vae = _digit_image(W("AE_REBUILDS"), first_enc[1]), _digit_image(W("VAE_REBUILDS"), first_enc[2])
            enc_text = gr.Markdown(W.pin("ENCODED_FIRST", first_enc.part(3)))
            gr.Markdown(W.pin("RECONSTRUCTIONS_NOW", reconstruction_text))
    with gr.Row():
        enc_ae_map, enc_vae_map = gr.Plot(first_enc[4], label=W("ON_AE_MAP")), gr.Plot(first_enc[5], label=W("ON_VAE_MAP"))
    for k, m in ((4, enc_ae_map), (5, enc_vae_map)):
        first_results.on_load_in_language(m, first_enc.part(k))
    enc_outs = [enc_in, enc_ae, enc_vae, enc_text, enc_ae_map, enc_vae_map]
    sample_btn.click(encode_sample, index, enc_outs, api_name="latent_encode_sample")
    upload_btn.click(encode_upload, upload, enc_outs, api_name="latent_encode")
    draw_btn.click(encode_drawing, sketch, enc_outs, api_name="latent_encode_drawing")

    gr.Markdown(W("S5_TITLE", "INTERP_HELP", sep="\n"))
    with gr.Row():
        ia = gr.Slider(0, N_DIGITS - 1, value=260, step=1, label=W("FROM_DIGIT"))
        ib = gr.Slider(0, N_DIGITS - 1, value=2010, step=1, label=W("TO_DIGIT"))
        steps = gr.Slider(2, L.MAX_STEPS, value=10, step=1, label=W("STEPS"))
    interp_btn = gr.Button(W("INTERPOLATE"), variant="primary")
    first_line = first_results.each_language(lambda: interpolate(260, 2010, 10))
    interp_ae = gr.Image(first_line[0], label=W("AE_LINE"), format="png", elem_classes="pixelated", interactive=False)
    interp_vae = gr.Image(first_line[1], label=W("VAE_LINE"), format="png", elem_classes="pixelated", interactive=False)
    interp_text = gr.Markdown(W.pin("LINE_FIRST", first_line.part(2)))
    interp_btn.click(interpolate, [ia, ib, steps], [interp_ae, interp_vae, interp_text], api_name="latent_interpolate")

    gr.Markdown(W("S6_TITLE", "MSE_HELP", sep="\n"))
    with gr.Row():
        mse_index = gr.Slider(0, N_DIGITS - 1, value=1800, step=1, label=W("DIGIT_NUMBER"))
        target = gr.Slider(0.005, 0.05, value=0.02, step=0.001, label=W("TARGET_MSE"))
    mse_btn = gr.Button(W("SAME_MSE_RUN"), variant="primary")
    first_mse = first_results.each_language(lambda: same_mse(1800, 0.02))
    mse_gallery = gr.Image(first_mse[0], label=W("SAME_MSE_GALLERY"), format="png", interactive=False,
                           elem_classes="figure")
    first_results.on_load_in_language(mse_gallery, first_mse.part(0))  # its labels are drawn in
    mse_table = gr.Markdown(W.pin("MSE_FIRST", first_mse.part(1)))
    mse_btn.click(same_mse, [mse_index, target], [mse_gallery, mse_table], api_name="mse_blur")

    compress = W.pin("COMPRESS_NOW", lambda: W.text("S7_TITLE") + "\n" + W.text("COMPRESS_HELP") + "\n\n" + _compression_md())
    gr.Markdown(compress)
    if LD.available():
        latent_section.build()

    gr.Markdown(W("S8_TITLE"))
    gr.Markdown(W("EXPLAIN"), latex_delimiters=LATEX)

    LINK_CONTROLS.update(z1=z1, z2=z2, digit=index, prior_seed=seed)
    LINK_RUN.update(fn=show_point, inputs=[z1, z2], outputs=[ae_out, vae_out, point_text, ae_map, vae_map])

