import math

import numpy as np
import pytest
import torch
from scipy import linalg

from explainer.evaluation import metrics


def _random_cov(rng, d):
    a = rng.normal(size=(d, d))
    return a @ a.T / d + 0.1 * np.eye(d)


def test_frechet_distance_matches_scipy_sqrtm_reference():
    rng = np.random.default_rng(0)
    d = 16
    mu1, mu2 = rng.normal(size=d), rng.normal(size=d)
    c1, c2 = _random_cov(rng, d), _random_cov(rng, d)
    covmean = linalg.sqrtm(c1 @ c2).real
    reference = ((mu1 - mu2) ** 2).sum() + np.trace(c1 + c2 - 2 * covmean)
    assert metrics.frechet_distance(mu1, c1, mu2, c2) == pytest.approx(reference, rel=1e-6)


def test_frechet_distance_of_identical_gaussians_is_zero():
    rng = np.random.default_rng(1)
    c = _random_cov(rng, 8)
    mu = rng.normal(size=8)
    assert abs(metrics.frechet_distance(mu, c, mu, c)) < 1e-8


def test_recognizability_counts_confident_digits_only():
    probs = torch.tensor([
        [0.95] + [0.005] * 10,  # confident 0
        [0.5, 0.5] + [0.0] * 9,  # unsure
        [0.0] * 10 + [1.0],  # confident "not a digit": not recognized
        [0.0] * 9 + [0.9, 0.1],  # exactly at the threshold
    ])
    assert metrics.recognizability(probs) == pytest.approx(0.5)


def test_histogram_and_entropy():
    labels = torch.tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10])
    probs = torch.nn.functional.one_hot(labels, 11).float()
    hist = metrics.class_histogram(probs)
    assert hist.tolist() == [1] * 10 + [2]
    assert metrics.digit_entropy(hist) == pytest.approx(math.log(10))
    assert metrics.digit_entropy(np.array([5] + [0] * 10)) == 0.0
    assert metrics.digit_entropy(np.array([0] * 10 + [7])) == 0.0
