"""Closed-form M/M/c results: Erlang B and C, waiting times, and staffing to a service level.

Analysis sizes staff with these formulas and the simulator is checked against them, so both use
this one module. Every function takes the arrival rate and the mean service time in the *same*
time unit (per hour and hours, or per second and seconds); waits come back in that unit.

Erlang C is computed through the Erlang B recursion ``B(k) = a·B(k-1) / (k + a·B(k-1))``, whose
terms stay in [0, 1], so it is exact to rounding for thousands of servers where the textbook
formula with ``a**c / c!`` overflows.
"""

from __future__ import annotations

import math

__all__ = [
    "erlang_b",
    "erlang_c",
    "mean_queue_length",
    "mean_wait",
    "min_servers",
    "offered_load",
    "prob_wait_within",
]


def _check_servers(servers: int) -> None:
    if servers < 0:
        raise ValueError("the number of servers cannot be negative")


def _check_rate(arrival_rate: float, service_time: float) -> None:
    if not (math.isfinite(arrival_rate) and arrival_rate >= 0):
        raise ValueError("the arrival rate must be finite and not negative")
    if not (math.isfinite(service_time) and service_time >= 0):
        raise ValueError("the mean service time must be finite and not negative")


def offered_load(arrival_rate: float, service_time: float) -> float:
    """Traffic in Erlangs, ``a = λ·s``: the average number of servers kept busy."""
    _check_rate(arrival_rate, service_time)
    return arrival_rate * service_time


def erlang_b(servers: int, load: float) -> float:
    """Blocking probability of M/M/c/c (Erlang's loss formula) with ``load`` Erlangs offered."""
    _check_servers(servers)
    if load < 0 or not math.isfinite(load):
        raise ValueError("the offered load must be finite and not negative")
    b = 1.0
    for k in range(1, servers + 1):
        b = load * b / (k + load * b)
    return b


def _erlang_c_from_b(servers: int, load: float, b: float) -> float:
    if load >= servers:
        return 1.0
    return servers * b / (servers - load * (1.0 - b))


def erlang_c(servers: int, load: float) -> float:
    """Probability that an arrival must wait in M/M/c (Erlang C); 1 when ``load >= servers``.

    Published check: 100 calls/h of 3 min each (5 Erlangs) on 6 agents wait with
    probability 0.5875.
    """
    if load == 0:
        return 0.0
    return _erlang_c_from_b(servers, load, erlang_b(servers, load))


def mean_wait(servers: int, arrival_rate: float, service_time: float) -> float:
    """Mean time in queue (``C·s / (c - a)``); ``inf`` when the queue grows without bound."""
    a = offered_load(arrival_rate, service_time)
    if a == 0:
        return 0.0
    if a >= servers:
        return math.inf
    return erlang_c(servers, a) * service_time / (servers - a)


def mean_queue_length(servers: int, arrival_rate: float, service_time: float) -> float:
    """Mean number waiting (Little's law on :func:`mean_wait`); ``inf`` when unstable."""
    w = mean_wait(servers, arrival_rate, service_time)
    return math.inf if math.isinf(w) else arrival_rate * w


def prob_wait_within(servers: int, arrival_rate: float, service_time: float, within: float) -> float:
    """Share of arrivals that start service within ``within``: ``1 - C·exp(-(c·μ - λ)·t)``.

    This is the call-centre "service level" (e.g. 80 % answered within 20 s); 0 when unstable.
    """
    if within < 0:
        raise ValueError("the time limit cannot be negative")
    a = offered_load(arrival_rate, service_time)
    if a == 0:
        return 1.0
    if a >= servers:
        return 0.0
    c = erlang_c(servers, a)
    mu = 1.0 / service_time
    return 1.0 - c * math.exp(-(servers * mu - arrival_rate) * within)


def min_servers(
    arrival_rate: float, service_time: float, target: float = 0.8, within: float = 0.0, limit: int = 1_000_000
) -> int:
    """The smallest ``c`` such that a share ``target`` of arrivals wait no longer than ``within``.

    Starts at the smallest stable ``c`` and walks up while extending the Erlang B recursion, so
    it costs O(c) whatever the load. 0 when nothing arrives. ``limit`` guards against a target
    that only an absurd head count could meet (``ValueError``).
    """
    if not 0 < target < 1:
        raise ValueError("the service-level target is a share strictly between 0 and 1, e.g. 0.8")
    if within < 0:
        raise ValueError("the time limit cannot be negative")
    a = offered_load(arrival_rate, service_time)
    if a == 0:
        return 0
    mu = 1.0 / service_time
    b = 1.0
    c = 0
    first = math.floor(a) + 1  # smallest stable head count
    while c < limit:
        c += 1
        b = a * b / (c + a * b)
        if c < first:
            continue
        pc = _erlang_c_from_b(c, a, b)
        if 1.0 - pc * math.exp(-(c * mu - arrival_rate) * within) >= target:
            return c
    raise ValueError(f"no head count up to {limit} meets the service level")
