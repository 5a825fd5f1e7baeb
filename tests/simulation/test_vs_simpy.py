"""Differential test: the same blueprint in this engine and in a hand-written SimPy model.

The blueprint has a two-way interaction, a parallel split and join, an exclusive choice, a role
shared by several actions, an unlimited system and a customer action running alongside the
back-office work. Both simulators run independent replications; the means must agree within
their combined 95 % intervals.
"""

from __future__ import annotations

import math
import random

import pytest

from service_blueprint import loads
from service_blueprint.simulation.model import SimOptions
from service_blueprint.simulation.replications import Estimate, simulate

simpy = pytest.importorskip("simpy")

RATE = 0.8  # cases per minute
TEXT = f"""
blueprint: 1
title: Counter with back office
roles:
  desk: {{staff: 2}}
  back: {{staff: 1}}
  printer: {{kind: system}}
demand: {{arrivals: {RATE}/min}}
steps:
  - name: Serve
    customer:
      - {{id: arrive, text: arrives}}
      - {{id: receive, text: reads the leaflet, duration: 1 min}}
    frontstage:
      - {{id: serve, text: serves, role: desk, duration: ~1 min}}
      - {{id: ok, text: confirms, role: desk, duration: 0.3 min}}
      - {{id: hand_over, text: hands over, role: desk, duration: 0.5 min}}
    backstage:
      - {{id: check, text: checks, role: back, duration: ~0.5 min}}
      - {{id: fix, text: fixes, role: back, duration: ~1 min}}
    support:
      - {{id: print, text: prints, role: printer, duration: 2 min}}
flows:
  - arrive <-> serve
  - serve -> check
  - serve -> print
  - {{from: check, to: fix, p: 0.3}}
  - {{from: check, to: ok, p: 0.7}}
  - fix -> hand_over
  - ok -> hand_over
  - print -> hand_over
  - receive <-> hand_over
"""
DAYS = 4.0
WARMUP_MIN = 600.0


def simpy_replication(seed: int) -> float:
    """Mean case time in minutes of the same model written directly in SimPy."""
    rnd = random.Random(seed)
    env = simpy.Environment()
    desk = simpy.Resource(env, capacity=2)
    back = simpy.Resource(env, capacity=1)
    times: list[float] = []

    def hold(resource, duration: float):  # type: ignore[no-untyped-def]
        with resource.request() as req:
            yield req
            yield env.timeout(duration)

    def check_branch():  # type: ignore[no-untyped-def]
        yield from hold(back, rnd.expovariate(1 / 0.5))
        if rnd.random() < 0.3:
            yield from hold(back, rnd.expovariate(1.0))
        else:
            yield from hold(desk, 0.3)

    def case():  # type: ignore[no-untyped-def]
        arrived = env.now
        yield from hold(desk, rnd.expovariate(1.0))  # serve (the customer waits: two-way)
        yield env.all_of([env.timeout(1.0), env.process(check_branch()), env.timeout(2.0)])
        yield from hold(desk, 0.5)  # hand_over
        if arrived >= WARMUP_MIN:
            times.append(env.now - arrived)

    def source():  # type: ignore[no-untyped-def]
        while True:
            yield env.timeout(rnd.expovariate(RATE))
            if env.now >= WARMUP_MIN + DAYS * 1440:
                return
            env.process(case())

    env.process(source())
    env.run()
    return sum(times) / len(times)


def test_engine_agrees_with_simpy_on_the_same_blueprint() -> None:
    ours = simulate(loads(TEXT), SimOptions(days=DAYS, warmup=WARMUP_MIN * 60, replications=6, seed=21))
    theirs = Estimate.of([simpy_replication(seed) for seed in range(6)])
    mean_ours = ours.case_mean.mean / 60
    half_ours = ours.case_mean.half_width / 60
    margin = 1.5 * math.hypot(half_ours, theirs.half_width) + 0.01 * theirs.mean
    assert abs(mean_ours - theirs.mean) <= margin, (mean_ours, half_ours, theirs)
    # The customer is held to the end (hand_over is joined to 'receive' two-way).
    assert ours.customer_mean.mean == pytest.approx(ours.case_mean.mean)
    assert ours.action("fix").runs_per_case == pytest.approx(0.3, abs=0.02)
    assert ours.role("desk").utilisation.mean == pytest.approx(RATE * (1 + 0.7 * 0.3 + 0.5) / 2, rel=0.05)
