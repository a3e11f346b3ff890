"""Plotly figure builders. They take plain numbers (numpy, lists) and know nothing of models or Gradio."""
from __future__ import annotations

import functools

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from explainer.models.judge import CLASS_NAMES

FONT = dict(size=14)
COLORS = {"d": "#d62728", "g": "#1f77b4", "real": "#2ca02c", "fake": "#ff7f0e", "bar": "#636efa", "junk": "#7f7f7f"}


def styled(fig: go.Figure, title: str, height: int = 320, **kw) -> go.Figure:
    """The look every figure shares: title, height, margins, font, legend below."""
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
    return styled(fig, title, height=280)


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
    return styled(fig, "Losses (left) and D's average verdicts (right)", height=340,
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
    return styled(fig, title, height=height)


DIGIT_COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]


def latent_map(z: np.ndarray, labels: np.ndarray, title: str, marks: dict[str, tuple[float, float]] | None = None,
               height: int = 420) -> go.Figure:
    """Points of a 2-D latent coloured by class, the N(0, I) prior's 1-3 sigma circles, optional starred points.
    Built from plain dicts, without plotly's validation (~20x faster): start-up draws eight of these and every
    move of a star redraws two. The JSON is the same as the validated figure's (tests re-validate it)."""
    data = [dict(type="scatter", x=z[labels == c][:, 0], y=z[labels == c][:, 1], mode="markers", name=str(c),
                 marker=dict(size=4, color=DIGIT_COLORS[c], opacity=0.7),
                 hovertemplate=f"digit {c}<br>z = (%{{x:.2f}}, %{{y:.2f}})<extra></extra>") for c in range(10)]
    data.append(dict(type="scatter", x=[None], y=[None], mode="lines", name="N(0, I): 1, 2, 3σ",
                     line=dict(color="black", dash="dash")))
    for name, (x, y) in (marks or {}).items():
        data.append(dict(type="scatter", x=[float(x)], y=[float(y)], mode="markers+text", name=name, text=[name],
                         textposition="top center",
                         marker=dict(symbol="star", size=18, color="gold", line=dict(color="black", width=1.5))))
    circles = [dict(type="circle", x0=-k, y0=-k, x1=k, y1=k, line=dict(color="black", width=1.5, dash="dash"))
               for k in (1, 2, 3)]
    layout = dict(title=dict(text=title, x=0.02), height=height, margin=dict(l=50, r=20, t=50, b=45), font=FONT,
                  legend=dict(orientation="v", x=1.02, y=1, title=dict(text="digit")), template=_template("plotly_white"),
                  shapes=circles, xaxis=dict(title=dict(text="z1"), zeroline=True),
                  yaxis=dict(title=dict(text="z2"), zeroline=True, scaleanchor="x", scaleratio=1))
    return go.Figure(dict(data=data, layout=layout), _validate=False)


@functools.cache
def _template(name: str) -> dict:
    """A named plotly template as plain JSON, made once (naming it in a layout validates and copies ~10k entries)."""
    return pio.templates[name].to_plotly_json()


def _finite(y) -> np.ndarray:
    """Plotly cannot draw inf: log-SNR's infinite ends become gaps."""
    y = np.asarray(y, dtype=float).copy()
    y[~np.isfinite(y)] = np.nan
    return y


_LIGHT_AXIS = dict(gridcolor="#EBF0F8", linecolor="#EBF0F8", zerolinecolor="#EBF0F8", zerolinewidth=2, automargin=True)
# The look of plotly_white in a few keys: the full template is ~10k nested entries that plotly deep-copies per figure.
_WHITE = dict(layout=dict(paper_bgcolor="white", plot_bgcolor="white", font=dict(color="#2a3f5f"),
                          xaxis=_LIGHT_AXIS, yaxis=_LIGHT_AXIS))


def _fast_figure(data: list[dict], title: str, height: int, **layout) -> go.Figure:
    """A figure from plain dicts without plotly's property validation (~50x faster to build), for plots
    redrawn on every slider move. Same look as `styled`; tests re-validate these figures."""
    base = dict(title=dict(text=title, x=0.02), height=height, margin=dict(l=50, r=50, t=50, b=110), font=FONT,
                legend=dict(orientation="h", y=-0.5, yanchor="top"), template=_WHITE)
    return go.Figure(dict(data=data, layout=base | layout), _validate=False)


def noise_schedule(t, signal, noise, log_snr, marker_t: float, title: str) -> go.Figure:
    """Signal and noise coefficients (left axis) and log-SNR (right axis) over t, with the current t marked."""
    data = [dict(type="scatter", x=t, y=signal, name="signal a_t", line=dict(color=COLORS["real"])),
            dict(type="scatter", x=t, y=noise, name="noise s_t", line=dict(color=COLORS["d"])),
            dict(type="scatter", x=t, y=_finite(log_snr), name="log SNR (right)", yaxis="y2",
                 line=dict(color=COLORS["g"], dash="dot"))]
    marker = dict(type="line", xref="x", yref="paper", x0=marker_t, x1=marker_t, y0=0, y1=1,
                  line=dict(color="black", width=2, dash="dash"))
    return _fast_figure(data, title, 340, shapes=[marker],
                        xaxis=dict(title=dict(text="t (0 = picture, 1 = noise)"), range=[0, 1]),
                        yaxis=dict(title=dict(text="coefficient"), range=[0, 1.05]),
                        yaxis2=dict(title=dict(text="log SNR"), overlaying="y", side="right", range=[-12, 12],
                                    showgrid=False))


def pixel_histogram(centers, density, normal_pdf, title: str, y_max: float = 1.0) -> go.Figure:
    """Histogram of pixel values (as a density) with the N(0, 1) density on top, on fixed axes."""
    data = [dict(type="bar", x=centers, y=density, name="pixels of x_t", marker=dict(color=COLORS["bar"]),
                 width=float(centers[1] - centers[0])),
            dict(type="scatter", x=centers, y=normal_pdf, name="N(0, 1) density", line=dict(color=COLORS["d"], width=3))]
    return _fast_figure(data, title, 340, bargap=0,
                        xaxis=dict(title=dict(text="pixel value"), range=[float(centers[0]), float(centers[-1])]),
                        yaxis=dict(title=dict(text="density"), range=[0, y_max]))


def sampler_paths(paths: dict[str, tuple[np.ndarray, np.ndarray]], title: str) -> go.Figure:
    """Trajectories from noise to picture as (progress along the chord, distance from it), one colour per sampler
    and one thin line per image: a straight path stays on the horizontal axis."""
    palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"]
    fig = go.Figure()
    for color, (name, (progress, offset)) in zip(palette, paths.items()):
        for i, (a, b) in enumerate(zip(np.atleast_2d(progress), np.atleast_2d(offset))):
            fig.add_trace(go.Scatter(x=a, y=b, mode="lines+markers", name=name, legendgroup=name, showlegend=i == 0,
                                     line=dict(color=color, width=1.5), marker=dict(size=4), opacity=0.8,
                                     hovertemplate=f"{name}<br>along %{{x:.2f}}, off %{{y:.2f}}<extra></extra>"))
    fig.update_xaxes(title="noise (0) → picture (1), along the straight line")
    fig.update_yaxes(title="off the straight line", rangemode="tozero")
    return styled(fig, title, height=360)
