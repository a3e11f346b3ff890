"""Benchmark sections of the modern answers (reflow, latent diffusion) and of the 2-D lab's playground;
bench.py registers and prints them."""
from __future__ import annotations

from timing import timings


def bench_modern(repeat: int) -> dict:
    """The modern answers: reflow at 1, 2 and 4 Euler steps and the GAN's one pass, 16 pictures each; one latent
    step against one pixel step at batch 16 (the 3x-cheaper target); the flow tab's and autoencoder tab's handlers."""
    import torch

    from explainer.evaluation import ldm_card
    from explainer.evaluation.flow_card import sample_flow
    from explainer.maths import flow_samplers as fs
    from explainer.models import pretrained
    from explainer.runtime.device import DEVICE
    from explainer.runtime.seeding import generator
    from explainer.ui import latent_section as ae_tab
    from explainer.ui.tabs import flow as flow_tab

    rows, labels = {}, [i % 10 for i in range(16)]
    gan = pretrained.load("gan")

    def gan_pass():
        with torch.inference_mode():
            gan.generate(gan.sample_z(16, generator(0, DEVICE)))

    rows["GAN one pass x16"] = timings(gan_pass, repeat)
    for steps in (1, 2, 4):
        r = timings(lambda k=steps: sample_flow(pretrained.load("reflow"), labels, 0, guidance=1.0, steps=k), repeat)
        rows[f"reflow Euler {steps} x16"] = r
        rows[f"reflow {steps} steps vs GAN (time ratio)"] = r | {"ratio": r["p50_ms"] / rows["GAN one pass x16"]["p50_ms"]}
    latent = timings(lambda: ldm_card.ms_per_step(pretrained.load("ldm"), ldm_card.LATENT_SHAPE, reps=1), repeat)
    pixel = timings(lambda: ldm_card.ms_per_step(pretrained.load("flow"), fs.PIXELS, reps=1), repeat)
    rows["latent step x16 (ldm pass)"] = latent
    rows["pixel step x16 (flow UNet pass)"] = pixel
    rows["pixel step / latent step (ratio, target >= 3)"] = pixel | {"ratio": pixel["p50_ms"] / latent["p50_ms"]}
    few = max(2, repeat // 10)
    rows["flow_reflow 6 pictures (handler, uncached)"] = timings(lambda: flow_tab.reflow_steps.__wrapped__("5", 1, 6), few)
    rows["latent_diffusion 20 steps + pixel flow (handler, uncached)"] = timings(
        lambda: ae_tab.latent_diffusion.__wrapped__("3", 1, 20), few)
    return rows


def bench_playground(repeat: int) -> dict:
    """The 2-D lab's playground: 100 training iterations of each model, one drawn frame (GAN: with its three
    views), the discriminator's heat map alone, and one guidance view (the conditional model already trained)."""
    from explainer.lessons.lab import guidance, playground
    from explainer.lessons.lab import reports as lab_reports
    from explainer.ui import lab_guidance, lab_playground

    toy, rows = lab_reports.dataset("ring", 0, ""), {}
    for kind in playground.KINDS:
        run = playground.start(playground.Knobs(kind=kind, total=10**4), toy, 0)
        rows[f"playground {kind}: 100 iterations"] = timings(lambda r=run: r.advance(100), repeat) | {"target_ms": 1000}
        rows[f"playground {kind}: one frame drawn"] = timings(lambda r=run: lab_playground.frame(r, 0.0), repeat) | {"target_ms": 500}
    gan = playground.start(playground.Knobs(kind="gan"), toy, 0)
    rows["playground GAN: D heat map"] = timings(gan.belief, repeat) | {"target_ms": 300}
    guidance.model(toy, 0)
    rows["guidance view: three arrows + density"] = timings(lambda: lab_guidance.draw(toy, 0, 3, 3.0, 0.5), repeat) | {"target_ms": 300}
    return rows
