"""The 2-D lab as a playground: a model that trains a few iterations at a time, so it can be watched, paused,
stepped and reset, with its knobs exposed, and views inside the GAN.

A `Run` is one learner's training: the networks, their optimizers, the iteration count and the loss history. It
advances in place (`advance(n)`), so Play is "advance a little, draw, repeat" and Pause simply stops asking.
What it shows at any moment (`view()`):
- samples over the data: GAN one pass of fixed noise; flow Euler (or Heun) from fixed noise; DDPM the ancestral
  chain over its own T, all from the same fixed draws, so frames differ only by what the model learned;
- GAN only: the discriminator's belief D(x) = P(real) over the plane (the heat map of GAN Lab), the generator's
  gradient on each fake sample (the direction the next generator step moves it), and the warp of the noise plane:
  a regular grid of 2-D noise pushed through the generator.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F

from explainer.lessons.lab.datasets import Toy
from explainer.lessons.lab.sample import BOX
from explainer.maths import flow, ode
from explainer.maths.diffusion import make_schedule
from explainer.maths.diffusion_samplers import ddim_step
from explainer.models.toy2d import Discriminator, FieldNet, Generator, ToyConfig
from explainer.runtime.problems import Problem
from explainer.runtime.threads import one_thread

KINDS = ("gan", "flow", "ddpm")
SCHEDULES = ("cosine", "linear")
SOLVERS = ("euler", "heun")
# knob -> (lowest, highest); each value is checked against these before a run starts
RANGES = {"lr": (1e-5, 0.5), "width": (4, 256), "depth": (1, 6), "batch": (8, 1024), "total": (1, 20_000),
          "noise": (1, 8), "d_steps": (1, 10), "T": (2, 1000), "sample_steps": (1, 100)}
VIEW_POINTS = 400
HEAT_SIDE = 48  # the discriminator's heat map: HEAT_SIDE x HEAT_SIDE points over [-BOX, BOX]^2
WARP_SIDE = 13  # the noise plane's grid lines
LOG_EVERY = 10


@dataclass(frozen=True)
class Knobs:
    kind: str = "gan"
    lr: float = 1e-3
    width: int = 64
    depth: int = 3
    batch: int = 128
    total: int = 3000  # iterations Play runs to
    noise: int = 2  # GAN: noise dimensions (2 lets the noise plane's warp be drawn)
    d_steps: int = 1  # GAN: discriminator steps per generator step
    T: int = 100  # DDPM: steps of the noise schedule (and of its sampler)
    schedule: str = "cosine"  # DDPM
    solver: str = "euler"  # flow
    sample_steps: int = 20  # flow: solver steps when drawing samples

    def checked(self) -> "Knobs":
        if self.kind not in KINDS:
            raise Problem("LAB_MODEL", kinds=", ".join(KINDS))
        if self.schedule not in SCHEDULES:
            raise Problem("SCHEDULE_UNKNOWN", kinds=", ".join(SCHEDULES), kind=self.schedule)
        if self.solver not in SOLVERS:
            raise Problem("SOLVER_UNKNOWN", solvers=", ".join(SOLVERS), solver=self.solver)
        for name, (lo, hi) in RANGES.items():
            value = getattr(self, name)
            if not lo <= value <= hi:
                raise Problem("LAB_KNOB", name=name, lo=lo, hi=hi, value=value)
        return self


# Failures on purpose (and a healthy start): the knobs, and the one thing to look for is in the words.
PRESETS = {
    "healthy_gan": Knobs(),
    "mode_collapse": Knobs(kind="gan", lr=0.02, total=2000),  # on the ring at seed 0: 2 of 8 modes after 2000 steps
    "lr_too_large": Knobs(kind="flow", lr=0.08, total=1500),
    "few_diffusion_steps": Knobs(kind="ddpm", T=4, total=2000),
    "healthy_flow": Knobs(kind="flow", lr=2e-3, width=96, total=2000),
}


@dataclass(eq=False)
class Run:
    knobs: Knobs
    toy: Toy
    seed: int
    step: int = 0
    seconds: float = 0.0
    loss_steps: list[int] = field(default_factory=list)
    losses: dict[str, list[float]] = field(default_factory=dict)

    def __post_init__(self):
        k = self.knobs.checked()
        self.g = torch.Generator().manual_seed(int(self.seed))
        with torch.random.fork_rng(devices=[]):  # weight init from the global RNG: seed it, then restore it
            torch.manual_seed(int(self.seed))
            cfg = ToyConfig(hidden=k.width, depth=k.depth, latent=k.noise)
            if k.kind == "gan":
                self.gen, self.disc = Generator(cfg), Discriminator(cfg)
                self.opt_g = torch.optim.Adam(self.gen.parameters(), lr=k.lr, betas=(0.5, 0.999))
                self.opt_d = torch.optim.Adam(self.disc.parameters(), lr=k.lr, betas=(0.5, 0.999))
            else:
                self.net = FieldNet(cfg)
                self.opt = torch.optim.Adam(self.net.parameters(), lr=k.lr)
        self.schedule = make_schedule(k.schedule, k.T) if k.kind == "ddpm" else None
        fixed = torch.Generator().manual_seed(int(self.seed) + 1)  # the same draws in every frame
        self.fixed_z = torch.randn(VIEW_POINTS, k.noise if k.kind == "gan" else 2, generator=fixed)
        self.fixed_noise = torch.randn(k.T * VIEW_POINTS if k.kind == "ddpm" else 1, 2, generator=fixed)
        self._sums: dict[str, float] = {}

    @property
    def done(self) -> bool:
        return self.step >= self.knobs.total

    def _batch(self) -> torch.Tensor:
        i = torch.randint(0, len(self.toy.points), (self.knobs.batch,), generator=self.g)
        return self.toy.points[i]

    def _field_step(self) -> dict[str, float]:
        x0, k = self._batch(), self.knobs
        eps = torch.randn(x0.shape, generator=self.g)
        if k.kind == "ddpm":
            j = torch.randint(1, k.T + 1, (len(x0),), generator=self.g)
            x_t = self.schedule.signal[j, None] * x0 + self.schedule.noise[j, None] * eps
            loss = F.mse_loss(self.net(x_t, j.float() / k.T), eps)
        else:
            t = torch.rand(len(x0), generator=self.g)
            loss = F.mse_loss(self.net(flow.straight_path(x0, eps, t), t), flow.velocity(x0, eps))
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()
        return {"loss": loss.item()}

    def _gan_step(self) -> dict[str, float]:
        k = self.knobs
        for _ in range(k.d_steps):
            real = self._batch()
            fake = self.gen(torch.randn(len(real), k.noise, generator=self.g)).detach()
            d_real, d_fake = self.disc(real), self.disc(fake)
            loss_d = (F.binary_cross_entropy_with_logits(d_real, torch.ones_like(d_real))
                      + F.binary_cross_entropy_with_logits(d_fake, torch.zeros_like(d_fake)))
            self.opt_d.zero_grad(set_to_none=True)
            loss_d.backward()
            self.opt_d.step()
        d_gen = self.disc(self.gen(torch.randn(k.batch, k.noise, generator=self.g)))
        loss_g = F.binary_cross_entropy_with_logits(d_gen, torch.ones_like(d_gen))  # non-saturating
        self.opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        self.opt_g.step()
        return {"loss_d": loss_d.item(), "loss_g": loss_g.item()}

    @one_thread()
    def advance(self, n: int, budget_s: float | None = None) -> int:
        """Up to n more iterations (never past `total`; stops early after budget_s seconds). Returns how many ran."""
        started, ran = time.perf_counter(), 0
        step = self._gan_step if self.knobs.kind == "gan" else self._field_step
        while ran < n and not self.done and (budget_s is None or time.perf_counter() - started < budget_s):
            values = step()
            if any(v != v or abs(v) == float("inf") for v in values.values()):
                values = {name: float("nan") for name in values}  # diverged: logged as a gap, training goes on
            self.step += 1
            ran += 1
            for name, v in values.items():
                self._sums[name] = self._sums.get(name, 0.0) + v
            if self.step % LOG_EVERY == 0 or self.done:
                n_logged = (self.step - 1) % LOG_EVERY + 1
                self.loss_steps.append(self.step)
                for name in values:
                    self.losses.setdefault(name, []).append(self._sums.pop(name) / n_logged)
        self.seconds += time.perf_counter() - started
        return ran

    @one_thread()
    @torch.no_grad()
    def samples(self) -> torch.Tensor:
        k = self.knobs
        if k.kind == "gan":
            return self.gen(self.fixed_z)
        if k.kind == "flow":
            x = self.fixed_z
            for s in ode.solver(k.solver)(lambda x, t: self.net(x, t), x, ode.time_grid(k.sample_steps)):
                x = s.x
            return x
        x, ab = self.fixed_z, self.schedule.alpha_bar.tolist()
        for j in range(k.T, 0, -1):  # DDPM's ancestral chain over its own T (eta = 1)
            noise = self.fixed_noise[(j - 1) * VIEW_POINTS: j * VIEW_POINTS] if j > 1 else None
            x, _ = ddim_step(x, self.net(x, j / k.T), ab[j], ab[j - 1], 1.0, noise, bound=BOX)
        return x

    @one_thread()
    @torch.no_grad()
    def belief(self) -> tuple[torch.Tensor, torch.Tensor]:
        """GAN: the axis of the heat map and D(x) = P(real) on the HEAT_SIDE x HEAT_SIDE grid (rows are y)."""
        axis = torch.linspace(-BOX, BOX, HEAT_SIDE)
        yy, xx = torch.meshgrid(axis, axis, indexing="ij")
        p = torch.sigmoid(self.disc(torch.stack([xx.reshape(-1), yy.reshape(-1)], 1)))
        return axis, p.view(HEAT_SIDE, HEAT_SIDE)

    @one_thread()
    def generator_pull(self, n: int = 120) -> tuple[torch.Tensor, torch.Tensor]:
        """GAN: n fake samples and -d loss_G / d x at each, the way the next generator step pushes them."""
        fake = self.gen(self.fixed_z[:n]).detach().requires_grad_(True)
        d = self.disc(fake)
        loss = F.binary_cross_entropy_with_logits(d, torch.ones_like(d), reduction="sum")
        (grad,) = torch.autograd.grad(loss, fake)
        return fake.detach(), -grad

    @one_thread()
    @torch.no_grad()
    def warp(self) -> list[torch.Tensor]:
        """GAN with 2-D noise: the noise plane's grid lines (WARP_SIDE each way over [-2, 2]) through the
        generator, each a (points, 2) polyline; nothing for other noise sizes."""
        if self.knobs.kind != "gan" or self.knobs.noise != 2:
            return []
        axis = torch.linspace(-2, 2, 40)
        lines = []
        for c in torch.linspace(-2, 2, WARP_SIDE):
            lines.append(self.gen(torch.stack([axis, torch.full_like(axis, c)], 1)))
            lines.append(self.gen(torch.stack([torch.full_like(axis, c), axis], 1)))
        return lines


def start(knobs: Knobs, toy: Toy, seed: int) -> Run:
    return Run(knobs, toy, int(seed))


def with_knobs(run: Run, knobs: Knobs) -> bool:
    """Whether `run` was started with these knobs and can go on (else the caller starts afresh)."""
    return run is not None and run.knobs == knobs

