"""Train the class-conditional UNet: a noise predictor (recipe `ddpm`) or a velocity field (recipe `flow`).

Each image gets its own random step k in 1..T of the linear schedule; the network sees x_k = a_k x_0 + s_k eps
and must name eps (mean squared error). One label in ten is replaced by the null class, so the same weights
also learn the unconditional model that classifier-free guidance subtracts. An exponential moving average of
the weights (EMA; its decay warms up so short runs still average sensibly) is what gets shipped.

A 2-core CPU is slow, so the EMA weights and a card are written every `--save-minutes` and at the end of
every epoch: an interrupted run still leaves usable weights. Card metrics are measured separately
(`--evaluate`, a few hundred to a few thousand DDIM samples) because sampling thousands of images costs as
much CPU as an epoch; the card states the sample count it used.

Recipe `flow` trains the same UNet for rectified flow: at a uniform random t in [0, 1] the network sees
x_t = (1 - t) x_0 + t eps and must name the velocity eps - x_0 of the straight path (flow matching).
`--bf16` runs the forward pass under bfloat16 autocast (about 1.5x faster on CPUs with avx512_bf16).
"""
from __future__ import annotations

import argparse
import copy
import time

import torch
import torch.nn.functional as F

from explainer.maths import diffusion
from explainer.maths import flow
from explainer.models import pretrained
from explainer.models.unet import NULL_CLASS, parameter_count
from explainer.runtime.device import DEVICE
from explainer.runtime.seeding import generator, seed_everything
from explainer.trainers.common import RunRecord, batches, load_tensors, progress


def diffusion_loss(model, x0: torch.Tensor, y: torch.Tensor, schedule: diffusion.Schedule, g: torch.Generator,
                   p_uncond: float = 0.1) -> torch.Tensor:
    """The DDPM objective (Ho et al. 2020, eq. 14): || eps - eps_theta(x_k, k, y) ||^2 at uniform random k."""
    n = len(x0)
    k = torch.randint(1, schedule.T + 1, (n,), generator=g, device=x0.device)  # 1. a step per image
    eps = torch.randn(x0.shape, generator=g, device=x0.device)  # 2. the noise to be found again
    x_k = diffusion.q_sample(x0, k.float() / schedule.T, eps, schedule)  # 3. x_k = a_k x_0 + s_k eps
    drop = torch.rand(n, generator=g, device=x0.device) < p_uncond  # 4. label dropout: learn p(x) too
    y = torch.where(drop, torch.full_like(y, NULL_CLASS), y)
    return F.mse_loss(model(x_k, k.float() / schedule.T, y).float(), eps)


def flow_loss(model, x0: torch.Tensor, y: torch.Tensor, g: torch.Generator, p_uncond: float = 0.1) -> torch.Tensor:
    """Conditional flow matching on the straight path: || (eps - x_0) - v_theta(x_t, t, y) ||^2, t ~ U[0, 1]."""
    n = len(x0)
    t = torch.rand(n, generator=g, device=x0.device)
    eps = torch.randn(x0.shape, generator=g, device=x0.device)
    x_t = flow.straight_path(x0, eps, t)
    drop = torch.rand(n, generator=g, device=x0.device) < p_uncond
    y = torch.where(drop, torch.full_like(y, NULL_CLASS), y)
    return F.mse_loss(model(x_t, t, y).float(), flow.velocity(x0, eps))


def objective(name: str, schedule: diffusion.Schedule):
    """The loss of recipe `name` as f(model, x0, y, g, p_uncond)."""
    if name == "flow":
        return flow_loss
    return lambda model, x0, y, g, p: diffusion_loss(model, x0, y, schedule, g, p)


@torch.no_grad()
def ema_update(ema: torch.nn.Module, model: torch.nn.Module, updates: int, max_decay: float) -> None:
    """ema <- d ema + (1 - d) model with d = min(max_decay, (1 + n) / (10 + n)): early on the average follows
    the fast-changing weights closely, later it smooths over the last ~1 / (1 - max_decay) steps."""
    d = min(max_decay, (1 + updates) / (10 + updates))
    torch._foreach_lerp_(list(ema.parameters()), list(model.parameters()), 1 - d)  # one fused call, not one per tensor


STAGE_KEYS = ("lr", "p_uncond", "batch")  # what may change from one training stage to the next


def _save(ema, run: RunRecord, args, step: int, epochs_done: float, loss: float, stages: list[dict]) -> None:
    """`stages`: the settings of earlier runs this one continues (--init-from); this run's is appended."""
    this = {"epochs": round(epochs_done - sum(s["epochs"] for s in stages), 3),
            **{k: getattr(args, k) for k in STAGE_KEYS}}
    card = run.card(
        family="unet",
        description=DESCRIPTIONS[args.name],
        schedule=SCHEDULES[args.name],
        parameters=parameter_count(ema),
        hyperparameters={k: getattr(args, k) for k in ("batch", "lr", "p_uncond", "ema", "warmup", "bf16")},
        optimizer_steps=step,
        epochs_done=round(epochs_done, 3),
        final_loss=round(loss, 5),
        weights="EMA of the training weights",
        metrics=None,
        metrics_note=f"measured separately: python -m explainer.train {args.name} --evaluate N",
        stages=[*stages, this],
    )
    card["epochs"] = round(epochs_done, 3)
    pretrained.save(ema, args.name, card, args.out)


