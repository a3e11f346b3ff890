"""Where the SDEdit demo's digit comes from: a drawing (either ink colour on a transparent canvas), an upload of any
format, or a bundled test digit; a blank canvas is refused with a message, never swapped for another digit."""
import numpy as np
import pytest
from PIL import Image

from explainer.lessons.retry_and_sdedit import sdedit_source

from tests.conftest import refused


def _canvas(ink: int) -> dict:
    """A gr.Sketchpad value: a transparent 200x200 canvas with one opaque stroke of grey level `ink`."""
    rgba = np.zeros((200, 200, 4), np.uint8)
    rgba[40:160, 90:110] = (ink, ink, ink, 255)
    return {"background": None, "layers": [rgba], "composite": rgba}


@pytest.mark.parametrize("ink", [0, 255], ids=["dark strokes", "light strokes"])
def test_a_drawing_becomes_a_centred_light_on_dark_digit(ink):
    x = sdedit_source(drawing=_canvas(ink))
    assert x.shape == (28, 28) and x.min() >= -1 and x.max() <= 1
    assert x[4:24, 13:16].mean() > 0.9 and x[:, :10].max() == -1  # a vertical bar in the middle, dark field


def test_a_blank_canvas_is_refused_not_replaced():
    blank = np.zeros((200, 200, 4), np.uint8)
    for value in ({"background": None, "layers": [], "composite": None}, {"background": None, "layers": [], "composite": blank}):
        with refused("blank|No digit"):
            sdedit_source(drawing=value)


def test_an_upload_of_any_mode_becomes_the_same_digit(tmp_path):
    bar = np.zeros((64, 64), np.uint8)
    bar[10:54, 28:36] = 255
    Image.fromarray(bar).save(tmp_path / "gray.png")
    Image.fromarray(bar.astype(np.uint16) * 257).save(tmp_path / "gray16.png")
    Image.fromarray(bar).convert("CMYK").save(tmp_path / "cmyk.jpg")
    digits = [sdedit_source(upload=str(tmp_path / n)) for n in ("gray.png", "gray16.png", "cmyk.jpg")]
    for d in digits[1:]:
        assert np.abs(d - digits[0]).mean() < 0.05


def test_no_source_means_the_bundled_digit():
    assert sdedit_source(bundled=3).shape == (28, 28)
