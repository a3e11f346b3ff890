"""The rectified-flow samplers against velocity fields whose solutions are known in closed form."""
import math

import pytest
import torch

from explainer.maths import flow_samplers as fs
from explainer.maths.steps import drain
from explainer.models.unet import NULL_CLASS

from tests.conftest import refused


class Field(torch.nn.Module):
    """A 'network' that returns a fixed velocity field v(x, t, y)."""

    def __init__(self, fn):
        super().__init__()
        self.fn, self.calls = fn, 0

    def forward(self, x, t, y):
        self.calls += 1
        return self.fn(x, t.view(-1, 1, 1, 1), y.view(-1, 1, 1, 1).float())


def g(seed=0):
    return torch.Generator().manual_seed(seed)


@pytest.mark.parametrize("solver", fs.SOLVERS)
def test_constant_field_lands_exactly(solver):
    x1 = fs.start_state(3, g())
    out = list(fs.progressive(Field(lambda x, t, y: torch.full_like(x, 0.25)), 3, g(), solver=solver, steps=4))
    assert torch.allclose(out[-1].x_t, x1 - 0.25, atol=1e-6)  # x_0 = x_1 - integral of v over [0, 1]


@pytest.mark.parametrize("steps", [1, 7])
def test_euler_follows_the_straight_path_to_a_point_mass_in_any_number_of_steps(steps):
    m = 0.3  # data = one point; the exact flow field of the straight path is (x - m) / t
    out = list(fs.progressive(Field(lambda x, t, y: (x - m) / t), 2, g(), solver="euler", steps=steps))
    assert torch.allclose(out[-1].x_t, torch.full_like(out[-1].x_t, m), atol=1e-5)
    assert torch.allclose(out[0].x0, torch.full_like(out[0].x0, m), atol=1e-5)  # x - t v names the data at once


def test_heun_is_second_order_and_euler_first_order():
    x1 = fs.start_state(2, g())
    exact = x1 * math.exp(-1)  # dx/dt = x from t = 1 to 0

    def error(solver, steps):
        return float((fs.final(Field(lambda x, t, y: x), 2, g(), solver=solver, steps=steps) - exact.clamp(-1, 1)).abs().max())

    def error_unclamped(solver, steps):
        last = drain(fs.progressive(Field(lambda x, t, y: x), 2, g(), solver=solver, steps=steps)).x_t
        return float((last - exact).abs().max())

    assert 1.8 < error_unclamped("euler", 10) / error_unclamped("euler", 20) < 2.2
    assert 3.6 < error_unclamped("heun", 10) / error_unclamped("heun", 20) < 4.4
    assert error_unclamped("heun", 10) < error_unclamped("euler", 10) / 10
    assert error("heun", 50) < 1e-3


def test_guidance_mixes_velocities_and_counts_evaluations():
    field = Field(lambda x, t, y: torch.where(y == NULL_CLASS, torch.zeros_like(x), torch.ones_like(x)))
    x1 = fs.start_state(2, g())
    steps = list(fs.progressive(field, 2, g(), label=4, guidance=3.0, solver="heun", steps=5))
    assert torch.allclose(steps[-1].x_t, x1 - 3.0, atol=1e-5)  # v = 0 + 3 (1 - 0)
    assert steps[-1].nfe == 5 * 2 * 2 and field.calls == 10  # Heun: 2 per step, guidance: a doubled batch
    assert [s.k for s in steps] == [4, 3, 2, 1, 0] and steps[-1].t == 0.0
    plain = list(fs.progressive(field, 2, g(), label=None, guidance=3.0, solver="euler", steps=5))
    assert plain[-1].nfe == 5  # no prompt: only the unconditional pass


def test_sdedit_start_and_bad_settings():
    x = torch.zeros(1, 1, 28, 28)
    start = fs.start_state(4, g(), x_start=x, t_start=0.5)
    assert 0.4 < float(start.std()) < 0.6  # (1 - t) * 0 + t * eps
    for kwargs in [dict(solver="rk4"), dict(steps=0), dict(steps=fs.MAX_STEPS + 1), dict(guidance=-1)]:
        with pytest.raises(ValueError):
            list(fs.progressive(Field(lambda x, t, y: x), 1, g(), **kwargs))
    with refused("needs a picture"):
        fs.start_state(1, g(), t_start=0.5)
