"""Equal-MSE distortions, SSIM and digit conversion: pure numpy, no trained weights."""
import numpy as np
import pytest
from PIL import Image

from explainer.data.bundled import bundled_sample
from explainer.data.digitize import digitize
from explainer.maths.distortions import DISTORTIONS, TOLERANCE, equal_mse, gaussian_kernel, mse
from explainer.evaluation.metrics import ssim

from tests.conftest import refused


def _digit(i=0) -> np.ndarray:
    return bundled_sample().images[i].astype(np.float64) / 255.0


@pytest.mark.parametrize("index", [0, 777, 2499])
@pytest.mark.parametrize("target", [0.01, 0.03])
def test_all_distortions_hit_the_same_mse(index, target):
    img = _digit(index)
    out = equal_mse(img, target)
    assert [d.name for d in out] == [d.name for d in DISTORTIONS] and len(out) >= 5
    for d in out:
        assert abs(mse(img, d.image) - target) <= TOLERANCE * target, d.name
        assert d.image.min() >= 0 and d.image.max() <= 1
    # Same MSE, different pictures: no two distortions produce the same image.
    for i in range(len(out)):
        for j in range(i + 1, len(out)):
            assert mse(out[i].image, out[j].image) > 0.2 * target


def test_distortions_grow_with_strength():
    img = _digit(5)
    for d in DISTORTIONS:
        errs = [mse(img, d.apply(img, s)) for s in np.linspace(0, d.max_strength, 9)]
        assert errs[0] < 1e-12, d.name
        assert all(b >= a - 1e-9 for a, b in zip(errs, errs[1:])), d.name


def test_unreachable_target_is_a_clear_error():
    with refused("cannot reach"):
        equal_mse(_digit(), 0.9)
    with pytest.raises(ValueError):
        equal_mse(_digit(), float("nan"))


def _reference_ssim(a, b, data_range=1.0):
    """Direct window-by-window SSIM (Wang et al. 2004), written without separable filtering."""
    k = gaussian_window_2d()
    c1, c2 = (0.01 * data_range) ** 2, (0.03 * data_range) ** 2
    vals = []
    for i in range(a.shape[0] - 10):
        for j in range(a.shape[1] - 10):
            pa, pb = a[i : i + 11, j : j + 11], b[i : i + 11, j : j + 11]
            ma, mb = (k * pa).sum(), (k * pb).sum()
            va, vb = (k * (pa - ma) ** 2).sum(), (k * (pb - mb) ** 2).sum()
            cov = (k * (pa - ma) * (pb - mb)).sum()
            vals.append((2 * ma * mb + c1) * (2 * cov + c2) / ((ma**2 + mb**2 + c1) * (va + vb + c2)))
    return float(np.mean(vals))


def gaussian_window_2d():
    x = np.arange(11) - 5.0
    g = np.exp(-(x**2) / (2 * 1.5**2))
    w = np.outer(g, g)
    return w / w.sum()


def test_ssim_matches_a_direct_reference():
    rng = np.random.default_rng(0)
    a = _digit(3)
    b = np.clip(a + 0.2 * rng.standard_normal(a.shape), 0, 1)
    assert ssim(a, b) == pytest.approx(_reference_ssim(a, b), abs=1e-9)
    # Scaling images and data_range together changes nothing (the constants scale with the range).
    assert ssim(2 * a, 2 * b, data_range=2.0) == pytest.approx(ssim(a, b), abs=1e-9)


def test_ssim_invariants():
    rng = np.random.default_rng(1)
    a = _digit(10)
    assert ssim(a, a) == pytest.approx(1.0)
    b = np.clip(a + 0.1 * rng.standard_normal(a.shape), 0, 1)
    assert ssim(a, b) == pytest.approx(ssim(b, a))
    values = [ssim(a, np.clip(a + s * rng.standard_normal(a.shape), 0, 1)) for s in (0.05, 0.2, 0.5)]
    assert 1 > values[0] > values[1] > values[2]
    with pytest.raises(ValueError):
        ssim(a, a[:20])


def test_gaussian_kernel_sums_to_one():
    k = gaussian_kernel(1.3)
    assert k.sum() == pytest.approx(1.0) and len(k) % 2 == 1 and k.argmax() == len(k) // 2


# --- digitize: drawings and uploads become MNIST-like digits -------------------------------------------------

def _canvas(size=400, ink_dark=True, rgba=False):
    """A '1'-like bar drawn off-centre, dark on white (or white on black)."""
    paper, ink = (255, 0) if ink_dark else (0, 255)
    img = np.full((size, size), paper, np.uint8)
    img[40:300, 60:100] = ink
    if rgba:
        rgba_img = np.zeros((size, size, 4), np.uint8)
        rgba_img[..., 3] = np.where(img == ink, 255, 0)
        return rgba_img  # black strokes on a transparent canvas, like gr.Sketchpad
    return img


@pytest.mark.parametrize("variant", [dict(ink_dark=True), dict(ink_dark=False), dict(rgba=True)])
def test_digitize_centres_by_mass_and_scales_to_20(variant):
    out = digitize(_canvas(**variant))
    assert out.shape == (28, 28) and out.dtype == np.uint8
    assert out.max() == 255 and out[0].max() == 0 and out[:, 0].max() == 0  # bright ink, dark paper
    ys, xs = np.nonzero(out > 50)
    assert ys.max() - ys.min() + 1 in (19, 20, 21)  # the longer side is scaled to 20 px
    w = out.astype(float)
    cy, cx = (np.indices(w.shape) * w).sum((1, 2)) / w.sum()
    assert abs(cy - 14) <= 1.0 and abs(cx - 14) <= 1.0


def test_digitize_accepts_sketchpad_dicts_pil_and_files(tmp_path):
    canvas = _canvas(rgba=True)
    a = digitize({"background": None, "layers": [canvas], "composite": canvas})
    b = digitize(Image.fromarray(canvas))
    path = tmp_path / "d.png"
    Image.fromarray(canvas).save(path)
    c = digitize(str(path))
    assert np.array_equal(a, b) and np.array_equal(a, c)


def test_digitize_keeps_a_real_digit_close():
    digit = bundled_sample().images[42]
    out = digitize(digit)
    # Same preprocessing as MNIST: a real test digit comes back nearly unchanged.
    assert np.corrcoef(out.ravel(), digit.ravel())[0, 1] > 0.9


@pytest.mark.parametrize("blank", [
    np.zeros((100, 100), np.uint8), np.full((64, 64), 255, np.uint8), np.zeros((50, 50, 4), np.uint8),
    np.full((30, 30, 3), 128, np.uint8),
])
def test_blank_pictures_raise_a_clear_error(blank):
    with refused("blank|No digit"):
        digitize(blank)


@pytest.mark.parametrize("bad", [None, {"composite": None}, np.zeros((0, 0)), np.zeros((5, 5, 7)), "no/such/file.png",
                                 np.full((10, 10), np.nan)])
def test_bad_inputs_raise_value_error(bad):
    with pytest.raises(ValueError):
        digitize(bad)


def test_huge_picture_is_handled():
    img = np.zeros((4000, 4000), np.uint8)
    img[1000:3000, 1800:2200] = 255
    out = digitize(img)
    assert out.shape == (28, 28) and out.max() == 255
