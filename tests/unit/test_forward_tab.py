"""The forward tab's handlers called directly with values no widget would send (an API user might)."""
import math

import gradio as gr
import pytest

from explainer.ui.tabs import forward as forward_tab


@pytest.mark.parametrize("t, message", [
    (math.nan, "t must be a number between 0 and 1"), (math.inf, "t must be"), (-0.5, "t must be"),
    ("abc", "t must be a number"), (True, "t must be"), ([0.5], "t must be"), (None, "t must be"),
])
def test_step_refuses_bad_t(t, message):
    with pytest.raises(gr.Error, match=message):
        forward_tab.step(None, 7, "linear", t, 0)


@pytest.mark.parametrize("args, message", [
    ((None, 7, "zigzag", 0.5, 0), "Schedule must be one of"),
    ((None, 2.5, "linear", 0.5, 0), "Digit number"),
    ((None, 7, "linear", 0.5, 2**40), "Seed"),
    ((123, 7, "linear", 0.5, 0), "uploaded image file"),
    (("/no/such/upload.png", 7, "linear", 0.5, 0), "no longer on the server"),
])
def test_step_refuses_bad_arguments(args, message):
    with pytest.raises(gr.Error, match=message):
        forward_tab.step(*args)


def test_string_numbers_from_api_clients_are_accepted():
    img, _, _, info = forward_tab.step(None, "7", "cosine", "0.25", "3")
    assert img.shape == (224, 224) and "t = 0.250" in info
