"""Recipe `reflow`: straighten the image flow so that one or two Euler steps land on a digit (2-rectified flow).

Liu, Gong & Liu 2022, "Flow straight and fast", Algorithm 1, in two steps:
1. Couple. Run the trained flow (pretrained `flow`, the teacher) from noise eps to its picture x_0 = Phi(eps, y)
   with an accurate solver (Heun, `--pair-steps`), and keep each pair (eps, x_0, y). A share `--pair-null` of the
   pairs is drawn without a prompt (y = null), so the student also learns the unprompted field. Pairs are made
   once and cached in `--pairs` (outside the repository: 100,000 pairs are ~300 MB).
2. Reflow. Train the same UNet, started from the teacher's weights, on the straight line between each pair's ends:
   x_t = (1 - t) x_0 + t eps, target eps - x_0. Each eps now has one x_0, so the lines of different pairs no
   longer need to bend around each other: the learned paths are nearly straight, and Euler with 1-4 steps
   follows them. The teacher's guidance (`--pair-guidance`) is baked into the pairs; the student runs at w = 1.
"""
from __future__ import annotations

import argparse
import copy
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from explainer.maths import flow
from explainer.maths import flow_samplers as fs
from explainer.models import pretrained
from explainer.models.unet import NULL_CLASS, parameter_count
from explainer.runtime.device import DEVICE
from explainer.runtime.seeding import generator, seed_everything
from explainer.trainers.common import RunRecord, batches, progress
from explainer.trainers.diffusion import ema_update


@torch.inference_mode()
def make_pairs(teacher, n: int, *, steps: int, guidance: float, p_null: float, seed: int, chunk: int,
               solver: str = "heun"):
    """(eps, x0, y) on the CPU: n noises, the teacher's pictures from them (`solver`), and their prompts."""
    g = generator(seed, DEVICE)
    g_cpu = generator(seed, "cpu")
    y = torch.randint(0, 10, (n,), generator=g_cpu)
    y[torch.rand(n, generator=g_cpu) < p_null] = NULL_CLASS
    eps_all, x0_all = [], []
    bar = progress(n, "pairs")
    for start in range(0, n, chunk):
        part = y[start:start + chunk].to(DEVICE)
        state = g.get_state()  # the sampler's first draw is its noise: draw it here too, from the same state
        eps = torch.randn((len(part), *fs.PIXELS), generator=g, device=DEVICE)
        g.set_state(state)
        x0 = fs.final(teacher, len(part), g, label=part, guidance=guidance, solver=solver, steps=steps)
        eps_all.append(eps.half().cpu())
        x0_all.append(x0.half().cpu())
        bar.update(len(part))
    bar.close()
    return torch.cat(eps_all), torch.cat(x0_all), y


def load_or_make_pairs(args, teacher) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    path = Path(args.pairs)
    if path.exists():
        d = np.load(path)
        return torch.from_numpy(d["eps"]), torch.from_numpy(d["x0"]), torch.from_numpy(d["y"])
    started = time.time()
    eps, x0, y = make_pairs(teacher, args.n_pairs, steps=args.pair_steps, guidance=args.pair_guidance,
                            p_null=args.pair_null, seed=args.seed + 7, chunk=args.pair_chunk, solver=args.pair_solver)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, eps=eps.numpy(), x0=x0.numpy(), y=y.numpy())
    print(f"pairs: {len(y)} in {time.time() - started:.0f} s -> {path}", flush=True)
    return eps, x0, y


def reflow_loss(model, eps: torch.Tensor, x0: torch.Tensor, y: torch.Tensor, g: torch.Generator,
                t_one_share: float = 0.0) -> torch.Tensor:
    """|| (eps - x_0) - v(x_t, t, y) ||^2 on the straight line between a pair's ends, t ~ U[0, 1]; a share
    `t_one_share` of the batch (the first rows) at t = 1 exactly: the one-step jump from noise to picture."""
    t = torch.rand(len(x0), generator=g, device=x0.device)
    t[: round(t_one_share * len(x0))] = 1.0
    return F.mse_loss(model(flow.straight_path(x0, eps, t), t, y).float(), flow.velocity(x0, eps))


