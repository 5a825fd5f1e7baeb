"""Shifts, peaks and patience on hand-checkable cases.

Times are seconds from Monday 00:00. A recording sink keeps every execution so the tests can
check when work started and ended.
"""

from __future__ import annotations

import numpy as np
import pytest

from service_blueprint import loads
from service_blueprint.demand import demand_profile
from service_blueprint.errors import UsageError
from service_blueprint.simulation.arrivals import WeeklyRate, arrival_times
from service_blueprint.simulation.engine import run
from service_blueprint.simulation.model import SimOptions, build_model
from service_blueprint.simulation.replications import simulate
from service_blueprint.simulation.shifts import parse_staff, roster

H = 3600.0
WEEK = 7 * 24 * H


class Recorder:
    def __init__(self) -> None:
        self.rows: list[tuple[int, int, float, float]] = []
        self.ended: list[int] = []

    def execution(self, case: int, action: int, start: float, end: float) -> None:
        self.rows.append((case, action, start, end))

    def case_end(self, case: int) -> None:
        self.ended.append(case)


def desk(shift: str, duration: str = "5 min", arrivals: str = "12/h", hours: str = "Mon 08:00-09:00") -> str:
    return f"""
blueprint: 1
title: Desk
roles: {{clerk: {{staff: 1, cost: 30/h, shifts: ["{shift}"]}}}}
demand: {{arrivals: {arrivals}, hours: "{hours}"}}
steps:
  - name: S
    frontstage: [{{id: serve, text: serves, role: clerk, duration: {duration}}}]
"""


def test_nobody_on_duty_queue_grows_then_drains_when_the_shift_starts() -> None:
    model = build_model(loads(desk("Mon 10:00-12:00")), SimOptions(days=1, warmup=0))
    rec = Recorder()
    stats = run(model, np.random.SeedSequence(4), rec)
    n = stats.arrivals
    assert n >= 3
    starts = sorted(r[2] for r in rec.rows)
    assert starts[0] == 10 * H  # the clerk comes on duty at 10:00 and takes the queue at once
    assert starts == [10 * H + k * 300 for k in range(n)]  # back to back, 5 min each
    assert stats.completed == n
    # The queue: everyone who came between 08:00 and 09:00 is still waiting all through 09:00-10:00.
    assert stats.queue[0, 9] / 3600 == pytest.approx(n)
    assert stats.queue[0, 8] / 3600 < n
    assert stats.busy[0, 10] == pytest.approx(min(n * 300, 3600))
    assert stats.busy[0, :10].sum() == 0
    assert stats.on_duty[0].sum() == pytest.approx(2 * H)
    assert stats.overtime[0] == 0


def test_end_of_shift_finishes_work_in_progress_and_queued_work_waits_for_the_next_shift() -> None:
    # On duty 10:00-10:12 each Monday; 5-minute jobs: 10:00, 10:05, 10:10 (ends 10:15, 3 min of
    # overtime); nothing starts after 10:12, the rest waits a week.
    model = build_model(loads(desk("Mon 10:00-10:12")), SimOptions(days=8, warmup=0))
    rec = Recorder()
    stats = run(model, np.random.SeedSequence(4), rec)
    assert stats.arrivals > 3
    starts = sorted(r[2] for r in rec.rows)
    for s in starts:
        assert 10 * H <= s % WEEK < 10 * H + 12 * 60
    first_week = [s for s in starts if s < WEEK]
    assert first_week == [10 * H, 10 * H + 300, 10 * H + 600]
    assert starts[3] == WEEK + 10 * H  # the fourth customer is served next Monday at 10:00
    assert stats.overtime[0] == pytest.approx(2 * 180.0)  # 3 min past the shift, both Mondays
    result = simulate(loads(desk("Mon 10:00-10:12")), SimOptions(days=8, warmup=0, replications=1, seed=4))
    clerk = result.role("clerk")
    assert clerk.paid_hours_per_week == pytest.approx(0.2)
    assert clerk.labour_cost_per_week == pytest.approx(30 * (0.2 + clerk.overtime_hours_per_week))