def train(args: argparse.Namespace) -> None:
    if args.evaluate and args.name == "flow":
        from explainer.evaluation.flow_card import evaluate_card as evaluate_flow

        return evaluate_flow(args.evaluate, args.eval_steps, args.out, args.seed)
    if args.evaluate:
        from explainer.evaluation.diffusion_card import evaluate_card

        return evaluate_card(args.name, args.evaluate, args.eval_steps, args.out, args.seed, eta=args.eval_eta)
    seed_everything(args.seed)
    run = RunRecord(args.command, args.data_dir, args.epochs, args.seed)
    x_train, y_train = load_tensors("train", args.data_dir)
    g, g_cpu = generator(args.seed, DEVICE), generator(args.seed, "cpu")
    schedule = diffusion.make_schedule("linear")
    loss_fn = objective(args.name, schedule)
    prev = pretrained.read_card(args.name, args.out) if args.init_from else None
    if prev:  # a continuation: start both the weights and their average from the saved (EMA) weights
        run.command, run.started = f"{prev['command']} && {run.command}", run.started - prev["wall_time_s"]
        model = pretrained.build(args.name, prev["config"]).to(DEVICE)
        model.load_state_dict(pretrained.load(args.name, args.out).state_dict())
        model.train().requires_grad_(True)
    else:
        model = pretrained.build(args.name).to(DEVICE).train()
    ema = copy.deepcopy(model).eval().requires_grad_(False)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.0)
    warm = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / args.warmup))
    per_epoch = len(x_train) // args.batch
    bar = progress(args.epochs * per_epoch, args.name)
    step, avg, last_save = 0, None, time.time()
    done_before = prev["epochs_done"] if prev else 0.0
    # a card written before stages were recorded: its whole training was one stage
    stages = prev.get("stages", [{"epochs": done_before, **{k: prev["hyperparameters"][k] for k in STAGE_KEYS}}]) if prev else []
    for epoch in range(args.epochs):
        for idx in batches(len(x_train), args.batch, g_cpu):
            with torch.autocast(DEVICE.type, dtype=torch.bfloat16, enabled=args.bf16):
                loss = loss_fn(model, x_train[idx].to(DEVICE), y_train[idx].to(DEVICE), g, args.p_uncond)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            warm.step()
            ema_update(ema, model, step, args.ema)
            step += 1
            lv = loss.detach().float()  # kept on the device: a .item() every step would stall a GPU
            avg = lv if avg is None else avg.lerp(lv, 0.02)
            bar.update()
            if step % 20 == 0:
                bar.set_postfix(epoch=epoch, loss=f"{float(avg):.4f}")
            if time.time() - last_save > 60 * args.save_minutes:
                _save(ema, run, args, step, done_before + step / per_epoch, float(avg), stages)
                last_save = time.time()
        _save(ema, run, args, step, done_before + epoch + 1, float(avg), stages)
        last_save = time.time()
        bar.write(f"epoch {epoch + 1}: loss {float(avg):.4f}, saved {args.name}")
    bar.close()


DESCRIPTIONS = {
    "ddpm": ("Class-conditional UNet noise predictor (DDPM, linear schedule, T = 1000) trained with the "
             "eps-prediction MSE and label dropout for classifier-free guidance (the share of labels replaced by the null "
             "class, per training stage, is in `stages`); EMA weights."),
    "flow": ("Class-conditional UNet velocity field (rectified flow, x_t = (1 - t) x_0 + t eps) trained with "
             "the conditional flow-matching MSE and label dropout for classifier-free guidance (the share of labels "
             "replaced by the null class, per training stage, is in `stages`); EMA weights."),
}
SCHEDULES = {
    "ddpm": {"kind": "linear", "T": diffusion.DEFAULT_T, "prediction": "eps"},
    "flow": {"kind": "rectified_flow", "prediction": "velocity"},
}


def add_arguments(p: argparse.ArgumentParser, name: str) -> None:
    p.add_argument("--p-uncond", type=float, default=0.1, help="share of labels replaced by the null class")
    p.add_argument("--ema", type=float, default=0.999, help="largest EMA decay")
    p.add_argument("--warmup", type=int, default=200, help="optimizer steps of linear learning-rate warm-up")
    p.add_argument("--save-minutes", type=float, default=10.0, help="also save weights this often (minutes)")
    p.add_argument("--evaluate", type=int, default=0, metavar="N",
                   help="do not train: measure the saved model on N samples per setting and rewrite its card")
    p.add_argument("--eval-steps", type=int, default=50, help="DDIM (ddpm) or Euler (flow) steps used by --evaluate")
    p.add_argument("--eval-eta", type=float, default=0.0,
                   help="DDIM eta used by --evaluate (ddpm): 0 deterministic, 1 as noisy as DDPM's ancestral steps")
    p.add_argument("--init-from", choices=[name], help="continue training the saved model in --out (its card's command and epochs carry over)")
    p.add_argument("--bf16", action="store_true", help="bfloat16 autocast for the forward pass (faster on CPUs with avx512_bf16 and on GPUs)")
    p.set_defaults(epochs=30, batch=64, lr=1e-3)
