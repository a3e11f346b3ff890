"""The autoencoder tab through gradio_client: decode, encode (incl. blank, all-black, huge and broken uploads), the rest."""
import math
import re

import numpy as np
import pytest
from gradio_client import handle_file
from PIL import Image

pytestmark = [pytest.mark.api, pytest.mark.weights]


def _size(path):
    with Image.open(path) as im:
        return im.size


def _png(tmp_path, array, name="digit.png") -> str:
    path = tmp_path / name
    Image.fromarray(array).save(path)
    return str(path)


def _drawn_seven(size=280, ink=0, paper=255) -> np.ndarray:
    img = np.full((size, size), paper, np.uint8)
    s = size // 28
    img[6 * s : 9 * s, 6 * s : 22 * s] = ink  # top bar
    for r in range(9 * s, 24 * s):  # the diagonal stroke
        c = 22 * s - (r - 9 * s) * 10 // 15
        img[r, max(0, c - 2 * s) : c] = ink
    return img


def test_decode_returns_both_models_and_the_judge(client):
    ae, vae, text = client.predict(0.3, -0.4, api_name="/latent_decode")
    assert _size(ae) == _size(vae) == (168, 168)
    assert "Autoencoder" in text and "VAE" in text and "judge reads" in text


# Gradio's sliders answer out-of-range and wrong-typed values themselves, with a clear line; NaN and
# infinity cannot even be sent as JSON. The handlers check again for callers that bypass the widgets.
@pytest.mark.parametrize("z, message", [((math.nan, 0), "JSON"), ((0, math.inf), "JSON"), ((1e9, 0), "greater than maximum"),
                                        (("x", 0), "Expected a `float`")])
def test_decode_bad_points_get_a_clear_message(client, z, message):
    with pytest.raises(Exception, match=message):
        client.predict(*z, api_name="/latent_decode")
    ae, _, _ = client.predict(0, 0, api_name="/latent_decode")  # the server keeps serving
    assert _size(ae) == (168, 168)


@pytest.mark.parametrize("z, message", [((math.nan, 0), "z1 must be a number"), ((0, math.inf), "z2 must be a number"),
                                        ((1e9, 0), "z1 must be a number between"), ((None, 0), "z1")])
def test_decode_handler_refuses_what_the_widgets_would_stop(z, message):
    import gradio as gr

    from explainer.ui.tabs import autoencoder as autoencoder_tab

    with pytest.raises(gr.Error, match=message):
        autoencoder_tab.decode(*z)
    with pytest.raises(gr.Error, match="Target MSE"):
        autoencoder_tab.same_mse(0, math.nan)


def _check_encoded(out, source):
    digit, ae, vae, text, ae_map, vae_map = out
    assert _size(digit) == _size(ae) == _size(vae) == (168, 168)
    assert source in text and text.count("reconstruction MSE") == 2
    assert ae_map is not None and vae_map is not None
    return [float(m) for m in re.findall(r"MSE (\d+\.\d+)", text)]


def test_encode_a_bundled_digit(client):
    mses = _check_encoded(client.predict(7, api_name="/latent_encode_sample"), "Test digit #7")
    assert all(0 <= m < 0.2 for m in mses)
    with pytest.raises(Exception, match="greater than maximum"):
        client.predict(99_999, api_name="/latent_encode_sample")


def test_encode_an_upload(client, tmp_path):
    _check_encoded(client.predict(handle_file(_png(tmp_path, _drawn_seven())), api_name="/latent_encode"), "Your picture")


def test_encode_a_huge_upload(client, tmp_path):
    path = _png(tmp_path, _drawn_seven(size=4000), "huge.png")
    _check_encoded(client.predict(handle_file(path), api_name="/latent_encode"), "Your picture")


@pytest.mark.parametrize("fill", [0, 255])
def test_blank_or_all_black_upload_gets_a_clear_message(client, tmp_path, fill):
    path = _png(tmp_path, np.full((200, 200), fill, np.uint8), f"flat{fill}.png")
    with pytest.raises(Exception, match="No digit found"):
        client.predict(handle_file(path), api_name="/latent_encode")
    _check_encoded(client.predict(3, api_name="/latent_encode_sample"), "Test digit #3")


def test_a_file_that_is_not_an_image_is_refused(client, tmp_path):
    path = tmp_path / "fake.png"
    path.write_bytes(b"this is not a picture" * 100)
    with pytest.raises(Exception):
        client.predict(handle_file(str(path)), api_name="/latent_encode")
    _check_encoded(client.predict(3, api_name="/latent_encode_sample"), "Test digit #3")


def _sketch(path):
    return {"background": None, "layers": [], "composite": handle_file(path)}


def test_encode_a_drawing(client, tmp_path):
    rgba = np.zeros((280, 280, 4), np.uint8)
    rgba[..., 3] = np.where(_drawn_seven() == 0, 255, 0)  # black strokes on a transparent canvas
    path = str(tmp_path / "sketch.png")
    Image.fromarray(rgba, "RGBA").save(path)
    _check_encoded(client.predict(_sketch(path), api_name="/latent_encode_drawing"), "Your drawing")


def test_blank_canvas_gets_a_clear_message(client, tmp_path):
    path = str(tmp_path / "blank.png")
    Image.fromarray(np.zeros((280, 280, 4), np.uint8), "RGBA").save(path)
    with pytest.raises(Exception, match="blank|No digit"):
        client.predict(_sketch(path), api_name="/latent_encode_drawing")
    _check_encoded(client.predict(3, api_name="/latent_encode_sample"), "Test digit #3")


def test_holes_grid_and_prior_samples(client):
    ae, vae, text = client.predict(6, 3.0, api_name="/latent_holes")
    assert _size(ae) == _size(vae) and text.count("recognizability") == 2
    ae, vae, ae_fitted, text = client.predict(0, api_name="/latent_prior")
    assert _size(ae) == _size(vae) == _size(ae_fitted) and "These 64:" in text
    assert "10,000 random points of each kind" in text and text.count("judge-FID") >= 3
    with pytest.raises(Exception, match="greater than maximum"):
        client.predict(10**6, 3.0, api_name="/latent_holes")


def test_interpolation(client):
    ae, vae, text = client.predict(260, 2010, 6, api_name="/latent_interpolate")
    w, h = _size(ae)
    assert w > 5 * h and _size(vae) == (w, h)
    assert text.count("→") == 2 * 5
    with pytest.raises(Exception, match="greater than maximum"):
        client.predict(1, 2, 1000, api_name="/latent_interpolate")


def test_mse_blur_equal_mse_lineup(client):
    from explainer.ui.tabs import autoencoder as autoencoder_tab

    figure, table = client.predict(1800, 0.02, api_name="/mse_blur")
    expected, _ = autoencoder_tab.same_mse(1800, 0.02)  # the original and the distortions, captions drawn in
    with Image.open(figure) as im:
        assert np.array_equal(np.asarray(im.convert("RGB")), expected)
    mses = [float(m) for m in re.findall(r"\| (0\.\d{4}) \|", table)][1:]  # the table's MSE column, past the original
    assert len(mses) >= 5 and all(abs(m - 0.02) <= 0.02 * 0.02 + 1e-4 for m in mses), table
    assert "judge-feature distance" in table
    with pytest.raises(Exception, match="less than minimum"):
        client.predict(1800, -1, api_name="/mse_blur")
