"""The numbers of the `flow` model card: class accuracy and recognizability as for `ddpm`, and judge-FID of the
flow (Euler) and of DDIM (the `ddpm` model, eta 0) at 5, 10, 20 and 50 steps, on the same prompts and seeds.

Without a prompt, judge-FID of the flow and of DDIM with eta 0 and eta 1 (fresh noise at every step, the
`ddpm` card's setting) at 5, 10 and 20 steps, on the same seeds.

The prompted FID rows use guidance w = 1 (the plain conditional model, no extrapolation) so that neither family is
helped by a guidance weight tuned for it; accuracy is measured at every candidate weight as for `ddpm`.
"""
from __future__ import annotations

from pathlib import Path

import torch

from explainer.maths import flow_samplers as fs
from explainer.models import pretrained
from explainer.evaluation import diffusion_card
from explainer.data.bundled import PRETRAINED_DIR
from explainer.evaluation.metrics import quality_report
from explainer.evaluation.diffusion_card import CHUNK, sample_images
from explainer.runtime.device import DEVICE
from explainer.runtime.seeding import generator

STEP_COUNTS = (5, 10, 20, 50)
UNPROMPTED_STEP_COUNTS = (5, 10, 20)


def sample_flow(model, labels, seed: int, *, guidance: float, solver: str = "euler", steps: int = 20,
                chunk: int = CHUNK) -> torch.Tensor:
    """Final images in [-1, 1] for a label per image (None: no prompt), in chunks, on CPU."""
    g = generator(seed, DEVICE)
    labels = list(labels)
    out = []
    for start in range(0, len(labels), chunk):
        part = [10 if v is None else int(v) for v in labels[start:start + chunk]]
        out.append(fs.final(model, len(part), g, label=part, guidance=guidance, solver=solver, steps=steps).cpu())
    return torch.cat(out)


def fid_by_steps(n: int, seed: int, root: Path = PRETRAINED_DIR, step_counts=STEP_COUNTS) -> dict:
    """{"flow": {steps: fid}, "ddim": {steps: fid}} on n prompted samples (digits in turn), guidance 1."""
    judge, labels = pretrained.load("judge", root), [i % 10 for i in range(n)]
    flow_model, ddpm_model = pretrained.load("flow", root), pretrained.load("ddpm", root)
    table: dict[str, dict[str, float]] = {"flow": {}, "ddim": {}}
    for steps in step_counts:
        flow_images = sample_flow(flow_model, labels, seed, guidance=1.0, steps=steps)
        ddim_images = sample_images(ddpm_model, labels, seed, guidance=1.0, steps=steps)
        table["flow"][str(steps)] = round(quality_report(judge, flow_images).judge_fid, 2)
        table["ddim"][str(steps)] = round(quality_report(judge, ddim_images).judge_fid, 2)
        print(f"{steps} steps: judge-FID flow {table['flow'][str(steps)]}, DDIM {table['ddim'][str(steps)]}", flush=True)
    return table


def unprompted_fid_by_steps(n: int, seed: int, root: Path = PRETRAINED_DIR, step_counts=UNPROMPTED_STEP_COUNTS) -> dict:
    """{"flow": {steps: fid}, "ddim_eta0": ..., "ddim_eta1": ...} on n samples with the null prompt."""
    judge, labels = pretrained.load("judge", root), [None] * n
    flow_model, ddpm_model = pretrained.load("flow", root), pretrained.load("ddpm", root)
    samplers = {"flow": lambda steps: sample_flow(flow_model, labels, seed, guidance=1.0, steps=steps)}
    for eta in (0, 1):
        samplers[f"ddim_eta{eta}"] = (lambda steps, eta=eta: sample_images(ddpm_model, labels, seed, guidance=1.0,
                                                                          steps=steps, eta=float(eta)))
    table: dict[str, dict[str, float]] = {key: {} for key in samplers}
    for steps in step_counts:
        for key, sample in samplers.items():
            table[key][str(steps)] = round(quality_report(judge, sample(steps)).judge_fid, 2)
        print(f"{steps} steps, no prompt: judge-FID " + ", ".join(f"{k} {v[str(steps)]}" for k, v in table.items()), flush=True)
    return table | {"n_samples": n}


def evaluate_card(n: int, steps: int, root: Path = PRETRAINED_DIR, seed: int = 0) -> dict:
    """The `ddpm` card's measurements with Euler sampling, plus judge-FID of flow and DDIM by step count."""
    return diffusion_card.evaluate_card("flow", n, steps, root, seed, sample=sample_flow, sampler=f"Euler, {steps} steps",
                                      extra=lambda: {"judge_fid_by_steps": fid_by_steps(n, seed, root)
                                                     | {"guidance": 1.0, "n_samples": n},
                                                     "unprompted_judge_fid_by_steps": unprompted_fid_by_steps(n, seed, root)})