def test_shift_staff_override_and_overlapping_shifts_add_up() -> None:
    bp = loads("""
blueprint: 1
title: Night desk
roles:
  porter: {staff: 2, shifts: ["daily 22:00-06:00 x1", "Fri-Sat 22:00-06:00 x2", "Mon 09:00-10:00"]}
steps: [{name: S, frontstage: [{text: helps, role: porter, duration: 1 min}]}]
""")
    r = roster(bp)["porter"]
    assert r.capacity_at(0 * 24 * H + 23 * H) == 1  # Monday night
    assert r.capacity_at(4 * 24 * H + 23 * H) == 3  # Friday night: 1 + 2
    assert r.capacity_at(9.5 * H) == 2  # a shift without xN has the role's staff
    assert r.capacity_at(12 * H) == 0
    r = roster(bp, parse_staff(["porter=3"]))["porter"]
    assert r.capacity_at(9.5 * H) == 3 and r.capacity_at(23 * H) == 1
    r = roster(bp, parse_staff(["porter=1,4,2"]))["porter"]
    assert r.capacity_at(4 * 24 * H + 23 * H) == 5 and r.capacity_at(9.5 * H) == 2
    with pytest.raises(UsageError, match="one per shift"):
        roster(bp, parse_staff(["porter=1,2"]))
    with pytest.raises(UsageError, match=r"unknown role 'portr'.*porter"):
        roster(bp, parse_staff(["portr=1"]))
    with pytest.raises(UsageError, match="cannot read --staff"):
        parse_staff(["porter"])


