"""Train the DCGAN with the BCE game, recording its story: losses, checkpoints and class histograms.

`gan` is the healthy recipe (balanced learning rates, one G step per D step). `gan_collapsed`
deliberately breaks the balance: it starts from the healthy pair and lets only the generator learn,
against a discriminator that no longer adapts. G then chases whatever D currently likes best and
stops covering the digits, which is mode collapse in its plainest form.
Both write pretrained/NAME_history.npz for the app's training-story scrubber.
"""
from __future__ import annotations

import argparse

import numpy as np
import torch

from explainer.models import pretrained
from explainer.data.bundled import PRETRAINED_DIR
from explainer.data.pixels import to_model, to_uint8
from explainer.evaluation.metrics import class_histogram, digit_entropy, judge_outputs, quality_report, recognizability
from explainer.models.gan import discriminator_loss, generator_loss
from explainer.runtime.device import DEVICE
from explainer.runtime.seeding import generator, seed_everything
from explainer.trainers.common import RunRecord, batches, load_tensors, progress

HISTORY_GRID = 64  # fixed-noise images stored per checkpoint
HISTOGRAM_SAMPLES = 1000


def history_path(name: str, root=PRETRAINED_DIR):
    return root / f"{name}_history.npz"


@torch.no_grad()
def snapshot(gan, judge, z_fixed: torch.Tensor, g: torch.Generator) -> tuple[np.ndarray, np.ndarray, float]:
    """Fixed-noise grid (uint8), judge histogram over fresh samples, recognizability."""
    gan.eval()
    grid = to_uint8(gan.generate(z_fixed))
    probs, _ = judge_outputs(judge, gan.generate(gan.sample_z(HISTOGRAM_SAMPLES, g)))
    gan.train()
    return grid, class_histogram(probs), recognizability(probs)


def final_report(gan, judge, g: torch.Generator):
    """Judge metrics on 10,000 fresh samples."""
    gan.train(False)
    with torch.no_grad():
        images = torch.cat([gan.generate(gan.sample_z(1000, g)) for _ in range(10)])
    return quality_report(judge, images)


def rescore(args: argparse.Namespace) -> None:
    """Recompute the card metrics of shipped weights with the current judge (judge numbers only compare within one judge)."""
    card = pretrained.read_card(args.name, args.out)
    report = final_report(pretrained.load(args.name, args.out), pretrained.load("judge", args.out),
                          generator(card["seed"], DEVICE))
    pretrained.update_metrics(args.name, report.as_dict(), args.out)
    print(f"rescored {args.name}: {report.as_dict()}")
    if history_path(args.name, args.out).exists():
        rescore_history(history_path(args.name, args.out), pretrained.load("judge", args.out))


@torch.no_grad()
def rescore_history(path, judge) -> None:
    """Re-judge the story's checkpoints with the current judge. Only the 64 fixed-noise pictures of each
    checkpoint are stored (not its weights), so the histograms count those 64 (`ckpt_judged`), not 1,000."""
    with np.load(path, allow_pickle=False) as z:
        h = {k: z[k] for k in z.files}
    hists, recog = [], []
    for images in h["ckpt_images"]:
        probs, _ = judge_outputs(judge, to_model(images))
        hists.append(class_histogram(probs))
        recog.append(recognizability(probs))
    h["ckpt_hist"] = np.stack(hists).astype(np.int64)
    h["ckpt_entropy"] = np.array([digit_entropy(c) for c in hists], dtype=np.float32)
    h["ckpt_recognizability"] = np.array(recog, dtype=np.float32)
    h["ckpt_judged"] = np.int64(h["ckpt_images"].shape[1])
    np.savez_compressed(path, **h)


