"""Run and fire probabilities: exact enumeration, correlated joins, and the sampled fallback."""

from __future__ import annotations

import numpy as np
import pytest

from service_blueprint import loads
from service_blueprint.analysis.probability import likelihoods, most_likely_branches
from service_blueprint.semantics import compile_plan, run_probabilities
from service_blueprint.templates import list_templates, template_text

# A choice and its merge: d runs whichever branch was taken. Treating b and c as independent
# would give 1 - 0.3 × 0.7 = 0.79; the exact answer is 1.
MERGE = """\
blueprint: 1
title: Merge
steps:
  - id: s1
    name: S1
    backstage: [{id: a, text: A}]
  - id: s2
    name: S2
    backstage: [{id: b, text: B}, {id: c, text: C, p: 0.5}]
  - id: s3
    name: S3
    backstage: [{id: d, text: D}, {id: e, text: E}]
flows:
  - {from: a, to: b, p: 0.7}
  - {from: a, to: c, p: 0.3}
  - b -> d
  - c -> d
  - c -> e
"""


def test_exact_enumeration_handles_correlated_joins() -> None:
    plan = compile_plan(loads(MERGE))
    lk = likelihoods(plan)
    run = {plan.ids[i]: float(p) for i, p in enumerate(lk.run)}
    assert lk.exact
    # c is taken 30 % of the time and then runs half the time (its own p).
    assert run == pytest.approx({"a": 1.0, "b": 0.7, "c": 0.15, "d": 0.85, "e": 0.15})
    fire = {(plan.ids[s], plan.ids[t]): p for (s, t), p in lk.fire.items()}
    assert fire == pytest.approx({("a", "b"): 0.7, ("a", "c"): 0.3, ("b", "d"): 0.7, ("c", "d"): 0.15,
                                  ("c", "e"): 0.15})


def test_fixed_branches() -> None:
    plan = compile_plan(loads(MERGE))
    branches = most_likely_branches(plan)
    assert branches == {0: 0}
    run = likelihoods(plan, branches).run
    assert dict(zip(plan.ids, run.tolist(), strict=True)) == pytest.approx(
        {"a": 1.0, "b": 1.0, "c": 0.0, "d": 1.0, "e": 0.0})


def test_sampled_fallback_is_close_to_exact() -> None:
    plan = compile_plan(loads(MERGE))
    exact = likelihoods(plan).run
    sampled = likelihoods(plan, max_scenarios=1, samples=40_000, seed=3)
    assert not sampled.exact
    assert np.allclose(sampled.run, exact, atol=0.01)


@pytest.mark.parametrize("name", [t.name for t in list_templates()])
def test_templates_agree_with_the_semantics_sampler(name: str) -> None:
    plan = compile_plan(loads(template_text(name)))
    exact = likelihoods(plan).run
    assert np.allclose(exact, run_probabilities(plan, np.random.default_rng(1), 20_000), atol=0.02)