def test_arrivals_follow_opening_hours_and_peaks() -> None:
    bp = loads("""
blueprint: 1
title: Peaks
demand: {arrivals: 10/h, hours: "Mon-Fri 09:00-17:00", peaks: ["Mon-Fri 12:00-13:00 x3", "Sat 10:00-11:00 20/h"]}
""")
    profile = demand_profile(bp)
    assert profile is not None
    rate = WeeklyRate.from_profile(profile)
    weeks = 40
    times = np.fromiter(arrival_times(rate, np.random.default_rng(8), weeks * WEEK), dtype=float)
    hours = ((times % WEEK) // H).astype(int)
    counts = np.bincount(hours, minlength=168) / weeks
    for day in range(5):
        base = day * 24
        assert counts[base + 8] == 0 and counts[base + 17] == 0  # closed
        assert counts[base + 10] == pytest.approx(10, abs=2.5)
        assert counts[base + 12] == pytest.approx(30, abs=4.5)  # x3 peak
    assert counts[5 * 24 + 10] == pytest.approx(20, abs=3.5)  # Saturday peak by rate
    assert counts[6 * 24:].sum() == 0  # Sunday closed
    assert times.size / weeks == pytest.approx(rate.per_week, rel=0.03)


def test_patience_zero_turns_a_queue_into_a_loss_system() -> None:
    # A customer who will not wait at all abandons whenever every unit is busy: M/M/c/c, whose
    # loss probability is Erlang B.
    text = """
blueprint: 1
title: Impatient
roles: {clerk: {staff: 2}}
demand: {arrivals: 2/min}
steps:
  - name: S
    customer: [{id: come, text: comes in}]
    frontstage: [{id: serve, text: serves, role: clerk, duration: ~1 min}]
flows: [come <-> serve]
"""
    from service_blueprint.quantities import Duration

    a = 2.0
    erlang_b = (a ** 2 / 2) / (1 + a + a ** 2 / 2)
    opts = SimOptions(days=5, warmup=3600, replications=5, seed=2, patience=Duration.parse("0 s"))
    result = simulate(loads(text), opts)
    est = result.abandoned_share
    assert abs(est.mean - erlang_b) <= 1.5 * est.half_width + 0.01, (est, erlang_b)
    assert result.role("clerk").mean_queue.mean == pytest.approx(0.0, abs=1e-9)
    # Patient customers never abandon.
    patient = simulate(loads(text.replace("2/min", "1/min")), SimOptions(days=2, warmup=0, replications=2, seed=2))
    assert patient.abandoned_share.mean == 0.0


def test_a_role_never_on_duty_is_a_usage_error() -> None:
    bp = loads(desk("Mon 10:00-12:00"))
    with pytest.raises(UsageError, match="never on duty"):
        build_model(bp, SimOptions(staff=parse_staff(["clerk=0"])))


def test_no_demand_is_a_usage_error() -> None:
    bp = loads("blueprint: 1\ntitle: T\nsteps: [{name: S, customer: [{text: waits, duration: 1 min}]}]\n")
    with pytest.raises(UsageError, match="no demand"):
        build_model(bp, SimOptions())


def test_a_run_can_start_mid_week() -> None:
    # Start on Wednesday 08:00: nobody arrives until Monday 08:00-09:00, served from 10:00.
    start = 2 * 24 * H + 8 * H
    model = build_model(loads(desk("Mon 10:00-12:00")), SimOptions(days=6, warmup=0, start=start))
    rec = Recorder()
    stats = run(model, np.random.SeedSequence(4), rec)
    assert stats.arrivals > 0
    starts = sorted(r[2] for r in rec.rows)
    assert starts[0] == WEEK + 10 * H
    assert stats.on_duty[0].sum() == pytest.approx(2 * H)  # one Monday shift inside the window


def test_arrivals_from_a_start_time_keep_the_rate() -> None:
    rate = WeeklyRate.from_profile(demand_profile(loads(
        'blueprint: 1\ntitle: T\ndemand: {arrivals: 30/h, hours: "Mon-Fri 09:00-17:00"}\n')))  # type: ignore[arg-type]
    start = 3 * 24 * H + 13 * H  # Thursday 13:00
    times = np.fromiter(arrival_times(rate, np.random.default_rng(1), start + 20 * WEEK, start=start), dtype=float)
    assert times.min() >= start
    assert times.size / 20 == pytest.approx(rate.per_week, rel=0.03)
    first_day = times[times < start + 11 * H]  # the rest of Thursday: 13:00-17:00 open
    assert first_day.size == pytest.approx(4 * 30, rel=0.35)


def test_staffing_text_round_trips_through_staff_overrides() -> None:
    from service_blueprint.simulation.shifts import staffing_text

    bp = loads("""
blueprint: 1
title: Rosters
roles:
  a: {staff: 3, shifts: ["Mon-Fri 08:00-17:00", "Sat 09:00-13:00 x1"]}
  b: {staff: 2, shifts: ["Mon-Fri 08:00-17:00 x4"]}
  c: {staff: 2}
  d: {kind: system}
steps: [{name: S, frontstage: [{text: x, role: a, duration: 1 min}]}]
""")
    for overrides in ([], ["a=7,7", "b=5", "c=4"], ["a=2", "b=1"]):
        first = roster(bp, parse_staff(overrides))
        again = roster(bp, parse_staff([staffing_text(r) for r in first.values()]))
        for rid in first:
            assert (first[rid].minutes == again[rid].minutes).all(), (overrides, rid)
    one = roster(bp, parse_staff(["b=5"]))["b"]
    assert one.capacity_at(9 * H) == 5  # a role with one shift: the number is that shift's count
    multi = roster(bp, parse_staff(["a=7"]))["a"]
    assert multi.capacity_at(9 * H) == 7 and multi.capacity_at(5 * 24 * H + 10 * H) == 1  # Sat keeps x1


def test_on_duty_time_of_long_windows_counts_whole_weeks() -> None:
    r = roster(loads(desk("Mon 10:00-12:00")))["clerk"]
    assert r.on_duty_seconds(0, 10 * WEEK + 11 * H).sum() == pytest.approx(11 * 2 * H - H)
    assert r.on_duty_seconds(10.5 * H, 3 * WEEK).sum() == pytest.approx(2 * 2 * H + 1.5 * H)
    assert r.on_duty_seconds(0, 520 * WEEK)[10] == pytest.approx(520 * H)
