"""Schedules and q_sample against diffusers' DDPMScheduler (an independent implementation), plus the
statistics the forward tab promises: t = 0 leaves the picture alone, t = 1 is N(0, 1), and many small
steps land on the same distribution as the closed-form jump."""
import numpy as np
import pytest
import torch
from diffusers import DDPMScheduler
from scipy import stats

from explainer.maths import flow
from explainer.data.bundled import bundled_sample
from explainer.data.pixels import to_model
from explainer.maths.diffusion import KINDS, make_schedule, noise_steps, q_sample

from tests.conftest import refused

T = 1000
DIFFUSERS_NAME = {"linear": "linear", "cosine": "squaredcos_cap_v2"}


def _reference(kind: str) -> DDPMScheduler:
    return DDPMScheduler(num_train_timesteps=T, beta_schedule=DIFFUSERS_NAME[kind])


def _digits(n: int = 4) -> torch.Tensor:
    return to_model(bundled_sample().images[:n])


@pytest.mark.parametrize("kind", ["linear", "cosine"])
def test_betas_and_alpha_bar_match_diffusers(kind):
    ours, ref = make_schedule(kind, T), _reference(kind)
    torch.testing.assert_close(ours.betas, ref.betas, atol=1e-6, rtol=0)
    # Our index k is diffusers' timestep k - 1; k = 0 is the untouched picture.
    assert ours.alpha_bar[0] == 1.0
    torch.testing.assert_close(ours.alpha_bar[1:], ref.alphas_cumprod, atol=1e-6, rtol=0)
    torch.testing.assert_close(ours.noise[1:], (1 - ref.alphas_cumprod).sqrt(), atol=1e-6, rtol=0)


@pytest.mark.parametrize("kind", ["linear", "cosine"])
def test_q_sample_matches_diffusers_add_noise(kind):
    ours, ref = make_schedule(kind, T), _reference(kind)
    g = torch.Generator().manual_seed(0)
    x0 = _digits(8)
    eps = torch.randn(x0.shape, generator=g)
    steps = torch.tensor([0, 1, 9, 99, 250, 500, 998, 999])  # diffusers' timesteps
    expected = ref.add_noise(x0, eps, steps)
    got = q_sample(x0, (steps + 1).double() / T, eps, ours)  # one t per item
    torch.testing.assert_close(got, expected, atol=1e-6, rtol=0)
    for i, step in enumerate(steps.tolist()):  # one t for the batch, torch and numpy alike
        torch.testing.assert_close(q_sample(x0[i], (step + 1) / T, eps[i], ours), expected[i], atol=1e-6, rtol=0)
        np.testing.assert_allclose(q_sample(x0[i].numpy(), (step + 1) / T, eps[i].numpy(), ours),
                                   expected[i].numpy(), atol=1e-6, rtol=0)


@pytest.mark.parametrize("kind", ["linear", "cosine"])
def test_small_steps_are_ddpm_steps(kind):
    s = make_schedule(kind, T)
    r, sigma = s.step_coefficients()
    torch.testing.assert_close(r, s.alphas.sqrt(), atol=1e-6, rtol=0)
    torch.testing.assert_close(sigma, s.betas.sqrt(), atol=1e-5, rtol=0)


def test_flow_schedule_is_the_straight_path():
    s = make_schedule("flow", T)
    x0, eps = _digits(3), torch.randn(3, 1, 28, 28, generator=torch.Generator().manual_seed(1))
    for t in (0.0, 0.25, 0.5, 0.999, 1.0):
        torch.testing.assert_close(q_sample(x0, t, eps, s), flow.straight_path(x0, eps, t), atol=1e-6, rtol=0)
    assert s.betas is None and float(s.signal[T]) == 0.0 and float(s.noise[T]) == 1.0


@pytest.mark.parametrize("kind", KINDS)
def test_schedule_shape_and_monotone_log_snr(kind):
    s = make_schedule(kind, T)
    assert s.signal.shape == s.noise.shape == (T + 1,)
    snr = s.log_snr()
    assert snr[0] == float("inf")
    assert (snr[1:-1].diff() < 0).all(), "noise must only ever grow with t"
    if kind != "flow":  # variance preserving: a^2 + s^2 = 1
        torch.testing.assert_close(s.signal**2 + s.noise**2, torch.ones(T + 1), atol=1e-6, rtol=0)


@pytest.mark.parametrize("kind", KINDS)
def test_t0_leaves_the_picture_unchanged(kind):
    x0 = _digits(2)
    eps = torch.randn(x0.shape, generator=torch.Generator().manual_seed(2))
    assert torch.equal(q_sample(x0, 0.0, eps, make_schedule(kind, T)), x0)


@pytest.mark.parametrize("kind", KINDS)
def test_t1_pixels_are_standard_normal(kind):
    s = make_schedule(kind, T)
    x0 = _digits(4)  # 3,136 pixels, most of them -1: very far from normal
    eps = torch.randn(x0.shape, generator=torch.Generator().manual_seed(3))
    end = q_sample(x0, 1.0, eps, s).flatten().numpy()
    assert stats.normaltest(end).pvalue > 0.01
    assert stats.kstest(end, "norm").pvalue > 0.01
    # The same test does notice a picture that is only partly noised.
    middle = q_sample(x0, 0.3, eps, s).flatten().numpy()
    assert stats.kstest(middle, "norm").pvalue < 1e-6


@pytest.mark.parametrize("kind, k", [("linear", 150), ("cosine", 400), ("flow", 600)])
def test_step_by_step_matches_the_closed_form_jump(kind, k):
    s = make_schedule(kind, T)
    x0 = _digits(1).flatten().repeat(300, 1)  # the same digit, 300 independent noisings
    one = q_sample(x0, k / T, torch.randn(x0.shape, generator=torch.Generator().manual_seed(4)), s)
    chain = noise_steps(x0.clone(), 0, k, s, torch.Generator().manual_seed(5))
    a, sd = float(s.signal[k]), float(s.noise[k])
    for x in (one, chain):
        c = float((x * x0).sum() / (x0 * x0).sum())  # share of x0 kept
        assert abs(c - a) < 0.01
        assert abs(float((x - a * x0).std()) - sd) < 0.01
        # Per pixel, across the 300 samples: mean a * x0 and std s (the whole distribution, not one average).
        assert float((x.mean(0) - a * x0[0]).abs().mean()) < 0.1 * sd
        assert float((x.std(0) - sd).abs().mean()) < 0.1 * sd
    assert stats.ks_2samp(one.flatten().numpy(), chain.flatten().numpy()).pvalue > 0.001
    assert not torch.allclose(one, chain), "different noise must give different pixels"


def test_numpy_chain_equals_torch_chain():
    s = make_schedule("cosine", T)
    x0 = _digits(1)[0, 0]
    a = noise_steps(x0.clone(), 0, 50, s, torch.Generator().manual_seed(6))
    b = noise_steps(x0.numpy().copy(), 0, 50, s, torch.Generator().manual_seed(6))
    np.testing.assert_allclose(a.numpy(), b, atol=1e-6)


def test_bad_arguments_are_refused():
    with refused("schedule must be one of"):
        make_schedule("quadratic")
    with refused("T must be"):
        make_schedule("linear", 0)
    s = make_schedule("linear", T)
    for bad in (-0.1, 1.5, float("nan")):
        with refused("t must lie between 0"):
            s.index(bad)
    with refused("steps must satisfy"):
        noise_steps(torch.zeros(3), 5, 2, s, torch.Generator())