def train(args: argparse.Namespace) -> None:
    if args.evaluate:
        from explainer.evaluation.reflow_card import evaluate_card

        return evaluate_card(args.evaluate, args.out, args.seed)
    if args.teacher_dir is None:
        args.teacher_dir = args.out
    if args.pairs is None:
        args.pairs = "/tmp/reflow_own_pairs.npz" if args.distill else "/tmp/reflow_pairs.npz"
    seed_everything(args.seed)
    run = RunRecord(args.command, args.data_dir, args.epochs, args.seed)
    teacher_name = "reflow" if args.distill else "flow"
    teacher_card = pretrained.read_card(teacher_name, args.teacher_dir)
    teacher = pretrained.load(teacher_name, args.teacher_dir)
    eps_all, x0_all, y_all = (t.to(DEVICE) for t in load_or_make_pairs(args, teacher))  # float16: 300 MB for 100,000
    model = pretrained.build("reflow", teacher_card["config"]).to(DEVICE)
    model.load_state_dict(teacher.state_dict())
    model.train().requires_grad_(True)
    ema = copy.deepcopy(model).eval().requires_grad_(False)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.0)
    g, g_cpu = generator(args.seed, DEVICE), generator(args.seed, "cpu")
    per_epoch = len(y_all) // args.batch
    bar = progress(args.epochs * per_epoch, "reflow")
    step, avg, deadline = 0, None, run.started + 60 * args.max_minutes  # counted from the start, pairs included
    for epoch in range(args.epochs):
        for idx in batches(len(y_all), args.batch, g_cpu):
            eps, x0, y = (t[idx].to(DEVICE).float() if t.is_floating_point() else t[idx].to(DEVICE)
                          for t in (eps_all, x0_all, y_all))
            with torch.autocast(DEVICE.type, dtype=torch.bfloat16, enabled=args.bf16):
                loss = reflow_loss(model, eps, x0, y, g, args.t_one_share)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            ema_update(ema, model, step, args.ema)
            step += 1
            avg = loss.detach() if avg is None else avg.lerp(loss.detach(), 0.02)
            bar.update()
        epochs_done = epoch + 1
        _save(ema, run, args, teacher_card, step, epochs_done, float(avg), len(y_all))
        bar.write(f"epoch {epochs_done}: loss {float(avg):.4f}, saved reflow")
        if time.time() > deadline:
            bar.write(f"stopped after {epochs_done} epochs: --max-minutes {args.max_minutes} reached")
            break
    bar.close()


def _pairs_record(args, n_pairs: int) -> dict:
    evaluations = 2 * args.pair_steps - 1 if args.pair_solver == "heun" else args.pair_steps
    return {"n": n_pairs, "solver": args.pair_solver, "steps": args.pair_steps, "guidance": args.pair_guidance,
            "unprompted_share": args.pair_null, "evaluations_per_pair": evaluations}


def _distillation_record(before: dict | None, this_run: dict) -> dict:
    """The card's distillation: this run, or, continuing a distilled reflow, every run and their totals."""
    runs = (before.get("runs") or [{k: v for k, v in before.items() if k != "teacher"}]) if before else []
    runs = [*runs, this_run]
    totals = {k: sum(r[k] for r in runs) for k in ("optimizer_steps", "epochs_done")}
    totals["wall_time_s"] = round(sum(r["wall_time_s"] for r in runs), 1)
    return {"teacher": "reflow (the model above, before its first distillation run)", **this_run, **totals,
            "runs": runs}


