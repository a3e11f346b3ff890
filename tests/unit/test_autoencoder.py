"""The autoencoder family without trained weights: shapes, the reparameterization, the KL formula, training steps."""
import argparse

import pytest
import torch

from explainer.models import pretrained
from explainer.data.bundled import bundled_sample
from explainer.data.pixels import to_model
from explainer.models.autoencoder import VAE, Autoencoder, AutoencoderConfig, kl, reparameterize, sample_prior, to_fitted
from explainer.runtime.seeding import generator
from explainer.trainers.autoencoder import fitted_gaussian, loss_terms, pixel_bce, pixel_errors


@pytest.mark.parametrize("name, cls", [("ae", Autoencoder), ("vae", VAE)])
def test_shapes_and_range(name, cls):
    model = pretrained.build(name)
    assert isinstance(model, cls) and model.cfg.latent_dim == 2
    x = torch.rand(5, 1, 28, 28, generator=generator(0, "cpu")) * 2 - 1
    z = model.encode(x)
    assert z.shape == (5, 2)
    y = model.decode(z)
    assert y.shape == (5, 1, 28, 28)
    assert y.min() >= -1 and y.max() <= 1


def test_both_families_share_encoder_and_decoder_shapes():
    ae, vae = Autoencoder(), VAE()
    ae_shapes = {k: v.shape for k, v in ae.state_dict().items()}
    vae_shapes = {k: v.shape for k, v in vae.state_dict().items()}
    assert ae_shapes.keys() == vae_shapes.keys()
    differing = [k for k in ae_shapes if ae_shapes[k] != vae_shapes[k]]
    # Only the last encoder layer differs: the VAE outputs mu and logvar (2 x latent_dim).
    assert differing == ["encoder.net.7.weight", "encoder.net.7.bias"]
    assert vae_shapes["encoder.net.7.weight"][0] == 2 * ae_shapes["encoder.net.7.weight"][0]


def test_vae_stats_and_forward():
    vae = VAE(AutoencoderConfig(latent_dim=3))
    x = torch.zeros(4, 1, 28, 28)
    mu, logvar = vae.encode_stats(x)
    assert mu.shape == logvar.shape == (4, 3)
    recon, mu2, _ = vae(x, generator(1, "cpu"))
    assert recon.shape == x.shape and torch.equal(mu, mu2)
    assert torch.equal(vae.encode(x), mu)


def test_reparameterization_statistics():
    n = 200_000
    mu = torch.tensor([[1.5, -2.0]]).expand(n, 2)
    logvar = torch.log(torch.tensor([[0.25, 4.0]])).expand(n, 2)
    z = reparameterize(mu, logvar, generator(0, "cpu"))
    assert torch.allclose(z.mean(0), torch.tensor([1.5, -2.0]), atol=0.02)
    assert torch.allclose(z.std(0), torch.tensor([0.5, 2.0]), rtol=0.01)


def test_reparameterization_is_seeded_and_differentiable():
    mu = torch.zeros(3, 2, requires_grad=True)
    logvar = torch.zeros(3, 2, requires_grad=True)
    a = reparameterize(mu, logvar, generator(5, "cpu"))
    b = reparameterize(mu, logvar, generator(5, "cpu"))
    assert torch.equal(a, b)
    a.sum().backward()
    assert torch.allclose(mu.grad, torch.ones_like(mu))  # dz/dmu = 1
    assert logvar.grad.abs().sum() > 0  # gradient reaches sigma through eps


def test_kl_matches_torch_distributions():
    g = generator(2, "cpu")
    mu, logvar = torch.randn(16, 2, generator=g), torch.randn(16, 2, generator=g)
    q = torch.distributions.Normal(mu, torch.exp(0.5 * logvar))
    p = torch.distributions.Normal(torch.zeros_like(mu), torch.ones_like(mu))
    expected = torch.distributions.kl_divergence(q, p).sum(1)
    assert torch.allclose(kl(mu, logvar), expected, atol=1e-5)
    assert torch.allclose(kl(torch.zeros(1, 2), torch.zeros(1, 2)), torch.zeros(1))


def test_prior_samples_are_standard_normal():
    z = sample_prior(100_000, 2, generator(3, "cpu"))
    assert z.shape == (100_000, 2)
    assert z.mean(0).abs().max() < 0.02 and (z.std(0) - 1).abs().max() < 0.02


