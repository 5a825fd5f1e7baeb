from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service_blueprint.quantities import CostRate, Duration, Rate, fmt_seconds


@pytest.mark.parametrize(
    ("text", "dist", "mean"),
    [
        ("30 s", "fixed", 30),
        ("5 min", "fixed", 300),
        ("1.5 h", "fixed", 5400),
        ("2 d", "fixed", 172800),
        ("2..5 min", "uniform", 210),
        ("2..4..9 min", "triangular", 300),
        ("~5 min", "exponential", 300),
        ("1 h 30 min", "fixed", 5400),
        ("5min", "fixed", 300),
        ("10 seconds", "fixed", 10),
    ],
)
def test_duration_text_forms(text: str, dist: str, mean: float) -> None:
    d = Duration.parse(text)
    assert d.dist == dist
    assert d.mean == pytest.approx(mean)


def test_duration_mappings() -> None:
    d = Duration.parse({"dist": "lognormal", "mean": "10 min", "sd": "4 min"})
    assert (d.dist, d.mean, d.variance) == ("lognormal", 600, 240**2)
    e = Duration.parse({"dist": "empirical", "values": [3, 4, 5], "unit": "min"})
    assert e.mean == 240 and e.low == 180
    g = Duration.parse({"dist": "empirical", "values": ["30 s", "1 min"]})
    assert g.mean == 45
    t = Duration.parse({"dist": "triangular", "min": "1 min", "mode": "2 min", "max": "6 min"})
    assert t.mean == 180


def test_triangular_variance_matches_formula() -> None:
    d = Duration.parse("2..4..9 min")
    a, c, b = 120, 240, 540
    assert d.variance == pytest.approx((a * a + b * b + c * c - a * b - a * c - b * c) / 18)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("5", "needs a unit"),
        (5, "needs a unit"),
        ("5 mn", "cannot read"),
        ("5..2 min", "min <= max"),
        ("1..5..3 min", "min <= mode <= max"),
        ("~1..2 min", "one mean"),
        ("~0 min", "above zero"),
        (True, "expected a duration"),
        ({"dist": "weibull"}, "'dist' must be"),
        ({"dist": "lognormal", "mean": "5 min"}, "needs sd"),
        ({"dist": "empirical", "values": []}, "non-empty"),
        ({"dist": "empirical", "values": [1, 2]}, "need 'unit'"),
        ({"dist": "normal", "mean": "5 min", "sd": "1 min", "x": 1}, "unknown key"),
    ],
)
def test_duration_errors_are_readable(value: object, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        Duration.parse(value)


@given(
    st.sampled_from(["s", "min", "h", "d"]),
    st.lists(st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False), min_size=1, max_size=3),
    st.booleans(),
)
def test_duration_text_round_trip(unit: str, numbers: list, exp: bool) -> None:
    nums = sorted(float(n) for n in numbers)
    if exp:
        if nums[0] <= 0:
            return
        text = f"~{nums[0]:g} {unit}"
    else:
        text = "..".join(f"{n:g}" for n in nums) + f" {unit}"
    d = Duration.parse(text)
    again = Duration.parse(d.to_data())
    assert again == d
    assert math.isfinite(d.mean)


def test_rates() -> None:
    assert Rate.parse("4/h").per_hour == 4
    assert Rate.parse("30/d").per_hour == pytest.approx(1.25)
    assert Rate.parse("120/week").per_hour == pytest.approx(120 / 168)
    r = Rate.parse("~12 min")
    assert r.per_hour == pytest.approx(5) and r.to_data() == "~12 min"
    assert Rate.parse("4 per h").per_hour == 4
    with pytest.raises(ValueError, match="needs a period"):
        Rate.parse(4)
    with pytest.raises(ValueError, match="cannot read"):
        Rate.parse("lots")


def test_costs() -> None:
    assert CostRate.parse("28/h").per_hour == 28
    assert CostRate.parse(35).per_hour == 35 and str(CostRate.parse(35)) == "35/h"
    assert CostRate.parse("0.5/min").per_hour == 30
    with pytest.raises(ValueError):
        CostRate.parse("28/d")
    with pytest.raises(ValueError):
        CostRate.parse(-1)


def test_fmt_seconds() -> None:
    assert fmt_seconds(45) == "45 s"
    assert fmt_seconds(750) == "12.5 min"
    assert fmt_seconds(3 * 3600) == "3 h"
    assert fmt_seconds(3 * 86400) == "3 d"
