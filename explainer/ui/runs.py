"""What the tabs that sample digits share: the prompt menu, a batch as one grid, a finished run as a GIF."""
from __future__ import annotations

import math

import numpy as np

from explainer.draw.images import gif_bytes, grid
from explainer.lessons.runs import Trajectory
from explainer.ui.files import temp_file
from explainer.ui.validation import Invalid, as_choice, friendly

PROMPTS = ["none"] + [str(d) for d in range(10)]  # API values: no prompt, or the digit asked for
GIF_FRAMES = 60


def prompt(value) -> int | None:
    """The digit asked for, or None; an int is taken as its menu value."""
    value = as_choice(str(value) if isinstance(value, int) and not isinstance(value, bool) else value, "Prompt", PROMPTS)
    return None if value == "none" else int(value)


def show(images: np.ndarray, scale: int = 3) -> np.ndarray:
    """A batch as one square-ish grid."""
    return grid(images, cols=math.ceil(math.sqrt(len(images))), scale=scale)


def run_gif_file(trajectory: Trajectory, name: str) -> str:
    """The finished run as a GIF for slides: the state beside the predicted clean digits, lingering on the end."""
    picks = np.unique(np.linspace(0, len(trajectory) - 1, min(GIF_FRAMES, len(trajectory))).round().astype(int))
    frames = []
    for i in picks:
        state, clean = show(trajectory.x_t[i]), show(trajectory.x0[i])
        frames.append(np.concatenate([state, np.full((state.shape[0], 12), 255, np.uint8), clean], axis=1))
    return temp_file(gif_bytes(frames + [frames[-1]] * 10, fps=10), ".gif", name=name)


def gif_handler(name: str):
    """The Make-GIF button's handler for a tab whose runs are called `name` (the file's name)."""

    @friendly
    def run_gif(trajectory):
        if not isinstance(trajectory, Trajectory):
            raise Invalid("RUN_FIRST_GIF")
        return run_gif_file(trajectory, name)

    return run_gif
