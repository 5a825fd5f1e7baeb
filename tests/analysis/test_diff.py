"""``diff_blueprints``: matching, field changes, moves, flows, roles, deltas, the visual diff."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from service_blueprint import loads
from service_blueprint.analysis import diff_blueprints, format_diff, read_revision
from service_blueprint.analysis.diff import merged_blueprint
from service_blueprint.analysis.matching import match_actions, similarity
from service_blueprint.errors import UsageError
from service_blueprint.templates import template_text

OLD = """\
blueprint: 1
title: Counter
currency: EUR
roles:
  clerk: {name: Clerk, staff: 2, cost: 30/h}
  back: {name: Back office, staff: 1, cost: 40/h}
steps:
  - id: ask
    name: Ask
    customer: [{id: asks, text: Asks for a permit, duration: 2 min, emotion: -1}]
    frontstage: [{id: take, text: Takes the application form, role: clerk, duration: 10 min}]
    backstage: [{id: scan, text: Scans the form into the archive, role: clerk, duration: 5 min}]
  - id: check
    name: Check
    backstage: [{id: review, text: Reviews the application, role: back, duration: 30 min}]
  - id: old_step
    name: Stamp
    backstage: [{id: stamp, text: Stamps the paper copy, role: back, duration: 1 min}]
  - id: answer
    name: Answer
    customer: [{id: gets, text: Gets the permit, duration: 1 min}]
    frontstage: [{id: hand, text: Hands over the permit, role: clerk, duration: 2 min}]
flows:
  - asks <-> take
  - take -> scan
  - take -> review -> stamp -> hand
  - hand <-> gets
"""

NEW = """\
blueprint: 1
title: Counter
currency: EUR
roles:
  clerk: {name: Clerk, staff: 3, cost: 30/h}
  back: {name: Back office, staff: 1, cost: 40/h}
  web: {name: Web portal, kind: system}
steps:
  - id: ask
    name: Ask
    customer: [{id: asks, text: Asks for a permit, duration: 2 min, emotion: 0}]
    frontstage:
      - {id: take, text: Takes the application form, role: clerk, duration: 6 min}
      - {id: review, text: Reviews the application, role: back, duration: 20 min}
    support: [{id: upload, text: Uploads the form to the portal, role: web, duration: 10 s}]
  - id: answer
    name: Answer
    customer: [{id: receives, text: Gets the permit by post, duration: 1 min}]
    backstage: [{id: hand, text: Hands over the permit, role: clerk, duration: 2 min}]
flows:
  - asks <-> take
  - take -> upload
  - take -> review -> hand
  - hand <-> receives
