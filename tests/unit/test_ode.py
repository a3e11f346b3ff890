"""The ODE integrators against analytic velocity fields whose exact solutions are known (as
facebookresearch/flow_matching tests its solvers): a constant field, a linear one (exponential solution),
the straight flow-matching path itself, and Heun's second-order convergence."""
import math

import pytest
import torch

from explainer.maths import ode

from tests.conftest import refused


def test_time_grid_runs_from_noise_to_data():
    assert ode.time_grid(4) == [1.0, 0.75, 0.5, 0.25, 0.0]
    assert ode.time_grid(2, 0.5, 0.0) == [0.5, 0.25, 0.0]
    for bad in [(0,), (3, 0.2, 0.5), (3, 1.5, 0.0)]:
        with pytest.raises(ValueError):
            ode.time_grid(*bad)


@pytest.mark.parametrize("method", ode.METHODS)
def test_a_constant_field_lands_exactly(method):
    """v = c from t = 1 to 0: x(0) = x(1) - c, exactly, at any step count."""
    c = torch.tensor([0.5, -2.0])
    x1 = torch.tensor([[1.0, 1.0], [0.0, 3.0]])
    for steps in (1, 3, 10):
        x0 = ode.integrate(lambda x, t: c.expand_as(x), x1, ode.time_grid(steps), method)
        torch.testing.assert_close(x0, x1 - c)


@pytest.mark.parametrize("method", ode.METHODS)
def test_the_straight_path_field_brings_noise_to_its_data_point(method):
    """For one data point a, the flow-matching velocity along x_t = (1 - t) a + t eps is (x - a) / t; any
    noise sample must then travel in a straight line onto a. Start just below t = 1 to stay away from t = 0."""
    a = torch.tensor([2.0, -1.0])
    field = lambda x, t: (x - a) / t  # noqa: E731
    eps = torch.randn(5, 2, generator=torch.Generator().manual_seed(0))
    steps = list(ode.solver(method)(field, eps, ode.time_grid(8, 1.0, 0.125)))
    end = steps[-1].x
    torch.testing.assert_close(end, 0.875 * a + 0.125 * eps)  # x_t at t = 1/8, exactly (the field is linear in t)
    assert steps[-1].t == pytest.approx(0.125)


def _error(method: str, steps: int) -> float:
    """v = x from t = 1 to 0: x(0) = x(1) e^{-1}."""
    x1 = torch.tensor([[1.0]], dtype=torch.float64)
    x0 = ode.integrate(lambda x, t: x, x1, ode.time_grid(steps), method)
    return abs(float(x0) - math.exp(-1))


def test_euler_is_first_order():
    ratios = [_error("euler", n) / _error("euler", 2 * n) for n in (20, 40, 80)]
    assert all(1.8 < r < 2.2 for r in ratios), ratios


def test_heun_is_second_order_and_beats_euler():
    ratios = [_error("heun", n) / _error("heun", 2 * n) for n in (10, 20, 40)]
    assert all(3.7 < r < 4.3 for r in ratios), ratios
    assert _error("heun", 10) < _error("euler", 10) / 20


def test_a_time_dependent_field():
    """v = 2t (scalar): x(0) = x(1) - 1; Heun integrates a linear-in-t field exactly, Euler does not."""
    x1 = torch.zeros(1, dtype=torch.float64)
    field = lambda x, t: torch.full_like(x, 2 * t)  # noqa: E731
    assert float(ode.integrate(field, x1, ode.time_grid(3), "heun")) == pytest.approx(-1.0, abs=1e-12)
    assert float(ode.integrate(field, x1, ode.time_grid(4), "euler")) == pytest.approx(-1.25)  # left sums overshoot


def test_steps_report_time_and_evaluations():
    e = list(ode.euler(lambda x, t: x, torch.ones(2), ode.time_grid(5)))
    h = list(ode.heun(lambda x, t: x, torch.ones(2), ode.time_grid(5)))
    assert [s.index for s in e] == [1, 2, 3, 4, 5] and e[-1].t == 0.0
    assert [s.nfe for s in e] == [1, 2, 3, 4, 5] and [s.nfe for s in h] == [2, 4, 6, 8, 10]


def test_bad_grids_and_methods_are_refused():
    with refused("decrease"):
        list(ode.euler(lambda x, t: x, torch.ones(1), [0.0, 1.0]))
    with refused("decrease"):
        list(ode.heun(lambda x, t: x, torch.ones(1), [1.0]))
    with refused("method"):
        ode.integrate(lambda x, t: x, torch.ones(1), [1.0, 0.0], "rk4")
