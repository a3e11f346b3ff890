"""The shipped rectified-flow model: an honest card, the requested digit in few Euler steps, the sample CLI."""
import json

import pytest

from explainer.models import pretrained
from explainer.data.bundled import PRETRAINED_DIR
from explainer.evaluation.flow_card import sample_flow
from explainer.evaluation.diffusion_card import class_accuracy, recommended_guidance

pytestmark = pytest.mark.weights


def test_card_names_its_measurements():
    card = json.loads((PRETRAINED_DIR / "flow.json").read_text())
    assert card["command"].startswith("python -m explainer.train flow")
    assert card["schedule"] == {"kind": "rectified_flow", "prediction": "velocity"}
    m = card["metrics"]
    assert m["sampler"].startswith("Euler") and m["n_samples_per_setting"] >= 500
    fid = m["judge_fid_by_steps"]
    assert set(fid["flow"]) == set(fid["ddim"]) == {"5", "10", "20", "50"} and fid["n_samples"] >= 500
    free = m["unprompted_judge_fid_by_steps"]  # the unprompted comparison, at 10 steps among others
    assert "10" in free["flow"] and "10" in free["ddim_eta0"] and "10" in free["ddim_eta1"] and free["n_samples"] >= 500
    assert 1e6 * 0.9 <= card["parameters"] <= 2e6


def test_ten_euler_steps_draw_the_requested_digit():
    labels = [i % 10 for i in range(100)]
    images = sample_flow(pretrained.load("flow"), labels, seed=7, guidance=recommended_guidance("flow"), steps=10)
    assert images.shape == (100, 1, 28, 28)
    assert class_accuracy(pretrained.load("judge"), images, labels) >= 0.95


def test_sample_cli_function_honours_its_flags():
    from explainer.sample import Request, generate

    a, labels = generate("flow", Request(4, 3, label=2, steps=3, guidance=2.0, sampler="heun"))
    b, _ = generate("flow", Request(4, 3, label=2, steps=3, guidance=2.0, sampler="heun"))
    c, _ = generate("flow", Request(4, 3, label=2, steps=3, guidance=2.0, sampler="euler"))
    assert a.shape == (4, 28, 28) and a.dtype.name == "uint8" and (labels == 2).all()
    assert (a == b).all() and (a != c).any()  # deterministic; the solver matters
    with pytest.raises(ValueError):
        generate("flow", Request(2, 0, label=12))
    with pytest.raises(ValueError):
        generate("flow", Request(2, 0, sampler="ddim"))
