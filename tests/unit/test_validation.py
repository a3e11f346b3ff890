import math

import gradio as gr
import pytest

from explainer.ui.validation import as_int, as_seed, friendly


@pytest.mark.parametrize("bad", [None, float("nan"), math.inf, "abc", 1.5, True, [3], -1, 10**12])
def test_as_seed_refuses_with_a_plain_message(bad):
    with pytest.raises(ValueError, match="Seed"):
        as_seed(bad)


def test_as_int_accepts_integral_values_of_any_type():
    assert as_int("12", "n", 1, 64) == 12
    assert as_int(12.0, "n", 1, 64) == 12


def test_friendly_turns_errors_into_one_line_gr_error():
    @friendly
    def boom(x):
        return as_int(x, "Count", 1, 64)

    with pytest.raises(gr.Error, match="Count must be between 1 and 64"):
        boom(10**6)

    @friendly
    def crash():
        raise RuntimeError("internal detail")

    with pytest.raises(gr.Error, match="Something went wrong") as e:
        crash()
    assert "internal detail" not in str(e.value)


def test_friendly_wraps_generators():
    @friendly
    def stream(n):
        yield 1
        raise ValueError("stopped early")

    it = stream(1)
    assert next(it) == 1
    with pytest.raises(gr.Error, match="stopped early"):
        next(it)


@pytest.mark.parametrize("bad, shown", [
    (10**400, "~10^400"),  # an int too large for float(): was "Something went wrong (OverflowError)"
    ("1" + "0" * 400, "1000000000000000000000000000000000000000…"),
    (1e308, "1e+308"),  # was echoed as all 309 digits
    ("x" * 1_000_000, "'" + "x" * 40 + "…'"),  # a megabyte is cut to what a reader can recognise
    (10**5000, "~10^5000"),  # beyond Python's own limit for str() of an int
], ids=["huge-int", "huge-digit-string", "1e308", "megabyte-string", "beyond-str-limit"])
def test_hostile_numbers_get_one_short_line(bad, shown):
    from explainer.ui.validation import Invalid, as_float, as_seed

    for check in (as_seed, lambda v: as_float(v, "Guidance w", 0, 10)):
        with pytest.raises(Invalid) as e:
            check(bad)
        assert str(e.value).endswith(f"got {shown}.") and len(str(e.value)) < 120, str(e.value)
