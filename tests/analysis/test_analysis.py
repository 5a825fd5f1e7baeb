"""Every figure of ``analyze`` on small blueprints whose answers are worked out by hand."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service_blueprint import loads
from service_blueprint.analysis import analyze, format_analysis
from service_blueprint.analysis.handoffs import lines_of
from service_blueprint.analysis.load import staff_on_duty
from service_blueprint.errors import UsageError
from service_blueprint.templates import list_templates, template_text

MIN = 60.0

# c1 -> f1 -> {x, y} -> c2; x and y run in parallel, so time is a longest path, never a sum.
PARALLEL = """\
blueprint: 1
title: Parallel
currency: EUR
scenario: {tolerance: 45 min}
roles:
  a: {name: Agent, department: Front, staff: 2, cost: 60/h}
  b: {name: Back office, department: Back, staff: 1, cost: 30/h}
demand: {arrivals: 2/h, hours: Mon-Fri 09:00-17:00}
steps:
  - id: s1
    name: One
    evidence: [Desk]
    customer:
      - {id: c1, text: Asks, duration: 2 min, emotion: -1}
    frontstage:
      - {id: f1, text: Takes the request, role: a, duration: 10 min, wait: 5 min, tolerance: 12 min}
  - id: s2
    name: Two
    customer:
      - {id: c2, text: Receives the answer, duration: 1 min, emotion: 1}
    backstage:
      - {id: x, text: Checks the file, role: b, duration: 25 min}
      - {id: y, text: Prepares the answer, role: a, duration: 30 min}
flows:
  - c1 -> f1
  - f1 -> x -> c2
  - f1 -> y -> c2
"""


@pytest.fixture(scope="module")
def parallel():  # type: ignore[no-untyped-def]
    return analyze(loads(PARALLEL), samples=2000, seed=1)


def test_parallel_critical_path_and_standard_time(parallel) -> None:  # type: ignore[no-untyped-def]
    t = parallel.timing
    # c1 0-2, f1 ready 2 + wait 5 + 10 = 17, x 17-42, y 17-47, c2 47-48 (not 2+15+25+30+1 = 73).
    assert t.customer_time == pytest.approx(48 * MIN)
    assert t.case_time == pytest.approx(48 * MIN)
    assert t.customer_path == ("c1", "f1", "y", "c2")
    assert t.over_tolerance  # 48 min > 45 min
    by_id = {a.id: a for a in t.actions}
    assert by_id["f1"].start == pytest.approx(7 * MIN) and by_id["f1"].finish == pytest.approx(17 * MIN)
    assert by_id["x"].finish == pytest.approx(42 * MIN) and not by_id["x"].on_customer_path
    assert by_id["f1"].standard == pytest.approx(15 * MIN) and by_id["f1"].over_tolerance  # 15 > 12
    assert by_id["f1"].share_over == 1.0  # fixed times: every run is over
    assert [(s.id, s.start, s.finish) for s in t.steps] == [("s1", 0, 17 * MIN), ("s2", 17 * MIN, 48 * MIN)]
    # Fixed durations: every sampled case takes exactly the standard time.
    assert t.customer_spread is not None
    assert t.customer_spread.p50 == pytest.approx(48 * MIN) and t.customer_spread.p95 == pytest.approx(48 * MIN)
    assert t.customer_spread.share_over == 1.0


def test_parallel_lean_split(parallel) -> None:  # type: ignore[no-untyped-def]
    lean = parallel.timing.lean
    assert lean.action == pytest.approx(3 * MIN)  # c1 + c2
    assert lean.queue == pytest.approx(5 * MIN)  # f1's given wait
    assert lean.provider == pytest.approx(40 * MIN)  # f1 10 + y 30
    assert lean.total == pytest.approx(48 * MIN)


def test_parallel_cost(parallel) -> None:  # type: ignore[no-untyped-def]
    c = parallel.cost
    rows = {r.role: r for r in c.roles}
    assert rows["a"].work == pytest.approx(40 * MIN) and rows["a"].total == pytest.approx(40.0)
    assert rows["b"].work == pytest.approx(25 * MIN) and rows["b"].total == pytest.approx(12.5)
    assert c.per_case == pytest.approx(52.5)
    assert [(d.name, d.total) for d in c.departments] == [("Front", 40.0), ("Back", 12.5)]


def test_parallel_load_and_erlang_staffing(parallel) -> None:  # type: ignore[no-untyped-def]
    load = parallel.load
    roles = {r.role: r for r in load.roles}
    # 2/h × 40 min = 1.33 busy agents of 2; 2/h × 25 min = 0.83 busy back office staff of 1.
    assert roles["a"].average == pytest.approx(2 / 3)
    assert roles["b"].average == pytest.approx(5 / 6)
    assert load.bottleneck == "b"
    # Agent: 4 executions/h of 20 min each (a = 4/3 E). P(start within 2 min) with 2 staff
    # = 1 - 0.5333·e^(-(6-4)/30) = 0.501; with 3 = 1 - 0.1808·e^(-(9-4)/30) = 0.847 -> 3.
    assert roles["a"].service_time == pytest.approx(20 * MIN)
    assert roles["a"].periods[0].needed == 3 and roles["a"].periods[0].status == "short"
    # Back office: 2/h of 25 min; 2 staff give 0.777, 3 give 0.952 -> 3.
    assert roles["b"].periods[0].needed == 3
    assert roles["b"].hours_over == 0 and roles["b"].unstaffed == ""


def test_parallel_handoffs_and_lines(parallel) -> None:  # type: ignore[no-untyped-def]
    ix = parallel.interactions
    assert [(h.source, h.target, h.reasons) for h in ix.handoffs] == [("f1", "x", ("role", "department"))]
    assert [(d.source, d.target, d.count) for d in ix.department_pairs] == [("Front", "Back", 1)]
    crossings = {c.line: c.count for c in ix.crossings}
    assert crossings == {"line of interaction": 3, "line of visibility": 4, "line of internal interaction": 0}
    assert [(e.customer, e.provider) for e in ix.encounters] == [("c1", "f1"), ("c2", "x"), ("c2", "y")]
    assert ix.expected_handoffs == pytest.approx(1.0)


def test_parallel_completeness(parallel) -> None:  # type: ignore[no-untyped-def]
    c = parallel.completeness
    assert (c.duration.have, c.duration.of) == (5, 5)
    assert (c.role.have, c.role.of) == (3, 3)
    assert (c.evidence.have, c.evidence.of) == (1, 2)
    assert dict(c.sources)["unspecified"] == 5


CHOICE = """\
blueprint: 1
title: Choice
roles:
  r: {staff: 3, cost: 60/h}