def _save(ema, run: RunRecord, args, teacher_card: dict, step: int, epochs_done: int, loss: float, n_pairs: int):
    if args.distill:  # the reflow card stays as it was, with this run appended as its distillation
        card = dict(teacher_card)
        card["command"] = f"{teacher_card['command']} && {run.command}"
        if "distilled" not in card["description"]:
            card["description"] = card["description"].replace(
                "; EMA weights.", ", then distilled on its own pairs with a share of each batch at t = 1 (one-step "
                "jumps); EMA weights.")
        this_run = {
            "pairs": _pairs_record(args, n_pairs),
            "t_one_share": args.t_one_share,
            "hyperparameters": {k: getattr(args, k) for k in ("batch", "lr", "ema", "bf16")},
            "optimizer_steps": step,
            "epochs_done": epochs_done,
            "final_loss": round(loss, 5),
            "wall_time_s": round(time.time() - run.started, 1),
            "device": run.card()["device"],
        }
        card["distillation"] = _distillation_record(teacher_card.get("distillation"), this_run)
        card["metrics"] = None
        card["metrics_note"] = "measured separately: python -m explainer.train reflow --evaluate N"
        pretrained.save(ema, "reflow", card, args.out)
        return
    card = run.card(
        family="unet",
        description=("Class-conditional UNet velocity field reflowed from `flow` (2-rectified flow): trained on "
                     "straight lines between noise and the flow's own picture from that noise; EMA weights."),
        schedule={"kind": "rectified_flow", "prediction": "velocity"},
        parameters=parameter_count(ema),
        teacher={"name": "flow", "command": teacher_card["command"], "epochs": teacher_card.get("epochs_done")},
        pairs=_pairs_record(args, n_pairs),
        hyperparameters={k: getattr(args, k) for k in ("batch", "lr", "ema", "bf16")},
        optimizer_steps=step,
        epochs_done=epochs_done,
        final_loss=round(loss, 5),
        weights="EMA of the training weights",
        metrics=None,
        metrics_note="measured separately: python -m explainer.train reflow --evaluate N",
    )
    card["epochs"] = epochs_done
    pretrained.save(ema, "reflow", card, args.out)


def add_arguments(p: argparse.ArgumentParser, name: str) -> None:
    p.add_argument("--teacher-dir", type=Path, default=None, help="folder holding the teacher flow (default: --out)")
    p.add_argument("--pairs", default=None, help="cache of (noise, picture, prompt) pairs (default: "
                   "/tmp/reflow_pairs.npz, or /tmp/reflow_own_pairs.npz with --distill: never the teacher flow's)")
    p.add_argument("--n-pairs", type=int, default=100_000)
    p.add_argument("--pair-steps", type=int, default=25, help="Heun steps of the teacher per pair")
    p.add_argument("--pair-guidance", type=float, default=1.5, help="teacher's guidance weight for prompted pairs")
    p.add_argument("--pair-null", type=float, default=0.1, help="share of pairs drawn without a prompt")
    p.add_argument("--pair-chunk", type=int, default=500, help="pairs per teacher call")
    p.add_argument("--pair-solver", choices=["heun", "euler"], default="heun", help="the teacher's solver for the pairs")
    p.add_argument("--distill", action="store_true",
                   help="continue the reflow saved in --teacher-dir on pairs of its own (guidance 1 is usual)")
    p.add_argument("--t-one-share", type=float, default=0.0,
                   help="share of each batch trained at t = 1, the one-step jump (distillation; 0 for plain reflow)")
    p.add_argument("--ema", type=float, default=0.999)
    p.add_argument("--max-minutes", type=float, default=1e9, help="stop after the epoch that passes this many minutes since the start (pairs included)")
    p.add_argument("--bf16", action="store_true")
    p.add_argument("--evaluate", type=int, default=0, metavar="N",
                   help="do not train: measure the saved model on N samples per setting and rewrite its card")
    p.set_defaults(epochs=10, batch=128, lr=2e-4)

