"""Every model family on the same request (a digit or none, a seed, a count): pictures, network evaluations,
measured time, the judge's verdicts and the judge-FID from each model's card.

GAN and VAE take no prompt. Asked for a digit, they can only be *filtered*: draw batches until the judge
reads the requested digit n times (or a budget runs out), and report how many draws that took. The
diffusion and flow models are steered by the prompt with classifier-free guidance at their cards' weights. The
reflowed flow runs 2 Euler steps at guidance 1 (its teacher's guidance is baked into its training pairs); latent
diffusion runs its steps on a 4 x 7 x 7 latent and decodes once.
"""
from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import torch

from explainer.maths import flow_samplers as fs
from explainer.maths import latent_samplers
from explainer.models import pretrained
from explainer.maths import diffusion_samplers as samplers
from explainer.data.bundled import PRETRAINED_DIR
from explainer.data.pixels import to_uint8
from explainer.maths.diffusion import make_schedule
from explainer.maths.steps import drain
from explainer.evaluation.verdicts import judge_verdicts
from explainer.models.autoencoder import sample_prior
from explainer.models.judge import NOT_A_DIGIT
from explainer.evaluation.diffusion_card import recommended_guidance
from explainer.runtime.device import DEVICE
from explainer.runtime.seeding import generator
from explainer.runtime.problems import Problem

MAX_N = 8
FILTER_BATCH = 64
FILTER_BUDGET = 1024  # draws per unconditional model when a digit is requested
DDIM_STEPS, FLOW_STEPS, REFLOW_STEPS, LATENT_STEPS = 50, 10, 2, 20
LATENT_SHAPE = (4, 7, 7)


@dataclass(frozen=True)
class CardFid:
    """The judge-FID a model's card holds for the kind of request a row made (the tab words it)."""
    value: float | None  # None: the card has no such number (or there is no card)
    n: int = 0  # samples it was measured on
    request: str = "unprompted"  # "prompted" (at `guidance`), "unprompted", "prior" (the VAE's N(0, I) points)
    guidance: float | None = None
    sampler: str = ""  # as the card names it ("DDIM, 50 steps, eta 1"); empty for GAN and VAE


@dataclass(frozen=True)
class Entry:
    family: str  # "GAN", "VAE", "DDPM", "DDIM", "Flow", "Reflow", "Latent"
    images: np.ndarray  # uint8 (n', 28, 28), n' <= n when filtering ran out of budget
    verdicts: list[str]  # the judge's reading of each picture
    hits: int  # pictures the judge reads as the request (a digit, or any digit when none was asked)
    draws: int  # pictures generated to get these (> n only when filtering)
    nfe: int  # network evaluations per generated picture
    ms: float
    fid: CardFid  # judge-FID from the model's card for this kind of request
    steps: int | None = None  # sampler steps, for the families that take steps
    solver: str | None = None  # the flow's ODE solver
    guidance: float | None = None  # w, when a digit was requested from a guided model


def available(root=PRETRAINED_DIR) -> list[str]:
    """Which families can run: the shipped weights decide."""
    have = {name for name in ("gan", "vae", "ddpm", "flow", "reflow", "ldm") if (root / f"{name}.safetensors").exists()}
    if not (root / "ldm_vae.safetensors").exists():
        have.discard("ldm")
    return [family for family, name in FAMILY_MODEL.items() if name in have]


FAMILY_MODEL = {"GAN": "gan", "VAE": "vae", "DDPM": "ddpm", "DDIM": "ddpm", "Flow": "flow", "Reflow": "reflow",
                "Latent": "ldm"}


def latent_scale() -> float:
    return float(pretrained.read_card("ldm_vae")["latent_scale"])


def card_fid(name: str, label: int | None = None, guidance: float | None = None) -> CardFid:
    """The card's judge-FID for the request: prompted at this guidance when the card measured that setting, else
    its unprompted one (GAN and VAE take no prompt: their samples', the VAE's from its prior)."""
    try:
        m = pretrained.read_card(name).get("metrics") or {}
    except FileNotFoundError:
        return CardFid(None)
    if name == "gan":
        return CardFid(m["judge_fid"], m["n_samples"]) if "judge_fid" in m else CardFid(None)
    if name == "vae":
        p = m.get("prior_samples", {})
        return CardFid(p["judge_fid"], p["n_samples"], "prior") if "judge_fid" in p else CardFid(None)
    if name == "reflow" and "by_steps" in m:
        rows, sampler = m["by_steps"]["reflow"][str(REFLOW_STEPS)], f"Euler, {REFLOW_STEPS} steps"
        if label is not None:
            return CardFid(rows["prompted"]["judge_fid"], rows["prompted"]["n_samples"], "prompted", 1.0, sampler)
        return CardFid(rows["unprompted"]["judge_fid"], rows["unprompted"]["n_samples"], "unprompted", None, sampler)
    guided = m.get(f"guided_w{guidance:g}") if label is not None and guidance is not None else None
    if guided and "judge_fid" in guided:
        return CardFid(guided["judge_fid"], guided["n_samples"], "prompted", guidance, m["sampler"])
    if "unconditional" in m:
        return CardFid(m["unconditional"]["judge_fid"], m["unconditional"]["n_samples"], "unprompted", None, m["sampler"])
    return CardFid(None)


