"""Pictures of the 2-D lab: plotly figures of clouds, particle paths and arrow fields, and GIF frames of particles.

They take plain tensors or arrays of 2-D points and know nothing of models or Gradio. Every plane is drawn on the
same square window [-LIM, LIM]^2 with equal axes, so clouds, paths and fields can be compared at a glance.
Their words (legends, axes) default to WORDS; the UI passes the same keys in the reader's language.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from PIL import Image, ImageDraw

from explainer.draw.fonts import font
from explainer.draw.plots import styled

LIM = 3.5
DATA = "rgba(120, 120, 120, 0.35)"
COLORS = {"ddpm": "#d62728", "flow": "#1f77b4", "reflow": "#2ca02c", "gan": "#ff7f0e", "noise": "#9467bd"}
WORDS = {"data": "data", "paths": "paths", "noise": "noise (t = 1)", "sample": "sample (t = 0)", "direction": "direction",
         "mode": "mode {i}", "no mode": "none", "even share": "even share", "count": "samples",
         "step": "training step", "loss": "loss", "belief": "D(x) = P(real)", "warp": "noise grid through G",
         "pull": "G's pull"}
LABEL_SIZE = 12  # particle_frames' labels, pixels


def _np(x) -> np.ndarray:
    return np.asarray(x.detach().cpu() if hasattr(x, "detach") else x, dtype=np.float64)


def _plane(fig: go.Figure, title: str, height: int = 400) -> go.Figure:
    fig.update_xaxes(range=[-LIM, LIM], zeroline=False, showgrid=False, constrain="domain")  # square, not stretched
    fig.update_yaxes(range=[-LIM, LIM], zeroline=False, showgrid=False, scaleanchor="x", scaleratio=1)
    return styled(fig, title, height=height)


def _data_trace(data, name: str) -> go.Scatter:
    d = _np(data)
    return go.Scatter(x=d[:, 0], y=d[:, 1], mode="markers", name=name, hoverinfo="skip",
                      marker=dict(size=3, color=DATA))


def cloud(data, samples=None, title: str = "", color: str = COLORS["flow"], name: str = "samples",
          words: dict[str, str] = WORDS) -> go.Figure:
    """The data in grey, with samples on top when given."""
    fig = go.Figure(_data_trace(data, words["data"]))
    if samples is not None:
        s = _np(samples)
        fig.add_scatter(x=s[:, 0], y=s[:, 1], mode="markers", name=name, hoverinfo="skip",
                        marker=dict(size=3, color=color, opacity=0.7))
    return _plane(fig, title)


def _segments(starts: np.ndarray, ends: np.ndarray) -> tuple[list, list]:
    """Many separate line segments as one trace: x0, x1, None, x0, x1, None ..."""
    n = len(starts)
    xs = np.stack([starts[:, 0], ends[:, 0], np.full(n, np.nan)], 1).reshape(-1)
    ys = np.stack([starts[:, 1], ends[:, 1], np.full(n, np.nan)], 1).reshape(-1)
    return xs.tolist(), ys.tolist()


def paths(data, states, title: str, color: str, show: int = 80, words: dict[str, str] = WORDS) -> go.Figure:
    """The first `show` particles' paths (states: (steps + 1, N, 2), noise first), their noise start and end point."""
    st = _np(states)[:, :show]
    fig = go.Figure(_data_trace(data, words["data"]))
    xs = np.concatenate([st[:, :, 0], np.full((1, st.shape[1]), np.nan)]).T.reshape(-1)
    ys = np.concatenate([st[:, :, 1], np.full((1, st.shape[1]), np.nan)]).T.reshape(-1)
    fig.add_scatter(x=xs, y=ys, mode="lines", name=words["paths"], line=dict(color=color, width=1), opacity=0.6,
                    hoverinfo="skip")
    fig.add_scatter(x=st[0, :, 0], y=st[0, :, 1], mode="markers", name=words["noise"], hoverinfo="skip",
                    marker=dict(size=5, color=COLORS["noise"], symbol="x"))
    fig.add_scatter(x=st[-1, :, 0], y=st[-1, :, 1], mode="markers", name=words["sample"], hoverinfo="skip",
                    marker=dict(size=5, color=color))
    return _plane(fig, title)


