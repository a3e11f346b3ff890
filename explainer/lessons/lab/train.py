"""Train the 2-D lab's models live, in seconds, on the CPU: a DDPM, a flow-matching model, a GAN, and reflow.

- DDPM (Ho et al. 2020) on a short cosine schedule of T = 100 steps: pick k, noise x_0 to x_k = a_k x_0 + s_k eps
  (diffusion.py's schedule), regress the network's guess of eps onto eps.
- Flow matching (rectified flow): pick t ~ U(0, 1), x_t = (1 - t) x_0 + t eps (flow.straight_path), regress the
  network onto the velocity eps - x_0.
- Reflow (rectified flow's second pass): the trained flow carries fresh noise to data; a copy of it is fine-tuned
  on those (noise, point) pairs instead of random ones, which straightens its paths.
- GAN: an MLP generator against an MLP discriminator with the non-saturating BCE losses of the GAN tab.

Training always runs on the CPU (a 30k-weight MLP is faster there than a GPU's kernel launches), on one torch
thread (runtime.one_thread), with its own seeded generator, so one (dataset, seed) gives one model. Results are
kept in a small in-memory cache: asking again for the same model is instant.
"""
from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

import torch
import torch.nn.functional as F

from explainer.maths import flow
from explainer.maths import ode
from explainer.maths.diffusion import make_schedule
from explainer.models.toy2d import Discriminator, FieldNet, Generator, ToyConfig
from explainer.runtime import workers
from explainer.runtime.threads import one_thread
from explainer.lessons.lab.datasets import Toy, load
from explainer.lessons.lab import trained as codec
from explainer.lessons.lab.trained import Trained
from explainer.runtime.problems import Problem

KINDS = ("ddpm", "flow", "gan", "reflow")
LABELS = {"ddpm": "DDPM", "flow": "flow matching", "gan": "GAN", "reflow": "rectified flow (reflow)"}
T = 100
SCHEDULE = make_schedule("cosine", T)
SIGNAL, NOISE = SCHEDULE.signal, SCHEDULE.noise  # a_k, s_k for k = 0..T
# Sized so each training takes <= 15 s on 2 busy cores (benchmarks/bench.py, section lab2d).
STEPS = {"ddpm": 2000, "flow": 2000, "gan": 1500, "reflow": 1000}
BATCH = {"ddpm": 256, "flow": 256, "reflow": 256, "gan": 128}
FIELD = ToyConfig(hidden=96)
CONFIGS = {"ddpm": FIELD, "flow": FIELD, "reflow": FIELD, "gan": ToyConfig(hidden=64)}
LR = {"ddpm": 2e-3, "flow": 2e-3, "reflow": 5e-4}
REFLOW_PAIRS, REFLOW_ODE_STEPS = 4000, 25
LOG_EVERY = 25
SNAPSHOTS = 24  # GAN samples kept along training, to replay how its modes move
SNAPSHOT_POINTS = 500
MAX_CACHED = 64  # ~0.2 MB each (a 96-wide MLP, the GAN's 24 snapshots): a class's seeds and datasets stay trained
DEVICE = torch.device("cpu")

# progress(fraction done, kind being trained, step, of steps): numbers only, the UI words them
Progress = Callable[[float, str, int, int], None]


def _batches(toy_points: torch.Tensor, g: torch.Generator, steps: int, batch: int, pairs: torch.Tensor | None = None):
    """Random batches of data points x_0, with their noise partner eps when pairs (N, 2) are fixed (reflow)."""
    for _ in range(steps):
        i = torch.randint(0, len(toy_points), (batch,), generator=g)
        yield toy_points[i], (None if pairs is None else pairs[i])


def _field_loss(kind: str, net: FieldNet, x0: torch.Tensor, eps: torch.Tensor | None, g: torch.Generator):
    if eps is None:
        eps = torch.randn(x0.shape, generator=g)  # independent coupling: any noise with any data point
    if kind == "ddpm":
        k = torch.randint(1, T + 1, (len(x0),), generator=g)
        x_t = SIGNAL[k, None] * x0 + NOISE[k, None] * eps  # x_k = a_k x_0 + s_k eps (diffusion.q_sample, unchecked)
        return F.mse_loss(net(x_t, k.float() / T), eps)  # eps-prediction loss (DDPM's "simple" loss)
    t = torch.rand(len(x0), generator=g)
    x_t = flow.straight_path(x0, eps, t)  # x_t = (1 - t) x_0 + t eps
    return F.mse_loss(net(x_t, t), flow.velocity(x0, eps))  # target u = eps - x_0


