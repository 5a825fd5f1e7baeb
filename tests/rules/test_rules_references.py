"""Rules about names and references: E010-E018, W109 and I204."""

from __future__ import annotations

from pathlib import Path

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

from service_blueprint.checker import check
from service_blueprint.findings import Severity

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

FAIL = "text: Greets, fail: {{text: Slow, owner: {owner}, recovery: {recovery}}}, role"


def with_fail(owner: str = "clerk", recovery: str = "log") -> str:
    return variant("text: Greets, role", FAIL.format(owner=owner, recovery=recovery))


def with_phases(phases: str, text: str) -> str:
    return variant("roles:\n", f"phases:\n{phases}roles:\n", text)


def with_lanes(lanes: str, text: str = BASE) -> str:
    return variant("roles:\n", f"lanes:\n{lanes}roles:\n", text)


TWO_STEPS = with_step(STEP2)


def _cases() -> list[Case]:
    cases = Cases()
    add = cases.add

    # ---- E010 duplicate action id -------------------------------------------------------
    dup = STEP2 + "    frontstage:\n      - {id: greet, text: Waves, role: clerk}\n"
    t = with_step(dup)
    add("E010-flow-style", "E010", ERROR, t, pos(t, "greet", after="Leaves"),
        ("duplicate action id 'greet'", f"(first used on line {pos(t, 'greet')[0]})"),
        clean=with_step(variant("id: greet, text: Waves", "id: wave, text: Waves", dup)), hint=("own id",))
    block = STEP2 + "    backstage:\n      - id: log\n        text: Files it\n        role: clerk\n"
    t = with_step(block)
    add("E010-block-style", "E010", ERROR, t, pos(t, "log", after="Leaves"),
        ("duplicate action id 'log'", f"(first used on line {pos(t, '{id: log')[0]})"),
        clean=with_step(variant("- id: log\n", "- id: file\n", block)))

    # ---- E011 duplicate step id ---------------------------------------------------------
    t = with_step(variant("id: s2", "id: s1", STEP2))
    add("E011-explicit", "E011", ERROR, t, pos(t, "s1", after="name: Arrive"), ("duplicate step id 's1'",),
        clean=TWO_STEPS, hint=("own id",))

    # ---- E012 unknown role --------------------------------------------------------------
    t = variant("role: clerk, duration: 2 min", "role: clerc, duration: 2 min")
    add("E012-typo", "E012", ERROR, t, pos(t, "clerc"), ("unknown role 'clerc'", "(did you mean 'clerk'?)"),
        hint=("roles:",))
    t = variant("role: sys,", "role: database,")
    add("E012-no-suggestion", "E012", ERROR, t, pos(t, "database"), ("unknown role 'database'",),
        clean=variant("  sys: {", "  database: {", variant("role: sys,", "role: database,")))
    t = variant("role: clerk, duration: 2 min", "role: 'clerc', duration: 2 min")
    add("E012-quoted-points-at-quote", "E012", ERROR, t, pos(t, "'clerc'"), ("'clerc'",),
        clean=variant("role: clerk, duration: 2 min", "role: 'clerk', duration: 2 min"))
    # columns count characters, not bytes
    t = variant("text: Greets, role: clerk,", "text: Grüßt ✓, role: clerc,")
    add("E012-after-non-ascii", "E012", ERROR, t, pos(t, "clerc"), ("'clerc'",),
        clean=variant("text: Greets, role: clerk,", "text: Grüßt ✓, role: clerk,"))

    # ---- E013 unknown action in a flow ----------------------------------------------------
    t = with_flows("arive -> greet -> log -> store", replace=True)
    add("E013-chain-first", "E013", ERROR, t, pos(t, "arive", after="flows:"),
        ("unknown action 'arive' in flow", "(did you mean 'arrive'?)"), hint=("derived from the text",))
    t = with_flows("arrive -> greet -> lg -> store", replace=True)
    add("E013-chain-middle-reported-once", "E013", ERROR, t, pos(t, "lg", after="flows:"),
        ("'lg'", "(did you mean 'log'?)"), count=1)
    t = with_flows("arrive -> greet -> log -> stor", replace=True)
    add("E013-chain-last", "E013", ERROR, t, pos(t, "stor", after="flows:"), ("'stor'", "(did you mean 'store'?)"))
    t = with_flows("arrive <-> gret", "greet -> log -> store", replace=True)
    add("E013-two-way", "E013", ERROR, t, pos(t, "gret"), ("'gret'", "(did you mean 'greet'?)"),
        clean=with_flows("arrive <-> greet", "greet -> log -> store", replace=True))
    t = with_flows("arrive   ->   gret", "greet -> log -> store", replace=True)
    add("E013-extra-spaces", "E013", ERROR, t, pos(t, "gret"), ("'gret'",),
        clean=with_flows("arrive   ->   greet", "greet -> log -> store", replace=True))
    t = with_flows('"arrive -> greet -> lg -> store"', replace=True)
    add("E013-quoted-chain", "E013", ERROR, t, pos(t, "lg", after="flows:"), ("'lg'",),
        clean=with_flows('"arrive -> greet -> log -> store"', replace=True))
    t = with_flows("{from: arive, to: greet}")
    add("E013-mapping-from", "E013", ERROR, t, pos(t, "arive"), ("'arive'", "(did you mean 'arrive'?)"),
        clean=with_flows("{from: arrive, to: greet, label: again}"))  # the label keeps it from being W108
    t = with_flows("{from: greet, to: stor}")
    add("E013-mapping-to", "E013", ERROR, t, pos(t, "stor", after="flows:", nth=2),
        ("'stor'", "(did you mean 'store'?)"), clean=with_flows("{from: greet, to: store}"))
    t = with_flows("arrive -> greet", "greet -> log ->", replace=True)
    t = variant("  - greet -> log ->\n", "  - greet -> log\n    -> stor\n", t)
    add("E013-chain-over-two-lines", "E013", ERROR, t, pos(t, "stor", after="-> log"), ("'stor'",),
        clean=variant("-> stor\n", "-> store\n", t))

    # ---- E014 unknown step in a phase ---------------------------------------------------
    t = with_phases("  Visit: [s1, s2x]\n", TWO_STEPS)
    add("E014-typo", "E014", ERROR, t, pos(t, "s2x"), ("unknown step 's2x' in phase 'Visit'", "(did you mean 's2'?)"),
        clean=with_phases("  Visit: [s1, s2]\n", TWO_STEPS))
    t = with_phases("  Visit: [s1]\n  Exit: nowhere\n", BASE)
    add("E014-single-string", "E014", ERROR, t, pos(t, "nowhere"), ("unknown step 'nowhere' in phase 'Exit'",),
        clean=with_phases("  Visit: [s1]\n  Exit: s1\n", BASE))

    # ---- E015 unknown fail owner ----------------------------------------------------------
    t = with_fail(owner="clrk")
    add("E015-typo", "E015", ERROR, t, pos(t, "clrk"), ("unknown owner 'clrk'", "(did you mean 'clerk'?)"),
        clean=with_fail(), hint=("role id",))

    # ---- E016 unknown recovery action -----------------------------------------------------
    t = with_fail(recovery="lgo")
    add("E016-typo", "E016", ERROR, t, pos(t, "lgo"), ("unknown recovery action 'lgo'", "(did you mean 'log'?)"),
        clean=with_fail(recovery="Apologise and retry"), hint=("in words",))

    # ---- E018 unknown lane ------------------------------------------------------------------
    t = with_lanes("  policies: {name: Policies, after: suport}\n")
    add("E018-after-typo", "E018", ERROR, t, pos(t, "suport"),
        ("lane 'policies'", "unknown lane 'suport'", "(did you mean 'support'?)"),
        clean=with_lanes("  policies: {name: Policies, after: support}\n"))
    t = with_lanes("  policies: {name: Policies}\n  rules: {name: Rules, after: polices}\n")
    add("E018-after-custom-typo", "E018", ERROR, t, pos(t, "polices"), ("(did you mean 'policies'?)",),
        clean=with_lanes("  policies: {name: Policies}\n  rules: {name: Rules, after: policies}\n"))
    t = with_lanes("  frontstage: {name: Front}\n")
    add("E018-canon-redeclared", "E018", ERROR, t, pos(t, "frontstage"), ("'frontstage' is a canon lane",),
        clean=with_lanes("  front_desk: {name: Front}\n"))

    # ---- W109 phase coverage ------------------------------------------------------------
    t = with_phases("  Visit: [s2]\n", TWO_STEPS)
    add("W109-step-in-no-phase", "W109", WARNING, t, pos(t, "id: s1"), ("step 's1' is in no phase",),
        clean=with_phases("  Visit: [s1, s2]\n", TWO_STEPS), hint=("phases:",))
    t = with_phases("  Visit: [s1, s2]\n  Exit: [s2]\n", TWO_STEPS)
    add("W109-step-in-two-phases", "W109", WARNING, t, pos(t, "s2", after="Exit"),
        ("step 's2' is in phases 'Visit' and 'Exit'",), clean=with_phases("  Visit: [s1]\n  Exit: [s2]\n", TWO_STEPS))

    # ---- I204 unused role ---------------------------------------------------------------
    t = variant("  sys: {name: System, kind: system}\n", "  sys: {name: System, kind: system}\n  boss: {name: Boss}\n")
    add("I204-unused", "I204", INFO, t, pos(t, "boss"), ("role 'boss' performs no action",),
        clean=variant("text: Greets, role", "text: Greets, fail: {text: Slow, owner: boss, recovery: log}, role", t))
    return cases


