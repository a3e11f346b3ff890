"""The 2-D lab's datasets, drawings turned into points, and its metrics (no training here: see test_lab_train.py)."""
import math

import numpy as np
import pytest
import torch

from explainer.lessons.lab import datasets as lab_datasets
from explainer.lessons.lab import metrics as M
from explainer.maths.flow import straightness

from tests.conftest import refused


@pytest.mark.parametrize("name", ["moons", "ring", "spiral", "checkerboard"])
def test_datasets_are_seeded_and_fit_the_window(name):
    a, b, c = lab_datasets.load(name, 0), lab_datasets.load(name, 0), lab_datasets.load(name, 1)
    assert a.points.shape == (lab_datasets.N_POINTS, 2) and a.points.dtype == torch.float32
    assert torch.equal(a.points, b.points) and not torch.equal(a.points, c.points)
    assert a.points.abs().max() < 3.0
    assert 0.5 < float(a.points.std()) < 1.8  # about the scale of N(0, I), the noise the models start from


def test_the_ring_has_eight_equal_blobs_and_the_board_eight_squares():
    ring = lab_datasets.load("ring", 0).points
    idx = lab_datasets.mode_index("ring", ring)
    assert int((idx < 0).sum()) <= 5  # beyond 4 std of a 2-D Gaussian: a share of e^-8, about one point in 3,000
    counts = torch.bincount(idx[idx >= 0], minlength=8)
    assert len(counts) == 8 and counts.min() > 200
    board = lab_datasets.load("checkerboard", 0).points
    idx = lab_datasets.mode_index("checkerboard", board)
    assert (idx >= 0).all() and torch.bincount(idx).min() > 200
    assert lab_datasets.mode_index("checkerboard", torch.tensor([[-1.5, -0.5], [0.5, 0.5], [9.0, 9.0]])).tolist() == [-1, 5, -1]
    assert (lab_datasets.mode_index("moons", ring) == -1).all() and lab_datasets.mode_count("spiral") == 0


def test_moons_are_shuffled():
    """Metrics look at an evenly strided subset; a cloud ordered moon by moon must not fool them anyway."""
    pts = lab_datasets.load("moons", 0).points[:500]
    upper = pts[:, 1] > 0.5 * pts[:, 0] - 0.2
    assert 0.3 < float(upper.float().mean()) < 0.7


def _canvas(h=200, w=300, rgba=True):
    c = np.zeros((h, w, 4), np.uint8) if rgba else np.full((h, w, 3), 255, np.uint8)
    return c


def _ink(c, rows, cols):
    c[rows, cols, :3] = 0
    if c.shape[2] == 4:
        c[rows, cols, 3] = 255
    return c


def test_a_drawn_line_becomes_a_flat_centred_cloud():
    c = _ink(_canvas(), slice(98, 103), slice(20, 280))  # a horizontal bar on a transparent canvas
    pts = lab_datasets.from_drawing({"composite": c, "layers": [], "background": None}, seed=0)
    assert pts.shape == (lab_datasets.N_POINTS, 2)
    assert float(pts.mean(0).abs().max()) < 0.05
    assert math.isclose(float(pts.pow(2).sum(1).mean().sqrt()), lab_datasets.DRAWING_RMS, rel_tol=1e-4)
    assert float(pts[:, 0].std()) > 10 * float(pts[:, 1].std())


def test_drawing_orientation_keeps_up_as_up():
    """Ink in the top-left corner of the picture becomes points with negative x and positive y."""
    c = _ink(_canvas(rgba=False), slice(10, 40), slice(10, 40))
    c = _ink(c, slice(150, 190), slice(250, 290))
    pts = lab_datasets.from_drawing(c, 1000)
    top_left = pts[(pts[:, 0] < 0)]
    assert float(top_left[:, 1].mean()) > 0


def test_light_strokes_on_a_dark_or_transparent_canvas_work_too():
    white_on_black = np.zeros((100, 100), np.uint8)
    white_on_black[45:55, 10:90] = 255
    glow = np.zeros((100, 100, 4), np.uint8)
    glow[45:55, 10:90] = 255  # white, opaque strokes; the rest transparent
    for picture in (white_on_black, glow):
        pts = lab_datasets.from_drawing(picture, 500)
        assert float(pts[:, 0].std()) > 5 * float(pts[:, 1].std())


