"""The app launched in-process, called through gradio_client like any API user would."""
import math
import re

import numpy as np
import pytest
from PIL import Image

pytestmark = [pytest.mark.api, pytest.mark.weights]


def _image_size(path):
    with Image.open(path) as im:
        return im.size


def test_gan_sample_returns_one_figure_with_the_words_drawn_in(client):
    from explainer.ui.tabs import gan as gan_tab

    figure, info = client.predict(5, 12, api_name="/gan_sample")
    expected, _ = gan_tab.grid_outputs(gan_tab.draw(5, 12))  # the same seed, drawn here: the same picture
    with Image.open(figure) as im:
        assert np.array_equal(np.asarray(im.convert("RGB")), expected)
    assert expected.shape[1] >= gan_tab.GRID_COLS * 84 and expected.shape[0] >= 2 * 84  # 84 px digits, 2 rows of 8
    assert all(re.fullmatch(r"(\d|not a digit) \(\d+%\)", a) and re.fullmatch(r"D \d\.\d\d", b)
               for a, b in gan_tab.captions(gan_tab.draw(5, 12)))
    assert "12 digits" in info and "one forward pass" in info


def test_gan_sample_same_seed_same_pictures(client):
    a, _ = client.predict(9, 4, api_name="/gan_sample")
    b, _ = client.predict(9, 4, api_name="/gan_sample")
    with Image.open(a) as ia, Image.open(b) as ib:
        assert list(ia.getdata()) == list(ib.getdata())


def test_gan_walk(client):
    strip, gif, download, plot, text = client.predict(1, 2, 6, "spherical (slerp)", api_name="/gan_walk")
    w, h = _image_size(strip)
    assert w > 5 * h  # six frames side by side
    for path in (gif, download):  # the view and the "Download GIF" file are the same animation
        with Image.open(path) as im:
            assert im.format == "GIF" and im.n_frames >= 6
    assert plot is not None and text.count("→") == 5


def test_gan_history_scrubs(client):
    plot, grid, hist, info = client.predict(0, api_name="/gan_history")
    assert "Epoch 0.00" in info and grid is not None and hist is not None


def test_gan_collapse_compares_entropies(client):
    out = client.predict(0, api_name="/gan_collapse")
    assert len(out) == 6
    assert "Healthy GAN" in out[2] and "Collapsed GAN" in out[5]


@pytest.mark.parametrize("args, message", [
    ((-1, 8), "Seed"),
    ((2**40, 8), "Seed"),
    ((0, 10**6), "greater than maximum value 64"),  # the slider's own check comes first
    ((0, 0), "less than minimum value 1"),
    ((math.inf, 8), "not JSON compliant"),  # refused by the client; NaN over raw HTTP: test_bad_input.py
])
def test_gan_sample_bad_input_gets_a_clear_message(client, args, message):
    with pytest.raises(Exception, match=message):
        client.predict(*args, api_name="/gan_sample")
    _, info = client.predict(1, 2, api_name="/gan_sample")  # the server keeps serving
    assert "2 digits" in info


def test_wrong_types_are_refused_cleanly(client):
    with pytest.raises(Exception):
        client.predict("not a number", 8, api_name="/gan_sample")
    with pytest.raises(Exception, match="not in the list of choices"):
        client.predict(1, 2, 6, "zigzag", api_name="/gan_walk")
    with pytest.raises(Exception, match="Checkpoint|greater than maximum value"):
        client.predict(10**5, api_name="/gan_history")
    _, info = client.predict(1, 3, api_name="/gan_sample")
    assert "3 digits" in info
