"""Rules about the flow graph: E020-E022 and W108."""

from __future__ import annotations

import pytest
from _rules_kit import (
    STEP2,
    Case,
    Cases,
    assert_clean,
    assert_triggers,
    clean_params,
    of_rule,
    params,
    pos,
    run,
    variant,
    with_flows,
    with_step,
)

from service_blueprint.findings import Severity

ERROR, WARNING = Severity.ERROR, Severity.WARNING

TWO_STEPS = with_step(STEP2)


def _cases() -> list[Case]:
    cases = Cases()
    add = cases.add

    # ---- E020 cycle -----------------------------------------------------------------------
    t = with_flows("store -> greet")
    add("E020-back-edge", "E020", ERROR, t, pos(t, "greet", after="store -> "),
        ("flows form a cycle", "greet -> log -> store -> greet"), hint=("repeat",),
        clean=with_flows("greet -> store"))
    t = with_flows("greet -> greet")
    add("E020-self-loop", "E020", ERROR, t, pos(t, "greet", after="  - greet -> "), ("greet -> greet",),
        clean=variant("duration: 2 min}", "duration: 2 min, repeat: 0.1}"))
    t = with_flows("{from: store, to: log}")
    add("E020-mapping", "E020", ERROR, t, pos(t, "log", after="to: "), ("log -> store -> log",),
        clean=with_flows("{from: greet, to: store}"))
    t = with_flows("leave -> arrive", text=TWO_STEPS)
    add("E020-through-customer-chain", "E020", ERROR, t, pos(t, "arrive", after="leave -> "),
        ("arrive -> leave -> arrive",), clean=with_flows("leave -> log", text=TWO_STEPS))

    # ---- E021 probability range ---------------------------------------------------------
    t = variant("duration: 5 s}", "duration: 5 s, p: 20}")
    add("E021-action-p-percent", "E021", ERROR, t, pos(t, "20}"), ("p 20", "between 0 and 1"), hint=("0.2",),
        clean=variant("duration: 5 s}", "duration: 5 s, p: 0.2}"))
    t = variant("duration: 5 s}", "duration: 5 s, p: -0.1}")
    add("E021-action-p-negative", "E021", ERROR, t, pos(t, "-0.1"), ("p -0.1", "between 0 and 1"),
        clean=variant("duration: 5 s}", "duration: 5 s, p: 0}"))
    t = variant("duration: 1 min}", "duration: 1 min, repeat: 1}")
    add("E021-repeat-one", "E021", ERROR, t, pos(t, "1}", after="repeat: "), ("repeat 1", "below 1"),
        clean=variant("duration: 1 min}", "duration: 1 min, repeat: 0.99}"))
    t = variant("text: Greets, role", "text: Greets, fail: {text: Slow, owner: clerk, recovery: log, likelihood: 1.5}, role")
    add("E021-fail-likelihood", "E021", ERROR, t, pos(t, "1.5"), ("likelihood 1.5",),
        clean=variant("likelihood: 1.5", "likelihood: 1", t))
    t = with_flows("arrive -> greet -> log", "{from: log, to: store, p: 2}", replace=True)
    add("E021-flow-p", "E021", ERROR, t, pos(t, "2}", after="p: "), ("p 2", "between 0 and 1"),
        clean=variant("p: 2}", "p: 1}", t))

    # ---- E022 choice sum ------------------------------------------------------------------
    choice = ("arrive -> greet", "{from: greet, to: log, p: 0.5}", "{from: greet, to: store, p: 0.4}")
    t = with_flows(*choice, replace=True)
    add("E022-two-branches", "E022", ERROR, t, pos(t, "0.5"),
        ("choice after 'greet' sums to 0.9 (0.5 + 0.4), not 1",), hint=("add up to 1",),
        clean=variant("p: 0.4}", "p: 0.5}", t))
    t = with_flows("arrive -> greet", "{from: greet, to: log, p: 0.1}", "{from: greet, to: store, p: 0.2}",
                   "{from: greet, to: arrive2, p: 0.6}", replace=True)
    t = variant("      - {id: arrive, text: Arrives}\n",
                "      - {id: arrive, text: Arrives}\n      - {id: arrive2, text: Waits}\n", t)
    add("E022-three-branches", "E022", ERROR, t, pos(t, "0.1"), ("sums to 0.9 (0.1 + 0.2 + 0.6)",),
        clean=variant("p: 0.6}", "p: 0.7}", t))  # 0.1 + 0.2 + 0.7 is 1 only within rounding

    # flows without 'p' beside a choice still all fire; only the 'p' branches must sum to 1
    t = with_flows("arrive -> greet", "{from: greet, to: log, p: 0.5}", "greet -> store", replace=True)
    add("E022-choice-beside-parallel-flow", "E022", ERROR, t, pos(t, "0.5"), ("sums to 0.5 (0.5), not 1",),
        clean=variant("p: 0.5}", "p: 1}", t))

    # ---- W108 duplicate flow ------------------------------------------------------------
    t = with_flows("{from: log, to: store}")
    add("W108-mapping-repeats-chain", "W108", WARNING, t, pos(t, "store", after="to: "),
        ("flow log -> store is written more than once",), clean=with_flows("{from: greet, to: store}"))
    t = with_flows("greet -> log")
    add("W108-chain-repeats-chain", "W108", WARNING, t, pos(t, "log", after="  - greet -> "),
        ("flow greet -> log is written more than once",), clean=with_flows("greet -> store"))
    t = with_flows("arrive -> leave", text=TWO_STEPS)
    add("W108-repeats-implicit-customer-chain", "W108", WARNING, t, pos(t, "leave", after="arrive -> "),
        ("flow arrive -> leave repeats the implicit customer chain",), hint=("step order",),
        clean=with_flows("arrive <-> leave", text=TWO_STEPS))
    return cases


CASES = _cases()
COVERED = {c.rule for c in CASES}


@pytest.mark.parametrize("case", params(CASES))
def test_triggers(case: Case) -> None:
    assert_triggers(case)


@pytest.mark.parametrize("case", clean_params(CASES))
def test_clean(case: Case) -> None:
    assert_clean(case)


@pytest.mark.parametrize("flow", ["{from: arrive, to: leave, p: 1}", "{from: arrive, to: leave, label: next}"])
def test_W108_implicit_chain_with_probability_or_label_is_not_a_duplicate(flow: str) -> None:
    assert not of_rule(run(with_flows(flow, text=TWO_STEPS)), "W108")



def test_E021_out_of_range_flow_p_also_breaks_the_choice_sum() -> None:
    case = next(c for c in CASES if c.id == "E021-flow-p")
    rules = sorted(f.rule for f in run(case.text).findings if f.severity is ERROR)
    assert rules == ["E021", "E022"]



def test_E020_one_finding_per_cycle() -> None:
    """Two back-edges into one loop are one cycle; a separate loop is a second finding."""
    one = with_flows("store -> greet", "{from: store, to: arrive}")
    assert len(of_rule(run(one), "E020")) == 1
    two = with_flows("greet -> greet", "{from: store, to: log}")
    found = of_rule(run(two), "E020")
    assert [(f.line, f.col) for f in found] == [pos(two, "greet", after="  - greet -> "), pos(two, "log", after="to: ")]
    assert [f.message.removeprefix("flows form a cycle: ") for f in found] == ["greet -> greet", "log -> store -> log"]
