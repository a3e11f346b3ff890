"""Train the 2-D autoencoder (`ae`) and the 2-D VAE (`vae`) with the same shapes, data and seeds.

Loss per image, pixels p = (x + 1) / 2 in [0, 1] read as probabilities of ink:
    ae:  rec(x, x_hat)
    vae: rec(x, x_hat) + beta * KL(q(z|x) || N(0, I))
rec is the binary cross-entropy summed over pixels (`--loss bce`, the default: the Bernoulli likelihood
of the original VAE paper, so beta = 1 is the plain evidence lower bound) or the squared error
(`--loss mse`, a Gaussian likelihood of variance beta / 2, which on MNIST gives the blurred blends the
first version shipped). Card metrics are measured on the 10,000 test digits (MSE, how often the
judge reads a reconstruction as its true digit) and on 10,000 decodes of two kinds of random point:
z ~ N(0, I) (`prior_samples`) and z from the Gaussian fitted to the 60,000 training codes
(`fitted_samples`, the estimate an autoencoder needs because nothing fixed its range in advance).
"""
from __future__ import annotations

import argparse

import torch
import torch.nn.functional as F

from explainer.models import pretrained
from explainer.evaluation.metrics import judge_outputs, quality_report
from explainer.models.autoencoder import kl, sample_prior, to_fitted
from explainer.runtime.device import DEVICE
from explainer.runtime.seeding import generator, seed_everything
from explainer.trainers.common import RunRecord, batches, load_tensors, on_device, progress

PRIOR_SAMPLES = 10_000


def pixel_errors(x: torch.Tensor, x_hat: torch.Tensor) -> torch.Tensor:
    """Sum of squared errors per image on the [0, 1] pixel scale (inputs are in [-1, 1])."""
    return ((x - x_hat) / 2).pow(2).flatten(1).sum(1)


def pixel_bce(x: torch.Tensor, x_hat: torch.Tensor) -> torch.Tensor:
    """Binary cross-entropy per image, summed over pixels, of the [0, 1] ink x against x_hat (both in [-1, 1])."""
    p = ((x_hat + 1) / 2).clamp(1e-6, 1 - 1e-6)  # tanh's output, so (x_hat + 1) / 2 is a sigmoid: never 0 or 1
    return F.binary_cross_entropy(p, (x + 1) / 2, reduction="none").flatten(1).sum(1)


RECONSTRUCTION = {"bce": pixel_bce, "mse": pixel_errors}


def loss_terms(model, x: torch.Tensor, gen: torch.Generator, loss: str = "bce") -> tuple[torch.Tensor, torch.Tensor]:
    """(reconstruction loss per image, KL per image; zeros for the plain autoencoder)."""
    rec = RECONSTRUCTION[loss]
    if model.variational:
        x_hat, mu, logvar = model(x, gen)
        return rec(x, x_hat), kl(mu, logvar)
    x_hat, _ = model(x)
    return rec(x, x_hat), torch.zeros(len(x), device=x.device)


@torch.no_grad()
def encode_all(model, x: torch.Tensor) -> torch.Tensor:
    return torch.cat([model.encode(chunk.to(DEVICE)).cpu() for chunk in x.split(1000)])


def fitted_gaussian(codes: torch.Tensor) -> dict:
    """Mean and covariance of the codes (N, 2): the Gaussian a user of the autoencoder would fit after training."""
    return {"mean": [round(v, 4) for v in codes.mean(0).tolist()],
            "cov": [[round(v, 4) for v in row] for row in torch.cov(codes.T).tolist()]}


def _decode_points(model, points) -> torch.Tensor:
    return torch.cat([model.decode(z) for z in points])


