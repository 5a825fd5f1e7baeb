"""Commands that simulate: ``simulate``, ``staff`` and ``sweep``."""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..calendar import DAYS
from ..errors import UsageError
from ..quantities import Duration
from ..simulation.eventlog import EventLog
from ..simulation.model import SimOptions
from ..simulation.replications import simulate
from ..simulation.report import html_report, json_report, text_report
from ..simulation.shifts import parse_staff
from ..simulation.staffing import parse_target, plan_staff, plan_text
from ..simulation.sweep import chart, grid, parse_demand_range, parse_staff_range, rows_table, sweep
from .app import app
from .loading import load_or_fail as _load_or_fail
from .output import console, err, out


class SimFormat(StrEnum):
    text = "text"
    json = "json"


class SweepFormat(StrEnum):
    text = "text"
    csv = "csv"


def parse_duration(text: str, option: str) -> Duration:
    try:
        return Duration.parse(text)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from exc


def parse_factor(text: str, option: str = "--demand") -> float:
    """``1.2``, ``1.2x`` or ``x1.2``: a factor on the blueprint's demand."""
    value = text.strip().lower().removesuffix("x").removeprefix("x").removesuffix("×")
    try:
        factor = float(value)
    except ValueError:
        raise UsageError(f"cannot read {option} {text!r}; write a factor such as 1.2x") from None
    if not factor >= 0:
        raise UsageError(f"{option} cannot be negative")
    return factor


def parse_start(text: str) -> float:
    """``Wed 08:00``: seconds from Monday 00:00."""
    m = re.fullmatch(r"\s*([A-Za-z]{3})[A-Za-z]*\s+(\d{1,2}):(\d{2})\s*", text)
    days = [d.lower() for d in DAYS]
    if not m or m[1].lower() not in days or int(m[2]) > 23 or int(m[3]) > 59:
        raise UsageError(f"cannot read --start {text!r}; write a weekday and a time, e.g. 'Wed 08:00'")
    return days.index(m[1].lower()) * 86400.0 + int(m[2]) * 3600.0 + int(m[3]) * 60.0


def sim_options(days: float, warmup: str, replications: int, seed: int, staff: list[str] | None,
                demand: str, patience: str | None, start: str = "Mon 00:00") -> SimOptions:
    return SimOptions(
        days=days, warmup=parse_duration(warmup, "--warmup").mean, replications=replications, seed=seed,
        staff=parse_staff(staff or []), demand_factor=parse_factor(demand),
        patience=parse_duration(patience, "--patience") if patience else None, start=parse_start(start),
    )


_DAYS = typer.Option("--days", help="Days measured in each replication.")
_WARMUP = typer.Option("--warmup", help="Time simulated before measuring (e.g. '1 d', '0 s').")
_REPS = typer.Option("--replications", "-r", help="Independent runs; intervals are over these.")
_SEED = typer.Option("--seed", help="Seed of every random draw: same seed, same result.")
_STAFF = typer.Option("--staff", help="ROLE=N (head count), ROLE=N1,N2 (per shift) or ROLE=inf; repeatable.")
_DEMAND = typer.Option("--demand", help="Factor on the blueprint's demand, e.g. 1.2x.")
_PATIENCE = typer.Option("--patience", help="Customers leave after waiting this long in a queue (e.g. '~15 min').")
_START = typer.Option("--start", help="Weekday and time the run starts (warm-up first), e.g. 'Wed 08:00'.")


@app.command("simulate", epilog="Example: blueprint simulate repair.blueprint.yaml --days 14 --staff mechanic=4 "
             "--report sim.html --log events.csv")
def simulate_cmd(
    file: Annotated[Path, typer.Argument(help="The blueprint to simulate (it needs 'demand').")],
    days: Annotated[float, _DAYS] = 7.0,
    warmup: Annotated[str, _WARMUP] = "1 d",
    replications: Annotated[int, _REPS] = 5,
    seed: Annotated[int, _SEED] = 1,
    staff: Annotated[list[str] | None, _STAFF] = None,
    demand: Annotated[str, _DEMAND] = "1",
    patience: Annotated[str | None, _PATIENCE] = None,
    report: Annotated[Path | None, typer.Option("--report", help="Write an HTML report to this file.")] = None,
    log: Annotated[Path | None, typer.Option("--log", help="Write the first replication's event log (.csv or .xes).")] = None,
    fmt: Annotated[SimFormat, typer.Option("--format", "-f", help="Summary on stdout: text or json.")] = SimFormat.text,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Run replications in this many processes (same result).")] = 1,
    start: Annotated[str, _START] = "Mon 00:00",
) -> None:
    """Simulate a blueprint under its demand, shifts and flows: times, waits, load, queues, cost.

    Cases arrive as a Poisson process following the demand profile; each action holds one unit
    of its role; roles queue first-in-first-out and follow their shifts. Prints the end-to-end
    time (P50/P90/P95) and the share within the tolerance, throughput, abandonments, labour cost,
    utilisation and queues per role, and the wait per action, with 95 % confidence intervals.

    Exit codes: 0 simulated; 1 the blueprint has errors; 2 usage error.
    """
    options = sim_options(days, warmup, replications, seed, staff, demand, patience, start)
    bp = _load_or_fail(file)
    if log is not None:
        with EventLog(log, bp) as sink:
            result = simulate(bp, options, sink=sink, jobs=jobs)
    else:
        result = simulate(bp, options, jobs=jobs)
    out(json_report(result) if fmt is SimFormat.json else text_report(result))
    if report is not None:
        report.write_text(html_report(result), encoding="utf-8")
        out(f"wrote {report}") if fmt is SimFormat.text else None
    if log is not None and fmt is SimFormat.text:
        out(f"wrote {log}")


