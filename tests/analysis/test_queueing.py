"""Erlang B/C against published values and an independent textbook computation."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service_blueprint.queueing import (
    erlang_b,
    erlang_c,
    mean_queue_length,
    mean_wait,
    min_servers,
    offered_load,
    prob_wait_within,
)


def textbook_erlang_c(c: int, a: Fraction) -> float:
    """The closed formula with exact rationals: a^c/c! · c/(c-a) over the full sum."""
    top = a**c / math.factorial(c) * Fraction(c) / (c - a)
    bottom = sum((a**k / math.factorial(k) for k in range(c)), Fraction(0)) + top
    return float(top / bottom)


def log_space_erlang_c(c: int, a: float) -> float:
    """Reference for large c: terms in log space, summed with log-sum-exp."""
    logs = [k * math.log(a) - math.lgamma(k + 1) for k in range(c)]
    top = c * math.log(a) - math.lgamma(c + 1) + math.log(c / (c - a))
    m = max(*logs, top)
    total = sum(math.exp(x - m) for x in logs) + math.exp(top - m)
    return math.exp(top - m) / total


def test_published_call_centre_value() -> None:
    # 100 calls/h, 3 min handling, 6 agents: P(wait) = 0.5875 (the reference value).
    lam = 100 / 60  # per minute
    assert offered_load(lam, 3) == pytest.approx(5)
    assert erlang_c(6, 5) == pytest.approx(0.5875, abs=5e-5)
    # Mean wait C·s/(c-a) = 0.5875 · 3 / 1 min; within 20 s: 1 - C·e^{-(2 - 5/3)/3}.
    assert mean_wait(6, lam, 3) == pytest.approx(0.58752 * 3, rel=1e-4)
    assert prob_wait_within(6, lam, 3, 1 / 3) == pytest.approx(1 - 0.5875164 * math.exp(-1 / 9), rel=1e-6)
    assert mean_queue_length(6, lam, 3) == pytest.approx(lam * mean_wait(6, lam, 3))


def test_erlang_b_table_values() -> None:
    # Erlang B tables: B(10, 5 E) = 0.01838; B(1, a) = a / (1 + a); B(0, a) = 1.
    assert erlang_b(10, 5) == pytest.approx(0.018385, abs=1e-6)
    assert erlang_b(1, 3) == pytest.approx(0.75)
    assert erlang_b(0, 3) == 1.0


def test_mm1_special_case() -> None:
    # One server: P(wait) = ρ and Wq = ρ / (μ - λ).
    assert erlang_c(1, 0.7) == pytest.approx(0.7)
    assert mean_wait(1, 0.7, 1.0) == pytest.approx(0.7 / 0.3)
    assert erlang_c(2, 1) == pytest.approx(1 / 3)


@given(st.integers(1, 40), st.fractions(min_value=Fraction(1, 10), max_value=Fraction(399, 10)))
def test_matches_textbook_formula(c: int, a: Fraction) -> None:
    if a >= c:
        assert erlang_c(c, float(a)) == 1.0
    else:
        assert erlang_c(c, float(a)) == pytest.approx(textbook_erlang_c(c, a), rel=1e-9)


def test_stable_for_thousands_of_servers() -> None:
    # a**c / c! overflows a float long before this; the recursion does not.
    for c, a in [(2000, 1950.0), (20000, 19900.0)]:
        value = erlang_c(c, a)
        assert 0 < value < 1
        assert value == pytest.approx(log_space_erlang_c(c, a), rel=1e-8)


def test_unstable_and_empty_queues() -> None:
    assert erlang_c(3, 3.0) == 1.0
    assert mean_wait(3, 4, 1) == math.inf
    assert mean_queue_length(3, 4, 1) == math.inf
    assert prob_wait_within(3, 4, 1, 10) == 0.0
    assert erlang_c(3, 0) == 0.0
    assert mean_wait(3, 0, 1) == 0.0
    assert prob_wait_within(0, 0, 1, 0) == 1.0
    assert min_servers(0, 5) == 0


def test_min_servers_is_the_smallest_meeting_the_target() -> None:
    # 360 calls per 30 min of 240 s (48 Erlangs), 80 % within 20 s.
    lam, s = 360 / 1800, 240.0
    c = min_servers(lam, s, 0.8, 20)
    assert prob_wait_within(c, lam, s, 20) >= 0.8
    assert prob_wait_within(c - 1, lam, s, 20) < 0.8
    assert c == 54
    # With no time allowance the target is "80 % do not wait at all".
    c0 = min_servers(lam, s, 0.8, 0)
    assert 1 - erlang_c(c0, 48) >= 0.8 > 1 - erlang_c(c0 - 1, 48)
    # Tiny loads still need one server; a big load needs about a + k·sqrt(a).
    assert min_servers(0.001, 1, 0.8, 0) == 1
    big = min_servers(9000, 1, 0.8, 0.01)
    assert 9000 < big < 9000 + 5 * math.sqrt(9000)


@given(st.floats(0.01, 200), st.floats(0.01, 3), st.floats(0.05, 0.99), st.floats(0, 2))
def test_min_servers_property(lam: float, s: float, target: float, within: float) -> None:
    c = min_servers(lam, s, target, within)
    assert prob_wait_within(c, lam, s, within) >= target
    if c > math.floor(lam * s) + 1:
        assert prob_wait_within(c - 1, lam, s, within) < target


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: erlang_b(-1, 1), "negative"),
        (lambda: erlang_b(1, -1), "offered load"),
        (lambda: offered_load(-1, 1), "arrival rate"),
        (lambda: offered_load(1, math.nan), "service time"),
        (lambda: min_servers(1, 1, 1.0), "strictly between"),
        (lambda: min_servers(1, 1, 0.8, -1), "negative"),
        (lambda: prob_wait_within(1, 1, 1, -1), "negative"),
        (lambda: min_servers(1e9, 1, 0.8, 0, limit=10), "no head count"),
    ],
)
def test_bad_arguments(call, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=message):
        call()
