"""The engine follows ``semantics.Plan``: run frequencies and, without queues, the same times.

With no limited role nothing queues, so a simulated case is exactly a case of
``semantics.sample_paths`` (given waits added as delays): the run frequency of every action and
the mean customer and case times must agree within sampling error.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from service_blueprint import loads
from service_blueprint.semantics import compile_plan, run_probabilities, sample_paths
from service_blueprint.simulation.model import SimOptions
from service_blueprint.simulation.replications import simulate

FLOWS = """
blueprint: 1
title: Flows
scenario: {tolerance: 40 min}
roles:
  clerk: {kind: system}
  back: {kind: system}
demand: {arrivals: 30/h}
steps:
  - name: Ask
    customer:
      - {id: ask, text: asks, duration: 1..3 min}
      - {id: extra, text: asks for extras, duration: 2 min, p: 0.3}
      - {id: leave, text: leaves, duration: 1 min}
    frontstage:
      - {id: answer, text: answers, role: clerk, duration: ~4 min}
    backstage:
      - {id: check, text: checks, role: back, duration: 2..6 min, wait: 5 min}
      - {id: fix, text: fixes, role: back, duration: ~10 min, repeat: 0.2}
      - {id: file, text: files, role: back, duration: 3 min}
      - {id: note, text: notes, role: back, duration: 1 min}
    support:
      - {id: log, text: logs, role: clerk, duration: 10 s}
flows:
  - ask <-> answer
  - answer -> check
  - {from: check, to: fix, p: 0.35}
  - {from: check, to: file, p: 0.65}
  - fix -> note
  - file -> note
  - answer -> log
  - extra -> log
  - note -> leave
"""


@pytest.fixture(scope="module")
def flows_result():  # type: ignore[no-untyped-def]
    bp = loads(FLOWS)
    return bp, simulate(bp, SimOptions(days=20, warmup=0, replications=3, seed=3))


def test_run_frequencies_match_sample_paths(flows_result) -> None:  # type: ignore[no-untyped-def]
    bp, result = flows_result
    plan = compile_plan(bp)
    expected = run_probabilities(plan, np.random.default_rng(1), 40_000)
    for i, action_id in enumerate(plan.ids):
        got = result.action(action_id).runs_per_case
        assert got == pytest.approx(expected[i], abs=0.02), action_id
    assert result.action("fix").runs_per_case == pytest.approx(0.35, abs=0.02)
    assert result.action("extra").runs_per_case == pytest.approx(0.3, abs=0.02)
    assert result.action("note").runs_per_case == pytest.approx(1.0)


def test_without_queues_times_match_sample_paths(flows_result) -> None:  # type: ignore[no-untyped-def]
    bp, result = flows_result
    paths = sample_paths(compile_plan(bp), np.random.default_rng(2), 60_000)
    for est, values in ((result.customer_mean, paths.customer_time), (result.case_mean, paths.case_time)):
        exact = float(values.mean())
        sem = float(values.std()) / math.sqrt(values.size)
        assert abs(est.mean - exact) <= 1.5 * est.half_width + 3 * sem, (est, exact)
    share = float((paths.customer_time <= 40 * 60).mean())
    assert result.within_tolerance.mean == pytest.approx(share, abs=0.02)
    # the given wait of 'check' (no limited role) is a pure delay of 5 min before it starts
    assert result.action("check").delay == pytest.approx(300.0)
    assert result.action("check").wait.mean == 0.0


def test_rework_counts_executions_and_holds_the_unit(flows_result) -> None:  # type: ignore[no-untyped-def]
    _, result = flows_result
    fix = result.action("fix")
    assert fix.runs_per_case == pytest.approx(0.35, abs=0.02)
    assert fix.executions_per_case / fix.runs_per_case == pytest.approx(1 / (1 - 0.2), rel=0.03)
    assert result.action("file").executions_per_case == result.action("file").runs_per_case


def test_customer_time_ends_with_the_customer_and_case_time_with_the_work() -> None:
    text = """
blueprint: 1
title: Hand-over
roles: {back: {staff: 5}}
demand: {arrivals: 1/h}
steps:
  - name: S
    customer: [{id: drop, text: drops off, duration: 2 min}]
    backstage: [{id: work, text: works, role: back, duration: 30 min}]
flows: [drop -> work]
"""
    result = simulate(loads(text), SimOptions(days=5, warmup=0, replications=2, seed=1))
    assert result.customer_mean.mean == pytest.approx(120.0)
    assert result.case_mean.mean == pytest.approx(32 * 60.0)
    two_way = simulate(loads(text.replace("drop -> work", "drop <-> work")),
                       SimOptions(days=5, warmup=0, replications=2, seed=1))
    assert two_way.customer_mean.mean == pytest.approx(32 * 60.0)


def test_given_wait_of_a_queued_action_is_not_added() -> None:
    text = """
blueprint: 1
title: Given wait
roles: {clerk: {staff: 50}}
demand: {arrivals: 1/h}
steps:
  - name: S
    frontstage: [{id: serve, text: serves, role: clerk, duration: 5 min, wait: 20 min}]
"""
    result = simulate(loads(text), SimOptions(days=3, warmup=0, replications=2, seed=1))
    serve = result.action("serve")
    assert serve.given_wait == 1200.0
    assert serve.wait.mean == 0.0  # 50 clerks: nobody waits, and the given 20 min is not added
    assert result.case_mean.mean == pytest.approx(300.0)


def test_a_case_whose_last_action_is_skipped_is_counted_once() -> None:
    # Regression (found by the property test): skipping the last action used to close the case
    # twice.
    text = """
blueprint: 1
title: Optional end
roles: {r: {staff: 1}}
demand: {arrivals: 10/h}
steps:
  - name: S
    backstage:
      - {id: a, text: a, duration: 1 min}
      - {id: b, text: b, role: r, duration: 2 min, p: 0.5}
flows: [a -> b]
"""
    result = simulate(loads(text), SimOptions(days=2, warmup=0, replications=2, seed=1))
    assert result.throughput_per_day.mean == pytest.approx(result.arrivals_per_day.mean, rel=0.01)
    assert result.action("b").runs_per_case == pytest.approx(0.5, abs=0.05)
