"""Per-file suppression (``ignore:``), four-lane blueprints and derived ids."""

from __future__ import annotations

import pytest
from _rules_kit import (
    BASE,
    BASE_FLOW,
    STEP2,
    of_rule,
    pos,
    run,
    variant,
    with_flows,
    with_step,
)

from service_blueprint.findings import Severity
from service_blueprint.loader import loads

NO_EVIDENCE_STEP = variant("    evidence: [Receipt]\n", "", STEP2)
MISSING_EVIDENCE = with_step(NO_EVIDENCE_STEP)


def with_ignore(names: str, text: str) -> str:
    return variant("title: T\n", f"title: T\nignore: {names}\n", text)


# ---- ignore ------------------------------------------------------------------------------



def test_without_ignore_the_warning_is_reported() -> None:
    (f,) = of_rule(run(MISSING_EVIDENCE), "W104")
    assert (f.line, f.col) == pos(MISSING_EVIDENCE, "id: s2")


@pytest.mark.parametrize("names", ["[W104]", "[step-without-evidence]", "W104", "step-without-evidence"])
def test_ignore_by_id_or_name_hides_only_that_rule(names: str) -> None:
    result = run(with_ignore(names, MISSING_EVIDENCE))
    assert not of_rule(result, "W104")
    assert not of_rule(result, "W112")
    assert [f.rule for f in result.findings] == ["I203"]
    assert result.exit_code(strict=True) == 0



def test_ignore_several_rules_and_infos() -> None:
    result = run(with_ignore("[W104, internal-handoff]", MISSING_EVIDENCE))
    assert result.findings == []



def test_ignore_hides_every_finding_of_the_rule() -> None:
    text = with_step(variant("id: s2", "id: s3", NO_EVIDENCE_STEP), MISSING_EVIDENCE)
    assert len(of_rule(run(text), "W104")) == 2
    assert not of_rule(run(with_ignore("[W104]", text)), "W104")



def test_unknown_ignored_rule_does_not_hide_anything() -> None:
    result = run(with_ignore("[W1O4]", MISSING_EVIDENCE))
    assert sorted(f.rule for f in result.findings) == ["I203", "W104", "W112"]


@pytest.mark.parametrize("names", ["[E004]", "[unknown-key]", "[E004, W104]"])
def test_ignore_cannot_hide_an_unknown_key(names: str) -> None:
    text = with_ignore(names, variant("title: T\n", "title: T\ntitel: U\n"))
    (f,) = of_rule(run(text), "E004")
    assert f.severity is Severity.ERROR
    assert (f.line, f.col) == pos(text, "titel")
    assert run(text).exit_code() == 1


@pytest.mark.parametrize(
    ("rule", "old", "new"),
    [
        ("E003", "duration: 2 min", "duration: 2"),
        ("E005", "{id: greet, text: Greets,", "{id: greet,"),
        ("E006", "blueprint: 1", "blueprint: 2"),
    ],
)
def test_ignore_cannot_hide_other_load_errors(rule: str, old: str, new: str) -> None:
    text = with_ignore(f"[{rule}]", variant(old, new))
    assert [f.rule for f in run(text).findings if f.severity is Severity.ERROR] == [rule]



def test_ignore_cannot_hide_a_syntax_error() -> None:
    text = "blueprint: 1\nignore: [E001, yaml-syntax]\ntitle: [T\n"
    (f,) = run(text).findings
    assert f.rule == "E001"
    assert (f.line, f.col) == pos(text, "[T")



def test_select_runs_only_the_chosen_rules() -> None:
    result = run(MISSING_EVIDENCE)
    assert sorted(f.rule for f in result.findings) == ["I203", "W104"]
    from service_blueprint.checker import check_text

    only = check_text(MISSING_EVIDENCE, "x.blueprint.yaml", select=["step-without-evidence"])
    assert [f.rule for f in only.findings] == ["W104"]


# ---- four lanes --------------------------------------------------------------------------

FOUR_LANES = with_step(NO_EVIDENCE_STEP, variant("    evidence: [Door]\n", ""))



def test_four_lane_blueprint_gets_no_W104() -> None:
    """DESIGN 1: some teams draw four lanes (no evidence anywhere); that must validate."""
    result = run(FOUR_LANES)
    assert not of_rule(result, "W104")
    assert [f.rule for f in result.findings] == ["I203"]