def _unconditional(name: str, n: int, g: torch.Generator) -> torch.Tensor:
    model = pretrained.load(name)
    with torch.inference_mode():
        if name == "gan":
            return model.generate(model.sample_z(n, g))
        return model.decode(sample_prior(n, model.cfg.latent_dim, g))


def _filtered(family: str, name: str, label: int | None, n: int, seed: int) -> Entry:
    """Unconditional draws, kept when the judge agrees with the request (no request: the first n)."""
    g, kept, verdicts, draws, hits = generator(seed, DEVICE), [], [], 0, 0
    started = time.perf_counter()
    while len(kept) < n and draws < (FILTER_BUDGET if label is not None else n):
        batch = _unconditional(name, n if label is None else FILTER_BATCH, g)
        draws += len(batch)
        v = judge_verdicts(batch)
        for i, (img, lab) in enumerate(zip(batch, v.labels)):
            if len(kept) < n and (label is None or lab == label):
                kept.append(img)
                verdicts.append(v.text(i))
                hits += int(lab == label if label is not None else lab < NOT_A_DIGIT)
    images = to_uint8(torch.stack(kept)) if kept else np.zeros((0, 28, 28), np.uint8)
    return Entry(family, images, verdicts, hits, draws, 1, (time.perf_counter() - started) * 1000, card_fid(name, label))


def _guided(family: str, label: int | None, n: int, seed: int) -> Entry:
    name = FAMILY_MODEL[family]
    model, g = pretrained.load(name), generator(seed, DEVICE)
    w = recommended_guidance(name) if label is not None else 0.0
    if family == "Reflow" and label is not None:
        w = 1.0  # the teacher's guidance is in its pairs; w = 1 is one pass a step
    started = time.perf_counter()
    if family in ("Flow", "Reflow"):
        count = FLOW_STEPS if family == "Flow" else REFLOW_STEPS
        steps = fs.progressive(model, n, g, label=label, guidance=w, solver="euler", steps=count)
        solver = "Euler"
    elif family == "Latent":
        steps = latent_samplers.progressive(model, n, g, shape=LATENT_SHAPE, label=label, guidance=w, steps=LATENT_STEPS)
        solver, count = "Euler", LATENT_STEPS
    else:
        solver = None
        sampler, count = ("ddpm", 1000) if family == "DDPM" else ("ddim", DDIM_STEPS)
        steps = samplers.progressive(model, n, make_schedule("linear"), g, label=label, guidance=w, sampler=sampler,
                                     steps=count)
    last = drain(steps)
    x = last.x_t.clamp(-1, 1)
    if family == "Latent":  # one decode at the end
        x = latent_samplers.decode(pretrained.load("ldm_vae"), last.x_t, latent_scale())
    ms = (time.perf_counter() - started) * 1000
    v = judge_verdicts(x)
    hits = int((v.labels == label).sum()) if label is not None else int((v.labels < NOT_A_DIGIT).sum())
    verdicts = [v.text(i) for i in range(len(v.labels))]
    fid = card_fid(name, label, w if label is not None else None)
    return Entry(family, to_uint8(x), verdicts, hits, n, last.nfe, ms, fid, steps=count, solver=solver,
                 guidance=w if label is not None else None)


def compare(label: int | None, seed: int, n: int, families: list[str]) -> Iterator[Entry]:
    """One Entry per family, as each finishes (the slow ones last is the caller's choice of order)."""
    if label is not None and not 0 <= label <= 9:
        raise Problem("COMPARE_REQUEST", label=label)
    if not 1 <= n <= MAX_N:
        raise Problem("COMPARE_PICTURES", hi=MAX_N, n=n)
    unknown = set(families) - set(available())
    if unknown:
        raise Problem("COMPARE_UNAVAILABLE", unknown=", ".join(sorted(unknown)), available=", ".join(available()))
    for family in families:
        if family in ("GAN", "VAE"):
            yield _filtered(family, family.lower(), label, n, seed)
        else:
            yield _guided(family, label, n, seed)
