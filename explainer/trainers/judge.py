"""Train the judge (v3): MNIST digits, some softened, plus synthetic junk as an eleventh class; store reference stats."""
from __future__ import annotations

import argparse

import torch
import torch.nn.functional as F

from explainer.models import pretrained
from explainer.data.junk import make_junk
from explainer.data.softening import SOFT_SHARE, brighten, gaussian_blur, lower_contrast, soften
from explainer.evaluation.metrics import gaussian_stats, judge_outputs
from explainer.models.judge import NOT_A_DIGIT, Judge
from explainer.runtime.device import DEVICE
from explainer.runtime.seeding import generator, seed_everything
from explainer.trainers.common import RunRecord, batches, load_tensors, progress


CRISP_SHARE = 0.3  # share of training digits left unresampled


def augment(x: torch.Tensor, g: torch.Generator) -> torch.Tensor:
    """Small random rotations, scalings and shifts, so generated digits off the MNIST centre still read."""
    n = len(x)
    # a share stays as it is: resampling softens every edge, and a judge that never saw a crisp digit as a digit
    # called 0.3% of the crisp test digits junk (against 0.05% of those blurred by 0.5 px)
    moved = (torch.rand(n, 1, generator=g, device=g.device) >= CRISP_SHARE).float()
    angle = (torch.rand(n, generator=g, device=g.device) - 0.5) * 0.5 * moved[:, 0]  # +-14 degrees
    scale = 1 + (torch.rand(n, generator=g, device=g.device) - 0.5) * 0.25 * moved[:, 0]
    shift = (torch.rand(n, 2, generator=g, device=g.device) - 0.5) * 0.2 * moved
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack([torch.stack([cos, -sin, shift[:, 0]], 1), torch.stack([sin, cos, shift[:, 1]], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x + 1, grid, align_corners=False, padding_mode="zeros") - 1


CALIBRATION_BLUR_PX = (0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0)
VERSION = 3  # v2 (soft digits are digits) with its ghost junk at full ink and crisp digits kept; every judge figure in cards and README is measured with it


def _shares(judge: Judge, x: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
    """(share read as its own digit, share called not a digit) of images x in [-1, 1] with labels y."""
    pred = judge_outputs(judge, x)[0].argmax(1)
    return round(float((pred == y).float().mean()), 4), round(float((pred == NOT_A_DIGIT).float().mean()), 4)


def _soft(x_test: torch.Tensor, fn) -> torch.Tensor:
    return fn((x_test[:, 0] + 1) / 2).unsqueeze(1) * 2 - 1


@torch.no_grad()
def evaluate(judge: Judge, x_test: torch.Tensor, y_test: torch.Tensor, g: torch.Generator, full: bool = True) -> dict:
    """Accuracy and junk shares; `full` adds the calibration: test digits blurred, lower in contrast, brighter."""
    judge.eval()
    probs, _ = judge_outputs(judge, x_test)
    acc = float((probs.argmax(1) == y_test).float().mean())
    junk = make_junk(5000, g, x_test.to(g.device), y_test.to(g.device))
    junk_probs, _ = judge_outputs(judge, junk)
    noise_probs, _ = judge_outputs(judge, torch.rand(2000, 1, 28, 28, generator=g, device=g.device) * 2 - 1)
    out = {
        "test_accuracy": round(acc, 4),
        "test_confident_share": round(float((probs.max(1).values >= 0.9).float().mean()), 4),
        "junk_labelled_not_a_digit": round(float((junk_probs.argmax(1) == NOT_A_DIGIT).float().mean()), 4),
        "uniform_noise_labelled_not_a_digit": round(float((noise_probs.argmax(1) == NOT_A_DIGIT).float().mean()), 4),
    }
    if not full:
        return out
    table = []
    for sigma in CALIBRATION_BLUR_PX:
        read, junked = _shares(judge, _soft(x_test, lambda x: gaussian_blur(x, sigma)), y_test)
        table.append({"sigma_px": sigma, "read_correctly": read, "not_a_digit": junked})
    out["calibration_blur_px"] = table
    out["contrast_halved_read_correctly"] = _shares(judge, _soft(x_test, lambda x: lower_contrast(x, 0.5)), y_test)[0]
    out["brightened_0.15_read_correctly"] = _shares(judge, _soft(x_test, lambda x: brighten(x, 0.15)), y_test)[0]
    return out


def train(args: argparse.Namespace) -> None:
    seed_everything(args.seed)
    run = RunRecord(args.command, args.data_dir, args.epochs, args.seed)
    x_train, y_train = load_tensors("train", args.data_dir)
    x_test, y_test = load_tensors("test", args.data_dir)
    g = generator(args.seed, DEVICE)
    g_cpu = generator(args.seed, "cpu")
    judge = pretrained.build("judge").to(DEVICE)
    prev = pretrained.read_card("judge", args.out) if args.init_from else None
    if prev:  # a continuation of the judge saved in --out: its weights, command, epochs and wall time carry over
        judge.load_state_dict(pretrained.load("judge", args.out).state_dict())
        run.command, run.started, run.epochs = f"{prev['command']} && {run.command}", run.started - prev["wall_time_s"], prev["epochs"] + args.epochs
    opt = torch.optim.AdamW(judge.parameters(), lr=args.lr, weight_decay=1e-4)
    steps = args.epochs * (len(x_train) // args.batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=steps)
    n_junk = max(1, args.batch // 10)
    bar = progress(steps, "judge")
    for epoch in range(args.epochs):
        judge.train()
        for idx in batches(len(x_train), args.batch, g_cpu):
            x, y = x_train[idx].to(DEVICE), y_train[idx].to(DEVICE)
            x = augment(x, g)  # before the junk is made of them: junk of crisp, unresampled digits taught crispness = junk
            junk = make_junk(n_junk, g, x, y)
            k = int(len(x) * SOFT_SHARE)  # batches are shuffled, so the first k are a random share
            x = torch.cat([_soft(x[:k], lambda d: soften(d, g)), x[k:], junk])
            y = torch.cat([y, torch.full((n_junk,), NOT_A_DIGIT, device=DEVICE)])
            loss = F.cross_entropy(judge(x), y)  # no label smoothing: confidence >= 0.9 must stay reachable
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            bar.update()
            bar.set_postfix(epoch=epoch, loss=f"{loss.item():.3f}")
        metrics = evaluate(judge, x_test, y_test, g, full=False)
        bar.write(f"epoch {epoch}: {metrics}")
    bar.close()
    judge.eval()
    _, feats = judge_outputs(judge, x_test)
    mu, cov = gaussian_stats(feats)
    judge.ref_mu.copy_(torch.as_tensor(mu, dtype=torch.float32))
    judge.ref_cov.copy_(torch.as_tensor(cov, dtype=torch.float32))
    metrics = evaluate(judge, x_test, y_test, g)
    card = run.card(
        family="judge",
        version=VERSION,
        description="MNIST classifier with an 11th 'not a digit' class trained on synthetic junk (noise, blobs, "
        "strokes, two digits overlaid at full ink, blur of 2.5 px and more) and on softened digits (blur up to 1.8 px, lower contrast, "
        "brighter) as digits; its penultimate features define judge-FID (reference statistics on the 10,000 test digits are stored as buffers).",
        metrics=metrics,
    )
    pretrained.save(judge, "judge", card, args.out)
    print(f"saved judge: {metrics}")


def add_arguments(p: argparse.ArgumentParser, name: str) -> None:
    p.add_argument("--init-from", choices=["judge"], help="continue training the judge saved in --out")
    p.set_defaults(epochs=7, batch=128, lr=3e-3)