@app.command("staff", epilog='Example: blueprint staff repair.blueprint.yaml --target "90% within tolerance" --days 14')
def staff_cmd(
    file: Annotated[Path, typer.Argument(help="The blueprint to staff (it needs 'demand').")],
    target: Annotated[str, typer.Option("--target", help="'P% within tolerance' or 'P% within DURATION'.")] = "90% within tolerance",
    days: Annotated[float, _DAYS] = 7.0,
    warmup: Annotated[str, _WARMUP] = "1 d",
    replications: Annotated[int, _REPS] = 3,
    seed: Annotated[int, _SEED] = 1,
    demand: Annotated[str, _DEMAND] = "1",
    patience: Annotated[str | None, _PATIENCE] = None,
) -> None:
    """Find the cheapest staff per role and shift that meets a service target.

    Starts from an Erlang C estimate for each role and shift, adds staff where the simulation
    shows the heaviest load until the target is met, then removes whoever is not needed, most
    expensive shift first. Prints the plan, its weekly cost and the change from today's staffing.

    Exit codes: 0 a plan meets the target; 1 the blueprint has errors, or no staffing meets the
    target; 2 usage error.
    """
    goal = parse_target(target)
    options = sim_options(days, warmup, replications, seed, None, demand, patience)
    bp = _load_or_fail(file)
    plan = plan_staff(bp, goal, options)
    out(plan_text(plan))
    raise typer.Exit(0 if plan.met else 1)


@app.command("sweep", epilog="Example: blueprint sweep repair.blueprint.yaml --staff mechanic=2..5 --demand 0.8..1.5x "
             "--chart sweep.svg")
def sweep_cmd(
    file: Annotated[Path, typer.Argument(help="The blueprint to sweep (it needs 'demand').")],
    staff: Annotated[list[str] | None, typer.Option("--staff", help="ROLE=LOW..HIGH head counts to try; repeatable.")] = None,
    demand: Annotated[str, typer.Option("--demand", help="Demand factors LOW..HIGHx, or one factor.")] = "1x",
    demand_step: Annotated[float, typer.Option("--demand-step", help="Step between demand factors.")] = 0.1,
    days: Annotated[float, _DAYS] = 7.0,
    warmup: Annotated[str, _WARMUP] = "1 d",
    replications: Annotated[int, _REPS] = 3,
    seed: Annotated[int, _SEED] = 1,
    patience: Annotated[str | None, _PATIENCE] = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", help="Local worker processes (default: one per CPU).")] = None,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="Run on this Dask scheduler (tcp://host:8786).")] = None,
    chart_file: Annotated[Path | None, typer.Option("--chart", help="Write the grid as an SVG heatmap.")] = None,
    fmt: Annotated[SweepFormat, typer.Option("--format", "-f", help="Table on stdout: text or csv.")] = SweepFormat.text,
) -> None:
    """Simulate a grid of scenarios (staff levels × demand factors) in parallel.

    Every combination of the --staff ranges and the --demand factors is one scenario, simulated
    with the same seed (so staffings are compared on the same customers). Scenarios run in local
    processes, or on an existing Dask distributed cluster with --scheduler. Prints one row per
    scenario: share within tolerance, P90 and mean customer time, the busiest role and its
    utilisation, abandonments and cost.

    Exit codes: 0 done; 1 the blueprint has errors; 2 usage error.
    """
    ranges = [parse_staff_range(text) for text in staff or []]
    factors = parse_demand_range(demand, demand_step)
    scenarios = grid(ranges, factors)
    if len(scenarios) > 2000:
        raise UsageError(f"{len(scenarios)} scenarios is too many for one sweep (at most 2000)")
    options = sim_options(days, warmup, replications, seed, None, "1", patience)
    bp = _load_or_fail(file)
    for role, _ in ranges:
        if role not in bp.roles:
            raise UsageError(f"--staff names unknown role '{role}'")
    where = f"on the Dask cluster at {scheduler}" if scheduler else "in local processes"
    err(f"simulating {len(scenarios)} scenario{'s' if len(scenarios) != 1 else ''} {where}")
    rows = sweep(bp, scenarios, options, jobs=jobs, scheduler=scheduler)
    header, cells = rows_table(rows)
    if fmt is SweepFormat.csv:
        import csv
        import io

        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(cells)
        out(buf.getvalue())
    else:
        table = Table(*header, box=None, pad_edge=False)
        table.columns[0].no_wrap = True  # the staffing of a scenario reads best on one line
        for row in cells:
            table.add_row(*row)
        console().print(table)
    if chart_file is not None:
        chart_file.write_text(chart(rows) + "\n", encoding="utf-8")
        if fmt is SweepFormat.text:
            out(f"wrote {chart_file}")
