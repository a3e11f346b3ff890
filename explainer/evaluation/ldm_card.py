"""The numbers of the `ldm` card: latent diffusion against pixel diffusion, on the same prompts and seeds.

Measured: the share of prompted samples the judge reads as the requested digit at several guidance weights (the
smallest reaching 97% is recommended, as for `ddpm`); judge-FID and recognizability prompted (guidance 1 and the
recommended weight) and unprompted; pixel DDIM-50 (`ddpm`) on the same prompts at guidance 1 for comparison; and
the cost of one step in each space (milliseconds for a batch of 16 on the evaluating device, and parameters).
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import torch

from explainer.data.bundled import PRETRAINED_DIR
from explainer.evaluation.diffusion_card import CHUNK, class_accuracy, sample_images
from explainer.evaluation.metrics import quality_report
from explainer.maths import latent_samplers
from explainer.models import pretrained
from explainer.models.unet import parameter_count
from explainer.runtime.device import DEVICE, device_label
from explainer.runtime.seeding import generator

GUIDANCE_CANDIDATES = (1.0, 2.0, 3.0, 4.0)
LATENT_SHAPE = (4, 7, 7)


def latent_scale(root: Path = PRETRAINED_DIR) -> float:
    return float(pretrained.read_card("ldm_vae", root)["latent_scale"])


def sample_ldm(labels, seed: int, *, guidance: float, steps: int, root: Path = PRETRAINED_DIR, chunk: int = CHUNK):
    """Decoded pictures in [-1, 1] for a label per image (None: no prompt), in chunks, on CPU."""
    denoiser, vae, scale = pretrained.load("ldm", root), pretrained.load("ldm_vae", root), latent_scale(root)
    g = generator(seed, DEVICE)
    labels = list(labels)
    out = []
    for start in range(0, len(labels), chunk):
        part = [10 if v is None else int(v) for v in labels[start:start + chunk]]
        out.append(latent_samplers.final(denoiser, vae, scale, len(part), g, shape=LATENT_SHAPE, label=part,
                                         guidance=guidance, steps=steps).cpu())
    return torch.cat(out)


def flops_per_image(model, shape: tuple[int, ...]) -> int:
    """Floating-point operations of one network pass for one image (torch's FLOP counter: 2 per multiply-add)."""
    from torch.utils.flop_counter import FlopCounterMode

    with FlopCounterMode(display=False) as counter, torch.inference_mode():
        model(torch.zeros(1, *shape, device=DEVICE), torch.full((1,), 0.5, device=DEVICE), torch.zeros(1, dtype=torch.long, device=DEVICE))
    return int(counter.get_total_flops())


def decoder_flops(vae) -> int:
    from torch.utils.flop_counter import FlopCounterMode

    with FlopCounterMode(display=False) as counter, torch.inference_mode():
        vae.decode(torch.zeros(1, *LATENT_SHAPE, device=DEVICE))
    return int(counter.get_total_flops())


@torch.inference_mode()
def ms_per_step(model, shape: tuple[int, ...], batch: int = 16, reps: int = 30) -> float:
    x, t, y = torch.randn(batch, *shape, device=DEVICE), torch.full((batch,), 0.5, device=DEVICE), torch.zeros(batch, dtype=torch.long, device=DEVICE)
    for _ in range(3):
        model(x, t, y)
    if DEVICE.type == "cuda":
        torch.cuda.synchronize()
    started = time.perf_counter()
    for _ in range(reps):
        model(x, t, y)
    if DEVICE.type == "cuda":
        torch.cuda.synchronize()
    return (time.perf_counter() - started) / reps * 1000


def evaluate_card(n: int, steps: int, root: Path = PRETRAINED_DIR, seed: int = 0) -> dict:
    started = time.time()
    judge = pretrained.load("judge", root)
    labels = [i % 10 for i in range(n)]
    accuracy, reports = {}, {}
    for w in GUIDANCE_CANDIDATES:
        images = sample_ldm(labels, seed, guidance=w, steps=steps, root=root)
        accuracy[w], reports[w] = class_accuracy(judge, images, labels), quality_report(judge, images)
        print(f"guidance {w:g}: requested digit in {accuracy[w]:.2%}; judge-FID {reports[w].judge_fid:.1f}", flush=True)
    best = min((w for w in GUIDANCE_CANDIDATES if accuracy[w] >= 0.97), default=max(accuracy, key=accuracy.get))
    uncond = quality_report(judge, sample_ldm([None] * n, seed + 1, guidance=0.0, steps=steps, root=root))
    ddpm = pretrained.load("ddpm", root)
    ddim = quality_report(judge, sample_images(ddpm, labels, seed, guidance=1.0, steps=50))
    denoiser, unet = pretrained.load("ldm", root), ddpm
    cost = {
        "batch": 16,
        "latent_step_ms": round(ms_per_step(denoiser, LATENT_SHAPE), 3),
        "pixel_step_ms": round(ms_per_step(unet, (1, 28, 28)), 3),
        "latent_flops_per_image": flops_per_image(denoiser, LATENT_SHAPE),
        "pixel_flops_per_image": flops_per_image(unet, (1, 28, 28)),
        "decoder_flops_per_image": decoder_flops(pretrained.load("ldm_vae", root)),
        "latent_parameters": parameter_count(denoiser),
        "pixel_parameters": parameter_count(unet),
        "device": device_label(),
    }
    card = pretrained.read_card("ldm", root)
    card["recommended_guidance"] = best
    card["metrics"] = {
        "sampler": f"Euler, {steps} steps, in the latent; one decode",
        "n_samples_per_setting": n,
        "class_accuracy_by_guidance": {f"{w:g}": round(a, 4) for w, a in accuracy.items()},
        **{f"guided_w{w:g}": r.as_dict() for w, r in reports.items()},
        "unconditional": uncond.as_dict(),
        "pixel_ddim50_w1": ddim.as_dict(),
        "step_cost": cost,
        "evaluation_wall_time_s": round(time.time() - started, 1),
        "evaluation_device": device_label(),
    }
    card.pop("metrics_note", None)
    pretrained.card_path("ldm", root).write_text(json.dumps(card, indent=2) + "\n")
    print(json.dumps(card["metrics"], indent=2))
    return card["metrics"]