steps:
  - id: s1
    name: One
    customer: [{id: c1, text: Asks, duration: 1 min}]
    backstage: [{id: a, text: Sorts, role: r, duration: 10 min}]
  - id: s2
    name: Two
    backstage:
      - {id: b, text: Quick fix, role: r, duration: 20 min}
      - {id: c, text: Long fix, role: r, duration: 40 min}
  - id: s3
    name: Three
    customer: [{id: c2, text: Gets it back, duration: 1 min}]
flows:
  - c1 -> a
  - {from: a, to: b, p: 0.7}
  - {from: a, to: c, p: 0.3}
  - b -> c2
  - c -> c2
"""


def test_choice_standard_time_follows_the_most_likely_branch() -> None:
    a = analyze(loads(CHOICE), samples=10_000, seed=3)
    t = a.timing
    # c1 0-1, a 1-11, b 11-31, c2 31-32; the long branch is not on the standard route.
    assert t.customer_time == pytest.approx(32 * MIN)
    assert t.customer_path == ("c1", "a", "b", "c2")
    assert [(b.source, b.target, b.probability) for b in t.branches] == [("a", "b", 0.7)]
    assert {x.id: x.route for x in t.actions}["c"] == 0.0
    # Every branch in the Monte Carlo: 32 min 70 % of the time, 52 min 30 %.
    s = t.customer_spread
    assert s is not None
    assert s.p50 == pytest.approx(32 * MIN) and s.p90 == pytest.approx(52 * MIN)
    assert s.mean == pytest.approx((0.7 * 32 + 0.3 * 52) * MIN, abs=0.5 * MIN)
    # Work over all branches: 10 + 0.7·20 + 0.3·40 = 36 min; exact probabilities, not sampled.
    assert a.exact
    execs = {x.id: x.executions for x in t.actions}
    assert execs["b"] == pytest.approx(0.7) and execs["c"] == pytest.approx(0.3)
    assert a.cost.roles[0].work == pytest.approx(36 * MIN)
    assert any("most likely branch" in n and "a -> b (70 %)" in n for n in a.notes)


OPTIONAL = """\
blueprint: 1
title: Optional and rework
roles:
  r: {name: Clerk, staff: 1, cost: 30/h}
  sys: {kind: system}
