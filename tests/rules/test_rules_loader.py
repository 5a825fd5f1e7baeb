"""Rules the loader applies while reading a file: E001-E006 and W112.

Each case triggers its rule with a small change to a valid blueprint and checks the exact
rule, severity, line, column and key words; its clean twin must not trigger the rule.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _rules_kit import (
    BASE,
    FILE,
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
)

from service_blueprint.checker import check
from service_blueprint.findings import Severity

ERROR, WARNING = Severity.ERROR, Severity.WARNING


def _cases() -> list[Case]:
    cases = Cases()
    add = cases.add

    # ---- E001 yaml syntax ---------------------------------------------------------------
    t = "blueprint: 1\ntitle: [T\n"
    add("E001-unclosed-bracket", "E001", ERROR, t, pos(t, "[T"), ("invalid YAML", "unclosed bracket"),
        clean="blueprint: 1\ntitle: T\n")
    t = variant("title: T\n", "title: T\n  bad: x\n")
    add("E001-mapping-in-scalar", "E001", ERROR, t, pos(t, ": x"), ("invalid YAML", "mapping values"))
    t = variant("title: T\n", "title: T\ntitle: U\n")
    add("E001-duplicate-key", "E001", ERROR, t, pos(t, "title: U"), ("duplicate key 'title'",),
        hint=("merge",))
    t = variant("    name: Arrive\n", "   name: Arrive\n")
    add("E001-bad-indentation", "E001", ERROR, t, pos(t, "name: Arrive"), ("invalid YAML",))
    t = variant("    name: Arrive\n", "\tname: Arrive\n")
    add("E001-tab-indentation", "E001", ERROR, t, pos(t, "\tname"), ("tab",))

    # ---- E003 invalid value -------------------------------------------------------------
    t = variant("duration: 2 min", "duration: 2")
    add("E003-duration-without-unit", "E003", ERROR, t, pos(t, "2}", after="greet"),
        ("duration", "needs a unit", "'2 min'"))
    t = variant("tolerance: 1 h}", "tolerance: 60}")
    add("E003-scenario-tolerance-without-unit", "E003", ERROR, t, pos(t, "60}"),
        ("tolerance", "needs a unit", "'60 min'"))
    t = variant("duration: 1 min", "duration: 1 mins and more")
    add("E003-unreadable-duration", "E003", ERROR, t, pos(t, "1 mins and more"),
        ("cannot read", "as a duration"))
    t = variant("duration: 2 min", "duration: 5..2 min")
    add("E003-reversed-range", "E003", ERROR, t, pos(t, "5..2 min"), ("min <= max",))
    t = variant("staff: 2", "staff: two")
    add("E003-staff-not-a-number", "E003", ERROR, t, pos(t, "two"), ("staff", "whole number", "'two'"))
    t = variant("state: current", "state: past")
    add("E003-state-not-a-choice", "E003", ERROR, t, pos(t, "past"), ("state", "'current'", "'future'", "'past'"))
    t = variant("{id: arrive, text: Arrives}", "{id: arrive, text: Arrives, emotion: happy}")
    add("E003-emotion-not-a-number", "E003", ERROR, t, pos(t, "happy"), ("emotion", "a number", "'happy'"))
    t = variant("kind: system}", "kind: robot}")
    add("E003-role-kind", "E003", ERROR, t, pos(t, "robot"), ("kind", "'system'", "'robot'"))
    t = variant("cost: 30/h", "cost: thirty")
    add("E003-role-cost", "E003", ERROR, t, pos(t, "thirty"), ("cost", "cannot read 'thirty'"))
    t = with_flows("arrive => greet")
    add("E003-flow-arrow", "E003", ERROR, t, pos(t, "arrive => greet"), ("arrive => greet", "'->'"))
    t = variant("title: T", "title:")
    add("E003-empty-value", "E003", ERROR, t, pos(t, "title:"), ("title", "text", "nothing"))

    # ---- E004 unknown key -----------------------------------------------------------------
    t = variant("title: T\n", "title: T\ntitel: U\n")
    add("E004-top-level", "E004", ERROR, t, pos(t, "titel"), ("unknown key 'titel'", "(did you mean 'title'?)"),
        hint=("known keys", "title"))
    t = variant("{id: greet, text: Greets,", "{id: greet, txt: Hi, text: Greets,")
    add("E004-action", "E004", ERROR, t, pos(t, "txt"), ("'txt'", "in action", "(did you mean 'text'?)"))
    t = variant("    name: Arrive\n", "    name: Arrive\n    nam: Arrival\n")
    add("E004-step", "E004", ERROR, t, pos(t, "nam:"), ("'nam'", "in step", "(did you mean 'name'?)"))
    t = variant("    name: Arrive\n", "    name: Arrive\n    suport: []\n")
    add("E004-step-undeclared-lane", "E004", ERROR, t, pos(t, "suport"), ("'suport'", "(did you mean 'support'?)"),
        hint=("lanes:",))
    t = variant("kind: system}", "kind: system, deparment: IT}")
    add("E004-role", "E004", ERROR, t, pos(t, "deparment"), ("'deparment'", "in role", "(did you mean 'department'?)"))
    t = with_flows("{from: arrive, to: greet, lable: asks}")
    add("E004-flow-mapping", "E004", ERROR, t, pos(t, "lable"), ("'lable'", "in flow", "(did you mean 'label'?)"),
        count=1)
    t = variant("goal: G,", "gaol: G,")
    add("E004-scenario", "E004", ERROR, t, pos(t, "gaol"), ("'gaol'", "in scenario", "(did you mean 'goal'?)"))
    t = variant("text: Greets, role", "text: Greets, fail: {text: Slow, ownr: clerk, recovery: log}, role")
    add("E004-fail-point", "E004", ERROR, t, pos(t, "ownr"), ("'ownr'", "in fail point", "(did you mean 'owner'?)"))
    t = variant("evidence: [Door]", "evidence: [{text: Door, nte: brass}]")
    add("E004-evidence", "E004", ERROR, t, pos(t, "nte"), ("'nte'", "in evidence", "(did you mean 'note'?)"))
    t = variant("roles:\n", "demand: {arrival: 4/h}\nroles:\n")
    add("E004-demand", "E004", ERROR, t, pos(t, "arrival"), ("'arrival'", "in demand", "(did you mean 'arrivals'?)"))
    t = variant("roles:\n", "lanes:\n  policies: {name: P, aftr: support}\nroles:\n")
    add("E004-lane", "E004", ERROR, t, pos(t, "aftr"), ("'aftr'", "in lane", "(did you mean 'after'?)"))

    # ---- E005 missing field -------------------------------------------------------------
    t = variant("{id: greet, text: Greets,", "{id: greet,")
    add("E005-action-text", "E005", ERROR, t, pos(t, "id: greet"), ("missing required field 'text'",))
    t = variant("    name: Arrive\n", "")
    add("E005-step-name", "E005", ERROR, t, pos(t, "id: s1"), ("missing required field 'name'",))
    t = variant("title: T\n", "")
    add("E005-title", "E005", ERROR, t, (1, 1), ("missing required field 'title'",))
    t = with_flows("{from: arrive, p: 1}")
    add("E005-flow-to", "E005", ERROR, t, pos(t, "from: arrive"), ("missing required field 'to'",))
    t = with_flows("{to: greet}")
    add("E005-flow-from", "E005", ERROR, t, pos(t, "to: greet"), ("missing required field 'from'",))
    t = variant("text: Greets, role", "text: Greets, fail: {likelihood: 0.1}, role")
    # a mapping that is the value of a key is located at that key
    add("E005-fail-text", "E005", ERROR, t, pos(t, "fail:"), ("missing required field 'text'",))

    # ---- E006 not a blueprint -----------------------------------------------------------
    add("E006-empty", "E006", ERROR, "", (1, 1), ("empty file", "blueprint: 1"))
    add("E006-comment-only", "E006", ERROR, "# to do\n", (1, 1), ("empty file",))
    add("E006-list", "E006", ERROR, "- a\n- b\n", (1, 1), ("mapping", "not a list"))
    t = variant("blueprint: 1\n", "")
    add("E006-no-version", "E006", ERROR, t, (1, 1), ("'blueprint: 1' is missing",), hint=("first line",))
    add("E006-journey", "E006", ERROR, "journey: 1\ntitle: J\n", (1, 1), ("'blueprint: 1' is missing",),
        hint=("journey.yaml",))
    t = variant("blueprint: 1", "blueprint: 2")
    add("E006-version-2", "E006", ERROR, t, pos(t, "2"), ("unsupported format version 2",))
    t = variant("blueprint: 1", "blueprint: '1'")
    add("E006-version-as-text", "E006", ERROR, t, pos(t, "'1'"), ("unsupported format version '1'",))
    t = variant("blueprint: 1", "blueprint: true")
    add("E006-version-true", "E006", ERROR, t, pos(t, "true"), ("unsupported format version",))
    t = variant("blueprint: 1", "blueprint:")
    add("E006-version-empty", "E006", ERROR, t, (1, 1), ("unsupported format version",))

    # ---- W112 unknown ignored rule ------------------------------------------------------
    t = variant("title: T\n", "title: T\nignore: [W1O4]\n")
    add("W112-id-typo", "W112", WARNING, t, pos(t, "W1O4"), ("unknown rule 'W1O4'", "(did you mean 'W104'?)"),
        clean=variant("title: T\n", "title: T\nignore: [W104]\n"))
    t = variant("title: T\n", "title: T\nignore: [step-without-evidnce]\n")
    add("W112-name-typo", "W112", WARNING, t, pos(t, "step-without-evidnce"),
        ("'step-without-evidnce'", "(did you mean 'step-without-evidence'?)"),
        clean=variant("title: T\n", "title: T\nignore: [step-without-evidence]\n"))
    t = variant("title: T\n", "title: T\nignore: W1O4\n")
    add("W112-single-string", "W112", WARNING, t, pos(t, "W1O4"), ("'W1O4'",),
        clean=variant("title: T\n", "title: T\nignore: W104\n"))
    t = variant("title: T\n", "title: T\nignore: [I203, X999]\n")
    add("W112-second-entry", "W112", WARNING, t, pos(t, "X999"), ("unknown rule 'X999'",),
        clean=variant("title: T\n", "title: T\nignore: [I203]\n"))
    return cases


CASES = _cases()
E002_IDS = ["missing", "directory", "nul", "not-utf8", "too-big"]
COVERED = {c.rule for c in CASES} | {"E002"}


@pytest.mark.parametrize("case", params(CASES))
def test_triggers(case: Case) -> None:
    assert_triggers(case)


@pytest.mark.parametrize("case", clean_params(CASES))
def test_clean(case: Case) -> None:
    assert_clean(case)


# ---- extra loader behaviour -------------------------------------------------------------



def test_unknown_keys_are_dropped_and_the_rest_is_checked() -> None:
    text = variant("title: T\n", "title: T\ntitel: U\n", variant("role: clerk, duration: 2 min", "role: clerc, duration: 2 min"))
    rules = sorted(f.rule for f in run(text).findings)
    assert rules == ["E004", "E012", "I203"]



def test_every_unknown_key_is_reported_in_one_run() -> None:
    text = variant("kind: system}", "kind: system, deparment: IT}", variant("title: T\n", "title: T\ntitel: U\n"))
    found = of_rule(run(text), "E004")
    assert [(f.line, f.col) for f in found] == [pos(text, "titel"), pos(text, "deparment")]



def test_flow_mapping_with_misspelt_to_reports_both_unknown_and_missing() -> None:
    text = with_flows("{from: arrive, too: greet}")
    found = {f.rule: f for f in run(text).findings if f.severity is ERROR}
    assert set(found) == {"E004", "E005"}
    assert "(did you mean 'to'?)" in found["E004"].message
    assert (found["E004"].line, found["E004"].col) == pos(text, "too")
    assert (found["E005"].line, found["E005"].col) == pos(text, "from: arrive", after="flows:")




def test_duplicate_key_next_to_an_empty_key_does_not_crash() -> None:
    text = "blueprint: 1\ntitle: T\nroles:\n  clerk: {name: A}\n  clerk: {name: B}\nsteps:\n  - id: s1\n    : Arrive\n"
    result = run(text)
    (f,) = of_rule(result, "E001")
    assert "duplicate key 'clerk'" in f.message
    assert (f.line, f.col) == pos(text, "clerk", nth=2)


# ---- E002 unreadable file (needs real files) --------------------------------------------


def _e002(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str) -> tuple[Path, tuple[int, int], tuple[str, ...]]:
    p = tmp_path / "x.blueprint.yaml"
    if kind == "missing":
        return tmp_path / "nope.blueprint.yaml", (0, 0), ("no such file",)
    if kind == "directory":
        return tmp_path, (0, 0), ("directory",)
    if kind == "nul":
        p.write_bytes(b"blueprint: 1\ntitle: T\x00\n")
        return p, (2, 9), ("binary", "NUL")
    if kind == "not-utf8":
        p.write_bytes("blueprint: 1\ntitle: Caf\xe9\n".encode("latin-1"))
        return p, (2, 11), ("not UTF-8", "0xe9")
    if kind == "too-big":
        p.write_text(BASE, encoding="utf-8")
        monkeypatch.setenv("BLUEPRINT_MAX_BYTES", "100")
        return p, (1, 1), ("bytes", "limit")
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", E002_IDS)
def test_E002_triggers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    path, at, words = _e002(tmp_path, monkeypatch, kind)
    result = check(path)
    assert [f.rule for f in result.findings] == ["E002"]
    (f,) = result.findings
    assert f.severity is ERROR
    assert f.name == "unreadable-file"
    assert f.file == str(path)
    assert (f.line, f.col) == at
    for word in words:
        assert word in f.message
    assert result.exit_code() == 1



def test_E002_too_big_hint_names_the_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, _, _ = _e002(tmp_path, monkeypatch, "too-big")
    (f,) = check(path).findings
    assert f.hint is not None and "BLUEPRINT_MAX_BYTES" in f.hint




def test_E002_too_big_message_states_the_real_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, _, _ = _e002(tmp_path, monkeypatch, "too-big")
    (f,) = check(path).findings
    assert "100" in f.message and "0 MiB" not in f.message




def test_E002_nul_column(tmp_path: Path) -> None:
    p = tmp_path / "x.blueprint.yaml"
    p.write_bytes(b"blueprint: 1\ntitle: T\x00\n")
    (f,) = check(p).findings
    assert (f.line, f.col) == (2, 9)




def test_E002_not_utf8_column_counts_characters(tmp_path: Path) -> None:
    p = tmp_path / "x.blueprint.yaml"
    p.write_bytes(b"blueprint: 1\ntitle: \xc3\xa9t\xe9\n")  # 'title: ét' then a Latin-1 byte
    (f,) = check(p).findings
    assert f.rule == "E002"
    assert (f.line, f.col) == (2, 10)


@pytest.mark.parametrize("limit", [None, "100000"])
def test_E002_clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: str | None) -> None:
    """A readable UTF-8 file (with a BOM, an accent, under the limit) is no E002."""
    if limit:
        monkeypatch.setenv("BLUEPRINT_MAX_BYTES", limit)
    else:
        monkeypatch.delenv("BLUEPRINT_MAX_BYTES", raising=False)
    p = tmp_path / "x.blueprint.yaml"
    p.write_bytes(b"\xef\xbb\xbf" + variant("title: T", "title: Caf\u00e9").encode("utf-8"))
    result = check(p)
    assert not of_rule(result, "E002")
    assert [f.rule for f in result.findings] == ["I203"]
    assert result.findings[0].file == str(p)
    # the BOM is not counted in columns
    assert (result.findings[0].line, result.findings[0].col) == pos(BASE, "store", after="flows:")



def test_check_text_uses_the_given_file_name() -> None:
    (f,) = run(BASE).findings
    assert f.file == FILE
    assert f.format().startswith(f"{FILE}:21:31: info I203 ")


# ---- text the value parser accepts but the position parser rejects ----------------------

ODD_TEXT = variant("text: Greets,", "text: >5 min wait,")  # '>' starting a plain scalar in a flow mapping




def test_text_only_the_lenient_value_parser_accepts_is_a_syntax_error() -> None:
    # '>' cannot start a plain scalar in a flow mapping: rapidyaml and ruamel.yaml refuse it
    result = run(ODD_TEXT)
    assert [(f.rule, f.line, f.col) for f in result.findings] == [("E001", *pos(ODD_TEXT, ">5 min"))]


def test_locating_prints_nothing(capfd: pytest.CaptureFixture[str]) -> None:
    run(ODD_TEXT)
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")
