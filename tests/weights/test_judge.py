"""Judge v3 (the v2 recipe of issue 21): soft digits are digits, junk is "not a digit". The issue's bars, on the card (10,000 test digits)
and again live on the bundled 2,500 (3 binomial standard deviations of slack)."""
import math

import pytest
import torch

from explainer.data.bundled import bundled_sample
from explainer.data.junk import make_junk
from explainer.data.pixels import to_model
from explainer.data.softening import brighten, gaussian_blur, lower_contrast
from explainer.evaluation.metrics import judge_outputs
from explainer.models import pretrained
from explainer.models.judge import NOT_A_DIGIT
from explainer.runtime.seeding import generator

pytestmark = pytest.mark.weights
# (what is done to the test digits, the share that must still read as their own digit)
SOFT_BARS = [("blur 1.0 px", lambda x: gaussian_blur(x, 1.0), 0.95),
             ("blur 1.5 px", lambda x: gaussian_blur(x, 1.5), 0.85),
             ("contrast halved", lambda x: lower_contrast(x, 0.5), 0.95),
             ("brightened by 0.15", lambda x: brighten(x, 0.15), 0.95)]


def _slack(bar: float, n: int) -> float:
    return 3 * math.sqrt(bar * (1 - bar) / n)


def _predictions(x01: torch.Tensor) -> torch.Tensor:
    return judge_outputs(pretrained.load("judge"), x01.unsqueeze(1) * 2 - 1)[0].argmax(1)


def test_card_is_judge_v3_and_meets_every_bar():
    card = pretrained.read_card("judge")
    m = card["metrics"]
    assert card["version"] == 3
    assert m["test_accuracy"] >= 0.993
    table = {r["sigma_px"]: r for r in m["calibration_blur_px"]}
    assert table[1.0]["read_correctly"] >= 0.95 and table[1.5]["read_correctly"] >= 0.85
    assert m["contrast_halved_read_correctly"] >= 0.95 and m["brightened_0.15_read_correctly"] >= 0.95
    assert m["junk_labelled_not_a_digit"] >= 0.98 and m["uniform_noise_labelled_not_a_digit"] >= 0.98
    # the table runs from crisp to melted: heavy blur is junk, and more blur is never read better past 1.5 px
    assert table[0.0]["read_correctly"] >= 0.99 and table[4.0]["not_a_digit"] >= 0.9
    reads = [table[s]["read_correctly"] for s in sorted(table) if s >= 1.5]
    assert reads == sorted(reads, reverse=True)


@pytest.mark.parametrize("what,soften,bar", SOFT_BARS, ids=[b[0] for b in SOFT_BARS])
def test_softened_test_digits_still_read_as_their_digit(what, soften, bar):
    s = bundled_sample()
    x = to_model(s.images)[:, 0].add(1).div(2)
    read = float((_predictions(soften(x)) == torch.as_tensor(s.labels)).float().mean())
    assert read >= bar - _slack(bar, len(x)), what


def test_junk_and_noise_are_not_digits():
    s = bundled_sample()
    g = generator(5, "cpu")
    junk = make_junk(2000, g, to_model(s.images), torch.as_tensor(s.labels))
    noise = torch.rand(1000, 28, 28, generator=g)
    for name, x in (("junk", junk[:, 0].add(1).div(2)), ("noise", noise)):
        share = float((_predictions(x) == NOT_A_DIGIT).float().mean())
        assert share >= 0.98 - _slack(0.98, len(x)), name


def test_a_digit_melted_by_3_px_of_blur_is_not_a_digit():
    x = to_model(bundled_sample().images[::5])[:, 0].add(1).div(2)
    assert float((_predictions(gaussian_blur(x, 3.0)) == NOT_A_DIGIT).float().mean()) >= 0.8
