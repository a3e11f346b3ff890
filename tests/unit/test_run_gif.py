"""A sampling tab's "Download GIF" (ui/runs.py): a finished run (its recorded trajectory) becomes a looping GIF; no run
yet is a clear message. No weights needed: the trajectory is synthetic."""
import numpy as np
import pytest
from PIL import Image

from explainer.lessons import reverse as rt
from explainer.ui import runs


def _trajectory(frames: int, batch: int = 4) -> rt.Trajectory:
    rng = np.random.default_rng(0)
    pics = lambda: rng.integers(0, 256, (frames, batch, 28, 28), dtype=np.uint8)  # noqa: E731
    idx = np.arange(1, frames + 1)
    return rt.Trajectory(rt.Settings(3, 1.0, "ddim", frames, 0.0, 0, batch), idx, idx, 2 * idx, pics(), pics(), pics())


@pytest.mark.parametrize("frames", [1, 10, 250])
def test_a_finished_run_becomes_a_gif_of_state_beside_prediction(frames):
    t = _trajectory(frames)
    path = runs.gif_handler("reverse-diffusion-run")(t)
    assert path.endswith("/reverse-diffusion-run.gif")  # downloaded under a name that says what it holds
    with Image.open(path) as im:
        assert im.format == "GIF"
        n, (width, height) = im.n_frames, im.size
        im.seek(n - 1)
        last_ms = im.info["duration"]
    # Random frames are all distinct; Pillow folds the held copies of the last one into one longer frame.
    assert n == min(frames, runs.GIF_FRAMES)
    if frames > 1:
        assert last_ms == 11 * 100  # the end lingers: 1 + 10 held frames at 10 fps
    one = runs.show(t.x_t[0])
    assert (width, height) == (2 * one.shape[1] + 12, one.shape[0])


def test_no_run_yet_is_a_clear_message():
    import gradio as gr

    with pytest.raises(gr.Error, match="Run the sampler first"):
        runs.gif_handler("flow-matching-run")(None)