CASES = _cases()
COVERED = {c.rule for c in CASES} | {"E017"}


@pytest.mark.parametrize("case", params(CASES))
def test_triggers(case: Case) -> None:
    assert_triggers(case)


@pytest.mark.parametrize("case", clean_params(CASES))
def test_clean(case: Case) -> None:
    assert_clean(case)



def test_columns_count_characters_not_bytes() -> None:
    case = next(c for c in CASES if c.id == "E012-after-non-ascii")
    assert case.at == (15, 42)  # 'Grüßt ✓' is 7 characters but 11 bytes
    (f,) = of_rule(run(case.text), "E012")
    assert (f.line, f.col) == (15, 42)



def test_E010_message_line_points_at_the_first_use() -> None:
    case = next(c for c in CASES if c.id == "E010-flow-style")
    (f,) = of_rule(run(case.text), "E010")
    assert f"(first used on line {pos(case.text, 'id: greet')[0]})" in f.message
    assert pos(case.text, "id: greet")[0] == 15



def test_E013_unknown_ids_each_reported_once_in_reading_order() -> None:
    text = with_flows("arive -> gret -> log -> store", replace=True)
    found = of_rule(run(text), "E013")
    assert [(f.line, f.col) for f in found] == [pos(text, "arive"), pos(text, "gret")]
    assert [f.message.split("'")[1] for f in found] == ["arive", "gret"]



