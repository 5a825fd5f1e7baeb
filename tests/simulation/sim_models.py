"""Blueprints of textbook queueing systems, written as ordinary blueprint text.

Time unit: minutes (service rate 1 per minute unless told otherwise), so the closed forms below
are in minutes and the simulator's seconds are divided by 60.
"""

from __future__ import annotations

import math

from service_blueprint import Blueprint, loads


def chain(servers: tuple[int, ...], rate_per_min: float, durations: tuple[str, ...], extra: str = "") -> Blueprint:
    """Support actions ``a0 -> a1 -> ...``, action k done by role ``r{k}`` with ``servers[k]`` staff."""
    roles = "\n".join(f"  r{k}: {{staff: {c}}}" for k, c in enumerate(servers))
    acts = "\n".join(
        f"      - {{id: a{k}, text: station {k}, role: r{k}, duration: {durations[k]}}}" for k in range(len(servers)))
    flows = f"flows:\n  - {' -> '.join(f'a{k}' for k in range(len(servers)))}\n" if len(servers) > 1 else ""
    return loads(
        f"blueprint: 1\ntitle: Network\nroles:\n{roles}\ndemand: {{arrivals: {rate_per_min}/min}}\n"
        f"steps:\n  - name: S\n    support:\n{acts}\n{flows}{extra}"
    )


def erlang_c(c: int, a: float) -> float:
    """Probability of waiting in M/M/c with offered load ``a`` (textbook sum, small c)."""
    top = a ** c / math.factorial(c) * c / (c - a)
    return top / (sum(a ** k / math.factorial(k) for k in range(c)) + top)


def mmc_wait(c: int, lam: float, mu: float = 1.0) -> float:
    """Mean wait in queue of M/M/c."""
    return erlang_c(c, lam / mu) / (c * mu - lam)


def jackson_tandem(servers: tuple[int, ...], lam: float, mu: float = 1.0) -> float:
    """Mean time in an open tandem of M/M/c stations (Jackson): the sum of the sojourns."""
    return sum(mmc_wait(c, lam, mu) + 1 / mu for c in servers)