@torch.no_grad()
def evaluate(model, judge, x_test: torch.Tensor, y_test: torch.Tensor, x_train: torch.Tensor, g: torch.Generator) -> dict:
    """Card metrics: reconstructions of the test digits, and the judge on both kinds of random point."""
    sq, kls, zs, read = [], [], [], []
    for chunk, labels in zip(x_test.split(1000), y_test.split(1000)):
        chunk = chunk.to(DEVICE)
        z = model.encode(chunk)  # the VAE's mean: the deterministic reconstruction
        x_hat = model.decode(z)
        sq.append(pixel_errors(chunk, x_hat).cpu())
        zs.append(z.cpu())
        if judge is not None:
            read.append(judge_outputs(judge, x_hat)[0].argmax(1) == labels)
        if model.variational:
            kls.append(kl(*model.encode_stats(chunk)).cpu())
    z = torch.cat(zs)
    fitted = fitted_gaussian(encode_all(model, x_train))
    metrics = {
        "test_digits": len(x_test),
        "reconstruction_mse": round(float(torch.cat(sq).mean()) / 784, 5),  # per pixel, [0, 1] scale
        "reconstructions_read_as_true_digit": round(float(torch.cat(read).float().mean()), 4) if read else None,
        "kl_nats": round(float(torch.cat(kls).mean()), 3) if kls else None,
        "test_latent_mean": [round(v, 3) for v in z.mean(0).tolist()],
        "test_latent_std": [round(v, 3) for v in z.std(0).tolist()],
        # For N(0, I) in 2-D these shares would be 0.393, 0.865 and 0.989.
        "share_within_1_2_3_sigma": [round(float((z.norm(dim=1) < k).float().mean()), 3) for k in (1, 2, 3)],
        "fitted_gaussian": fitted,  # of the 60,000 training codes
        "prior_samples": None,  # decodes of z ~ N(0, I), judged
        "fitted_samples": None,  # decodes of z ~ N(fitted mean, fitted cov), judged
    }
    if judge is not None:
        eps = [sample_prior(1000, model.cfg.latent_dim, g) for _ in range(PRIOR_SAMPLES // 1000)]
        mean, cov = torch.tensor(fitted["mean"]), torch.tensor(fitted["cov"])
        metrics["prior_samples"] = quality_report(judge, _decode_points(model, eps)).as_dict()
        metrics["fitted_samples"] = quality_report(judge, _decode_points(model, [to_fitted(e, mean, cov) for e in eps])).as_dict()
    return metrics


def _judge(root):
    return pretrained.load("judge", root) if (root / "judge.safetensors").exists() else None


def rescore(args: argparse.Namespace) -> None:
    """Recompute the card metrics of the shipped weights (judge numbers are only comparable with one judge)."""
    judge = _judge(args.out)
    if judge is None:
        raise SystemExit(f"error: --rescore needs the judge in {args.out}")
    model = pretrained.load(args.name, args.out)
    x_test, y_test = load_tensors("test", args.data_dir)
    x_train, _ = load_tensors("train", args.data_dir)
    seed = pretrained.read_card(args.name, args.out)["seed"]
    metrics = evaluate(model, judge, x_test, y_test, x_train, generator(seed, DEVICE))
    pretrained.update_metrics(args.name, metrics, args.out)
    print(f"rescored {args.name}: {metrics}")


def train(args: argparse.Namespace) -> None:
    if args.rescore:
        return rescore(args)
    seed_everything(args.seed)
    run = RunRecord(args.command, args.data_dir, args.epochs, args.seed)
    x_train, _ = load_tensors("train", args.data_dir)
    x_test, y_test = load_tensors("test", args.data_dir)
    g, g_cpu = generator(args.seed, DEVICE), generator(args.seed, "cpu")
    model = pretrained.build(args.name, {"width": args.width, "hidden": args.hidden}).to(DEVICE).train()
    beta = args.beta if model.variational else 0.0
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    per_epoch = len(x_train) // args.batch
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=args.epochs * per_epoch)
    bar = progress(args.epochs * per_epoch, args.name)
    for epoch in range(args.epochs):
        sums = torch.zeros(2)
        for idx in batches(len(x_train), args.batch, g_cpu):
            (x,) = on_device(x_train[idx])
            rec, kld = loss_terms(model, x, g, args.loss)
            loss = (rec + beta * kld).mean()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            sums += torch.tensor([rec.mean().item(), kld.mean().item()])
            bar.update()
        bar.write(f"epoch {epoch}: reconstruction {sums[0] / per_epoch:.2f} ({args.loss}, summed per image), "
                  f"KL {sums[1] / per_epoch:.2f} nats")
    bar.close()
    model.eval()
    judge = _judge(args.out)
    if judge is None:
        print("no judge yet: prior-sample metrics left empty; run again with --rescore once it exists")
    metrics = evaluate(model, judge, x_test, y_test, x_train, generator(args.seed, DEVICE))
    card = run.card(
        family="autoencoder",
        description=DESCRIPTIONS[args.name],
        hyperparameters={"batch": args.batch, "lr": args.lr, "beta": beta, "loss": LOSSES[args.loss] + (KL_TERM if model.variational else "")},
        metrics=metrics,
    )
    pretrained.save(model, args.name, card, args.out)
    print(f"saved {args.name}: {metrics}")


LOSSES = {
    "bce": "sum over pixels of the binary cross-entropy of x against x_hat, pixels in [0, 1]",
    "mse": "sum over pixels of (x - x_hat)^2, pixels in [0, 1]",
}
KL_TERM = " + beta * KL(N(mu, sigma^2) || N(0, I))"
DESCRIPTIONS = {
    "ae": "Conv autoencoder with a 2-D latent trained on reconstruction alone: nothing fixes where its codes lie.",
    "vae": "Conv VAE with the same encoder/decoder shapes and a 2-D latent; the KL term pulls the latent "
    "towards N(0, I), so the region random points are drawn from is known before training.",
}


def add_arguments(p: argparse.ArgumentParser, name: str) -> None:
    p.add_argument("--rescore", action="store_true", help="only recompute the card metrics of the shipped weights")
    p.add_argument("--loss", choices=sorted(LOSSES), default="bce", help="reconstruction term (see module docstring)")
    p.add_argument("--width", type=int, default=32, help="channels at 14x14 (twice this at 7x7)")
    p.add_argument("--hidden", type=int, default=256, help="units of the fully connected layer")
    if name == "vae":
        p.add_argument("--beta", type=float, default=1.0, help="weight of the KL term (1 = the evidence lower bound)")
    p.set_defaults(epochs=20, batch=128, lr=2e-3)
