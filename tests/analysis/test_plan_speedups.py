"""The two speed-ups analysis needed in ``semantics`` change no result.

``compile_plan`` prunes its cycle test with a topological rank (it was quadratic on long
blueprints with two-way flows) and ``sample_paths`` stores its matrices column-major; both are
checked here against the plain versions on the templates and on random flow graphs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service_blueprint import loads, semantics
from service_blueprint.graph import reachable
from service_blueprint.semantics import Plan, PlanError, compile_plan, sample_paths
from service_blueprint.templates import list_templates, template_text


def plain_reaches(succ: dict[str, list[str]], start: str, goal: str, rank: object) -> bool:
    return goal in reachable(succ, [start])


def both_plans(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Plan | str, Plan | str]:
    bp = loads(text)

    def one() -> Plan | str:
        try:
            return compile_plan(bp)
        except PlanError as exc:
            return str(exc)

    fast = one()
    with monkeypatch.context() as m:
        m.setattr(semantics, "_reaches", plain_reaches)
        plain = one()
    return fast, plain


@pytest.mark.parametrize("name", [t.name for t in list_templates()])
def test_templates_compile_the_same(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, plain = both_plans(template_text(name), monkeypatch)
    assert fast == plain


LANES = ("customer", "frontstage", "backstage", "support")


@st.composite
def flow_graphs(draw: st.DrawFn) -> str:
    n = draw(st.integers(2, 9))
    lanes = [draw(st.sampled_from(LANES)) for _ in range(n)]
    lines = ["blueprint: 1", "title: T", "steps:"]
    for i, lane in enumerate(lanes):
        lines += [f"  - id: s{i}", f"    name: S{i}", f"    {lane}:", f"      - {{id: a{i}, text: A{i}}}"]
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.booleans()), max_size=14))
    flows = [f"  - a{a} {'<->' if two else '->'} a{b}" for a, b, two in pairs if a != b]
    return "\n".join([*lines, "flows:", *flows] if flows else lines) + "\n"


@settings(max_examples=150, deadline=None)
@given(flow_graphs())
def test_random_graphs_compile_the_same(text: str) -> None:
    with pytest.MonkeyPatch.context() as mp:
        fast, plain = both_plans(text, mp)
    assert fast == plain


def test_long_blueprint_with_two_way_flows_compiles() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from generate import big_blueprint

    plan = compile_plan(loads(big_blueprint(300, 5)))
    # c_i <-> f_i: the next customer action waits for the clerk (two-way rule).
    k = plan.index("c1")
    assert plan.index("f0") in plan.preds[k]


def test_column_major_sampling_gives_the_same_numbers() -> None:
    plan = compile_plan(loads(template_text("bike-repair-current")))
    paths = sample_paths(plan, np.random.default_rng(3), 500)
    assert paths.finish.flags.f_contiguous
    again = sample_paths(plan, np.random.default_rng(3), 500)
    c_order = np.ascontiguousarray(again.finish)
    assert np.array_equal(paths.finish, c_order)
    assert paths.customer_time.shape == (500,)