def arrows(data, points, vectors, title: str, color: str, words: dict[str, str] = WORDS) -> go.Figure:
    """An arrow per grid point. Lengths are scaled together (the longest ~ one grid spacing), so they compare."""
    p, v = _np(points), _np(vectors)
    spacing = np.sort(np.unique(p[:, 0]))
    spacing = float(spacing[1] - spacing[0]) if len(spacing) > 1 else 1.0
    norm = np.linalg.norm(v, axis=1)
    scale = 0.9 * spacing / max(float(np.percentile(norm, 95)), 1e-12)
    d = v * scale
    long = np.linalg.norm(d, axis=1) > spacing  # the few beyond the 95th percentile: capped to one spacing
    d[long] *= spacing / np.linalg.norm(d[long], axis=1, keepdims=True)
    tips = p + d
    back = -d * 0.35
    c, s = np.cos(0.45), np.sin(0.45)
    left = tips + back @ np.array([[c, s], [-s, c]])
    right = tips + back @ np.array([[c, -s], [s, c]])
    fig = go.Figure(_data_trace(data, words["data"]))
    for starts, ends, name in ((p, tips, words["direction"]), (left, tips, None), (right, tips, None)):
        xs, ys = _segments(starts, ends)
        fig.add_scatter(x=xs, y=ys, mode="lines", line=dict(color=color, width=1.5), hoverinfo="skip",
                        name=name or "", showlegend=name is not None)
    return _plane(fig, title)


def coverage(counts: list[int], off: int, title: str, color: str = COLORS["gan"],
             words: dict[str, str] = WORDS) -> go.Figure:
    """Samples per mode (and outside every mode) as bars, with the even share as a dashed line."""
    labels = [words["mode"].format(i=i + 1) for i in range(len(counts))] + [words["no mode"]]
    fig = go.Figure(go.Bar(x=labels, y=list(counts) + [off], marker_color=[color] * len(counts) + ["#7f7f7f"],
                           hovertemplate="%{x}: %{y}<extra></extra>"))
    fig.add_hline(y=(sum(counts) + off) / len(counts), line=dict(color="black", dash="dash"),
                  annotation_text=words["even share"], annotation_position="top left")
    fig.update_xaxes(type="category")
    fig.update_yaxes(title=words["count"])
    return styled(fig, title, height=300)


def losses(steps, curves: dict[str, list[float]], title: str, words: dict[str, str] = WORDS) -> go.Figure:
    fig = go.Figure()
    for name, ys in curves.items():
        fig.add_scatter(x=list(steps), y=list(ys), mode="lines", name=name)
    fig.update_xaxes(title=words["step"])
    fig.update_yaxes(title=words["loss"])
    return styled(fig, title, height=280)


def hex_rgb(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))


# GIF frames are drawn straight in colour indices (no per-frame quantisation): white paper, grey data, the models.
FRAME_COLORS = ["#ffffff", "#bebebe", *COLORS.values()]
PALETTE = [c for color in FRAME_COLORS for c in hex_rgb(color)]


def particle_frames(data, tracks: list[tuple[np.ndarray, str, str]], size: int = 300, dot: int = 2) -> list[np.ndarray]:
    """Frames of particles moving over the grey data, as (size, size) indices into PALETTE (gif_bytes(...,
    palette=PALETTE)). tracks: [(states (steps + 1, N, 2), colour from COLORS, label)]; every track gets the same
    number of frames (the longest), shorter ones hold their last state. Dots (discs of radius `dot`) are stamped
    with numpy, fast enough for thousands of particles per frame. Labels may be in any language the bundled
    font covers (Cyrillic included)."""
    to_px = lambda xy: np.rint(np.stack([xy[..., 0] + LIM, LIM - xy[..., 1]], -1) * (size - 1) / (2 * LIM)).astype(int)  # noqa: E731
    base = Image.new("P", (size, size), 0)
    draw = ImageDraw.Draw(base)
    for i, (_, color, label) in enumerate(tracks):  # bottom left: the app's image label covers the top left
        draw.text((6, size - 16 - 14 * (len(tracks) - 1 - i)), label, fill=FRAME_COLORS.index(color),
                  font=font(LABEL_SIZE))
    base = np.array(base)
    d = to_px(_np(data)[::2])
    d = d[((d >= 0) & (d < size)).all(1)]
    base[d[:, 1], d[:, 0]] = np.where(base[d[:, 1], d[:, 0]] == 0, 1, base[d[:, 1], d[:, 0]])  # grey, under labels
    oy, ox = np.nonzero(np.hypot(*np.mgrid[-dot : dot + 1, -dot : dot + 1]) <= dot + 0.25)
    disc = np.stack([ox - dot, oy - dot], 1)  # (k, 2) pixel offsets of one dot
    px = [(to_px(_np(st)), FRAME_COLORS.index(color)) for st, color, _ in tracks]
    frames = []
    for f in range(max(len(p) for p, _ in px)):
        im = base.copy()
        for p, index in px:
            pts = (p[min(f, len(p) - 1)][:, None, :] + disc[None]).reshape(-1, 2)
            pts = pts[((pts >= 0) & (pts < size)).all(1)]  # particles off the window are simply not drawn
            im[pts[:, 1], pts[:, 0]] = index
        frames.append(im)
    return frames