@torch.no_grad()
def reflow_pairs(base: "Trained", n: int, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Rectified flow's second pass (Liu et al. 2022): noise eps and the point x_0 the trained flow carries it to.
    Straight lines between these pairs cross far less than between random pairs, so a flow fitted to them is
    straighter."""
    eps = torch.randn(n, 2, generator=g)
    x0 = ode.integrate(lambda x, t: base.model(x, t), eps, ode.time_grid(REFLOW_ODE_STEPS), "heun")
    return x0, eps


def _train_field(kind, data, g, steps, log, tick, cfg, base=None):
    net = FieldNet(cfg)
    pairs = None
    if kind == "reflow":
        net.load_state_dict(base.model.state_dict())  # fine-tune the first flow, as the paper does
        data, pairs = reflow_pairs(base, REFLOW_PAIRS, g)
    # fused: one C++ kernel per Adam step instead of a Python loop over the tensors, ~20% faster on these tiny nets
    opt = torch.optim.Adam(net.parameters(), lr=LR[kind], fused=True)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, steps, eta_min=1e-4)  # settles the last wobble
    for i, (x0, eps) in enumerate(_batches(data, g, steps, BATCH[kind], pairs), start=1):
        loss = _field_loss(kind, net, x0, eps, g)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
        log(i, loss=loss.item())
        tick(i)
    return net, None


def _train_gan(toy, g, steps, log, tick, snap, cfg):
    gen, disc = Generator(cfg), Discriminator(cfg)
    opt_g = torch.optim.Adam(gen.parameters(), lr=1e-3, betas=(0.5, 0.999), fused=True)
    opt_d = torch.optim.Adam(disc.parameters(), lr=1e-3, betas=(0.5, 0.999), fused=True)
    fixed_z = torch.randn(SNAPSHOT_POINTS, cfg.latent, generator=g)
    for i, (real, _) in enumerate(_batches(toy.points, g, steps, BATCH["gan"]), start=1):
        fake = gen(torch.randn(len(real), cfg.latent, generator=g))
        d_real, d_fake = disc(real), disc(fake.detach())
        loss_d = (F.binary_cross_entropy_with_logits(d_real, torch.ones_like(d_real))  # -log D(x)
                  + F.binary_cross_entropy_with_logits(d_fake, torch.zeros_like(d_fake)))  # -log(1 - D(G(z)))
        opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        opt_d.step()
        d_gen = disc(fake)
        loss_g = F.binary_cross_entropy_with_logits(d_gen, torch.ones_like(d_gen))  # non-saturating: -log D(G(z))
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        opt_g.step()
        log(i, loss_d=loss_d.item(), loss_g=loss_g.item())
        snap(i, gen, fixed_z)
        tick(i)
    return gen, disc


@one_thread()
def train(kind: str, toy: Toy, seed: int, progress: Progress | None = None, steps: int | None = None,
          cfg: ToyConfig | None = None, base: Trained | None = None) -> Trained:
    """Train one model from scratch on the toy's points (reflow: from `base`, a trained flow, and its pairs);
    `progress(fraction, kind, step, steps)` is told along the way."""
    if kind not in KINDS:
        raise Problem("LAB_MODEL", kinds=", ".join(KINDS))
    if (kind == "reflow") != (base is not None and base.kind == "flow"):
        raise Problem("LAB_REFLOW_BASE")
    steps = int(steps or STEPS[kind])
    g = torch.Generator().manual_seed(int(seed))
    sums: dict[str, float] = {}
    out = Trained(kind, toy.name, int(seed), None, None, [], {}, 0.0)
    every = max(1, steps // 40)

    def log(i, **values):
        for name, v in values.items():
            sums[name] = sums.get(name, 0.0) + v
        if i % LOG_EVERY == 0 or i == steps:
            n = (i - 1) % LOG_EVERY + 1
            out.loss_steps.append(i)
            for name in values:
                out.losses.setdefault(name, []).append(sums.pop(name) / n)

    def tick(i):
        if progress and (i % every == 0 or i == steps):
            progress(i / steps, kind, i, steps)

    def snap(i, gen, z):
        if i == 1 or i % max(1, steps // (SNAPSHOTS - 1)) == 0 or i == steps:
            with torch.no_grad():
                out.snapshots.append(gen(z))
            out.snapshot_steps.append(i)

    start = time.perf_counter()
    with torch.random.fork_rng(devices=[]):  # weight init draws from the global RNG: seed it, then restore it
        torch.manual_seed(int(seed))
        if kind == "gan":
            out.model, out.critic = _train_gan(toy, g, steps, log, tick, snap, cfg or CONFIGS[kind])
        else:
            out.model, out.critic = _train_field(kind, toy.points, g, steps, log, tick, cfg or CONFIGS[kind], base)
    out.model.eval()
    out.seconds = time.perf_counter() - start
    return out


_CACHE: OrderedDict[tuple, Trained] = OrderedDict()
_TRAINING: dict[tuple, threading.Lock] = {}  # key -> held while that model trains
_LOCK = threading.Lock()


def _key(kind: str, toy: Toy, seed: int) -> tuple:
    return kind, toy.name, int(seed), hashlib.sha1(toy.points.numpy().tobytes()).hexdigest()


def cached(kind: str, toy: Toy, seed: int) -> Trained | None:
    with _LOCK:
        hit = _CACHE.get(_key(kind, toy, seed))
        if hit is not None:
            _CACHE.move_to_end(_key(kind, toy, seed))
        return hit


def get(kind: str, toy: Toy, seed: int, progress: Progress | None = None) -> Trained:
    """The trained model for (kind, dataset, seed): from the cache, or trained now (and cached). Reflow first
    gets the flow it straightens (the progress bar then covers both). One training per key at a time: a second
    learner asking for the same model while it trains waits for it instead of training it again."""
    hit = cached(kind, toy, seed)
    if hit is not None:
        return hit
    key = _key(kind, toy, seed)
    with _LOCK:
        lock = _TRAINING.setdefault(key, threading.Lock())
    try:
        with lock:
            return cached(kind, toy, seed) or _train_and_store(kind, toy, seed, progress)
    finally:
        with _LOCK:
            if _TRAINING.get(key) is lock and not lock.locked():
                del _TRAINING[key]


def _train_and_store(kind: str, toy: Toy, seed: int, progress: Progress | None) -> Trained:
    base = None
    if kind == "reflow":
        outer, share = progress, 0.5 if cached("flow", toy, seed) is None else 0.0
        if outer:  # the flow fills the first half of the bar (when it must be trained), reflow the rest
            progress = lambda f, *at: outer(share + (1 - share) * f, *at)  # noqa: E731
        base = get("flow", toy, seed, outer and (lambda f, *at: outer(share * f, *at)))
    if workers.started():  # the served app: in a worker process, so the training holds none of the server's GIL
        return store(codec.read_trained(workers.run(train_job, codec.job_bytes(kind, toy, seed, base), progress)), toy)
    return store(train(kind, toy, seed, progress, base=base), toy)


def warm_worker() -> None:
    """In a new worker process (runtime/workers.py): a few steps of every kind, so torch's one-time set-up
    (autograd, the fused optimiser) happens before the first learner waits for it."""
    toy = load("ring", 0)
    flow = train("flow", toy, 0, steps=3)
    train("gan", toy, 0, steps=3)
    train("reflow", toy, 0, steps=3, base=flow)


def train_job(job: bytes, progress: Progress | None = None) -> bytes:
    """`train` asked and answered in bytes (lab/trained.py), which is how a worker process runs it."""
    kind, toy, seed, base = codec.read_job(job)
    return codec.trained_bytes(train(kind, toy, seed, progress, base=base))


def store(trained: Trained, toy: Toy) -> Trained:
    """Keep a trained model for `get` (the oldest one goes when the cache is full)."""
    with _LOCK:
        _CACHE[_key(trained.kind, toy, trained.seed)] = trained
        while len(_CACHE) > MAX_CACHED:
            _CACHE.popitem(last=False)
    return trained
