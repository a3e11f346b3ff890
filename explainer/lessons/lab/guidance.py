"""Guidance in 2-D (Diffusion Explorer's view): a class-conditional flow on a dataset with labelled parts, and the
three velocities classifier-free guidance mixes, drawn per particle.

The labelled parts are the 8 modes of the ring or of the checkerboard (datasets.mode_index; points in no mode are
left out). One network learns v(x, t, y) for each part y and, with the label dropped 20% of the time, the
unconditional v(x, t, null). Guidance with weight w follows v_w = v_null + w (v_y - v_null): w = 0 ignores the
prompt, w = 1 is the plain conditional field, w > 1 pushes past it, away from the other parts.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from explainer.lessons.lab.datasets import Toy, mode_count, mode_index
from explainer.maths import flow, ode
from explainer.models.toy2d import ToyConfig, mlp, time_features
from explainer.runtime.problems import Problem
from explainer.runtime.threads import one_thread

STEPS, BATCH, LR, P_NULL = 2500, 256, 2e-3, 0.2
PARTICLES, SAMPLES, SOLVER_STEPS = 120, 1500, 30
MAX_GUIDANCE = 8.0
MAX_CACHED = 6


class ConditionalField(nn.Module):
    """(x, t, y) -> a velocity; y in 0..classes-1, or `classes` for no label (one-hot, with the time features)."""

    def __init__(self, classes: int, cfg: ToyConfig = ToyConfig(hidden=128)):
        super().__init__()
        self.classes, self.cfg = classes, cfg
        self.net = mlp(2 + cfg.time_features + classes + 1, 2, cfg.hidden, cfg.depth)

    def forward(self, x: torch.Tensor, t, y: torch.Tensor) -> torch.Tensor:
        t = torch.as_tensor(t, dtype=x.dtype).expand(len(x))
        onehot = F.one_hot(y.expand(len(x)), self.classes + 1).to(x.dtype)
        return self.net(torch.cat([x, time_features(t, self.cfg.time_features), onehot], dim=1))


@dataclass(frozen=True)
class GuidedView:
    particles: torch.Tensor  # (PARTICLES, 2) where guided sampling has carried them by time t
    v_cond: torch.Tensor  # the three velocities at the particles, as the direction they move while t falls
    v_null: torch.Tensor
    v_guided: torch.Tensor
    samples: torch.Tensor  # (SAMPLES, 2) guided samples at t = 0, for the density
    share_in_part: float  # share of those samples that land in the requested part
    share_unguided: float  # the same share for w = 0 (the prompt ignored), from the same noise


def labelled(toy: Toy) -> tuple[torch.Tensor, torch.Tensor]:
    if mode_count(toy.name) == 0:
        raise Problem("LAB_GUIDANCE_DATASET")
    y = mode_index(toy.name, toy.points)
    keep = y >= 0
    return toy.points[keep], y[keep]


@one_thread()
@torch.enable_grad()  # also when first asked for from inside view's no_grad
def train(toy: Toy, seed: int) -> ConditionalField:
    x, y = labelled(toy)
    g = torch.Generator().manual_seed(int(seed))
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(int(seed))
        net = ConditionalField(mode_count(toy.name))
    opt = torch.optim.Adam(net.parameters(), lr=LR)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, STEPS, eta_min=1e-4)
    for _ in range(STEPS):
        i = torch.randint(0, len(x), (BATCH,), generator=g)
        x0, label = x[i], y[i].clone()
        label[torch.rand(BATCH, generator=g) < P_NULL] = net.classes  # label dropout: learn v(x, t, null) too
        eps, t = torch.randn(x0.shape, generator=g), torch.rand(BATCH, generator=g)
        loss = F.mse_loss(net(flow.straight_path(x0, eps, t), t, label), flow.velocity(x0, eps))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
    return net.eval().requires_grad_(False)


_CACHE: OrderedDict[tuple, ConditionalField] = OrderedDict()
_LOCK = threading.Lock()


def model(toy: Toy, seed: int) -> ConditionalField:
    key = (toy.name, int(seed))
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    net = train(toy, seed)
    with _LOCK:
        _CACHE[key] = net
        while len(_CACHE) > MAX_CACHED:
            _CACHE.popitem(last=False)
    return net


def _guided(net: ConditionalField, label: int, w: float):
    """v_null + w (v_y - v_null), both halves in one pass (w = 0: the unconditional pass alone)."""
    null = torch.tensor([net.classes])
    if w == 0:
        return lambda x, t: net(x, t, null)

    def field(x, t):
        y = torch.cat([torch.full((len(x),), label), null.expand(len(x))])
        v_y, v_null = net(torch.cat([x, x]), t, y).chunk(2)
        return v_null + w * (v_y - v_null)

    return field


@one_thread()
@torch.no_grad()
def view(toy: Toy, seed: int, label: int, w: float, t: float) -> GuidedView:
    if mode_count(toy.name) == 0:
        raise Problem("LAB_GUIDANCE_DATASET")
    if not 0 <= label < mode_count(toy.name):
        raise Problem("LAB_GUIDANCE_PART", hi=mode_count(toy.name), label=label + 1)
    if not 0 <= w <= MAX_GUIDANCE:
        raise Problem("GUIDANCE_RANGE", hi=MAX_GUIDANCE, guidance=w)
    if not 0 <= t <= 1:
        raise Problem("LAB_FIELD_T", t=t)
    net = model(toy, seed)
    field = _guided(net, label, w)
    g = torch.Generator().manual_seed(int(seed) + 1)
    x = torch.randn(PARTICLES, 2, generator=g)
    grid = [s for s in ode.time_grid(SOLVER_STEPS) if s >= t]  # from 1 down to the slider's t
    if grid[-1] > t:
        grid.append(t)
    for s in (ode.euler(field, x, grid) if len(grid) > 1 else []):
        x = s.x
    y, null = torch.tensor([label]), torch.tensor([net.classes])
    v_cond, v_null = -net(x, t, y), -net(x, t, null)  # minus: the direction a particle moves as t falls
    noise = torch.randn(SAMPLES, 2, generator=g)
    samples = ode.integrate(field, noise, ode.time_grid(SOLVER_STEPS))
    unguided = ode.integrate(_guided(net, label, 0.0), noise, ode.time_grid(SOLVER_STEPS))
    share, base = ((mode_index(toy.name, s) == label).float().mean().item() for s in (samples, unguided))
    return GuidedView(x, v_cond, v_null, v_null + w * (v_cond - v_null), samples, share, base)
