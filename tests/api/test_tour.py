"""The guided tour's demos through gradio_client, bad input included. The reverse step is served with a freshly
initialised UNet in place of the shipped one (as in test_api_reverse.py), so it runs on a clone without
diffusion weights."""
import pytest
import torch
from PIL import Image

from tests.conftest import serve_tab

pytestmark = [pytest.mark.api, pytest.mark.weights]


def _size(path):
    with Image.open(path) as im:
        return im.size


@pytest.fixture(scope="module")
def tour():
    from explainer.ui.tabs import tour as tour_tab

    yield from serve_tab(tour_tab.build)


def test_gan_step_draws_eight_judged_digits(tour):
    figure, info = tour.predict(3, api_name="/tour_gan")
    again, _ = tour.predict(3, api_name="/tour_gan")
    assert "8 digits" in info and "one forward pass" in info
    with Image.open(figure) as a, Image.open(again) as b:
        assert a.size[0] > 7 * 84 and list(a.getdata()) == list(b.getdata())  # eight 84 px digits in a row


def test_autoencoder_step_rebuilds_from_two_numbers(tour):
    pair, text = tour.predict(260, api_name="/tour_autoencoder")
    w, h = _size(pair)
    assert w > 1.8 * h  # the digit and its rebuild side by side
    assert "Test digit #260 (a 1)" in text and "z = (" in text and "MSE" in text


def test_vae_step_decodes_one_point_with_both_models(tour):
    ae, vae, text = tour.predict(2, -2, api_name="/tour_vae")
    assert _size(ae) == _size(vae) == (168, 168)
    assert "z = (2.00, -2.00)" in text and "Autoencoder" in text and "VAE" in text


def test_forward_step_goes_from_the_picture_to_noise(tour):
    _, _, start = tour.predict(0, api_name="/tour_forward")
    _, _, end = tour.predict(1, api_name="/tour_forward")
    assert "the picture itself" in start
    assert "N(0, 1)" in end and "still far" not in end


@pytest.mark.parametrize("api, args, message", [
    ("/tour_gan", (-5,), "Seed"),
    ("/tour_autoencoder", (10**6,), "greater than maximum|Digit number"),
    ("/tour_vae", (float("nan"), 0), "not JSON compliant|z1"),
    ("/tour_forward", (2,), "greater than maximum|t must be"),
])
def test_bad_input_gets_a_clear_message_and_the_server_keeps_serving(tour, api, args, message):
    with pytest.raises(Exception, match=message):
        tour.predict(*args, api_name=api)
    _, info = tour.predict(1, api_name="/tour_gan")
    assert "8 digits" in info


def test_every_step_links_to_a_tab_the_app_knows():
    import gradio as gr

    from explainer.ui.tabs import tour as tour_tab
    from explainer.ui import all_tabs, links

    with gr.Blocks():
        tour_tab.build()
    known = {links.slug_of(m) for _, m in all_tabs()} | {"reverse", "flow"}  # those two only where installed
    assert {slug for slug, _ in tour_tab.GOTO_BUTTONS} >= {"gan", "autoencoder", "forward"}
    assert {slug for slug, _ in tour_tab.GOTO_BUTTONS} <= known


@pytest.fixture(scope="module")
def tour_with_models():
    from explainer.lessons import flow as flow_lesson
    from explainer.lessons import runs
    from explainer.models.unet import UNet
    from explainer.runtime.device import DEVICE
    from explainer.ui.tabs import flow as flow_tab
    from explainer.ui.tabs import reverse as reverse_tab

    torch.manual_seed(0)
    untrained = UNet().to(DEVICE).eval().requires_grad_(False)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(runs, "diffusion_model", lambda: untrained)
        mp.setattr(flow_lesson, "model", lambda: untrained)
        for tab in (reverse_tab, flow_tab):
            mp.setattr(tab, "available", lambda: True)
        from explainer.ui.tabs import tour as tour_tab

        yield from serve_tab(tour_tab.build)


@pytest.mark.parametrize("api, steps", [("/tour_reverse", "25-step run"), ("/tour_flow", "10-step Euler run")])
def test_reverse_and_flow_steps_show_noise_turning_into_digits(tour_with_models, api, steps):
    strip, text = tour_with_models.predict("3", 0, api_name=api)
    w, h = _size(strip)
    assert w > h  # snapshots left to right, one row per digit
    assert steps in text and "network passes" in text
    with pytest.raises(Exception, match="Prompt|not in the list"):
        tour_with_models.predict("eleven", 0, api_name=api)
