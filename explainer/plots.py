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


DIGIT_COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]


def latent_map(z: np.ndarray, labels: np.ndarray, title: str, marks: dict[str, tuple[float, float]] | None = None,
               height: int = 420) -> go.Figure:
    """Points of a 2-D latent coloured by class, the N(0, I) prior's 1-3 sigma circles, optional starred points."""
    fig = go.Figure()
    for c in range(10):
        pts = z[labels == c]
        fig.add_scatter(x=pts[:, 0], y=pts[:, 1], mode="markers", name=str(c),
                        marker=dict(size=4, color=DIGIT_COLORS[c], opacity=0.7),
                        hovertemplate=f"digit {c}<br>z = (%{{x:.2f}}, %{{y:.2f}})<extra></extra>")
    for k in (1, 2, 3):
        fig.add_shape(type="circle", x0=-k, y0=-k, x1=k, y1=k, line=dict(color="black", width=1.5, dash="dash"))
    fig.add_scatter(x=[None], y=[None], mode="lines", name="N(0, I): 1, 2, 3σ", line=dict(color="black", dash="dash"))
    for name, (x, y) in (marks or {}).items():
        fig.add_scatter(x=[x], y=[y], mode="markers+text", name=name, text=[name], textposition="top center",
                        marker=dict(symbol="star", size=18, color="gold", line=dict(color="black", width=1.5)))
    fig.update_xaxes(title="z1", zeroline=True)
    fig.update_yaxes(title="z2", zeroline=True, scaleanchor="x", scaleratio=1)
    _layout(fig, title, height=height)
    return fig.update_layout(legend=dict(orientation="v", x=1.02, y=1, title="digit"))
