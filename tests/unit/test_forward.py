"""The forward tab's domain logic: statistics, views, the comparison, the batch, frames and figures."""
import io

import numpy as np
import plotly.graph_objects as go
import pytest
from PIL import Image

from explainer.maths.diffusion import normal_pdf
from explainer.draw import forward_frames
from explainer.data.bundled import bundled_digit
from explainer.lessons import forward as ft
from explainer.draw import plots

from tests.conftest import refused


def _rgb(side=256, seed=0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(-1, 1, (side, side, 3)).astype(np.float32)


def test_wasserstein_to_normal_tells_normal_from_not():
    rng = np.random.default_rng(0)
    assert ft.wasserstein_to_normal(rng.standard_normal(50_000)) < 0.02
    assert abs(ft.wasserstein_to_normal(rng.standard_normal(50_000) + 1.0) - 1.0) < 0.02  # a shift by 1 costs 1
    assert ft.wasserstein_to_normal(np.full(1000, -1.0)) > 0.9


def test_histogram_is_a_density():
    x = np.random.default_rng(1).standard_normal(100_000)
    centers, density = ft.histogram(x)
    width = centers[1] - centers[0]
    assert len(centers) == ft.HIST_BINS
    assert abs(density.sum() * width - 1) < 0.001  # almost all mass within +-4
    np.testing.assert_allclose(density, normal_pdf(centers), atol=0.02)


@pytest.mark.parametrize("kind", ["linear", "cosine", "flow"])
def test_view_from_picture_to_noise(kind):
    x0 = bundled_digit(7)
    start, end = ft.view(x0, kind, 0.0, 3), ft.view(x0, kind, 1.0, 3)
    assert np.array_equal(start.x_t, x0) and start.k == 0
    assert end.k == 1000 and end.stats.w1 < 0.15 and abs(end.stats.std - 1) < 0.1
    assert start.stats.w1 > 0.5
    again = ft.view(x0, kind, 0.4, 3)
    np.testing.assert_array_equal(again.x_t, ft.view(x0, kind, 0.4, 3).x_t)  # same seed, same picture
    assert not np.array_equal(again.x_t, ft.view(x0, kind, 0.4, 4).x_t)


def test_fixed_noise_cannot_be_modified_by_accident():
    eps = ft.fixed_noise((4, 4), 0)
    with pytest.raises(ValueError):
        eps[0, 0] = 1.0


@pytest.mark.parametrize("t", [-0.01, 1.01, float("nan"), float("inf")])
def test_bad_t_is_refused(t):
    with refused("t must be between 0"):
        ft.view(bundled_digit(0), "linear", t, 0)


def _smooth_rgb(side=256) -> np.ndarray:
    yy, xx = np.mgrid[0:side, 0:side] / side
    return np.stack([np.sin(6 * xx), np.cos(5 * yy), np.sin(4 * (xx + yy))], axis=-1).astype(np.float32)


def test_shrink_keeps_content_and_aspect():
    x = _smooth_rgb(256)[:, :200]
    small = ft.shrink(x, 64)
    assert small.shape == (64, 50, 3)
    assert abs(float(small.mean()) - float(x.mean())) < 0.01
    assert ft.shrink(x, 512) is x


def test_compare_agrees_on_a_colour_picture():
    c = ft.compare(_smooth_rgb(256), "cosine", 0.5, 0)
    assert c.one_shot.x_t.shape == (ft.COMPARE_SIDE, ft.COMPARE_SIDE, 3)  # the chain runs on a smaller copy
    for route in (c.one_shot, c.step_by_step):
        assert abs(route.signal_fit - c.signal) < 0.02
        assert abs(route.noise_fit - c.noise) < 0.02
    assert not np.allclose(c.one_shot.x_t, c.step_by_step.x_t)


@pytest.mark.parametrize("kind, target", [("linear", "noise"), ("flow", "velocity")])
def test_training_batch(kind, target):
    b = ft.training_batch(kind, seed=5, n=12)
    assert b.x0.shape == b.x_t.shape == b.target.shape == (12, 28, 28)
    assert len(set(b.k.tolist())) > 6 and b.k.min() >= 1 and b.k.max() <= 1000
    assert target in b.target_name
    s = ft.schedule(kind)
    i = int(np.argmax(b.k))
    eps = b.target[i] + b.x0[i] if kind == "flow" else b.target[i]
    np.testing.assert_allclose(b.x_t[i], float(s.signal[b.k[i]]) * b.x0[i] + float(s.noise[b.k[i]]) * eps, atol=1e-5)
    with refused("batch size"):
        ft.training_batch(kind, 0, ft.MAX_BATCH + 1)


def test_gif_of_fifty_frames_shows_picture_and_histogram():
    data = forward_frames.animation_gif(ft.sweep(_rgb(256), "linear", 0, 50), "linear")
    with Image.open(io.BytesIO(data)) as gif:
        assert gif.n_frames >= 50
        first = np.asarray(gif.convert("RGB"))
        gif.seek(gif.n_frames - 1)
        last = np.asarray(gif.convert("RGB"))
    assert first.shape[1] > first.shape[0]  # picture and histogram side by side
    assert not np.array_equal(first, last)


def test_frame_of_a_wide_picture_stays_bounded():
    v = ft.view(np.zeros((10, 256), np.float32), "cosine", 0.5, 0)
    assert forward_frames.frame(v).shape[1] <= forward_frames.PIC_MAX_W + 10 + forward_frames.HIST_W


def test_captions_are_drawn_with_cyrillic_letters():
    """Pillow's own fonts draw every Cyrillic letter as the same box: distinct letters must give distinct pixels."""
    v = ft.view(bundled_digit(1), "cosine", 0.5, 0)
    sha, shcha = (forward_frames.frame(v, caption=c)[forward_frames.PANEL :] for c in ("Шаг", "Щаг"))
    assert (sha < 128).any() and not np.array_equal(sha, shcha)


def test_a_long_caption_shrinks_to_fit_a_narrow_frame():
    russian = "{label}  t = {t:.2f}   среднее {mean:+.2f}  ст. откл. {std:.2f}  W1 {w1:.2f}"
    v = ft.view(np.zeros((200, 120), np.float32), "cosine", 0.5, 0)  # a tall picture: a narrow frame
    caption = forward_frames.frame(v, "косинусное", russian)[forward_frames.PANEL :]
    ink = np.nonzero((caption < 128).any(axis=(0, 2)))[0]
    assert ink.max() < caption.shape[1] - 3  # the whole line is there, not cut at the edge


def test_fast_figures_are_valid_plotly():
    s = ft.schedule("cosine")
    v = ft.view(bundled_digit(1), "cosine", 0.5, 0)
    figures = [plots.noise_schedule(s.t.numpy(), s.signal.numpy(), s.noise.numpy(), s.log_snr().numpy(), 0.5, "cosine"),
               plots.pixel_histogram(v.centers, v.density, normal_pdf(v.centers), "histogram")]
    for fig in figures:
        go.Figure(fig.to_dict())  # full validation: raises on any misspelt property
        assert "Infinity" not in fig.to_json()
