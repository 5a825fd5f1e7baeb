"""``blueprint staff`` and ``blueprint sweep``: the plan meets the target and is minimal; grids
run the same in one process, in several, and on a (local) Dask cluster."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

import pytest

from _cli_runner import run as run_cli
from service_blueprint import loads
from service_blueprint.errors import UsageError
from service_blueprint.simulation.model import SimOptions
from service_blueprint.simulation.replications import simulate
from service_blueprint.simulation.shifts import parse_staff
from service_blueprint.simulation.staffing import parse_target, plan_staff
from service_blueprint.simulation.sweep import grid, parse_demand_range, parse_staff_range, sweep

SHOP = """\
blueprint: 1
title: Copy shop
scenario: {tolerance: 15 min}
roles:
  clerk: {staff: 1, cost: 30/h, shifts: ["Mon-Fri 09:00-17:00"]}
  printer: {kind: system}
demand: {arrivals: 20/h, hours: "Mon-Fri 09:00-16:30"}
steps:
  - name: Copy
    customer:
      - {id: come, text: comes in}
    frontstage:
      - {id: take, text: takes the order, role: clerk, duration: ~4 min}
    support:
      - {id: print, text: prints, role: printer, duration: 2 min}
flows:
  - come <-> take
  - take -> print
"""
OPTS = SimOptions(days=5, warmup=0, replications=3, seed=5)


def test_parse_target() -> None:
    t = parse_target("90% within tolerance")
    assert (t.share, t.within) == (0.9, None)
    t = parse_target("80 % within 2 h")
    assert (t.share, t.within) == (0.8, 7200.0)
    for bad in ("90 within tolerance", "100% within tolerance", "90% within soon"):
        with pytest.raises(UsageError):
            parse_target(bad)


def test_plan_meets_the_target_and_one_less_does_not() -> None:
    bp = loads(SHOP)
    target = parse_target("85% within tolerance")
    plan = plan_staff(bp, target, OPTS)
    assert plan.met and plan.achieved.mean >= 0.85
    (row,) = plan.rows
    assert (row.role, row.current) == ("clerk", 1)
    assert row.proposed >= 2  # 20/h × 4 min is 1.33 erlangs: one clerk cannot keep up
    assert plan.proposed_cost == pytest.approx(30 * 40 * row.proposed)
    assert plan.staff_args == (f"clerk={row.proposed}",)
    fewer = simulate(bp, replace(OPTS, staff=parse_staff([f"clerk={row.proposed - 1}"])))
    assert fewer.within_tolerance.mean < 0.85


def test_unreachable_target_says_so() -> None:
    bp = loads(SHOP.replace("tolerance: 15 min", "tolerance: 3 min"))  # the work alone takes longer
    plan = plan_staff(bp, parse_target("90% within tolerance"), OPTS)
    assert not plan.met
    assert plan.best_possible is not None and plan.best_possible.mean < 0.9


def test_ranges() -> None:
    assert parse_staff_range("mechanic=2..5") == ("mechanic", [2, 3, 4, 5])
    assert parse_staff_range("mechanic=3") == ("mechanic", [3])
    assert parse_demand_range("0.8..1.2x", 0.1) == [0.8, 0.9, 1.0, 1.1, 1.2]
    assert parse_demand_range("1.5x", 0.1) == [1.5]
    for bad in ("mechanic", "mechanic=5..2", "mechanic=1.5", "=3"):
        with pytest.raises(UsageError):
            parse_staff_range(bad)
    with pytest.raises(UsageError):
        parse_demand_range("1.5..0.5x", 0.1)
    scenarios = grid([("clerk", [1, 2])], [0.5, 1.0])
    assert [(s.staff, s.demand) for s in scenarios] == [
        ((("clerk", 1),), 0.5), ((("clerk", 1),), 1.0), ((("clerk", 2),), 0.5), ((("clerk", 2),), 1.0)]


def test_sweep_is_the_same_in_one_process_and_in_several() -> None:
    bp = loads(SHOP)
    scenarios = grid([("clerk", [2, 3])], [0.8, 1.2])
    opts = replace(OPTS, days=2, replications=2)
    one = sweep(bp, scenarios, opts, jobs=1)
    two = sweep(bp, scenarios, opts, jobs=2)
    assert one == two
    assert [r.scenario for r in one] == scenarios
    by = {(r.scenario.staff[0][1], r.scenario.demand): r for r in one}
    assert by[(3, 0.8)].within_tolerance >= by[(2, 1.2)].within_tolerance
    assert by[(2, 1.2)].max_utilisation > by[(3, 0.8)].max_utilisation
    # Same seed in every scenario: the 1.2x scenario has 1.2 times the arrivals.
    assert by[(2, 1.2)].bottleneck == "clerk"


def test_sweep_on_a_local_dask_cluster() -> None:
    distributed = pytest.importorskip("distributed")
    bp = loads(SHOP)
    scenarios = grid([("clerk", [2, 3])], [1.0])
    opts = replace(OPTS, days=1, replications=1)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        rows = sweep(bp, scenarios, opts, scheduler=cluster.scheduler_address)
    assert rows == sweep(bp, scenarios, opts, jobs=1)


def test_sweep_unreachable_scheduler_is_a_usage_error() -> None:
    pytest.importorskip("distributed")
    with pytest.raises(UsageError, match="cannot reach the Dask scheduler"):
        sweep(loads(SHOP), grid([], [1.0]), replace(OPTS, days=1, replications=1), scheduler="tcp://127.0.0.1:9")




def test_cli_staff_and_sweep(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "shop.blueprint.yaml"
    p.write_text(SHOP)
    code, out, err = run_cli(["staff", str(p), "--target", "85% within tolerance", "--days", "5", "-r", "3", "--seed", "5"], capsys)
    assert code == 0, err
    assert "target met" in out and "clerk" in out and "run it: --staff clerk=" in out
    code, out, _ = run_cli(["staff", str(p), "--target", "99% within 1 min", "--days", "2", "-r", "2"], capsys)
    assert code == 1 and "out of reach" in out
    code, _, err = run_cli(["staff", str(p), "--target", "most"], capsys)
    assert code == 2 and "cannot read target" in err
    svg = tmp_path / "grid.svg"
    code, out, err = run_cli(["sweep", str(p), "--staff", "clerk=2..3", "--demand", "0.9..1.1x", "--days", "1", "-r", "1",
                          "-j", "1", "-f", "csv", "--chart", str(svg)], capsys)
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][:3] == ["staff", "demand", "within tolerance"] and len(rows) == 1 + 2 * 3
    assert svg.read_text().startswith("<svg")
    code, _, err = run_cli(["sweep", str(p), "--staff", "clark=2..3"], capsys)
    assert code == 2 and "unknown role 'clark'" in err


def test_a_role_without_shifts_is_planned_by_hour_block() -> None:
    text = SHOP.replace('clerk: {staff: 1, cost: 30/h, shifts: ["Mon-Fri 09:00-17:00"]}', "clerk: {staff: 2, cost: 30/h}")
    text = text.replace('demand: {arrivals: 20/h, hours: "Mon-Fri 09:00-16:30"}',
                        'demand: {arrivals: 12/h, hours: "Mon-Fri 09:00-17:00", peaks: ["Mon-Fri 12:00-13:00 x3"]}')
    bp = loads(text)
    plan = plan_staff(bp, parse_target("90% within tolerance"), OPTS)
    assert plan.met
    rows = {r.label: r for r in plan.rows}
    assert set(rows) == {"Mon-Fri 09:00-17:00", "+ Mon-Fri 12:00-13:00", "outside those hours"}
    assert rows["Mon-Fri 09:00-17:00"].current == 2 and rows["outside those hours"].current == 2
    assert rows["outside those hours"].proposed == 0  # nobody arrives then
    # The lunch peak (36/h against 12/h) needs more than one clerk at lunch, whichever block has them.
    assert rows["Mon-Fri 09:00-17:00"].proposed + rows["+ Mon-Fri 12:00-13:00"].proposed >= 2
    assert plan.proposed_cost < plan.current_cost  # today the clerks are paid around the clock
    assert plan.staff_args == ()
    ((role, shifts),) = plan.shift_texts
    assert role == "clerk" and shifts.startswith('["Mon-Fri 09:00-17:00 x')
    # The plan written as shifts gives the same roster the plan was simulated with.
    planned = text.replace("clerk: {staff: 2, cost: 30/h}", f"clerk: {{staff: 1, cost: 30/h, shifts: {shifts}}}")
    again = simulate(loads(planned), OPTS)
    assert again.within_tolerance.mean == pytest.approx(plan.achieved.mean)