steps:
  - id: s1
    name: One
    customer:
      - {id: c1, text: Hands in the form, duration: 2 min, emotion: 0}
      - {id: c_opt, text: Complains about the queue, duration: 5 min, p: 0.4, emotion: -2}
    frontstage:
      - id: f
        text: Checks the form
        role: r
        duration: 10 min
        repeat: 0.5
        fail: {text: Misreads a field, likelihood: 0.2, impact: 3}
      - id: o
        text: Offers a leaflet
        role: r
        duration: 6 min
        p: 0.5
        fail: {text: Leaflet out of stock, likelihood: 0.5, impact: 1, owner: r, recovery: Print one}
    support:
      - {id: log, text: Logs it, role: sys, duration: 1 s, fail: Log lost}
  - id: s2
    name: Two
    customer: [{id: c2, text: Leaves, duration: 1 min, emotion: 1}]
flows:
  - c1 -> f -> c2
  - c1 -> o
  - f -> log
"""


def test_optional_actions_and_rework() -> None:
    a = analyze(loads(OPTIONAL), samples=20_000, seed=5)
    t = a.timing
    by_id = {x.id: x for x in t.actions}
    # Rework 0.5: two executions expected; optional p 0.5: half an execution.
    assert by_id["f"].executions == pytest.approx(2.0) and by_id["f"].standard == pytest.approx(20 * MIN)
    assert by_id["o"].executions == pytest.approx(0.5) and by_id["o"].route == pytest.approx(0.5)
    assert by_id["c_opt"].executions == pytest.approx(0.4)
    # c1 0-2; c_opt counts 0.4 × 5 = 2 min (2-4); f 2-22; c2 22-23.
    assert by_id["c_opt"].finish == pytest.approx(4 * MIN)
    assert t.customer_time == pytest.approx(23 * MIN)
    assert t.customer_path == ("c1", "f", "c2")
    # Mean of the sampled customer time: 2 + 10 × E[executions] + 1 = 23 min (c_opt runs in parallel).
    assert t.customer_spread is not None and t.customer_spread.mean == pytest.approx(23 * MIN, abs=0.6 * MIN)
    # Work: 10 × 2 + 6 × 0.5 = 23 min at 30/h.
    clerk = next(r for r in a.cost.roles if r.role == "r")
    assert clerk.work == pytest.approx(23 * MIN) and clerk.total == pytest.approx(11.5)
    assert a.load.roles == ()  # no demand
    assert any("No demand" in n for n in a.notes)


def test_fail_points_are_ranked_and_flagged() -> None:
    a = analyze(loads(OPTIONAL), samples=0)
    points = a.fails.points
    assert [f.action for f in points] == ["f", "o", "log"]
    f, o, log = points
    assert f.per_case == pytest.approx(0.4) and f.risk == pytest.approx(1.2)  # 0.2 × 2 executions × 3
    assert f.problems == ("no owner", "no recovery") and f.visible
    assert o.per_case == pytest.approx(0.25) and o.risk == pytest.approx(0.25) and o.problems == ()
    assert log.per_case is None and log.problems == ("no owner", "no recovery", "no likelihood", "no impact")
    assert not log.visible
    assert a.fails.per_case == pytest.approx(0.65)
    assert a.fails.flagged == 2


def test_moments_of_truth_and_emotion_curve() -> None:
    a = analyze(loads(OPTIONAL), samples=0)
    ix = a.interactions
    moments = {m.action: m.reasons for m in ix.moments}
    assert moments == {
        "c1": ("fail point on f: Misreads a field", "fail point on o: Leaflet out of stock"),
        "c_opt": ("emotion -2",),
        "c2": ("fail point on f: Misreads a field",),
    }
    assert [(e.action, e.emotion) for e in ix.emotions] == [("c1", 0), ("c_opt", -2), ("c2", 1)]
    assert ix.lowest is not None and ix.lowest.action == "c_opt"
    assert ix.end is not None and ix.end.action == "c2"


def test_two_way_flow_keeps_the_customer_in_the_interaction() -> None:
    text = PARALLEL.replace("  - c1 -> f1\n", "  - c1 <-> f1\n")
    a = analyze(loads(text), samples=0)
    # f1 is now joined to the customer: it counts as time in action, not provider work.
    assert a.timing.lean.action == pytest.approx(13 * MIN)
    assert a.timing.lean.provider == pytest.approx(30 * MIN)


SHIFTS = """\
blueprint: 1
title: Shifts
roles:
  r: {name: Desk, staff: 5, shifts: [Mon-Fri 09:00-13:00 x2, Mon-Fri 13:00-17:00 x1]}
  q: {name: Early, staff: 1, shifts: Mon-Fri 09:00-16:00}
  sys: {kind: system}
