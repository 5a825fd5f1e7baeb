"""Rules about single values the types allow but the method does not: E030, E031, W110."""

from __future__ import annotations

import pytest
from _rules_kit import (
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
)

from service_blueprint.findings import Severity

ERROR, WARNING = Severity.ERROR, Severity.WARNING

ARRIVE = "{id: arrive, text: Arrives}"
GREET_DURATION = "duration: 2 min}"


def emotion(value: str) -> str:
    return variant(ARRIVE, f"{{id: arrive, text: Arrives, emotion: {value}}}")


def impact(value: str) -> str:
    return variant("text: Greets, role", f"text: Greets, fail: {{text: Slow, owner: clerk, recovery: log, impact: {value}}}, role")


def _cases() -> list[Case]:
    cases = Cases()
    add = cases.add

    # ---- E030 emotion range -------------------------------------------------------------
    t = emotion("3")
    add("E030-above", "E030", ERROR, t, pos(t, "3}"), ("emotion 3 is outside -2..+2",), hint=("+2 very positive",),
        clean=emotion("2"))
    t = emotion("-2.5")
    add("E030-below", "E030", ERROR, t, pos(t, "-2.5"), ("emotion -2.5 is outside -2..+2",), clean=emotion("-2"))

    # ---- E031 value range -----------------------------------------------------------------
    t = variant("staff: 2", "staff: -1")
    add("E031-negative-staff", "E031", ERROR, t, pos(t, "-1"), ("staff -1 is negative",),
        clean=variant("staff: 2", "staff: 0"))
    t = variant("{id: log, text: Logs visit,", "{id: log, text: Logs visit, cost: -5,")
    add("E031-negative-action-cost", "E031", ERROR, t, pos(t, "-5"), ("cost -5 is negative",),
        clean=variant("{id: log, text: Logs visit,", "{id: log, text: Logs visit, cost: 0,"))
    t = impact("6")
    add("E031-impact-above", "E031", ERROR, t, pos(t, "6}"), ("impact 6 is outside 1..5",), hint=("service is lost",),
        clean=impact("5"))
    t = impact("0")
    add("E031-impact-below", "E031", ERROR, t, pos(t, "0}"), ("impact 0 is outside 1..5",), clean=impact("1"))

    # ---- W110 tolerance shorter than duration ---------------------------------------------
    t = variant(GREET_DURATION, "duration: 2 min, tolerance: 1 min}")
    add("W110-duration", "W110", WARNING, t, pos(t, "1 min}"),
        ("tolerance 1 min is shorter than the mean duration 2 min",), hint=("check the tolerance",),
        clean=variant(GREET_DURATION, "duration: 2 min, tolerance: 2 min}"))
    t = variant(GREET_DURATION, "duration: 2 min, wait: 5 min, tolerance: 6 min}")
    add("W110-wait-plus-duration", "W110", WARNING, t, pos(t, "6 min"),
        ("tolerance 6 min is shorter than the mean wait plus duration 7 min",),
        clean=variant(GREET_DURATION, "duration: 2 min, wait: 5 min, tolerance: 7 min}"))
    t = variant(GREET_DURATION, "duration: 1..5 min, tolerance: 150 s}")
    add("W110-uses-the-mean", "W110", WARNING, t, pos(t, "150 s"), ("mean duration 3 min",),
        clean=variant(GREET_DURATION, "duration: 1..5 min, tolerance: 180 s}"))
    t = variant(ARRIVE, "{id: arrive, text: Arrives, wait: 10 min, tolerance: 5 min}")
    add("W110-wait-only", "W110", WARNING, t, pos(t, "5 min}"), ("mean wait plus duration 10 min",),
        clean=variant(ARRIVE, "{id: arrive, text: Arrives, wait: 10 min, tolerance: 10 min}"))
    return cases


CASES = _cases()
COVERED = {c.rule for c in CASES}


@pytest.mark.parametrize("case", params(CASES))
def test_triggers(case: Case) -> None:
    assert_triggers(case)


@pytest.mark.parametrize("case", clean_params(CASES))
def test_clean(case: Case) -> None:
    assert_clean(case)


@pytest.mark.parametrize("value", ["-30/h", "-30"])
def test_negative_role_cost_is_rejected_when_read(value: str) -> None:
    """A negative hourly cost never reaches E031: the value cannot be read (E003), at its position."""
    text = variant("cost: 30/h", f"cost: {value}")
    errors = [f for f in run(text).findings if f.severity is ERROR]
    assert [f.rule for f in errors] == ["E003"]
    assert (errors[0].line, errors[0].col) == pos(text, value)



def test_tolerance_without_duration_or_wait_is_not_compared() -> None:
    text = variant(ARRIVE, "{id: arrive, text: Arrives, tolerance: 1 s}")
    assert not of_rule(run(text), "W110")
