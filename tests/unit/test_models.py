import math

import torch

from explainer.models.gan import GAN, GANConfig, discriminator_loss, generator_loss
from explainer.models.judge import Judge, JudgeConfig
from explainer.runtime.seeding import generator

from tests.conftest import refused


def test_judge_shapes():
    j = Judge(JudgeConfig()).eval()
    x = torch.rand(3, 1, 28, 28) * 2 - 1
    assert j(x).shape == (3, 11)
    assert j.features(x).shape == (3, JudgeConfig().feature_dim)


def test_gan_shapes_and_range():
    gan = GAN(GANConfig()).eval()
    z = gan.sample_z(5, generator(0, "cpu"))
    x = gan.generate(z)
    assert z.shape == (5, 64) and x.shape == (5, 1, 28, 28)
    assert x.min() >= -1 and x.max() <= 1
    assert gan.realness(x).shape == (5,)


def test_gan_same_seed_same_images_other_seed_different():
    torch.manual_seed(0)
    gan = GAN(GANConfig()).eval()
    a = gan.generate(gan.sample_z(4, generator(7, "cpu")))
    b = gan.generate(gan.sample_z(4, generator(7, "cpu")))
    c = gan.generate(gan.sample_z(4, generator(8, "cpu")))
    assert torch.equal(a, b)
    assert not torch.allclose(a, c)


def test_gan_losses_match_the_bce_formulas():
    real, fake = torch.tensor([2.0, -1.0]), torch.tensor([0.5, -3.0])
    d_x, d_gz = torch.sigmoid(real), torch.sigmoid(fake)
    expected_d = (-torch.log(d_x)).mean() + (-torch.log(1 - d_gz)).mean()
    assert torch.allclose(discriminator_loss(real, fake), expected_d)
    assert torch.allclose(generator_loss(fake), (-torch.log(d_gz)).mean())


def test_gan_losses_at_equilibrium():
    """When D says 1/2 to everything: L_D = 2 ln 2, L_G = ln 2 (the values the UI explains)."""
    zero = torch.zeros(10)
    assert math.isclose(discriminator_loss(zero, zero).item(), 2 * math.log(2), rel_tol=1e-6)
    assert math.isclose(generator_loss(zero).item(), math.log(2), rel_tol=1e-6)


def test_seed_out_of_range_is_refused():
    import pytest

    with refused("seed"):
        generator(-1)
    with refused("seed"):
        generator(2**31)