def test_E016_recovery_in_words_is_not_an_id() -> None:
    result = run(with_fail(recovery="Apologise and retry"))
    assert not of_rule(result, "E016")
    assert [f.rule for f in result.findings] == ["I203"]




def test_E018_canon_lane_redeclared_gives_no_spurious_duplicates() -> None:
    text = with_lanes("  frontstage: {name: Front}\n")
    rules = sorted(f.rule for f in run(text).findings if f.severity is ERROR)
    assert rules == ["E018"]


# ---- E017 missing detail (needs a file on disk; check_text has no folder) -------------------

DETAIL = "{id: log, text: Logs visit, detail: sub/log.blueprint.yaml,"



def test_E017_triggers(tmp_path: Path) -> None:
    text = variant("{id: log, text: Logs visit,", DETAIL)
    p = tmp_path / "x.blueprint.yaml"
    p.write_text(text, encoding="utf-8")
    result = check(p)
    (f,) = of_rule(result, "E017")
    assert f.severity is ERROR
    assert f.name == "missing-detail"
    assert f.file == str(p)
    assert (f.line, f.col) == pos(text, "sub/log.blueprint.yaml")
    assert "detail blueprint 'sub/log.blueprint.yaml' not found" in f.message
    assert f.hint is not None and "relative to this file" in f.hint



def test_E017_directory_is_not_a_blueprint(tmp_path: Path) -> None:
    text = variant("{id: log, text: Logs visit,", DETAIL)
    (tmp_path / "sub" / "log.blueprint.yaml").mkdir(parents=True)
    p = tmp_path / "x.blueprint.yaml"
    p.write_text(text, encoding="utf-8")
    assert len(of_rule(check(p), "E017")) == 1



def test_E017_clean_relative_to_the_file_not_the_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = variant("{id: log, text: Logs visit,", DETAIL)
    folder = tmp_path / "maps"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "log.blueprint.yaml").write_text(BASE, encoding="utf-8")
    p = folder / "x.blueprint.yaml"
    p.write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = check(p)
    assert not of_rule(result, "E017")
    assert result.errors == 0



def test_E017_not_checked_without_a_folder() -> None:
    """check_text has no base folder, so a detail link cannot be resolved and is not reported."""
    assert not of_rule(run(variant("{id: log, text: Logs visit,", DETAIL)), "E017")