demand: {arrivals: 2/h, hours: Mon-Fri 09:00-17:00, peaks: Mon 09:00-11:00 6/h}
steps:
  - id: s
    name: S
    customer: [{id: c, text: Comes, duration: 1 min}]
    frontstage:
      - {id: w, text: Serves, role: r, duration: 30 min}
      - {id: e, text: Files, role: q, duration: 6 min}
    support: [{id: z, text: Stores, role: sys, duration: 1 s}]
flows: [c -> w, c -> e, w -> z]
"""


def test_utilisation_per_period_follows_the_shifts() -> None:
    a = analyze(loads(SHIFTS), samples=0)
    r = next(x for x in a.load.roles if x.role == "r")
    base, peak = r.periods
    # Base: 1 Erlang over 2280 minutes against 3360 staff-minutes (2 mornings, 1 afternoons).
    assert base.utilisation == pytest.approx(2280 / 3360)
    assert (base.staff_min, base.staff_max) == (1, 2)
    # Peak Mon 09-11: 6/h × 30 min = 3 Erlangs on 2 staff.
    assert peak.utilisation == pytest.approx(1.5) and (peak.staff_min, peak.staff_max) == (2, 2)
    assert r.average == pytest.approx((2280 + 360) / 3600)
    assert r.hours_over == 2 and r.hourly[9] == pytest.approx(1.5) and r.hourly[13] == pytest.approx(1.0)
    q = next(x for x in a.load.roles if x.role == "q")
    assert q.unstaffed == "Mon 16:00-17:00, Tue 16:00-17:00, Wed 16:00-17:00, Thu 16:00-17:00, Fri 16:00-17:00"
    assert math.isinf(q.hourly[16])
    assert a.load.unlimited == ("sys",)
    assert a.load.peak_bottleneck == ("r", "peak Mon 09:00-11:00")
    assert a.load.bottleneck == "r"


def test_staff_on_duty() -> None:
    bp = loads(SHIFTS)
    r = staff_on_duty(bp.roles["r"])
    assert r is not None and r[9 * 60] == 2 and r[13 * 60] == 1 and r[8 * 60] == 0
    assert staff_on_duty(bp.roles["sys"]) is None
    plain = loads("blueprint: 1\ntitle: T\nroles: {p: {staff: 3}, one: {}}\n")
    assert staff_on_duty(plain.roles["p"]) is not None and set(staff_on_duty(plain.roles["p"])) == {3.0}  # type: ignore[arg-type]
    assert set(staff_on_duty(plain.roles["one"])) == {1.0}  # type: ignore[arg-type]


def test_custom_lane_lines() -> None:
    bp = loads("blueprint: 1\ntitle: T\nlanes: {policies: {after: support, line: line of policy}}\n")
    assert lines_of(bp) == ["line of interaction", "line of visibility", "line of internal interaction",
                            "line of policy"]


def test_json_is_deterministic_and_complete() -> None:
    bp = loads(template_text("bike-repair-current"))
    one = format_analysis(analyze(bp, samples=500, seed=2), "json")
    two = format_analysis(analyze(bp, samples=500, seed=2), "json")
    assert one == two
    data = json.loads(one)
    assert set(data) >= {"timing", "cost", "load", "fails", "interactions", "completeness", "notes", "settings"}
    assert data["timing"]["customer_path"][0] == "walk_in"
    assert data["settings"] == {"samples": 500, "seed": 2, "target": 0.8, "within": 120.0}
    assert "blueprint" not in data


@pytest.mark.parametrize("name", [t.name for t in list_templates()])
def test_every_template_analyses_in_every_format(name: str) -> None:
    a = analyze(loads(template_text(name)), samples=200)
    assert a.timing.customer_time > 0
    for fmt in ("text", "md", "json", "html"):
        out = format_analysis(a, fmt)
        assert a.title in out or fmt == "json"


def test_bad_settings() -> None:
    bp = loads(PARALLEL)
    with pytest.raises(UsageError, match="between 0 and 1"):
        analyze(bp, target=1.5)
    with pytest.raises(UsageError, match="negative"):
        analyze(bp, samples=-1)
    with pytest.raises(UsageError, match="time limit"):
        analyze(bp, within=-2)


LANES = ("customer", "frontstage", "backstage", "support")


@st.composite
def fixed_time_blueprints(draw: st.DrawFn) -> str:
    """Random acyclic flow graphs (one- and two-way) over actions of fixed durations and waits."""
    n = draw(st.integers(1, 9))
    lines = ["blueprint: 1", "title: T", "steps:"]
    for i in range(n):
        lane = draw(st.sampled_from(LANES))
        minutes = draw(st.integers(0, 30))
        wait = draw(st.sampled_from(["", ", wait: 5 min"]))
        lines += [f"  - {{id: s{i}, name: S{i}, {lane}: [{{id: a{i}, text: A{i}, duration: {minutes} min{wait}}}]}}"]
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.booleans()), max_size=12))
    flows = [f"  - a{min(a, b)} {'<->' if two else '->'} a{max(a, b)}" for a, b, two in pairs if a != b]
    return "\n".join([*lines, "flows:", *flows] if flows else lines) + "\n"


@settings(max_examples=120, deadline=None)
@given(fixed_time_blueprints())
def test_critical_path_agrees_with_the_flow_semantics(text: str) -> None:
    # With fixed times and no choice, every sampled case must take exactly the standard time:
    # the critical path and sample_paths read DESIGN §2 the same way.
    a = analyze(loads(text), samples=20, seed=0)
    t = a.timing
    assert t.customer_spread is not None and t.case_spread is not None
    assert t.customer_spread.p50 == pytest.approx(t.customer_time)
    assert t.customer_spread.p95 == pytest.approx(t.customer_time)
    assert t.case_spread.mean == pytest.approx(t.case_time)
    by_id = {x.id: x for x in t.actions}
    # The path's own times add up to the end-to-end time (a longest path, not a sum of branches).
    if t.customer_path:
        assert sum(by_id[i].standard for i in t.customer_path) == pytest.approx(t.customer_time)
    assert t.lean.total == pytest.approx(t.customer_time)


def test_system_without_staff_is_unlimited_even_with_shifts() -> None:
    bp = loads("blueprint: 1\ntitle: T\nroles: {s: {kind: system, shifts: Mon 09:00-10:00 x2}, "
               "t: {kind: system, staff: 2, shifts: Mon 09:00-10:00}}\n")
    assert staff_on_duty(bp.roles["s"]) is None
    limited = staff_on_duty(bp.roles["t"])
    assert limited is not None and limited[9 * 60] == 2 and limited[11 * 60] == 0


def test_report_highlights_critical_bottleneck_and_fails(parallel) -> None:  # type: ignore[no-untyped-def]
    from service_blueprint.analysis.document import highlights

    assert highlights(parallel) == {"c1": "critical", "f1": "critical", "y": "critical", "c2": "critical",
                                    "x": "bottleneck"}
    marks = highlights(analyze(loads(OPTIONAL), samples=0))
    assert marks["o"] == "fail" and marks["log"] == "fail" and marks["f"] == "critical"
    page = format_analysis(parallel, "html")
    assert 'class="action lane-backstage role-b hl-bottleneck"' in page
