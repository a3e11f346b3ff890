"""The 2-D lab's pictures: particles land where they should in GIF frames, arrows are scaled together."""
import io

import numpy as np
import torch
from PIL import Image

from explainer.draw import lab_plots as P
from explainer.draw.images import gif_bytes


def test_particles_are_stamped_where_they_are_and_the_gif_keeps_the_colours():
    data = torch.zeros(10, 2)
    states = torch.tensor([[[-2.0, 2.0]], [[2.0, -2.0]]])  # one particle: top-left, then bottom-right
    frames = P.particle_frames(data, [(states, P.COLORS["flow"], "")], size=101)
    flow = P.FRAME_COLORS.index(P.COLORS["flow"])
    assert len(frames) == 2 and frames[0].shape == (101, 101)
    px = lambda x: round((x + P.LIM) * 100 / (2 * P.LIM))  # noqa: E731
    assert frames[0][px(-2.0), px(-2.0)] == flow and frames[1][px(2.0), px(2.0)] == flow  # rows grow downwards
    assert frames[0][px(2.0), px(2.0)] != flow
    assert frames[0][50, 50] == 1  # the data (all at the origin) in grey
    with Image.open(io.BytesIO(gif_bytes(frames, palette=P.PALETTE))) as im:
        assert im.n_frames == 2
        rgb = np.asarray(im.convert("RGB"))
        assert tuple(rgb[px(-2.0), px(-2.0)]) == P.hex_rgb(P.COLORS["flow"])


def test_labels_are_drawn_with_cyrillic_letters():
    """Pillow's own fonts draw every Cyrillic letter as the same box: distinct letters must give distinct pixels."""
    data, states = torch.zeros(10, 2), torch.zeros(2, 1, 2)
    sha, shcha = (P.particle_frames(data, [(states, P.COLORS["gan"], label)])[0] for label in ("GAN, шаг", "GAN, щаг"))
    gan = P.FRAME_COLORS.index(P.COLORS["gan"])
    assert (sha[-20:] == gan).sum() > 20 and not np.array_equal(sha, shcha)


def test_arrows_share_one_scale_and_the_longest_are_capped():
    pts = torch.tensor([[0.0, 0.0], [1.0, 0.0], [2.0, 0.0]])
    vecs = torch.tensor([[1.0, 0.0], [2.0, 0.0], [100.0, 0.0]])
    fig = P.arrows(torch.zeros(1, 2), pts, vecs, "", "#000000")
    xs = np.asarray(fig.data[1].x, dtype=float).reshape(-1, 3)[:, :2]  # start, tip, gap per arrow
    lengths = xs[:, 1] - xs[:, 0]
    assert np.isclose(lengths[1], 2 * lengths[0])  # proportional to the field
    assert lengths[2] <= 1.0 + 1e-9  # the outlier is capped at one grid spacing
