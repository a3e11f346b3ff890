"""`python -m explainer.train NAME --data-dir DIR` reproduces pretrained/NAME.* (weights and card).

NAME is one of the recipes below; `sample` writes pretrained/mnist_sample.npz (real test digits).
Every recipe fixes its seeds, shows a progress bar and writes a json card with the config,
command, epochs, wall time, device and metrics measured on 10,000 samples.
"""
from __future__ import annotations

import argparse
import importlib
import shlex
import sys
from pathlib import Path

import numpy as np

from explainer.data.bundled import PRETRAINED_DIR, SAMPLE_PATH
from explainer.data.mnist import DataNotFound, default_data_dir, load_split, make_balanced_sample
from explainer.runtime.problems import Problem

# recipe name -> module in explainer.trainers exposing add_arguments(parser) and train(args)
RECIPES = {
    "judge": "judge",
    "gan": "gan",
    "gan_collapsed": "gan",
    "ae": "autoencoder",
    "vae": "autoencoder",
    "ddpm": "diffusion",
    "flow": "diffusion",
    "reflow": "reflow",
    "ldm_vae": "latent",
    "ldm": "latent",
}


def write_sample(args: argparse.Namespace) -> None:
    images, labels = load_split("test", args.data_dir, download=True)
    s = make_balanced_sample(images, labels, per_class=args.per_class, seed=args.seed)
    SAMPLE_PATH.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out / SAMPLE_PATH.name, images=s.images, labels=s.labels.astype(np.uint8))
    print(f"wrote {args.out / SAMPLE_PATH.name}: {len(s.images)} test digits, {args.per_class} per class")


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m explainer.train", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="name", required=True, metavar="NAME")
    for name in ["sample", *RECIPES]:
        sp = sub.add_parser(name, help=f"reproduce pretrained/{name}.*")
        sp.add_argument("--data-dir", type=Path, default=default_data_dir(), help="folder with the four MNIST IDX .gz files")
        sp.add_argument("--out", type=Path, default=PRETRAINED_DIR, help="where weights and card are written")
        sp.add_argument("--seed", type=int, default=0)
        sp.add_argument("--epochs", type=int, help="passes over the training set (recipe default)")
        sp.add_argument("--batch", type=int, help="batch size (recipe default)")
        sp.add_argument("--lr", type=float, help="learning rate (recipe default)")
        if name == "sample":
            sp.add_argument("--per-class", type=int, default=250)
        else:
            module = importlib.import_module(f".trainers.{RECIPES[name]}", __package__)
            module.add_arguments(sp, name)
    argv = sys.argv[1:] if argv is None else list(argv)
    args = p.parse_args(argv)
    args.command = "python -m explainer.train " + " ".join(shlex.quote(a) for a in argv)
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    try:
        if args.name == "sample":
            write_sample(args)
        else:
            importlib.import_module(f".trainers.{RECIPES[args.name]}", __package__).train(args)
    except DataNotFound as e:
        raise SystemExit(f"error: {e}")
    except Problem as e:  # a refusal from below (an MNIST file that is not IDX), in the app's English words
        from explainer.ui.words.en import problems as english

        raise SystemExit(f"error: {getattr(english, e.key).format(**e.fields)}")


if __name__ == "__main__":
    main()
