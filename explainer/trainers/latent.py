"""Recipes `ldm_vae` and `ldm`: latent diffusion at MNIST size (Rombach et al. 2022), in two trainings.

`ldm_vae`, the compressor: a VAE with a 4 x 7 x 7 latent, trained on the Bernoulli likelihood of the ink
(binary cross-entropy, summed over pixels) plus `--beta` times the KL to N(0, I). The KL is weak on purpose:
it keeps the latent smooth without blurring the reconstructions. The card records the standard deviation of
the latent means on the training set (`latent_scale`), which the denoiser divides by, as Stable Diffusion's
0.18215 does, and how the judge reads the test digits' reconstructions.

`ldm`, the generator: a class-conditional velocity field (rectified flow, as recipe `flow`) trained on the
compressor's latent means of the training set, divided by `latent_scale`, with label dropout for guidance and
an EMA of the weights. It never sees a pixel: pictures appear only when a finished latent is decoded.
"""
from __future__ import annotations

import argparse
import copy
import time

import torch
import torch.nn.functional as F

from explainer.models import pretrained
from explainer.models.unet import parameter_count
from explainer.runtime.device import DEVICE
from explainer.runtime.seeding import generator, seed_everything
from explainer.trainers.common import RunRecord, batches, load_tensors, progress
from explainer.trainers.diffusion import ema_update, flow_loss


def vae_loss(vae, x: torch.Tensor, beta: float) -> tuple[torch.Tensor, torch.Tensor]:
    """(loss, reconstruction part), per image: BCE of the ink, summed over pixels, plus beta * KL(q(z|x) || N(0, I))."""
    logits, mu, logvar = vae(x)
    rec = F.binary_cross_entropy_with_logits(logits, (x + 1) / 2, reduction="sum") / len(x)
    kl = 0.5 * (mu.pow(2) + logvar.exp() - 1 - logvar).sum() / len(x)
    return rec + beta * kl, rec


@torch.inference_mode()
def latent_means(vae, x: torch.Tensor, chunk: int = 2000) -> torch.Tensor:
    return torch.cat([vae.encode(x[i:i + chunk].to(DEVICE))[0] for i in range(0, len(x), chunk)])