def test_empty_evidence_lists_everywhere_are_four_lanes_too() -> None:
    text = with_step(variant("    evidence: [Receipt]\n", "    evidence: []\n", STEP2),
                     variant("    evidence: [Door]\n", "    evidence: []\n"))
    result = run(text)
    assert not of_rule(result, "W104")
    assert [f.rule for f in result.findings] == ["I203"]



def test_one_step_with_evidence_makes_the_others_report_W104() -> None:
    text = variant("    name: Leave\n", "    name: Leave\n    evidence: Receipt\n", FOUR_LANES)
    (f,) = of_rule(run(text), "W104")
    assert f.message == "step 's1' has no evidence"
    assert (f.line, f.col) == pos(text, "id: s1")


# ---- derived ids -------------------------------------------------------------------------

STORE = "      - {id: store, text: Stores record, role: sys, duration: 5 s}\n"
DERIVED = with_flows(
    "arrive -> greet -> log",
    "log -> stock_lookup",
    "leave -> stock_lookup_2 -> cafe_order",
    replace=True,
    text=with_step(
        STEP2 + "    support:\n      - {text: Stock lookup, role: sys}\n      - {text: Café order, role: sys}\n",
        variant(STORE, "      - {text: Stock lookup, role: sys, duration: 5 s}\n"),
    ),
)



def test_derived_ids_come_from_the_text_and_are_made_unique() -> None:
    bp = loads(DERIVED)
    ids = [(p.action.id, p.action.id_derived) for p in bp.placed()]
    assert ids == [
        ("arrive", False), ("greet", False), ("log", False), ("stock_lookup", True),
        ("leave", False), ("stock_lookup_2", True), ("cafe_order", True),
    ]



def test_derived_ids_can_be_used_in_flows() -> None:
    result = run(DERIVED)
    assert result.errors == 0
    assert not of_rule(result, "E013")
    assert not of_rule(result, "W103")
    (handoff,) = of_rule(result, "I203")
    assert "log (backstage) -> stock_lookup (support)" in handoff.message
    assert (handoff.line, handoff.col) == pos(DERIVED, "stock_lookup", after="log -> ")



def test_derived_id_misspelt_in_a_flow_suggests_the_derived_id() -> None:
    text = variant("leave -> stock_lookup_2", "leave -> stock_lookup_3", DERIVED)
    (f,) = of_rule(run(text), "E013")
    assert "unknown action 'stock_lookup_3'" in f.message
    assert "did you mean 'stock_lookup_2'" in f.message or "did you mean 'stock_lookup'" in f.message
    assert (f.line, f.col) == pos(text, "stock_lookup_3")
    assert f.hint is not None and "derived from the text" in f.hint



def test_explicit_ids_are_reserved_before_deriving() -> None:
    """A later explicit ``id: stock_lookup`` keeps its id; the earlier derived one moves aside."""
    text = variant("      - {text: Stock lookup, role: sys}\n",
                   "      - {id: stock_lookup, text: Stock lookup, role: sys}\n", DERIVED)
    by_text = [(p.action.id, p.action.id_derived) for p in loads(text).placed() if p.action.text == "Stock lookup"]
    assert by_text == [("stock_lookup_2", True), ("stock_lookup", False)]
    result = run(text)
    assert not of_rule(result, "E010")
    assert result.errors == 0



def test_derived_step_ids_can_be_used_in_phases() -> None:
    step = variant("  - id: s2\n    name: Leave\n", "  - name: Pay the bill\n", STEP2)
    text = variant("roles:\n", "phases:\n  Visit: [s1]\n  Pay: [pay_the_bill]\nroles:\n", with_step(step))
    result = run(text)
    assert not of_rule(result, "E014")
    assert not of_rule(result, "W109")
    assert result.errors == 0



def test_derived_step_id_never_duplicates_an_explicit_one() -> None:
    step = variant("  - id: s2\n    name: Leave\n", "  - name: S1\n", STEP2)
    text = with_step(step)
    assert not of_rule(run(text), "E011")
    assert [s.id for s in loads(text).steps] == ["s1", "s1_2"]



def test_base_flow_constant_matches_base() -> None:
    assert BASE.endswith("flows:\n" + BASE_FLOW)
