from __future__ import annotations

import os
import threading

import pytest
from pydantic import ValidationError

from service_blueprint import LoadError, load, loads, parse_document, read_document
from service_blueprint.flows import Chain, Link
from service_blueprint.sourcemap import SourceMap
from service_blueprint.templates import template_text


def test_loads_full_example(base_text: str) -> None:
    bp = loads(base_text)
    assert bp.title == "Same-day bike repair"
    assert bp.state == "current"
    assert bp.scenario.tolerance is not None and bp.scenario.tolerance.mean == 8 * 3600
    assert bp.roles["mechanic"].shifts[1].staff == 1
    assert bp.roles["stock"].capacity is None  # systems are unlimited unless staff is set
    assert bp.roles["counter"].capacity == 2
    assert bp.demand is not None and bp.demand.arrivals is not None and bp.demand.arrivals.per_hour == 4
    assert [p.action.id for p in bp.placed()] == [
        "walk_in", "greet", "describe", "inspect", "check_parts", "stock_lookup"]
    assert bp.action("inspect").fail is not None


def test_derived_ids_are_unique_and_marked() -> None:
    text = """\
blueprint: 1
title: T
steps:
  - name: Look up
    customer: [{text: Asks}]
    support: [{text: Stock lookup}, {text: Stock lookup}, {id: stock_lookup_3, text: Other}]
  - name: Look up
    customer: [{text: Asks}]
"""
    bp = loads(text)
    ids = [a.id for a in bp.actions()]
    assert ids == ["asks", "stock_lookup", "stock_lookup_2", "stock_lookup_3", "asks_2"]
    assert [s.id for s in bp.steps] == ["look_up", "look_up_2"]
    assert bp.action("stock_lookup").id_derived and not bp.action("stock_lookup_3").id_derived


def test_user_cannot_set_internal_marker() -> None:
    text = "blueprint: 1\ntitle: T\nsteps:\n  - name: S\n    customer: [{text: A, id_derived: true}]\n"
    doc = parse_document(text)
    assert [f.rule for f in doc.findings] == ["E004"]


def test_edges_include_implicit_customer_chain(base_text: str) -> None:
    bp = loads(base_text)
    implicit = [(e.source, e.target) for e in bp.edges if e.implicit]
    assert implicit == [("walk_in", "describe")]
    two_way = [(e.source, e.target) for e in bp.edges if e.two_way]
    assert two_way == [("describe", "inspect")]
    assert isinstance(bp.flows[0], Chain) and bp.flows[0].ids == ("walk_in", "greet", "describe")


def test_mapping_flow_with_probability() -> None:
    text = """\
blueprint: 1
title: T
steps:
  - name: S
    customer: [{id: a, text: A}]
    frontstage: [{id: b, text: B}, {id: c, text: C}]
flows:
  - {from: a, to: b, p: 0.2, label: rare}
  - {from: a, to: c, p: 0.8}
"""
    bp = loads(text)
    assert isinstance(bp.flows[0], Link)
    e = [x for x in bp.edges if not x.implicit]
    assert [(x.source, x.target, x.p, x.label) for x in e] == [("a", "b", 0.2, "rare"), ("a", "c", 0.8, None)]


def test_custom_lane_order() -> None:
    text = """\
blueprint: 1
title: T
lanes:
  policies: {name: Policies, after: backstage, line: line of policy}
  systems: {name: Systems}
steps:
  - name: S
    customer: [{text: A}]
    policies: [{text: Rule applies}]
    systems: [{text: Log}]
"""
    bp = loads(text)
    assert bp.lane_order == ("customer", "frontstage", "backstage", "policies", "support", "systems")
    assert bp.steps[0].lane("policies")[0].text == "Rule applies"


def test_four_lane_has_no_evidence(base_text: str) -> None:
    assert loads(base_text).has_evidence
    text = "blueprint: 1\ntitle: T\nsteps:\n  - name: S\n    customer: [{text: A}]\n"
    assert not loads(text).has_evidence


def test_single_values_become_lists() -> None:
    text = """\
blueprint: 1
title: T
roles:
  r: {shifts: Mon-Fri 08:00-17:00}
demand: {arrivals: 2/h, hours: Mon 09:00-12:00, peaks: Mon 09:00-10:00 x2}
phases: {One: s}
steps:
  - {id: s, name: S, evidence: Door, customer: [{text: A, fail: Falls over}]}
ignore: W104
"""
    bp = loads(text)
    assert len(bp.roles["r"].shifts) == 1 and bp.phases == {"One": ("s",)}
    assert bp.steps[0].evidence[0].text == "Door"
    assert bp.action("a").fail is not None and bp.action("a").fail.text == "Falls over"
    assert bp.ignore == ("W104",)


def test_model_is_immutable(base_text: str) -> None:
    bp = loads(base_text)
    with pytest.raises(ValidationError):
        bp.title = "x"  # type: ignore[misc]
    assert hash(bp.action("greet").duration)


def test_load_error_carries_findings(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "x.blueprint.yaml"
    path.write_text("blueprint: 1\ntitle: T\nsteps:\n  - name: S\n    customer: [{text: A, duration: 5}]\n")
    with pytest.raises(LoadError) as info:
        load(path)
    f = info.value.findings[0]
    assert (f.rule, f.line, f.col) == ("E003", 5, 36)
    assert "5 min" in f.message
    assert str(info.value).startswith(str(path))


def test_read_document_missing_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    doc = read_document(tmp_path / "nope.blueprint.yaml")
    assert [f.rule for f in doc.findings] == ["E002"] and doc.blueprint is None


def test_several_errors_reported_together() -> None:
    text = """\
blueprint: 1
title: T
steps:
  - name: S
    customer: [{text: A, duration: 5}]
    frontstage: [{text: B, emotion: lots}]
"""
    doc = parse_document(text)
    assert [(f.rule, f.line) for f in doc.findings] == [("E003", 5), ("E003", 6)]


def test_unknown_keys_are_dropped_so_other_checks_still_run() -> None:
    text = "blueprint: 1\ntitle: T\ncolour: red\nsteps:\n  - name: S\n    customer: [{text: A}]\n"
    doc = parse_document(text)
    assert doc.blueprint is not None
    assert [(f.rule, f.line, f.col) for f in doc.findings] == [("E004", 3, 1)]


def test_parsing_on_many_threads_leaves_stderr_where_it_was() -> None:
    """The position parser silences the C stderr while it parses, by pointing file descriptor 2
    at /dev/null; threads doing that at once (a server checking several saves) must not leave it
    there, or every later error message of the process is lost."""
    text = template_text("clinic-visit")
    before = os.fstat(2)

    def parse() -> None:
        for i in range(100):
            SourceMap(f"{text}# {i}\n").syntax_error()

    threads = [threading.Thread(target=parse) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    after = os.fstat(2)
    assert (after.st_dev, after.st_ino) == (before.st_dev, before.st_ino)
