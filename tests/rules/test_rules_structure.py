"""Rules from the blueprinting canon: W101-W107, W111 and I201-I203."""

from __future__ import annotations

import pytest
from _rules_kit import (
    BASE,
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

WARNING, INFO = Severity.WARNING, Severity.INFO

TWO_STEPS = with_step(STEP2)
SCENARIO = "scenario: {customer: C, start: S, end: E, goal: G, tolerance: 1 h}\n"
MINIMAL = "blueprint: 1\ntitle: T\nstate: current\nscenario: {customer: C, start: S, end: E, goal: G}\n"


def _cases() -> list[Case]:
    cases = Cases()
    add = cases.add

    # ---- W101 step without customer action ----------------------------------------------
    bye = STEP2 + "    frontstage:\n      - {id: bye, text: Says goodbye, role: clerk}\n"
    no_customer = variant("    customer:\n      - {id: leave, text: Leaves}\n", "", bye)
    t = with_flows("arrive -> bye", text=with_step(no_customer))
    add("W101-step-without-customer", "W101", WARNING, t, pos(t, "id: s2"), ("step 's2' has no customer action",),
        hint=("customer does",), clean=with_flows("arrive -> bye", text=with_step(bye)))

    # ---- W102 frontstage action linked to no customer action ----------------------------
    t = with_flows("arrive -> log -> store", "log -> greet", replace=True)
    add("W102-frontstage-unlinked", "W102", WARNING, t, pos(t, "id: greet"),
        ("frontstage action 'greet' is linked to no customer action",), hint=("move it backstage",),
        clean=with_flows("arrive -> log -> store", "arrive -> greet", replace=True))

    # ---- W103 unreached backstage/support action ----------------------------------------
    t = with_flows("arrive -> greet -> log", replace=True)
    add("W103-support-unreached", "W103", WARNING, t, pos(t, "id: store"),
        ("support action 'store' is reached by no flow",), hint=("triggers it",))
    t = with_flows("arrive -> greet", "{from: greet, to: store}", replace=True)
    add("W103-backstage-unreached", "W103", WARNING, t, pos(t, "id: log"),
        ("backstage action 'log' is reached by no flow",),
        clean=with_flows("arrive -> greet", "{from: greet, to: store}", "greet -> log", replace=True))

    # ---- W104 step without evidence -----------------------------------------------------
    t = with_step(variant("    evidence: [Receipt]\n", "", STEP2))
    add("W104-step-without-evidence", "W104", WARNING, t, pos(t, "id: s2"), ("step 's2' has no evidence",),
        hint=("sees or touches",), clean=TWO_STEPS)
    t = with_step(variant("    evidence: [Receipt]\n", "    evidence: []\n", STEP2))
    add("W104-empty-evidence-list", "W104", WARNING, t, pos(t, "id: s2"), ("step 's2' has no evidence",),
        clean=TWO_STEPS)

    # ---- W105 scenario incomplete -------------------------------------------------------
    t = variant(SCENARIO, "scenario: {customer: C, start: S, tolerance: 1 h}\n")
    add("W105-no-end-goal", "W105", WARNING, t, pos(t, "scenario"), ("scenario has no end, goal",),
        hint=("customer's goal",))
    t = variant(SCENARIO, "")
    add("W105-no-scenario", "W105", WARNING, t, (1, 1), ("scenario has no customer, start, end, goal",))
    t = variant(SCENARIO, "scenario: {}\n")
    add("W105-empty-scenario", "W105", WARNING, t, pos(t, "scenario"), ("scenario has no customer, start, end, goal",))

    # ---- W106 state missing -------------------------------------------------------------
    t = variant("state: current\n", "")
    add("W106-state-missing", "W106", WARNING, t, (1, 1), ("state is missing",), hint=("state: future",),
        clean=variant("state: current", "state: future"))

    # ---- W107 proposed action in a current-state blueprint --------------------------------
    t = variant("{id: log, text: Logs visit,", "{id: log, text: Logs visit, source: proposed,")
    add("W107-proposed-in-current", "W107", WARNING, t, pos(t, "proposed"),
        ("action 'log' is proposed in a current-state blueprint",), hint=("state: future",),
        clean=variant("state: current", "state: future", t))

    # ---- W111 no steps --------------------------------------------------------------------
    t = MINIMAL + "steps: []\n"
    add("W111-empty-steps", "W111", WARNING, t, pos(t, "steps"), ("blueprint has no steps",),
        clean=MINIMAL + "steps:\n  - {name: Arrive, customer: [{text: Arrives}]}\n")
    add("W111-no-steps-key", "W111", WARNING, MINIMAL, (1, 1), ("blueprint has no steps",),
        clean=MINIMAL + "steps:\n  - name: Arrive\n")

    # ---- I201 fail point incomplete ---------------------------------------------------------
    t = variant("text: Greets, role", "text: Greets, fail: {text: Slow, owner: clerk}, role")
    add("I201-no-recovery", "I201", INFO, t, pos(t, "fail"), ("fail point on 'greet' has no recovery",),
        hint=("owns it",), clean=variant("owner: clerk}", "owner: clerk, recovery: log}", t))
    t = variant("text: Greets, role", "text: Greets, fail: Forgets the name, role")
    add("I201-fail-as-text", "I201", INFO, t, pos(t, "fail"), ("has no owner or recovery",),
        clean=variant("fail: Forgets the name,", "fail: {text: Forgets the name, owner: clerk, recovery: Apologise to the guest},", t))

    # ---- I202 customer linked straight to backstage/support -------------------------------
    t = with_flows("arrive -> greet", "arrive -> log -> store", replace=True)
    add("I202-customer-to-backstage", "I202", INFO, t, pos(t, "log", after="arrive -> "),
        ("customer action linked straight to backstage action 'log' (no frontstage)",),
        clean=with_flows("arrive -> greet", "greet -> log -> store", replace=True))
    t = with_flows("{from: log, to: leave}", text=TWO_STEPS)
    add("I202-backstage-to-customer", "I202", INFO, t, pos(t, "leave", after="to: "),
        ("linked straight to backstage action 'log'",), clean=with_flows("{from: greet, to: leave}", text=TWO_STEPS))
    t = with_flows("arrive -> greet", "arrive -> store", replace=True)
    add("I202-customer-to-support", "I202", INFO, t, pos(t, "store", after="arrive -> "),
        ("support action 'store'",), clean=with_flows("arrive -> greet", "greet -> store", replace=True))

    # ---- I203 internal handoff --------------------------------------------------------------
    add("I203-backstage-to-support", "I203", INFO, BASE, pos(BASE, "store", after="flows:"),
        ("handoff across the line of internal interaction", "log (backstage) -> store (support)"),
        clean=with_flows("arrive -> greet -> log", "arrive -> store", replace=True))
    t = with_flows("arrive -> greet -> log", "greet -> store", replace=True)
    store = "      - {id: store, text: Stores record, role: sys, duration: 5 s}\n"
    store_backstage = variant("    support:\n" + store, "", variant("    backstage:\n", "    backstage:\n" + store, t))
    add("I203-frontstage-to-support", "I203", INFO, t, pos(t, "store", after="greet -> "),
        ("greet (frontstage) -> store (support)",), clean=store_backstage)
    return cases


CASES = _cases()
COVERED = {c.rule for c in CASES}


@pytest.mark.parametrize("case", params(CASES))
def test_triggers(case: Case) -> None:
    assert_triggers(case)


@pytest.mark.parametrize("case", clean_params(CASES))
def test_clean(case: Case) -> None:
    assert_clean(case)



def test_base_blueprint_has_only_the_handoff() -> None:
    result = run(BASE)
    assert [f.format() for f in result.findings] == [
        "x.blueprint.yaml:21:31: info I203 handoff across the line of internal interaction: "
        "log (backstage) -> store (support)"
    ]
    assert (result.errors, result.warnings, result.infos) == (0, 0, 1)
    assert result.exit_code() == 0 and result.exit_code(strict=True) == 0



def test_customer_to_backstage_is_never_an_error() -> None:
    """DESIGN 1: a customer action linked straight to backstage is legal (information only)."""
    result = run(with_flows("arrive -> log -> store", "arrive -> greet", replace=True))
    assert [f.severity for f in of_rule(result, "I202")] == [INFO]
    assert result.errors == 0 and result.exit_code(strict=True) == 0



def test_warning_fails_only_in_strict_mode() -> None:
    result = run(variant("state: current\n", ""))
    assert result.warnings == 1 and result.errors == 0
    assert result.exit_code() == 0
    assert result.exit_code(strict=True) == 1
