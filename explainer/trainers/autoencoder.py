"""Train the 2-D autoencoder (`ae`) and the 2-D VAE (`vae`) with the same shapes, data and seeds.

Loss per image, pixels measured on the [0, 1] scale:
    ae:  sum_pixels (x - x_hat)^2
    vae: sum_pixels (x - x_hat)^2 + beta * KL(q(z|x) || N(0, I))
The squared error is a Gaussian log-likelihood with variance beta / 2, so beta sets how hard the
prior pulls; the default is large enough that the encoded test digits fill the N(0, I) disc
(reported in the card as the mean and spread of their latent means) and small enough that
digits stay recognizable. Card metrics are measured on the 10,000 test digits and on 10,000
decodes of z ~ N(0, I), judged by the shipped judge.
"""
from __future__ import annotations

import argparse

import torch

from explainer.models import pretrained
from explainer.evaluation.metrics import quality_report
from explainer.models.autoencoder import kl, sample_prior
from explainer.runtime.device import DEVICE
from explainer.runtime.seeding import generator, seed_everything
from explainer.trainers.common import RunRecord, batches, load_tensors, on_device, progress

PRIOR_SAMPLES = 10_000


def pixel_errors(x: torch.Tensor, x_hat: torch.Tensor) -> torch.Tensor:
    """Sum of squared errors per image on the [0, 1] pixel scale (inputs are in [-1, 1])."""
    return ((x - x_hat) / 2).pow(2).flatten(1).sum(1)


def loss_terms(model, x: torch.Tensor, beta: float, gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """(reconstruction error per image, KL per image; zeros for the plain autoencoder)."""
    if model.variational:
        x_hat, mu, logvar = model(x, gen)
        return pixel_errors(x, x_hat), kl(mu, logvar)
    x_hat, _ = model(x)
    return pixel_errors(x, x_hat), torch.zeros(len(x), device=x.device)


@torch.no_grad()
def evaluate(model, judge, x_test: torch.Tensor, g: torch.Generator) -> dict:
    """Card metrics: reconstruction MSE and KL on the test digits, the judge on prior samples."""
    sq, kls, zs = [], [], []
    for chunk in x_test.split(1000):
        chunk = chunk.to(DEVICE)
        z = model.encode(chunk)  # the VAE's mean: the deterministic reconstruction
        sq.append(pixel_errors(chunk, model.decode(z)).cpu())
        zs.append(z.cpu())
        if model.variational:
            kls.append(kl(*model.encode_stats(chunk)).cpu())
    z = torch.cat(zs)
    if judge is not None:
        prior = torch.cat([model.decode(sample_prior(1000, model.cfg.latent_dim, g)) for _ in range(PRIOR_SAMPLES // 1000)])
        report = quality_report(judge, prior).as_dict()
    return {
        "test_digits": len(x_test),
        "reconstruction_mse": round(float(torch.cat(sq).mean()) / 784, 5),  # per pixel, [0, 1] scale
        "kl_nats": round(float(torch.cat(kls).mean()), 3) if kls else None,
        "test_latent_mean": [round(v, 3) for v in z.mean(0).tolist()],
        "test_latent_std": [round(v, 3) for v in z.std(0).tolist()],
        # For N(0, I) in 2-D these shares would be 0.393, 0.865 and 0.989.
        "share_within_1_2_3_sigma": [round(float((z.norm(dim=1) < k).float().mean()), 3) for k in (1, 2, 3)],
        "prior_samples": report if judge is not None else None,  # decodes of z ~ N(0, I), judged
    }


def _judge(root):
    return pretrained.load("judge", root) if (root / "judge.safetensors").exists() else None


def rescore(args: argparse.Namespace) -> None:
    """Recompute the card metrics of the shipped weights (judge numbers are only comparable with one judge)."""
    judge = _judge(args.out)
    if judge is None:
        raise SystemExit(f"error: --rescore needs the judge in {args.out}")
    model = pretrained.load(args.name, args.out)
    x_test, _ = load_tensors("test", args.data_dir)
    metrics = evaluate(model, judge, x_test, generator(pretrained.read_card(args.name, args.out)["seed"], DEVICE))
    pretrained.update_metrics(args.name, metrics, args.out)
    print(f"rescored {args.name}: {metrics}")


def train(args: argparse.Namespace) -> None:
    if args.rescore:
        return rescore(args)
    seed_everything(args.seed)
    run = RunRecord(args.command, args.data_dir, args.epochs, args.seed)
    x_train, _ = load_tensors("train", args.data_dir)
    x_test, _ = load_tensors("test", args.data_dir)
    g, g_cpu = generator(args.seed, DEVICE), generator(args.seed, "cpu")
    model = pretrained.build(args.name).to(DEVICE).train()
    beta = args.beta if model.variational else 0.0
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    per_epoch = len(x_train) // args.batch
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=args.epochs * per_epoch)
    bar = progress(args.epochs * per_epoch, args.name)
    for epoch in range(args.epochs):
        sums = torch.zeros(2)
        for idx in batches(len(x_train), args.batch, g_cpu):
            (x,) = on_device(x_train[idx])
            rec, kld = loss_terms(model, x, beta, g)
            loss = (rec + beta * kld).mean()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            sums += torch.tensor([rec.mean().item(), kld.mean().item()])
            bar.update()
        bar.write(f"epoch {epoch}: reconstruction {sums[0] / per_epoch:.2f} (sum of squares per image), "
                  f"KL {sums[1] / per_epoch:.2f} nats")
    bar.close()
    model.eval()
    judge = _judge(args.out)
    if judge is None:
        print("no judge yet: prior-sample metrics left empty; run again with --rescore once it exists")
    metrics = evaluate(model, judge, x_test, generator(args.seed, DEVICE))
    card = run.card(
        family="autoencoder",
        description=DESCRIPTIONS[args.name],
        hyperparameters={"batch": args.batch, "lr": args.lr, "beta": beta, "loss": LOSSES[args.name]},
        metrics=metrics,
    )
    pretrained.save(model, args.name, card, args.out)
    print(f"saved {args.name}: {metrics}")


LOSSES = {
    "ae": "sum over pixels of (x - x_hat)^2, pixels in [0, 1]",
    "vae": "sum over pixels of (x - x_hat)^2 + beta * KL(N(mu, sigma^2) || N(0, I)), pixels in [0, 1]",
}
DESCRIPTIONS = {
    "ae": "Conv autoencoder with a 2-D latent trained on reconstruction alone: its latent map has holes.",
    "vae": "Conv VAE with the same encoder/decoder shapes and a 2-D latent; the KL term pulls the latent "
    "towards N(0, I), so decoding z drawn from N(0, I) gives digits.",
}


def add_arguments(p: argparse.ArgumentParser, name: str) -> None:
    p.add_argument("--rescore", action="store_true", help="only recompute the card metrics of the shipped weights")
    if name == "vae":
        p.add_argument("--beta", type=float, default=0.3, help="weight of the KL term (see module docstring)")
    p.set_defaults(epochs=6, batch=128, lr=2e-3)