def train(args: argparse.Namespace) -> None:
    if args.rescore:
        return rescore(args)
    seed_everything(args.seed)
    run = RunRecord(args.command, args.data_dir, args.epochs, args.seed)
    judge = pretrained.load("judge", args.out)
    x_train, _ = load_tensors("train", args.data_dir)
    g, g_cpu = generator(args.seed, DEVICE), generator(args.seed, "cpu")
    if args.init_from:  # same architecture as the model it continues from
        gan = pretrained.build(args.name, pretrained.read_card(args.init_from, args.out)["config"]).to(DEVICE)
        gan.load_state_dict(pretrained.load(args.init_from, args.out).state_dict())
    else:
        overrides = {k: getattr(args, k) for k in ("d_dropout", "hidden") if getattr(args, k)}
        gan = pretrained.build(args.name, overrides).to(DEVICE)
    gan.train()
    G, D = gan.generator, gan.discriminator
    if args.d_every == 0:  # a discriminator that no longer learns (eval mode: its BatchNorm stops adapting too)
        D.eval().requires_grad_(False)
    opt_g = torch.optim.Adam(G.parameters(), lr=args.lr * args.g_lr_ratio, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), lr=args.lr, betas=(0.5, 0.999))
    z_fixed = gan.sample_z(HISTORY_GRID, generator(12345, DEVICE))
    per_epoch = len(x_train) // args.batch
    total = min(args.epochs * per_epoch, args.max_steps or args.epochs * per_epoch)
    ckpt_at = set(np.unique(np.round(np.linspace(0, total, args.checkpoints)).astype(int)).tolist())
    log, ckpts, window = [], [], []
    bar = progress(total, args.name)
    step = 0
    for epoch in range(args.epochs):
        for idx in batches(len(x_train), args.batch, g_cpu):
            if step == total:
                break
            if step in ckpt_at:
                ckpts.append((step, *snapshot(gan, judge, z_fixed, g)))
            real = x_train[idx].to(DEVICE)
            # 1. Discriminator: real -> 1, fake -> 0 (every d_every-th step only, to unbalance on purpose).
            fake = G(gan.sample_z(len(real), g))
            d_real, d_fake = D(real), D(fake.detach())
            loss_d = discriminator_loss(d_real, d_fake, args.real_label)
            if args.d_every and step % args.d_every == 0:
                opt_d.zero_grad(set_to_none=True)
                loss_d.backward()
                opt_d.step()
            # 2. Generator: make D call its fakes real (non-saturating loss), g_steps times.
            for _ in range(args.g_steps):
                loss_g = generator_loss(D(G(gan.sample_z(len(real), g))))
                opt_g.zero_grad(set_to_none=True)
                loss_g.backward()
                opt_g.step()
            window.append([loss_d.item(), loss_g.item(), torch.sigmoid(d_real).mean().item(), torch.sigmoid(d_fake).mean().item()])
            if len(window) == args.log_every:
                log.append([step, *np.mean(window, 0)])
                window = []
            step += 1
            bar.update()
            if step % 50 == 0:
                bar.set_postfix(epoch=epoch, loss_d=f"{loss_d.item():.2f}", loss_g=f"{loss_g.item():.2f}")
        if ckpts:
            bar.write(f"epoch {epoch}: histogram {ckpts[-1][2].tolist()} recognizability {ckpts[-1][3]:.3f}")
    if window:  # the last, partial averaging window
        log.append([step - 1, *np.mean(window, 0)])
    ckpts.append((step, *snapshot(gan, judge, z_fixed, g)))
    bar.close()
    report = final_report(gan, judge, g)
    save_history(history_path(args.name, args.out), log, ckpts, per_epoch,
                 continues=history_path(args.name, args.out) if args.init_from == args.name else None)
    extra = {}
    if args.init_from == args.name:  # a continuation: the card describes the whole run
        prev = pretrained.read_card(args.name, args.out)
        run.epochs += prev["epochs"]
        run.started -= prev["wall_time_s"]  # wall time of the whole run, earlier parts included
        run.command = f"{prev['command']} && {run.command}"
        extra["continued_from"] = {k: prev[k] for k in ("epochs", "wall_time_s", "hyperparameters", "metrics")}
    card = run.card(
        family="gan",
        description=DESCRIPTIONS[args.name],
        hyperparameters={k: getattr(args, k) for k in ("batch", "lr", "g_lr_ratio", "g_steps", "d_every", "real_label", "init_from", "max_steps")},
        steps=step,
        metrics=report.as_dict(),
        **extra,
    )
    pretrained.save(gan, args.name, card, args.out)
    print(f"saved {args.name}: {report.as_dict()}")


