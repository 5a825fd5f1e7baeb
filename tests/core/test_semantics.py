"""The flow semantics of DESIGN.md §2 on small hand-checkable blueprints."""

from __future__ import annotations

import numpy as np
import pytest

from service_blueprint import loads
from service_blueprint.quantities import Duration
from service_blueprint.sampling import expected_executions, sample, sample_repeated
from service_blueprint.semantics import PlanError, compile_plan, run_probabilities, sample_paths

HEAD = "blueprint: 1\ntitle: T\n"


def plan_of(body: str):  # type: ignore[no-untyped-def]
    return compile_plan(loads(HEAD + body))


def paths(body: str, n: int = 4000, seed: int = 7):  # type: ignore[no-untyped-def]
    plan = plan_of(body)
    return plan, sample_paths(plan, np.random.default_rng(seed), n)


CHOICE = """
steps:
  - name: S
    customer: [{id: c1, text: asks, duration: 1 min}, {id: c2, text: gets answer, duration: 1 min}]
    frontstage: [{id: a, text: a, duration: 2 min}]
    backstage: [{id: b, text: b, duration: 10 min}, {id: c, text: c, duration: 20 min}, {id: d, text: d, duration: 1 min}]
flows:
  - c1 -> a
  - {from: a, to: b, p: 0.25}
  - {from: a, to: c, p: 0.75}
  - b -> d
  - c -> d
"""


def test_choice_is_exclusive_and_merge_needs_no_gateway() -> None:
    plan, ps = paths(CHOICE)
    b, c, d = (plan.index(x) for x in "bcd")
    assert not (ps.ran[:, b] & ps.ran[:, c]).any()
    assert (ps.ran[:, b] | ps.ran[:, c]).all()
    assert ps.ran[:, d].all()  # the merge runs whichever branch was taken
    assert abs(ps.ran[:, b].mean() - 0.25) < 0.03
    # d starts after the branch that ran: 1 + 2 + (10 or 20) minutes
    starts = np.unique(np.round(ps.start[:, d] / 60))
    assert set(starts) == {13.0, 23.0}


def test_dead_path_skips_the_rest_of_a_branch() -> None:
    plan, ps = paths(CHOICE.replace("- c -> d", ""))
    b, d = plan.index("b"), plan.index("d")
    assert np.array_equal(ps.ran[:, d], ps.ran[:, b])


def test_one_way_flow_does_not_hold_the_customer() -> None:
    plan, ps = paths(CHOICE)
    # c1 -> a is one-way: the customer goes on to c2 after c1 (1 min), c2 ends at 2 min.
    assert np.allclose(ps.customer_time, 120)
    assert np.allclose(ps.case_time, np.where(ps.ran[:, plan.index("b")], 14, 24) * 60)


def test_two_way_flow_holds_everything_after_it() -> None:
    plan, ps = paths(CHOICE.replace("c1 -> a", "c1 <-> a"), n=50)
    # c2 follows c1, and c1 <-> a: c2 also waits for a (1 + 2 min), then takes 1 min.
    assert np.allclose(ps.start[:, plan.index("c2")], 180)
    assert plan.customer_time[plan.index("a")]
    assert np.allclose(ps.customer_time, 240)


def test_customer_action_is_passed_over_when_its_flow_is_dead() -> None:
    body = """
steps:
  - name: S
    customer: [{id: order, text: orders}, {id: eat, text: eats room service, duration: 20 min}, {id: sleep, text: sleeps, duration: 8 h}]
    backstage: [{id: cook, text: cooks, duration: 15 min, p: 0.3}]
flows:
  - order -> cook -> eat
"""
    plan, ps = paths(body)
    eat, cook, sleep = plan.index("eat"), plan.index("cook"), plan.index("sleep")
    assert np.array_equal(ps.ran[:, eat], ps.ran[:, cook])
    assert ps.ran[:, sleep].all()
    assert abs(ps.ran[:, eat].mean() - 0.3) < 0.03


def test_optional_action_p_and_repeat() -> None:
    body = """
steps:
  - name: S
    customer: [{id: c, text: c, duration: 1 min, p: 0.5}]
    frontstage: [{id: f, text: f, duration: 10 min, repeat: 0.5}]
flows: [c -> f]
"""
    plan, ps = paths(body, n=20000)
    f = plan.index("f")
    ran = ps.ran[:, f]
    assert abs(ran.mean() - 0.5) < 0.02
    took = (ps.finish[:, f] - ps.start[:, f])[ran]
    assert abs(took.mean() / 600 - expected_executions(0.5)) < 0.05
    probs = run_probabilities(plan, np.random.default_rng(1), 20000)
    assert abs(probs[f] - 0.5) < 0.02


def test_reproducible_with_a_seed() -> None:
    _, a = paths(CHOICE, seed=3)
    _, b = paths(CHOICE, seed=3)
    assert np.array_equal(a.finish, b.finish)


def test_cycle_raises_plan_error() -> None:
    body = """
steps:
  - name: S
    customer: [{id: c, text: c}]
    backstage: [{id: a, text: a}, {id: b, text: b}]
flows: [c -> a -> b -> a]
"""
    with pytest.raises(PlanError):
        plan_of(body)


@pytest.mark.parametrize(
    "text",
    ["5 min", "2..5 min", "2..4..9 min", "~5 min", "{dist: lognormal, mean: 10 min, sd: 4 min}",
     "{dist: gamma, mean: 10 min, sd: 4 min}", "{dist: empirical, values: [1 min, 2 min, 6 min]}"],
)
def test_samples_match_the_declared_mean(text: str) -> None:
    import yaml_rs  # the loader's own YAML reader

    d = Duration.parse(yaml_rs.loads(f"x: {text}")["x"])
    xs = sample(d, np.random.default_rng(0), 40000)
    assert (xs >= 0).all()
    assert abs(xs.mean() - d.mean) <= 0.02 * d.mean + 1e-9
    assert np.array_equal(sample_repeated(d, 0.0, np.random.default_rng(0), 5), sample(d, np.random.default_rng(0), 5))
