"""Commands that simulate: ``simulate``, ``staff`` and ``sweep``."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..errors import UsageError
from ..quantities import Duration
from ..simulation.eventlog import EventLog
from ..simulation.model import SimOptions
from ..simulation.replications import simulate
from ..simulation.report import html_report, json_report, text_report
from ..simulation.shifts import parse_staff
from .app import app
from .files import _load_or_fail
from .output import out


class SimFormat(StrEnum):
    text = "text"
    json = "json"


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


def sim_options(days: float, warmup: str, replications: int, seed: int, staff: list[str] | None,
                demand: str, patience: str | None) -> SimOptions:
    return SimOptions(
        days=days, warmup=parse_duration(warmup, "--warmup").mean, replications=replications, seed=seed,
        staff=parse_staff(staff or []), demand_factor=parse_factor(demand),
        patience=parse_duration(patience, "--patience") if patience else None,
    )


_DAYS = typer.Option("--days", help="Days measured in each replication.")
_WARMUP = typer.Option("--warmup", help="Time simulated before measuring (e.g. '1 d', '0 s').")
_REPS = typer.Option("--replications", "-r", help="Independent runs; intervals are over these.")
_SEED = typer.Option("--seed", help="Seed of every random draw: same seed, same result.")
_STAFF = typer.Option("--staff", help="ROLE=N (head count), ROLE=N1,N2 (per shift) or ROLE=inf; repeatable.")
_DEMAND = typer.Option("--demand", help="Factor on the blueprint's demand, e.g. 1.2x.")
_PATIENCE = typer.Option("--patience", help="Customers leave after waiting this long in a queue (e.g. '~15 min').")


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
) -> None:
    """Simulate a blueprint under its demand, shifts and flows: times, waits, load, queues, cost.

    Cases arrive as a Poisson process following the demand profile; each action holds one unit
    of its role; roles queue first-in-first-out and follow their shifts. Prints the end-to-end
    time (P50/P90/P95) and the share within the tolerance, throughput, abandonments, labour cost,
    utilisation and queues per role, and the wait per action, with 95 % confidence intervals.

    Exit codes: 0 simulated; 1 the blueprint has errors; 2 usage error.
    """
    options = sim_options(days, warmup, replications, seed, staff, demand, patience)
    bp = _load_or_fail(file)
    if log is not None:
        with EventLog(log, bp) as sink:
            result = simulate(bp, options, sink=sink)
    else:
        result = simulate(bp, options)
    out(json_report(result) if fmt is SimFormat.json else text_report(result))
    if report is not None:
        report.write_text(html_report(result), encoding="utf-8")
        out(f"wrote {report}") if fmt is SimFormat.text else None
    if log is not None and fmt is SimFormat.text:
        out(f"wrote {log}")