def playground_view(data, samples, title: str, color: str, words: dict[str, str] = WORDS, belief=None, pull=None,
                    warp=None) -> go.Figure:
    """The playground's frame: D(x) = P(real) as a heat map under everything (GAN), the noise plane's warped grid
    (GAN with 2-D noise), the data in grey, the samples, and the generator's pull on its fakes as short arrows."""
    fig = go.Figure()
    if belief is not None:
        axis, p = (_np(v) for v in belief)
        fig.add_heatmap(x=axis, y=axis, z=p, zmin=0, zmax=1, colorscale="RdBu", opacity=0.55, showscale=True, name=words["belief"],
                        colorbar=dict(title=dict(text="D", side="top"), thickness=10, len=0.8),
                        hovertemplate="D = %{z:.2f}<extra></extra>")
    for k, line in enumerate(warp or []):
        xy = _np(line)
        fig.add_scatter(x=xy[:, 0], y=xy[:, 1], mode="lines", line=dict(color="rgba(60,60,60,0.35)", width=1),
                        name=words["warp"], legendgroup="warp", showlegend=k == 0, hoverinfo="skip")
    fig.add_trace(_data_trace(data, words["data"]))
    s = _np(samples)
    fig.add_scatter(x=s[:, 0], y=s[:, 1], mode="markers", name=words["sample"], hoverinfo="skip",
                    marker=dict(size=4, color=color, opacity=0.8))
    if pull is not None:
        points, vectors = (_np(v) for v in pull)
        scale = 0.6 / max(float(np.linalg.norm(vectors, axis=1).max()), 1e-9)  # the longest arrow 0.6 long
        xs, ys = _segments(points, points + vectors * scale)
        fig.add_scatter(x=xs, y=ys, mode="lines", line=dict(color="black", width=1), name=words["pull"],
                        hoverinfo="skip")
    fig.update_layout(legend=dict(orientation="h", y=-0.08))
    return _plane(fig, title, height=460)


GUIDANCE_COLORS = {"cond": "#2ca02c", "null": "#7f7f7f", "guided": "#d62728"}


def guidance_view(data, particles, arrows: dict[str, object], samples, title: str, words: dict[str, str]) -> go.Figure:
    """Diffusion Explorer's view: the guided samples' density as contours, the data in grey, the particles at t,
    and three arrows per particle (conditional, unconditional, guided), all on one scale."""
    fig = go.Figure()
    s = _np(samples)
    fig.add_histogram2dcontour(x=s[:, 0], y=s[:, 1], colorscale="Reds", showscale=False, ncontours=8,
                               contours=dict(coloring="lines"), name=words["density"], hoverinfo="skip",
                               xbins=dict(start=-LIM, end=LIM, size=0.15), ybins=dict(start=-LIM, end=LIM, size=0.15))
    fig.add_trace(_data_trace(data, words["data"]))
    p = _np(particles)
    fig.add_scatter(x=p[:, 0], y=p[:, 1], mode="markers", name=words["particles"], hoverinfo="skip",
                    marker=dict(size=5, color="black"))
    longest = max(float(np.linalg.norm(_np(v), axis=1).max()) for v in arrows.values())
    scale = 0.5 / max(longest, 1e-9)
    for key, v in arrows.items():
        xs, ys = _segments(p, p + _np(v) * scale)
        fig.add_scatter(x=xs, y=ys, mode="lines", line=dict(color=GUIDANCE_COLORS[key], width=1.5), name=words[key],
                        hoverinfo="skip")
    fig.update_layout(legend=dict(orientation="h", y=-0.08))
    return _plane(fig, title, height=460)
