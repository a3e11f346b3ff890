"""The reverse-diffusion endpoints through gradio_client (streaming included), bad input included.

The plumbing does not depend on how well the denoiser is trained, so the tab is launched on its own with a
freshly initialised UNet in place of the shipped one: these tests run on a clone without diffusion weights."""
import re

import numpy as np
import pytest
import torch
from PIL import Image

from tests.conftest import serve_tab

pytestmark = pytest.mark.api

DDIM = "DDIM (eta, 5-250 steps)"


def _size(path):
    with Image.open(path) as im:
        return im.size


def _pixels(path):
    with Image.open(path) as im:
        return list(im.getdata())


@pytest.fixture(scope="module")
def client():
    from explainer.lessons import runs
    from explainer.models.unet import UNet
    from explainer.runtime.device import DEVICE
    from explainer.ui.tabs import reverse as reverse_tab

    torch.manual_seed(0)
    untrained = UNet().to(DEVICE).eval().requires_grad_(False)
    torch.nn.init.normal_(untrained.out[2].weight, std=0.05)  # not the zero start: every frame differs
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(runs, "diffusion_model", lambda: untrained)
        yield from serve_tab(reverse_tab.build)


def test_run_streams_frames_and_ends_on_the_picture(client):
    job = client.submit("3", 3, DDIM, 10, 0, 5, 4, api_name="/reverse_run")
    final = job.result()
    updates = job.outputs()
    assert len(updates) >= 2  # the first frame arrives before the end of the run
    xt, x0, eps, status, scrubber = final
    assert scrubber["value"] == scrubber["maximum"] == 9  # ten recorded steps: the scrubber ends on the last
    assert "step 10 / 10" in status and "network evaluations per image: **20**" in status and "first frame" in status
    assert _size(xt) == _size(x0) == _size(eps)
    assert any("running: step 1 / 10" in u[3] for u in updates if len(u) == 5)


def test_run_same_seed_same_pictures_and_ddpm_step_count(client):
    a = client.predict("7", 2, DDIM, 5, 0, 11, 2, api_name="/reverse_run")
    b = client.predict("7", 2, DDIM, 5, 0, 11, 2, api_name="/reverse_run")
    assert _pixels(a[0]) == _pixels(b[0])
    ddpm = client.predict("none", 0, "DDPM ancestral (1000 steps)", 50, 0, 1, 1, api_name="/reverse_run")
    assert "step 1000 / 1000" in ddpm[3] and "per image: **1000**" in ddpm[3]


def test_one_step_per_click(client):
    first = client.predict("2", 1, DDIM, 8, 0, 3, 2, api_name="/reverse_step")
    second = client.predict("2", 1, DDIM, 8, 0, 3, 2, api_name="/reverse_step")
    assert "step 1 / 8" in first[3] and "step 2 / 8" in second[3]
    restarted = client.predict("2", 1, DDIM, 8, 0, 4, 2, api_name="/reverse_step")  # new seed, new run
    assert "step 1 / 8" in restarted[3]


def test_guidance_grid(client):
    img, text = client.predict(1, 5, api_name="/reverse_grid")
    w, h = _size(img)
    assert w > 2 * h  # ten columns, four rows
    assert "w = 0, 1, 3, 7" in text


def test_retry_keeps_the_best_candidate(client):
    from explainer.draw.figures import captioned_grid

    figure, best, text = client.predict("8", 3, 1, 0.999, 2, 5, 0, api_name="/reverse_retry")
    rounds = int(re.search(r"after (\d) round", text).group(1))
    blank = captioned_grid(np.zeros((3 * rounds, 28, 28), np.uint8), [("p(8) = 0.000", "round 1")] * 3 * rounds, cols=3)
    assert _size(figure) == (blank.shape[1], blank.shape[0])  # a row of three candidates per round, captioned
    assert re.search(r"p\(8\) = 0\.\d{3}|p\(8\) = 1\.000", text)


def test_sdedit_from_a_test_digit(client):
    src, noised, restored, text = client.predict("Test digit", 7, None, None, 0.3, "none", 1, 10, 0,
                                                 api_name="/reverse_sdedit")
    assert "k = 300" in text and "judge reads" in text
    assert _size(noised) == _size(restored)


def test_speed_table(client):
    table = client.predict(1, DDIM, 5, 0, 0, 2, api_name="/reverse_speed")
    assert "GAN generator | 1 |" in table and "| 5 |" in table


@pytest.mark.parametrize("args, message", [
    (("3", 99, DDIM, 10, 0, 0, 4), "Guidance|maximum"),
    (("3", 3, DDIM, 10, 0, 0, 0), "Batch|minimum"),
    (("x", 3, DDIM, 10, 0, 0, 4), "Prompt|choices"),
    (("3", 3, DDIM, 1000, 0, 0, 4), "Steps|maximum"),
    (("3", -1, DDIM, 10, 0, 0, 4), "Guidance|minimum"),
])
def test_bad_input_gets_a_clear_message(client, args, message):
    with pytest.raises(Exception, match=message):
        client.predict(*args, api_name="/reverse_run")
    assert "step 5 / 5" in client.predict("1", 1, DDIM, 5, 0, 0, 1, api_name="/reverse_run")[3]  # still serving
