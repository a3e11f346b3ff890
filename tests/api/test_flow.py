"""The flow-matching endpoints through gradio_client (streaming included), bad input included.

As for the reverse tab, the plumbing does not depend on training, so the tab runs on freshly initialised
UNets (one for the flow, one for DDIM): these tests need no flow or diffusion weights."""
import pytest
import torch
from PIL import Image

from tests.conftest import serve_tab

pytestmark = pytest.mark.api

EULER, HEUN = "Euler (1 evaluation per step)", "Heun (2 evaluations per step)"


def _pixels(path):
    with Image.open(path) as im:
        return list(im.getdata())


@pytest.fixture(scope="module")
def client():
    from explainer.lessons import flow as flow_lesson
    from explainer.lessons import runs
    from explainer.models.unet import UNet
    from explainer.runtime.device import DEVICE
    from explainer.ui.tabs import flow as flow_tab

    def untrained(seed):
        torch.manual_seed(seed)
        net = UNet().to(DEVICE).eval().requires_grad_(False)
        torch.nn.init.normal_(net.out[2].weight, std=0.05)  # not the zero start: every frame differs
        return net

    flow_net, ddpm_net = untrained(0), untrained(1)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(flow_lesson, "model", lambda: flow_net)
        mp.setattr(runs, "diffusion_model", lambda: ddpm_net)
        mp.setattr(flow_tab, "ddim_available", lambda: True)
        yield from serve_tab(flow_tab.build)


def test_run_streams_and_counts_evaluations(client):
    job = client.submit("3", 3, HEUN, 6, 5, 4, api_name="/flow_run")
    xt, x0, eps, status, scrubber = job.result()
    assert "step 6 / 6" in status and "per image: **24**" in status  # Heun 2 x guidance 2 x 6 steps
    assert scrubber["value"] == scrubber["maximum"] == 5
    assert any("running: step 1 / 6" in u[3] for u in job.outputs() if len(u) == 5)
    one = client.predict("none", 0, EULER, 1, 5, 4, api_name="/flow_run")
    assert "step 1 / 1" in one[3] and "per image: **1**" in one[3]
    assert one[4]["value"] == 0 and one[4]["interactive"] is False  # one frame: nothing to scrub


def test_same_seed_same_pictures(client):
    a = client.predict("7", 1, EULER, 4, 11, 2, api_name="/flow_run")
    b = client.predict("7", 1, EULER, 4, 11, 2, api_name="/flow_run")
    c = client.predict("7", 1, EULER, 4, 12, 2, api_name="/flow_run")
    assert _pixels(a[0]) == _pixels(b[0]) != _pixels(c[0])


def test_paths_measure_both_samplers(client):
    flow_img, ddim_img, plot, table = client.predict("2", 1, EULER, 8, 0, 3, api_name="/flow_paths")
    assert "flow (euler)" in table and "DDIM" in table and table.count("**") == 4
    numbers = [float(cell.split("**")[1]) for cell in table.splitlines()[2:]]
    assert all(x >= 1.0 for x in numbers)  # a path is never shorter than its chord
    assert plot is not None and _pixels(flow_img) != _pixels(ddim_img)


@pytest.mark.parametrize("args, message", [
    (("3", 1, EULER, 0, 0, 2), "less than minimum"),  # slider bounds: Gradio's own message
    (("3", 1, EULER, 101, 0, 2), "greater than maximum"),
    (("3", 99, EULER, 5, 0, 2), "greater than maximum"),
    (("3", 1, "RK45", 5, 0, 2), "not in the list of choices"),
    (("11", 1, EULER, 5, 0, 2), "not in the list of choices"),
    (("3", 1, EULER, 5, -1, 2), "Seed"),
    (("3", 1, EULER, 5, 0, 17), "greater than maximum"),
])
def test_bad_settings_get_a_message(client, args, message):
    from gradio_client.exceptions import AppError

    for api in ("/flow_run", "/flow_paths"):
        with pytest.raises(AppError, match=message):
            client.predict(*args, api_name=api)
    assert "step 2 / 2" in client.predict("3", 1, EULER, 2, 0, 1, api_name="/flow_run")[3]  # still serving


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), "abc", None, [1]])
def test_handlers_reject_non_numbers_with_a_message(bad):
    import gradio as gr

    from explainer.ui.tabs import flow as flow_tab

    with pytest.raises(gr.Error, match="Guidance w"):
        list(flow_tab.run("3", bad, EULER, 5, 0, 2))
    with pytest.raises(gr.Error, match="Steps"):
        flow_tab.paths("3", 1, EULER, bad, 0, 2)
