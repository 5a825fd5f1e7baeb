"""Shared fixtures: small blueprint texts used across test modules."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

import pytest

BASE = textwrap.dedent(
    """\
    blueprint: 1
    title: Same-day bike repair
    state: current
    currency: EUR
    scenario:
      customer: Commuter with a broken bike
      start: Walks into the shop with the bike
      end: Rides the repaired bike home
      goal: Ride to work tomorrow
      tolerance: 8 h
    roles:
      counter: {name: Counter staff, department: Shop, staff: 2, cost: 28/h}
      mechanic: {name: Mechanic, department: Workshop, staff: 3, cost: 35/h, shifts: ["Mon-Fri 08:00-17:00", "Sat 09:00-13:00 x1"]}
      stock: {name: Stock system, kind: system}
    demand:
      arrivals: 4/h
      hours: Mon-Sat 09:00-18:00
      peaks: ["Sat 10:00-12:00 10/h"]
    phases:
      Drop-off: [arrive, diagnose]
    steps:
      - id: arrive
        name: Arrive
        evidence: [Shop front, Bike stand]
        customer:
          - {id: walk_in, text: Walks in with the bike, emotion: -1, channel: in person}
        frontstage:
          - {id: greet, text: Greets and asks what is wrong, role: counter, duration: 1..3 min}
      - id: diagnose
        name: Diagnose
        evidence: [Repair ticket]
        customer:
          - {id: describe, text: Describes the problem, duration: 2 min}
        frontstage:
          - id: inspect
            text: Inspects the bike with the customer
            role: mechanic
            duration: 5..8..15 min
            fail: {text: Misses a second fault, likelihood: 0.1, impact: 3, owner: mechanic, recovery: greet}
        backstage:
          - {id: check_parts, text: Checks parts in stock, role: counter, duration: 2 min}
        support:
          - {text: Stock lookup, role: stock, duration: 10 s}
    flows:
      - walk_in -> greet -> describe
      - describe <-> inspect
      - inspect -> check_parts -> stock_lookup
    """
)


@pytest.fixture
def base_text() -> str:
    return BASE


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[[list[str]], tuple[int, str, str]]:
    """Run the ``blueprint`` command in-process: (exit code, stdout, stderr)."""
    from _cli_runner import run

    return lambda argv: run(argv, capsys)