def test_loss_terms_and_pixel_errors():
    x = torch.full((2, 1, 28, 28), -1.0)
    assert torch.allclose(pixel_errors(x, torch.ones_like(x)), torch.full((2,), 784.0))  # black vs white: 1 per pixel
    ae_rec, ae_kl = loss_terms(Autoencoder(), x, generator(0, "cpu"), "mse")
    vae_rec, vae_kl = loss_terms(VAE(), x, generator(0, "cpu"))
    assert ae_rec.shape == vae_rec.shape == (2,)
    assert torch.equal(ae_kl, torch.zeros(2)) and (vae_kl > 0).all()


def test_binary_cross_entropy_is_the_bernoulli_likelihood_of_the_ink():
    x = torch.tensor([-1.0, 1.0, 0.0]).view(1, 1, 1, 3)  # ink 0, 1 and 0.5
    x_hat = torch.tensor([0.0, 0.0, 0.0]).view(1, 1, 1, 3)  # every pixel predicted as ink 0.5
    assert torch.allclose(pixel_bce(x, x_hat), torch.tensor([3 * torch.log(torch.tensor(2.0)).item()]), atol=1e-5)
    sure = pixel_bce(x[..., :2], torch.tensor([-1.0, 1.0]).view(1, 1, 1, 2))  # tanh's limits: clamped, still finite
    assert torch.isfinite(sure).all() and sure.item() < 1e-4


def test_fitted_gaussian_points_have_the_fitted_moments():
    g = generator(4, "cpu")
    codes = torch.randn(50_000, 2, generator=g) @ torch.tensor([[3.0, 0.0], [1.0, 0.5]]) + torch.tensor([4.0, -2.0])
    f = fitted_gaussian(codes)
    z = to_fitted(sample_prior(100_000, 2, g), torch.tensor(f["mean"]), torch.tensor(f["cov"]))
    assert torch.allclose(z.mean(0), torch.tensor(f["mean"]), atol=0.05)
    assert torch.allclose(torch.cov(z.T), torch.tensor(f["cov"]), rtol=0.03, atol=0.02)
    flat = to_fitted(torch.randn(10, 2, generator=g), torch.zeros(2), torch.zeros(2, 2))  # a collapsed code: one point
    assert torch.equal(flat, torch.zeros(10, 2))


def test_prior_verdict_says_what_the_numbers_show():
    from explainer.lessons.autoencoder import prior_verdict

    def report(rec, fid):
        return {"recognizability": rec, "judge_fid": fid}

    ahead = prior_verdict({"ae": report(0.4, 400), "vae": report(0.9, 150), "ae_fitted": report(0.85, 200)})
    assert ahead.key == "VAE_AHEAD" and ahead.recognizability_ratio == pytest.approx(2.25) and ahead.fitted_close
    closer = prior_verdict({"ae": report(0.7, 400), "vae": report(0.9, 150), "ae_fitted": report(0.6, 380)})
    assert closer.key == "VAE_CLOSER" and not closer.fitted_close
    assert prior_verdict({"ae": report(0.7, 100), "vae": report(0.9, 150), "ae_fitted": report(0.6, 380)}).key == "AE_AHEAD"
    assert prior_verdict({"ae": report(0.0, 900), "vae": report(0.9, 150), "ae_fitted": report(0.0, 900)}).key == "VAE_AHEAD"


@pytest.mark.parametrize("name", ["ae", "vae"])
def test_a_few_training_steps_lower_the_loss(name):
    torch.manual_seed(0)
    model = pretrained.build(name, {"width": 8, "hidden": 32})
    x = to_model(bundled_sample().images[::80])  # 32 real digits
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    g = generator(0, "cpu")
    losses = []
    for _ in range(30):
        rec, kld = loss_terms(model, x, g)
        loss = (rec + 0.1 * kld).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.8 * losses[0]


def test_recipes_are_registered():
    from explainer.train import RECIPES, parse

    assert RECIPES["ae"] == RECIPES["vae"] == "autoencoder"
    args = parse(["vae"])
    assert isinstance(args, argparse.Namespace) and args.beta == 1.0 and args.epochs >= 1 and args.loss == "bce"
    assert not hasattr(parse(["ae"]), "beta") and parse(["ae", "--loss", "mse"]).loss == "mse"


def test_latent_map_figure_is_what_plotly_validation_makes():
    """plots.latent_map skips plotly's validation for speed: validating its dict must change nothing."""
    import json

    import numpy as np
    import plotly.graph_objects as go

    from explainer.draw import plots

    z = np.random.default_rng(0).normal(size=(40, 2)).astype(np.float32)
    fig = plots.latent_map(z, np.arange(40) % 10, "title", {"you": (np.float32(0.5), -1)})
    assert json.loads(go.Figure(fig.to_dict()).to_json()) == json.loads(fig.to_json())  # raises on a misspelt key