def save_history(path, log, ckpts, per_epoch: int, continues=None) -> None:
    """Write the story arrays; when a run continues an earlier one, append to that run's story."""
    log_arr = np.array(log, dtype=np.float32)
    h = dict(
        loss_step=log_arr[:, 0].astype(np.int64), loss_d=log_arr[:, 1], loss_g=log_arr[:, 2],
        d_real=log_arr[:, 3], d_fake=log_arr[:, 4],
        ckpt_step=np.array([c[0] for c in ckpts], dtype=np.int64),
        ckpt_images=np.stack([c[1] for c in ckpts]), ckpt_hist=np.stack([c[2] for c in ckpts]).astype(np.int64),
        ckpt_entropy=np.array([digit_entropy(c[2]) for c in ckpts], dtype=np.float32),
        ckpt_recognizability=np.array([c[3] for c in ckpts], dtype=np.float32),
    )
    if continues is not None and continues.exists():
        with np.load(continues) as old:
            offset = int(old["ckpt_step"][-1])
            h["loss_step"] += offset
            h["ckpt_step"] += offset
            for key in h:  # the new run's first checkpoint repeats the old run's last one
                drop = 1 if key.startswith("ckpt_") else 0
                h[key] = np.concatenate([old[key], h[key][drop:]])
    np.savez_compressed(path, steps_per_epoch=np.int64(per_epoch), ckpt_judged=np.int64(HISTOGRAM_SAMPLES), **h)


DESCRIPTIONS = {
    "gan": "DCGAN with a fully connected layer in each player (InfoGAN's MNIST design), trained with the BCE "
    "losses of the original GAN paper (non-saturating generator loss) and one-sided label smoothing (real target 0.9).",
    "gan_collapsed": "The healthy DCGAN trained further with the discriminator frozen: the generator alone "
    "chases D's favourite images and collapses onto a few digits. A shipped example of mode collapse.",
}


def add_arguments(p: argparse.ArgumentParser, name: str) -> None:
    p.add_argument("--g-lr-ratio", type=float, help="generator lr / discriminator lr")
    p.add_argument("--g-steps", type=int, help="generator steps per batch")
    p.add_argument("--d-every", type=int, help="update D only every k-th batch; 0 freezes D")
    p.add_argument("--real-label", type=float, help="BCE target for real digits (0.9: one-sided smoothing)")
    p.add_argument("--d-dropout", type=float, help="dropout before D's output layer")
    p.add_argument("--hidden", type=int, help="width of an extra fully connected layer in G and D (0: none)")
    p.add_argument("--rescore", action="store_true", help="only recompute the card metrics with the current judge")
    p.add_argument("--init-from", help="start from this shipped GAN's weights")
    p.add_argument("--max-steps", type=int, help="stop after this many batches")
    p.add_argument("--checkpoints", type=int, default=25, help="sample grids and histograms kept for the story")
    p.add_argument("--log-every", type=int, default=20, help="batches averaged per loss point")
    if name == "gan":
        p.set_defaults(epochs=8, batch=128, lr=2e-4, g_lr_ratio=1.0, g_steps=1, d_every=1, real_label=0.9, hidden=512)
    else:
        p.set_defaults(epochs=1, max_steps=1000, batch=128, lr=2e-4, g_lr_ratio=10.0, g_steps=1, d_every=0,
                       real_label=1.0, init_from="gan")
