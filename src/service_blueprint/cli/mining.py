"""Commands that mine event logs: ``mine`` and ``conform``."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..errors import UsageError
from ..mining.build import MineOptions, mine
from ..mining.conformance import conform
from ..mining.mapping import Columns, Mapping, columns_from_options, read_mapping
from ..mining.read import read_log
from ..mining.report import MAX_CASES, html_report, json_report, text_report
from ..serialize import dumps_yaml
from .app import app
from .loading import load_or_fail
from .output import err, out


class ConformFormat(StrEnum):
    text = "text"
    json = "json"


_MAPPING = typer.Option("--mapping", "-m", help="YAML/JSON file: columns, activity lanes, resource roles, customer.")
_CASE = typer.Option("--case", help="Column (XES: trace attribute) of the case id.")
_ACTIVITY = typer.Option("--activity", help="Column (XES: event attribute) of the activity.")
_START = typer.Option("--start", help="Column of the start time (optional).")
_END = typer.Option("--end", help="Column of the end (complete) time.")
_TIME = typer.Option("--time", help="Column of the one timestamp of each event (same as --end).")
_RESOURCE = typer.Option("--resource", help="Column of the resource (person or system).")
_ROLE = typer.Option("--role", help="Column of the resource's role or group.")


def _inputs(mapping: Path | None, **cols: str | None) -> tuple[Mapping, Columns]:
    loaded = read_mapping(mapping) if mapping is not None else Mapping()
    return loaded, loaded.columns.merged(columns_from_options(**cols))


@app.command("mine", epilog="Example: blueprint mine events.csv -o current.blueprint.yaml --threshold 0.05")
def mine_cmd(
    log: Annotated[Path, typer.Argument(help="Event log: .csv or .xes (also .gz).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The blueprint file to write.")],
    mapping: Annotated[Path | None, _MAPPING] = None,
    threshold: Annotated[float, typer.Option("--threshold", help="Least share of cases for an activity or flow to be kept.")] = 0.05,
    noise: Annotated[float, typer.Option("--noise", help="Share of cases allowed to contradict an order or a choice.")] = 0.05,
    title: Annotated[str | None, typer.Option("--title", help="Title of the blueprint.")] = None,
    case: Annotated[str | None, _CASE] = None,
    activity: Annotated[str | None, _ACTIVITY] = None,
    start: Annotated[str | None, _START] = None,
    end: Annotated[str | None, _END] = None,
    time: Annotated[str | None, _TIME] = None,
    resource: Annotated[str | None, _RESOURCE] = None,
    role: Annotated[str | None, _ROLE] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the output file if it exists.")] = False,
) -> None:
    """Mine a current-state blueprint from an event log.

    Reads the log as a stream, finds the flows (directly-follows in each case's order, filtered
    by --threshold), choices with measured probabilities, optional actions and rework, fits
    durations and waits, counts staff per role, measures arrivals and peaks, and writes a
    blueprint whose actions say 'source: observed' and carry their frequency, median and P90.
    Prints what was kept and filtered. See docs/mining.md for every rule.

    Exit codes: 0 written; 2 usage error or unreadable log.
    """
    if output.exists() and not force:
        raise UsageError(f"{output} exists; use --force to overwrite it")
    loaded, columns = _inputs(mapping, case=case, activity=activity, start=start, end=end, time=time,
                              resource=resource, role=role)
    options = MineOptions(threshold=threshold, noise=noise, title=title)
    options.validate()
    result = mine(read_log(log, columns), loaded, options)
    output.write_text(dumps_yaml(result.blueprint), encoding="utf-8")
    out(result.summary() + f"wrote {output}")


@app.command("conform", epilog="Example: blueprint conform repair.blueprint.yaml events.xes --report conformance.html")
def conform_cmd(
    file: Annotated[Path, typer.Argument(help="The blueprint the cases should follow.")],
    log: Annotated[Path, typer.Argument(help="Event log: .csv or .xes (also .gz).")],
    mapping: Annotated[Path | None, _MAPPING] = None,
    report: Annotated[Path | None, typer.Option("--report", help="Write an HTML report to this file.")] = None,
    fmt: Annotated[ConformFormat, typer.Option("--format", "-f", help="Output: text or json.")] = ConformFormat.text,
    max_cases: Annotated[int, typer.Option("--max-cases", help="Deviating cases listed in the output.")] = MAX_CASES,
    case: Annotated[str | None, _CASE] = None,
    activity: Annotated[str | None, _ACTIVITY] = None,
    start: Annotated[str | None, _START] = None,
    end: Annotated[str | None, _END] = None,
    time: Annotated[str | None, _TIME] = None,
    resource: Annotated[str | None, _RESOURCE] = None,
    role: Annotated[str | None, _ROLE] = None,
) -> None:
    """Check which cases of an event log follow a blueprint, and how the others deviate.

    Replays each case on the blueprint's flow semantics: skipped actions, extra ones (not
    reached, repeated, both branches of a choice, or not in the blueprint) and actions started
    before a predecessor finished. Per action, the measured duration beside the blueprint's, and
    the share within its tolerance.

    Exit codes: 0 every case follows the blueprint; 1 some cases deviate, or the blueprint has
    errors; 2 usage error or unreadable log.
    """
    bp = load_or_fail(file)
    _, columns = _inputs(mapping, case=case, activity=activity, start=start, end=end, time=time,
                         resource=resource, role=role)
    result = conform(bp, read_log(log, columns))
    out(json_report(result, max_cases) if fmt is ConformFormat.json else text_report(result, max_cases))
    if report is not None:
        report.write_text(html_report(result), encoding="utf-8")
        if fmt is ConformFormat.text:
            err(f"wrote {report}")
    raise typer.Exit(0 if result.fitting == result.cases else 1)
