"""The forward-diffusion endpoints through gradio_client, bad input included.

The tab needs no trained weights, so it is launched on its own here: these tests run on a fresh clone."""
import io

import numpy as np
import pytest
from PIL import Image

from tests.conftest import serve_tab

pytestmark = pytest.mark.api


@pytest.fixture(scope="module")
def fwd():
    from explainer.ui.tabs import forward as forward_tab

    yield from serve_tab(forward_tab.build)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    from gradio_client import handle_file

    folder = tmp_path_factory.mktemp("uploads")
    photo = np.random.default_rng(0).integers(0, 255, (300, 400, 3), np.uint8)
    Image.fromarray(photo).save(folder / "photo.jpg", quality=90)
    (folder / "notes.png").write_text("this is not a picture")
    buf = io.BytesIO()
    Image.fromarray(photo).save(buf, format="PNG")
    (folder / "cut.png").write_bytes(buf.getvalue()[:500])
    return {name: handle_file(str(folder / name)) for name in ("photo.jpg", "notes.png", "cut.png")}


def _size(path):
    with Image.open(path) as im:
        return im.size


def test_step_on_a_bundled_digit(fwd):
    img, hist, curves, info = fwd.predict(None, 7, "cosine", 0.5, 0, api_name="/forward_step")
    assert _size(img) == (224, 224)  # a 28x28 digit, enlarged by whole pixels for display
    assert hist is not None and curves is not None
    assert "t = 0.500" in info and "step 500 of 1000" in info and "W₁" in info


def test_step_ends_in_noise_and_starts_with_the_picture(fwd):
    *_, end = fwd.predict(None, 7, "linear", 1.0, 0, api_name="/forward_step")
    assert "sample of N(0, 1)" in end or "close to N(0, 1)" in end
    *_, start = fwd.predict(None, 7, "flow", 0.0, 0, api_name="/forward_step")
    assert "the picture itself" in start


def test_uploaded_photo_is_resized_and_noised(fwd, files):
    img, *_ , info = fwd.predict(files["photo.jpg"], 0, "flow", 0.25, 1, api_name="/forward_step")
    assert _size(img) == (256, 192)
    assert "signal a_t = 0.750" in info


def test_gif_for_slides(fwd):
    view, download = fwd.predict(None, 3, "linear", 0, api_name="/forward_gif")
    assert download.endswith("/forward-diffusion-linear.gif")  # named for what it holds
    with Image.open(download) as gif:
        assert gif.format == "GIF" and gif.n_frames >= 50
    assert view.endswith(".gif")


def test_compare_one_jump_and_many_steps(fwd):
    one, many, table = fwd.predict(None, 5, "cosine", 0.6, 2, api_name="/forward_compare")
    assert _size(one) == _size(many) == (224, 224)
    assert "600 small steps" in table and "share of x₀ kept" in table


def test_training_batch(fwd):
    from explainer.ui.tabs import forward as forward_tab

    figure, info = fwd.predict("linear", 4, 6, api_name="/forward_batch")
    expected, _ = forward_tab.batch("linear", 4, 6)  # six trios in rows of four, each captioned with its step k
    with Image.open(figure) as im:
        assert np.array_equal(np.asarray(im.convert("RGB")), expected)
    assert "noise ε" in info


# Gradio's components check ranges and choices first (their messages are plain too); the handler's own
# checks (as_float, as_choice, as_int) are the second line for values the components let through.
@pytest.mark.parametrize("args, message", [
    ((None, 7, "linear", 1.5, 0), "greater than maximum value 1"),
    ((None, 7, "linear", "soon", 0), "Expected a `float`"),
    ((None, 7, "zigzag", 0.5, 0), "not in the list of choices"),
    ((None, 10**6, "linear", 0.5, 0), "greater than maximum value 2499"),
    ((None, 7, "linear", 0.5, -3), "Seed must be between 0"),  # the seed field leaves range checks to the handler
])
def test_bad_values_get_a_clear_message(fwd, args, message):
    with pytest.raises(Exception, match=message):
        fwd.predict(*args, api_name="/forward_step")
    img, *_ = fwd.predict(None, 1, "linear", 0.1, 0, api_name="/forward_step")  # the server keeps serving
    assert _size(img) == (224, 224)


@pytest.mark.parametrize("name, message", [("notes.png", "not a picture"), ("cut.png", "damaged or truncated")])
def test_bad_files_get_a_clear_message(fwd, files, name, message):
    for api, args in (("/forward_step", (files[name], 0, "linear", 0.5, 0)),
                      ("/forward_gif", (files[name], 0, "linear", 0)),
                      ("/forward_compare", (files[name], 0, "linear", 0.5, 0))):
        with pytest.raises(Exception, match=message):
            fwd.predict(*args, api_name=api)
    figure, info = fwd.predict("cosine", 1, 2, api_name="/forward_batch")
    assert figure.endswith(".png") and "noise ε" in info


def test_batch_refuses_bad_sizes(fwd):
    with pytest.raises(Exception, match="less than minimum value 1"):
        fwd.predict("linear", 0, 0, api_name="/forward_batch")
    with pytest.raises(Exception, match="Schedule must be one of"):  # None passes the radio, not the handler
        fwd.predict(None, 0, 2, api_name="/forward_batch")
