"""The modern answers through gradio_client: reflow's 1/2/4 steps beside the GAN, latent diffusion, and both as rows
of Compare all; bad input gets one clear line and the server keeps serving."""
import pytest
from PIL import Image

pytestmark = [pytest.mark.api, pytest.mark.weights]


def _size(path):
    with Image.open(path) as im:
        return im.size


def test_reflow_figure_has_seven_rows_and_live_straightness(client):
    figure, text = client.predict("5", 1, 3, api_name="/flow_reflow")
    w, h = _size(figure)
    assert h >= 7 * 84 and w >= 3 * 84  # flow and reflow at 1, 2, 4 steps, and the GAN: rows of 84-px digits
    assert "flow **" in text and "reflow **" in text


def test_reflow_refuses_bad_counts_then_keeps_serving(client):
    with pytest.raises(Exception, match="between 1 and 8|greater than maximum"):
        client.predict("5", 1, 99, api_name="/flow_reflow")
    figure, _ = client.predict("none", 2, 2, api_name="/flow_reflow")
    assert _size(figure)[1] >= 7 * 84


def test_latent_diffusion_times_both_spaces(client):
    figure, text = client.predict("3", 0, 10, api_name="/latent_diffusion")
    assert _size(figure)[1] >= 3 * 84
    assert "in the latent" in text and "in pixels" in text and "784 → 196" in text


def test_latent_diffusion_bad_steps_get_a_clear_line(client):
    with pytest.raises(Exception, match="Steps|greater than maximum"):
        client.predict("3", 0, 500, api_name="/latent_diffusion")


def test_compare_all_takes_reflow_and_latent_rows(client):
    figure, table = client.predict("7", 0, 2, ["Reflow", "Latent"], api_name="/compare")
    assert "Reflow, Euler 2 steps" in table and "Latent diffusion, Euler 20 steps" in table
    assert _size(figure)[1] >= 2 * 84
