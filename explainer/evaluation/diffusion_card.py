"""Many diffusion samples at once, and the judge's verdict on them (the numbers of the `ddpm` model card).

`evaluate_card` measures, with DDIM: the share of prompted samples the judge reads as the requested digit
(at several guidance weights, to pick the recommended one), unconditional recognizability and judge-FID, and
the GAN's judge-FID from its card for comparison. It writes them, with their sample counts, into the card.
"""
from __future__ import annotations

import functools
import json
import time
from pathlib import Path

import torch

from explainer.models import pretrained
from explainer.maths import diffusion_samplers as samplers
from explainer.data.bundled import PRETRAINED_DIR
from explainer.maths.diffusion import make_schedule
from explainer.evaluation.metrics import judge_outputs, quality_report
from explainer.runtime.device import DEVICE, device_label
from explainer.runtime.seeding import generator

CHUNK = 250
GUIDANCE_CANDIDATES = (1.0, 3.0)
DEFAULT_GUIDANCE = 3.0  # used until a card names a measured one


def _recommended(key: str, default: float, name: str, root: Path) -> float:
    try:
        return float(pretrained.read_card(name, root).get(key, default))
    except FileNotFoundError:
        return default


def recommended_guidance(name: str = "ddpm", root: Path = PRETRAINED_DIR) -> float:
    return _recommended("recommended_guidance", DEFAULT_GUIDANCE, name, root)


def recommended_eta(name: str = "ddpm", root: Path = PRETRAINED_DIR) -> float:
    """The DDIM eta the card's numbers were measured with (0, deterministic, for cards that do not say)."""
    return _recommended("recommended_eta", 0.0, name, root)


def sample_images(model, labels, seed: int, *, guidance: float, sampler: str = "ddim", steps: int = 50,
                  eta: float = 0.0, chunk: int = CHUNK) -> torch.Tensor:
    """Final images in [-1, 1] (N, 1, 28, 28) for a label per image (None or 10: no prompt), in chunks, on CPU."""
    g = generator(seed, DEVICE)
    schedule = make_schedule("linear")
    labels = list(labels)
    out = []
    for start in range(0, len(labels), chunk):
        part = [samplers.NULL_CLASS if v is None else int(v) for v in labels[start:start + chunk]]
        out.append(samplers.final(model, len(part), schedule, g, label=part, guidance=guidance, sampler=sampler,
                                  steps=steps, eta=eta).cpu())
    return torch.cat(out)


def class_accuracy(judge, images: torch.Tensor, labels) -> float:
    """Share of images the judge labels as the digit they were asked to be."""
    probs, _ = judge_outputs(judge, images)
    return float((probs.argmax(1) == torch.as_tensor(list(labels))).float().mean())


def evaluate_card(name: str, n: int, steps: int, root: Path = PRETRAINED_DIR, seed: int = 0, *, sample=None,
                  sampler: str | None = None, extra=None, eta: float = 0.0) -> dict:
    """Measure n prompted samples (digits 0-9 in turn) per candidate guidance and n unconditional ones, and
    write them into the card. `sample(model, labels, seed, guidance=, steps=)` defaults to DDIM with `eta`;
    `extra()` adds family-specific rows (the flow card's FID by step count)."""
    if sample is None:
        sample = functools.partial(sample_images, eta=eta)
    model, judge = pretrained.load(name, root), pretrained.load("judge", root)
    labels = [i % 10 for i in range(n)]
    started = time.time()
    accuracy, reports = {}, {}
    for w in GUIDANCE_CANDIDATES:
        images = sample(model, labels, seed, guidance=w, steps=steps)
        accuracy[w], reports[w] = class_accuracy(judge, images, labels), quality_report(judge, images)
        print(f"guidance {w:g}: requested digit in {accuracy[w]:.2%} of {n}; {reports[w].as_dict()}", flush=True)
    best = min((w for w in GUIDANCE_CANDIDATES if accuracy[w] >= 0.97), default=max(accuracy, key=accuracy.get))
    uncond = quality_report(judge, sample(model, [None] * n, seed + 1, guidance=0.0, steps=steps))
    card = pretrained.read_card(name, root)
    card["recommended_guidance"] = best
    if sampler is None:  # measured with DDIM at this eta
        card["recommended_eta"] = eta
    card["metrics"] = {
        "sampler": sampler or f"DDIM, {steps} steps, eta {eta:g}",
        "n_samples_per_setting": n,
        "class_accuracy_by_guidance": {f"{w:g}": round(a, 4) for w, a in accuracy.items()},
        "unconditional": uncond.as_dict(),
        **{f"guided_w{w:g}": r.as_dict() for w, r in reports.items()},
        "gan_judge_fid_10000": _gan_fid(root),
        "gan_judge_fid_same_n": gan_fid_at(n, seed, root),
        **(extra() if extra else {}),
        "evaluation_wall_time_s": round(time.time() - started, 1),
        "evaluation_device": device_label(),
    }
    card.pop("metrics_note", None)
    pretrained.card_path(name, root).write_text(json.dumps(card, indent=2) + "\n")
    print(json.dumps(card["metrics"], indent=2))
    return card["metrics"]


def gan_fid_at(n: int, seed: int, root: Path = PRETRAINED_DIR) -> float | None:
    """The GAN's judge-FID on n samples: FID grows as n shrinks, so compare models at the same n."""
    try:
        gan = pretrained.load("gan", root)
    except FileNotFoundError:
        return None
    with torch.inference_mode():
        images = gan.generate(gan.sample_z(n, generator(seed, DEVICE))).cpu()
    return round(quality_report(pretrained.load("judge", root), images).judge_fid, 3)


def _gan_fid(root: Path) -> float | None:
    try:
        return pretrained.read_card("gan", root)["metrics"]["judge_fid"]
    except (FileNotFoundError, KeyError, TypeError):
        return None
