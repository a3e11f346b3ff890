"""Plotly figure builders. They take plain numbers (numpy, lists) and know nothing of models or Gradio."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .models.judge import CLASS_NAMES

FONT = dict(size=14)
COLORS = {"d": "#d62728", "g": "#1f77b4", "real": "#2ca02c", "fake": "#ff7f0e", "bar": "#636efa", "junk": "#7f7f7f"}


def _layout(fig: go.Figure, title: str, height: int = 320, **kw) -> go.Figure:
    fig.update_layout(title=dict(text=title, x=0.02), height=height, margin=dict(l=50, r=20, t=50, b=45),
                      font=FONT, legend=dict(orientation="h", y=-0.25), template="plotly_white", **kw)
    return fig


def class_histogram(hist: np.ndarray | list[int], title: str = "What the judge sees", color: str = COLORS["bar"]) -> go.Figure:
    hist = np.asarray(hist)
    colors = [color] * 10 + [COLORS["junk"]]
    fig = go.Figure(go.Bar(x=CLASS_NAMES[: len(hist)], y=hist, marker_color=colors[: len(hist)],
                           hovertemplate="%{x}: %{y}<extra></extra>"))
    fig.update_xaxes(type="category", title="judge's label")
    fig.update_yaxes(title="images")
    return _layout(fig, title, height=280)


def gan_losses(step, loss_d, loss_g, d_real, d_fake, marker_step: float | None = None,
               steps_per_epoch: int | None = None) -> go.Figure:
    """Discriminator and generator losses and D's mean verdicts over training, with the scrubber's position."""
    x = np.asarray(step, dtype=float) / steps_per_epoch if steps_per_epoch else np.asarray(step)
    fig = go.Figure()
    fig.add_scatter(x=x, y=loss_d, name="loss D", line=dict(color=COLORS["d"]))
    fig.add_scatter(x=x, y=loss_g, name="loss G", line=dict(color=COLORS["g"]))
    fig.add_scatter(x=x, y=d_real, name="D(real)", line=dict(color=COLORS["real"], dash="dot"), yaxis="y2")
    fig.add_scatter(x=x, y=d_fake, name="D(G(z))", line=dict(color=COLORS["fake"], dash="dot"), yaxis="y2")
    if marker_step is not None:
        mx = marker_step / steps_per_epoch if steps_per_epoch else marker_step
        fig.add_vline(x=mx, line=dict(color="black", width=2, dash="dash"))
    fig.update_xaxes(title="epoch" if steps_per_epoch else "step")
    return _layout(fig, "Losses (left) and D's average verdicts (right)", height=340,
                   yaxis=dict(title="BCE loss"), yaxis2=dict(title="D output", overlaying="y", side="right", range=[0, 1]))


def line(x, ys: dict[str, np.ndarray], title: str, x_title: str, y_title: str, marker_x: float | None = None,
         height: int = 280) -> go.Figure:
    """Several named curves over one x axis, with an optional vertical marker."""
    fig = go.Figure()
    for name, y in ys.items():
        fig.add_scatter(x=x, y=y, name=name, mode="lines")
    if marker_x is not None:
        fig.add_vline(x=marker_x, line=dict(color="black", width=2, dash="dash"))
    fig.update_xaxes(title=x_title)
    fig.update_yaxes(title=y_title)
    return _layout(fig, title, height=height)
