"""The numbers of the `flow` model card: class accuracy and recognizability as for `ddpm`, and judge-FID of the
flow (Euler) and of DDIM (the `ddpm` model, eta 0) at 5, 10, 20 and 50 steps, on the same prompts and seeds.

The FID rows use guidance w = 1 (the plain conditional model, no extrapolation) so that neither family is
helped by a guidance weight tuned for it; accuracy is measured at every candidate weight as for `ddpm`.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import torch

from . import flow_samplers as fs, pretrained
from .data import PRETRAINED_DIR
from .metrics import quality_report
from .reverse_eval import CHUNK, GUIDANCE_CANDIDATES, class_accuracy, sample_images
from .runtime import DEVICE, device_label, generator

STEP_COUNTS = (5, 10, 20, 50)


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


def evaluate_card(n: int, steps: int, root: Path = PRETRAINED_DIR, seed: int = 0, name: str = "flow") -> dict:
    model, judge = pretrained.load(name, root), pretrained.load("judge", root)
    labels = [i % 10 for i in range(n)]
    started = time.time()
    accuracy, reports = {}, {}
    for w in GUIDANCE_CANDIDATES:
        images = sample_flow(model, labels, seed, guidance=w, steps=steps)
        accuracy[w], reports[w] = class_accuracy(judge, images, labels), quality_report(judge, images)
        print(f"guidance {w:g}: requested digit in {accuracy[w]:.2%} of {n}; {reports[w].as_dict()}", flush=True)
    best = min((w for w in GUIDANCE_CANDIDATES if accuracy[w] >= 0.97), default=max(accuracy, key=accuracy.get))
    uncond = quality_report(judge, sample_flow(model, [None] * n, seed + 1, guidance=0.0, steps=steps))
    card = pretrained.read_card(name, root)
    card["recommended_guidance"] = best
    card["metrics"] = {
        "sampler": f"Euler, {steps} steps",
        "n_samples_per_setting": n,
        "class_accuracy_by_guidance": {f"{w:g}": round(a, 4) for w, a in accuracy.items()},
        "unconditional": uncond.as_dict(),
        **{f"guided_w{w:g}": r.as_dict() for w, r in reports.items()},
        "judge_fid_by_steps": fid_by_steps(n, seed, root) | {"guidance": 1.0, "n_samples": n},
        "evaluation_wall_time_s": round(time.time() - started, 1),
        "evaluation_device": device_label(),
    }
    card.pop("metrics_note", None)
    pretrained.card_path(name, root).write_text(json.dumps(card, indent=2) + "\n")
    print(json.dumps(card["metrics"], indent=2))
    return card["metrics"]