@pytest.mark.parametrize("value, message", [
    (None, "canvas is empty"),
    ({"composite": None}, "canvas is empty"),
    (_canvas(), "blank"),
    (_ink(_canvas(), slice(0, 5), slice(0, 5)), "Too few points"),
    (_ink(_canvas(), slice(5, 195), slice(5, 295)), "mostly ink"),
    (_ink(_canvas(), slice(50, 58), slice(50, 58)), "single dot"),
    (np.zeros((5, 5, 3)), "too small"),
    (np.zeros((20, 20, 2)), "shape"),
    (np.full((20, 20), np.nan), "NaN"),
])
def test_bad_drawings_get_a_clear_message(value, message):
    with refused(message):
        lab_datasets.from_drawing(value)


def test_points_as_text_round_trip_and_are_normalised():
    pts = lab_datasets.from_drawing(_ink(_canvas(), slice(98, 103), slice(20, 280)), 300)
    again = lab_datasets.load("drawing", 0, lab_datasets.points_text(pts)).points
    assert torch.allclose(again, pts, atol=2e-3)
    pasted = lab_datasets.parse_points("\n".join(f"{100 + 10 * np.cos(a)} {-50 + 10 * np.sin(a)}" for a in np.arange(40)))
    assert float(pasted.mean(0).abs().max()) < 1e-5  # centred and scaled to the window like every dataset
    assert math.isclose(float(pasted.pow(2).sum(1).mean().sqrt()), lab_datasets.DRAWING_RMS, rel_tol=1e-5)


@pytest.mark.parametrize("text, message", [
    (None, "No points yet"),
    ("   ", "No points yet"),
    ("1, 2\n3, 4", "Too few points: 2"),
    ("1, 2\nthree, 4", "Line 2"),
    ("1, 2, 3", "Line 1"),
    ("1, nan", "finite"),
    ("1, 1e9", "finite"),
    ("\n".join(["1, 1"] * 30), "one place"),
    ("\n".join(["1, 2"] * 6000), "Too many points"),
])
def test_bad_points_text_gets_a_clear_message(text, message):
    with refused(message):
        lab_datasets.load("drawing", 0, text)


def test_unknown_dataset_is_refused():
    with refused("dataset must be one of"):
        lab_datasets.load("swissroll")


def test_energy_distance_is_zero_for_equal_clouds_and_grows_with_a_shift():
    x = lab_datasets.load("ring", 0).points
    assert M.energy_distance(x, x) == pytest.approx(0.0, abs=1e-9)
    shifts = [M.energy_distance(x, x + torch.tensor([s, 0.0])) for s in (0.1, 0.5, 1.0)]
    assert 0 < shifts[0] < shifts[1] < shifts[2]
    noise = torch.randn(2000, 2, generator=torch.Generator().manual_seed(0))
    assert M.energy_distance(noise, x) > 20 * M.energy_distance(lab_datasets.load("ring", 1).points, x)


def test_nearest_distances_tell_blur_from_collapse():
    data = lab_datasets.load("ring", 0).points
    collapsed = data[lab_datasets.mode_index("ring", data) == 0]  # every sample on one mode
    fit = M.fit(collapsed, data)
    assert fit.to_data < 0.1 and fit.to_samples > 1.0  # samples are all on the data, most data is never generated
    blurred = M.fit(data + 0.5 * torch.randn(data.shape, generator=torch.Generator().manual_seed(0)), data)
    assert blurred.to_data > 0.2


def test_coverage_counts_modes():
    data = lab_datasets.load("ring", 0).points
    full = M.coverage("ring", data)
    assert full.hit == 8 and full.modes == 8 and full.off <= 5 and sum(full.counts) + full.off == len(data)
    few = M.coverage("ring", data[lab_datasets.mode_index("ring", data) < 3])
    assert few.hit == 3
    assert M.coverage("moons", data) is None


def test_straightness():
    line = torch.linspace(0, 1, 11).view(-1, 1, 1) * torch.tensor([[3.0, 4.0]])  # one particle, 10 steps
    assert float(straightness(line, pooled=True)) == pytest.approx(1.0)
    zigzag = torch.tensor([[[0.0, 0.0]], [[1.0, 1.0]], [[2.0, 0.0]]])
    assert float(straightness(zigzag, pooled=True)) == pytest.approx(math.sqrt(2))
