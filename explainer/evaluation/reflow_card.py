"""The numbers of the `reflow` card: the reflowed flow against its teacher and the GAN, at 1, 2 and 4 Euler steps.

Per step count, on the same prompts (digits in turn) and seeds, guidance 1: judge-FID, recognizability and the
share read as the requested digit, for `reflow` and for `flow`; the same without a prompt; the GAN's judge-FID
on the same number of samples (FID grows as n shrinks); and how straight each model's paths are (length over
distance between the ends, on 50-step Euler paths: 1 is a straight line).
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import torch

from explainer.data.bundled import PRETRAINED_DIR
from explainer.evaluation.diffusion_card import class_accuracy, gan_fid_at
from explainer.evaluation.flow_card import sample_flow
from explainer.evaluation.metrics import quality_report
from explainer.maths import flow
from explainer.maths import flow_samplers as fs
from explainer.models import pretrained
from explainer.runtime.device import DEVICE, device_label
from explainer.runtime.seeding import generator

STEP_COUNTS = (1, 2, 4)


@torch.inference_mode()
def path_straightness(model, n: int, seed: int, steps: int = 50) -> float:
    """Pooled straightness of n prompted 50-step Euler paths (digits in turn)."""
    states = [s.x_t.flatten(1) for s in fs.progressive(model, n, generator(seed, DEVICE), label=[i % 10 for i in range(n)],
                                                         steps=steps)]
    start = fs.start_state(n, generator(seed, DEVICE)).flatten(1)
    return float(flow.straightness(torch.stack([start, *states]).cpu(), pooled=True))


def evaluate_card(n: int, root: Path = PRETRAINED_DIR, seed: int = 0) -> dict:
    started = time.time()
    judge = pretrained.load("judge", root)
    models = {"reflow": pretrained.load("reflow", root), "flow": pretrained.load("flow", root)}
    labels = [i % 10 for i in range(n)]
    rows: dict[str, dict] = {name: {} for name in models}
    for name, model in models.items():
        for steps in STEP_COUNTS:
            prompted = sample_flow(model, labels, seed, guidance=1.0, steps=steps)
            free = sample_flow(model, [None] * n, seed + 1, guidance=0.0, steps=steps)
            rows[name][str(steps)] = {
                "prompted": quality_report(judge, prompted).as_dict() | {"class_accuracy": round(class_accuracy(judge, prompted, labels), 4)},
                "unprompted": quality_report(judge, free).as_dict(),
            }
            print(f"{name} {steps} steps: FID prompted {rows[name][str(steps)]['prompted']['judge_fid']}, "
                  f"unprompted {rows[name][str(steps)]['unprompted']['judge_fid']}", flush=True)
    metrics = {
        "sampler": "Euler, guidance 1 (the plain conditional field)",
        "n_samples_per_setting": n,
        "by_steps": rows,
        # the "flow" row is the shipped flow, which may have trained on after it taught reflow (teacher's epochs)
        "flow_epochs": pretrained.read_card("flow", root).get("epochs_done"),
        "straightness_50_steps": {name: round(path_straightness(m, min(n, 1000), seed), 4) for name, m in models.items()},
        "gan_judge_fid_same_n": gan_fid_at(n, seed, root),
        "evaluation_wall_time_s": round(time.time() - started, 1),
        "evaluation_device": device_label(),
    }
    card = pretrained.read_card("reflow", root)
    card["metrics"] = metrics
    card.pop("metrics_note", None)
    pretrained.card_path("reflow", root).write_text(json.dumps(card, indent=2) + "\n")
    print(json.dumps(metrics, indent=2))
    return metrics
