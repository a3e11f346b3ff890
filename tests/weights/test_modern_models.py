"""The shipped modern answers: reflow (few-step flow) and latent diffusion (ldm + its compressor ldm_vae).

Each card names its command and measurements; a small batch checks that the weights do what the card says."""
import json

import numpy as np
import pytest
import torch

from explainer import sample
from explainer.data.bundled import PRETRAINED_DIR, bundled_sample
from explainer.data.pixels import to_model
from explainer.evaluation.diffusion_card import class_accuracy, recommended_guidance
from explainer.evaluation.flow_card import sample_flow
from explainer.evaluation.ldm_card import LATENT_SHAPE, sample_ldm
from explainer.models import pretrained

pytestmark = pytest.mark.weights


def _card(name):
    return json.loads((PRETRAINED_DIR / f"{name}.json").read_text())


def test_reflow_card_compares_with_its_teacher_and_the_gan():
    card = _card("reflow")
    assert card["command"].startswith("python -m explainer.train reflow")
    assert card["pairs"]["n"] >= 10_000 and card["teacher"]["name"] == "flow"
    m = card["metrics"]
    assert m["n_samples_per_setting"] >= 1000 and set(m["by_steps"]["reflow"]) == {"1", "2", "4"}
    assert m["gan_judge_fid_same_n"] > 0
    # what reflow is for: straighter paths, and better pictures than its teacher at one and two steps
    assert m["straightness_50_steps"]["reflow"] < m["straightness_50_steps"]["flow"]
    for steps in ("1", "2"):
        assert m["by_steps"]["reflow"][steps]["prompted"]["judge_fid"] < m["by_steps"]["flow"][steps]["prompted"]["judge_fid"]


def test_reflow_draws_the_requested_digit_in_two_steps():
    labels = [i % 10 for i in range(100)]
    images = sample_flow(pretrained.load("reflow"), labels, seed=3, guidance=1.0, steps=2)
    assert class_accuracy(pretrained.load("judge"), images, labels) >= 0.85


def test_ldm_vae_compresses_4x_and_reconstructs_legibly():
    card = _card("ldm_vae")
    assert card["compression"]["ratio"] == 4.0 and card["latent_scale"] > 0
    vae = pretrained.load("ldm_vae")
    s = bundled_sample()
    x = to_model(s.images[:200])
    with torch.inference_mode():
        mu, _ = vae.encode(x)
        rec = vae.decode(mu)
    assert tuple(mu.shape[1:]) == LATENT_SHAPE
    assert class_accuracy(pretrained.load("judge"), rec, s.labels[:200].tolist()) >= 0.95


def test_ldm_card_and_a_small_batch_at_the_recommended_guidance():
    card = _card("ldm")
    m = card["metrics"]
    w = recommended_guidance("ldm")
    assert m["class_accuracy_by_guidance"][f"{w:g}"] >= 0.95 and m["n_samples_per_setting"] >= 1000
    assert m["step_cost"]["pixel_flops_per_image"] >= 3 * m["step_cost"]["latent_flops_per_image"]
    labels = [i % 10 for i in range(100)]
    images = sample_ldm(labels, seed=5, guidance=w, steps=20)
    assert images.shape == (100, 1, 28, 28)
    assert class_accuracy(pretrained.load("judge"), images, labels) >= 0.9


@pytest.mark.parametrize("name,flags", [("reflow", ["--steps", "1"]), ("ldm", ["--steps", "4"])])
def test_sample_cli_writes_labelled_images(tmp_path, name, flags):
    out = tmp_path / f"{name}.npz"
    sample.main([name, "--n", "12", "--seed", "1", "--label", "4", "--out", str(out), *flags])
    d = np.load(out)
    assert d["images"].shape == (12, 28, 28) and d["images"].dtype == np.uint8 and set(d["labels"]) == {4}


def test_sample_cli_refuses_a_flag_the_model_cannot_honour(tmp_path):
    with pytest.raises(SystemExit):
        sample.main(["ldm", "--n", "2", "--sampler", "heun", "--out", str(tmp_path / "x.npz")])