"""

MIN = 60.0


@pytest.fixture(scope="module")
def diff():  # type: ignore[no-untyped-def]
    return diff_blueprints(loads(OLD), loads(NEW), old_label="v1", new_label="v2", samples=200)


def test_matching_by_id_then_text() -> None:
    matches = match_actions(loads(OLD), loads(NEW))
    pairs = {(m.old.action.id, m.new.action.id, m.by) for m in matches}
    assert ("gets", "receives", "text") in pairs  # "Gets the permit" ~ "Gets the permit by post"
    assert ("take", "take", "id") in pairs
    assert all(m.old.action.id not in ("scan", "stamp") for m in matches)
    assert similarity("Gets the permit", "gets  the PERMIT") == 1.0
    assert similarity("Scans the form", "Uploads a file") < 0.6


def test_added_removed_changed_moved(diff) -> None:  # type: ignore[no-untyped-def]
    assert [a.id for a in diff.added] == ["upload"]
    assert [r.id for r in diff.removed] == ["scan", "stamp"]
    changed = {c.id: c for c in diff.changed}
    assert set(changed) == {"asks", "take", "review", "receives", "hand"}
    assert [(f.field, f.old, f.new) for f in changed["take"].fields] == [("duration", "10 min", "6 min")]
    assert [(f.field, f.old, f.new) for f in changed["asks"].fields] == [("emotion", "-1", "0")]
    assert changed["receives"].matched_by == "text"
    assert [f.field for f in changed["receives"].fields] == ["id", "text"]
    review = changed["review"]
    assert review.moved and (review.old_step, review.new_step) == ("check", "ask")
    assert (review.old_lane, review.new_lane, review.visibility) == ("backstage", "frontstage", "now visible")
    assert changed["hand"].visibility == "now hidden"
    assert not changed["take"].moved
    assert diff.unchanged == 0
    assert [c.id for c in diff.moved] == ["review", "hand"]


def test_flows_roles_steps(diff) -> None:  # type: ignore[no-untyped-def]
    # gets was renamed to receives: hand <-> receives is the same flow, not a new one.
    assert [(f.source, f.target) for f in diff.flows_added] == [("take", "upload"), ("review", "hand")]
    assert [(f.source, f.target) for f in diff.flows_removed] == [("take", "scan"), ("review", "stamp"),
                                                                  ("stamp", "hand")]
    assert diff.flows_changed == ()
    assert diff.roles_added == ("web",) and diff.roles_removed == ()
    assert [(r.role, [(f.field, f.old, f.new) for f in r.fields]) for r in diff.roles_changed] == [
        ("clerk", [("staff", "2", "3")])]
    assert diff.steps_removed == ("check", "old_step") and diff.steps_added == ()


def test_deltas_by_hand(diff) -> None:  # type: ignore[no-untyped-def]
    d = {x.name: x for x in diff.deltas}
    # old: asks 2, take 10 (two-way: asks' successors wait for it), review 30, stamp 1, hand 2, gets 1 = 46
    # new: asks 2, take 6, review 20, hand 2, receives 1 = 31 min
    assert d["customer standard time"].old == pytest.approx(46 * MIN)
    assert d["customer standard time"].new == pytest.approx(31 * MIN)
    assert d["customer standard time"].verdict == "better"
    # cost: old clerk 17 min × 30/h + back 31 min × 40/h; new clerk 8 min × 30/h + back 20 min × 40/h
    assert d["cost per case"].old == pytest.approx(17 / 60 * 30 + 31 / 60 * 40)
    assert d["cost per case"].new == pytest.approx(8 / 60 * 30 + 20 / 60 * 40)
    # old: take -> review, stamp -> hand; new adds take -> upload (role and the internal line).
    assert d["handoffs"].old == 2 and d["handoffs"].new == 3
    assert d["lowest emotion"].change == pytest.approx(1) and d["lowest emotion"].verdict == "better"
    assert d["staff needed at the busiest period, all roles"].old is None  # no demand in either


def test_identical_and_determinism() -> None:
    bp = loads(template_text("bike-repair-current"))
    d = diff_blueprints(bp, bp, samples=100)
    assert d.identical and d.unchanged == len(bp.action_index)
    assert all(x.change == 0 for x in d.deltas if x.change is not None)
    assert format_diff(d, "text") == format_diff(diff_blueprints(bp, bp, samples=100), "text")


def test_merged_blueprint_puts_removed_actions_back(diff) -> None:  # type: ignore[no-untyped-def]
    merged = merged_blueprint(loads(OLD), loads(NEW), diff)
    assert [s.id for s in merged.steps] == ["ask", "old_step", "answer"]  # the dropped step comes back
    assert merged.step_of("scan") is not None and merged.step_of("scan").id == "ask"  # type: ignore[union-attr]
    assert merged.action_index["scan"].lane == "backstage"
    assert merged.action_index["stamp"].step.id == "old_step"
    assert {(e.source, e.target) for e in merged.edges} >= {("take", "scan"), ("review", "stamp"), ("stamp", "hand")}
    assert set(diff.highlight()) <= set(merged.action_index)
    assert diff.highlight()["scan"] == "removed" and diff.highlight()["upload"] == "added"


def test_every_format(diff) -> None:  # type: ignore[no-untyped-def]
    text = format_diff(diff, "text")
    assert "now visible" in text and "v1 → v2" in text
    md = format_diff(diff, "md")
    assert md.startswith("# Diff: Counter") and "| measure | v1 | v2 | change | verdict |" in md
    data = json.loads(format_diff(diff, "json"))
    assert data["moved"] == ["review", "hand"] and data["identical"] is False
    assert "old" not in data and data["old_label"] == "v1"
    svg = format_diff(diff, "svg")
    assert svg.startswith("<svg") and "hl-removed" in svg and "hl-added" in svg and "hl-changed" in svg
    page = format_diff(diff, "html")
    assert "<svg" in page and "What the change does" in page


def test_showcase_pair_reads_well() -> None:
    d = diff_blueprints(loads(template_text("bike-repair-current")), loads(template_text("bike-repair-future")),
                        samples=500)
    assert [r.id for r in d.removed] == ["write_ticket"]
    assert {a.id for a in d.added} == {"create_job", "send_status_link", "pay_link", "reorder_stock"}
    moved = {c.id: c.visibility for c in d.moved}
    assert moved == {"check_parts": "now visible"}
    by = {x.name: x for x in d.deltas}
    assert by["customer standard time"].verdict == "better" and by["cost per case"].verdict == "better"


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.email=t@example.org", "-c", "user.name=T",
                    "-c", "commit.gpgsign=false", *args], check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_read_revision(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    path = repo / "counter.blueprint.yaml"
    path.write_text(OLD)
    _git(repo, "add", "counter.blueprint.yaml")
    _git(repo, "commit", "-q", "-m", "v1")
    path.write_text(NEW)
    doc = read_revision(path, "HEAD")
    assert doc.blueprint is not None and "scan" in doc.blueprint.action_index
    assert doc.file == "HEAD:counter.blueprint.yaml"
    with pytest.raises(UsageError, match="unknown git revision"):
        read_revision(path, "no-such-rev")
    with pytest.raises(UsageError, match="not a git revision"):
        read_revision(path, "--output=/tmp/x")
    with pytest.raises(UsageError, match="does not exist at revision"):
        read_revision(repo / "other.blueprint.yaml", "HEAD")
    outside = tmp_path / "outside"
    outside.mkdir()
    with pytest.raises(UsageError, match="not in a git repository"):
        read_revision(outside / "x.blueprint.yaml", "HEAD")
