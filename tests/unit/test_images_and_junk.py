import io

import numpy as np
import torch
from PIL import Image

from explainer.data import junk
from explainer.draw import images as media


def test_grid_shape_and_content():
    imgs = np.stack([np.full((4, 4), i * 10, np.uint8) for i in range(5)])
    g = media.grid(imgs, cols=3, pad=1)
    assert g.shape == (2 * 5 + 1, 3 * 5 + 1)
    assert g[1, 1] == 0 and g[1, 6] == 10 and g[6, 1] == 30


def test_gif_has_all_frames():
    frames = [np.full((8, 8), v, np.uint8) for v in (0, 128, 255)]
    im = Image.open(io.BytesIO(media.gif_bytes(frames)))
    assert im.n_frames == 3


def test_junk_images_cover_every_kind_in_range():
    g = torch.Generator().manual_seed(0)
    digits = torch.rand(20, 1, 28, 28) * 2 - 1
    x = junk.make_junk(400, g, digits, torch.arange(20) % 10)
    assert x.shape == (400, 1, 28, 28)
    assert x.min() >= -1 and x.max() <= 1
    assert torch.isfinite(x).all()
    assert x.flatten(1).std(1).gt(0).float().mean() > 0.5  # mostly non-flat pictures


def test_softening_blur_is_the_same_mse_tables_blur_and_keeps_range():
    from explainer.data import softening
    from explainer.maths.distortions import _blur

    digits = torch.rand(6, 28, 28, generator=torch.Generator().manual_seed(1))
    for sigma in (0.0, 0.7, 1.5):
        expected = np.stack([_blur(d.numpy().astype(np.float64), sigma) for d in digits])
        np.testing.assert_allclose(softening.gaussian_blur(digits, sigma).numpy(), expected, atol=1e-3)
    per_image = softening.gaussian_blur(digits[:2], torch.tensor([0.0, 1.5]))  # one sigma per image
    torch.testing.assert_close(per_image[0], digits[0])
    torch.testing.assert_close(per_image[1], softening.gaussian_blur(digits[1:2], 1.5)[0])
    soft = softening.soften(digits, torch.Generator().manual_seed(2))
    assert soft.shape == digits.shape and soft.min() >= 0 and soft.max() <= 1
    halved = softening.lower_contrast(digits, 0.5)
    torch.testing.assert_close(halved.std(dim=(1, 2)), 0.5 * digits.std(dim=(1, 2)))


def test_junk_blur_starts_where_soft_digits_end():
    from explainer.data.softening import SOFT_BLUR_MAX

    assert SOFT_BLUR_MAX < junk.JUNK_BLUR_MIN  # the judge is never taught one blur as both digit and junk