def train_vae(args: argparse.Namespace) -> None:
    seed_everything(args.seed)
    run = RunRecord(args.command, args.data_dir, args.epochs, args.seed)
    x_train, _ = load_tensors("train", args.data_dir)
    vae = pretrained.build("ldm_vae").to(DEVICE).train()
    opt = torch.optim.Adam(vae.parameters(), lr=args.lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, args.epochs * (len(x_train) // args.batch))
    g_cpu = generator(args.seed, "cpu")
    bar = progress(args.epochs * (len(x_train) // args.batch), "ldm_vae")
    avg = None
    for epoch in range(args.epochs):
        for idx in batches(len(x_train), args.batch, g_cpu):
            loss, rec = vae_loss(vae, x_train[idx].to(DEVICE), args.beta)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            avg = rec.detach() if avg is None else avg.lerp(rec.detach(), 0.02)
            bar.update()
        bar.write(f"epoch {epoch + 1}: reconstruction {float(avg):.2f} nats an image")
    bar.close()
    vae.eval()
    scale = float(latent_means(vae, x_train).std())
    x_test, y_test = load_tensors("test", args.data_dir)
    card = run.card(
        family="latent_vae",
        description=("VAE compressor for latent diffusion: 1 x 28 x 28 pixels <-> a 4 x 7 x 7 latent, trained on "
                     "the binary cross-entropy of the ink plus beta times the KL to N(0, I)."),
        parameters=parameter_count(vae),
        hyperparameters={"batch": args.batch, "lr": args.lr, "beta": args.beta},
        compression={"pixels": 784, "latent_numbers": 4 * 7 * 7, "ratio": round(784 / (4 * 7 * 7), 2)},
        latent_scale=round(scale, 5),
        final_reconstruction_nats=round(float(avg), 3),
        metrics=reconstruction_metrics(vae, x_test, y_test, args.out),
    )
    pretrained.save(vae, "ldm_vae", card, args.out)
    print(f"saved ldm_vae: latent_scale {scale:.4f}, {card['metrics']}")


@torch.inference_mode()
def reconstruction_metrics(vae, x: torch.Tensor, y: torch.Tensor, root) -> dict:
    """On the test digits: mean squared error in [-1, 1] units and the share the judge reads as their true digit."""
    from explainer.evaluation.diffusion_card import class_accuracy

    rec = torch.cat([vae.decode(vae.encode(x[i:i + 2000].to(DEVICE))[0]).cpu() for i in range(0, len(x), 2000)])
    judge = pretrained.load("judge", root)
    return {"n_test_digits": len(x), "mse": round(float((rec - x).pow(2).mean()), 5),
            "reconstructions_read_as_true_digit": round(class_accuracy(judge, rec, y.tolist()), 4)}


def train_denoiser(args: argparse.Namespace) -> None:
    seed_everything(args.seed)
    run = RunRecord(args.command, args.data_dir, args.epochs, args.seed)
    vae_card = pretrained.read_card("ldm_vae", args.out)
    vae = pretrained.load("ldm_vae", args.out)
    x_train, y_train = load_tensors("train", args.data_dir)
    z_train = latent_means(vae, x_train) / vae_card["latent_scale"]  # on the device: 60,000 x 196 numbers
    y_train = y_train.to(DEVICE)
    model = pretrained.build("ldm").to(DEVICE).train()
    ema = copy.deepcopy(model).eval().requires_grad_(False)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.0)
    per_epoch = len(z_train) // args.batch
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, args.lr, total_steps=args.epochs * per_epoch, pct_start=0.05)
    g, g_cpu = generator(args.seed, DEVICE), generator(args.seed, "cpu")
    bar = progress(args.epochs * per_epoch, "ldm")
    step, avg, started = 0, None, time.time()
    for epoch in range(args.epochs):
        for idx in batches(len(z_train), args.batch, g_cpu):
            idx = idx.to(DEVICE)
            loss = flow_loss(model, z_train[idx], y_train[idx], g, args.p_uncond)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            ema_update(ema, model, step, args.ema)
            step += 1
            avg = loss.detach() if avg is None else avg.lerp(loss.detach(), 0.02)
            bar.update()
        bar.write(f"epoch {epoch + 1}: loss {float(avg):.4f}")
        if epoch + 1 == args.epochs or time.time() - started > 60 * args.max_minutes or (epoch + 1) % 10 == 0:
            card = run.card(
                family="latent_denoiser",
                description=("Class-conditional velocity field on the 4 x 7 x 7 latent of `ldm_vae` (rectified flow, "
                             "conditional flow-matching MSE, label dropout for classifier-free guidance); EMA weights."),
                schedule={"kind": "rectified_flow", "prediction": "velocity", "space": "ldm_vae latent / latent_scale"},
                compressor={"name": "ldm_vae", "latent_scale": vae_card["latent_scale"]},
                parameters=parameter_count(ema),
                hyperparameters={k: getattr(args, k) for k in ("batch", "lr", "p_uncond", "ema")},
                optimizer_steps=step, epochs_done=epoch + 1, final_loss=round(float(avg), 5),
                weights="EMA of the training weights", metrics=None,
                metrics_note="measured separately: python -m explainer.train ldm --evaluate N",
            )
            card["epochs"] = epoch + 1
            pretrained.save(ema, "ldm", card, args.out)
            if time.time() - started > 60 * args.max_minutes:
                bar.write(f"stopped after {epoch + 1} epochs: --max-minutes reached")
                break
    bar.close()


def rescore_vae(args: argparse.Namespace) -> None:
    """Re-read the shipped compressor's reconstructions with the current judge (its numbers change with the judge)."""
    x_test, y_test = load_tensors("test", args.data_dir)
    metrics = reconstruction_metrics(pretrained.load("ldm_vae", args.out), x_test, y_test, args.out)
    pretrained.update_metrics("ldm_vae", metrics, args.out)
    print(f"rescored ldm_vae: {metrics}")


def train(args: argparse.Namespace) -> None:
    if args.name == "ldm_vae":
        return rescore_vae(args) if args.rescore else train_vae(args)
    if args.evaluate:
        from explainer.evaluation.ldm_card import evaluate_card

        return evaluate_card(args.evaluate, args.eval_steps, args.out, args.seed)
    return train_denoiser(args)


def add_arguments(p: argparse.ArgumentParser, name: str) -> None:
    if name == "ldm_vae":
        p.add_argument("--beta", type=float, default=0.05, help="weight of the KL term (weak: a compressor)")
        p.add_argument("--rescore", action="store_true", help="only re-measure the shipped weights' card with the current judge")
        p.set_defaults(epochs=20, batch=128, lr=2e-3)
        return
    p.add_argument("--p-uncond", type=float, default=0.15, help="share of labels replaced by the null class")
    p.add_argument("--ema", type=float, default=0.999)
    p.add_argument("--max-minutes", type=float, default=1e9, help="stop after the epoch that passes this time")
    p.add_argument("--evaluate", type=int, default=0, metavar="N",
                   help="do not train: measure the saved model on N samples per setting and rewrite its card")
    p.add_argument("--eval-steps", type=int, default=20, help="Euler steps used by --evaluate")
    p.set_defaults(epochs=80, batch=256, lr=1e-3)
