"""The ``analyze`` and ``diff`` commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..analysis import (
    DiffFormat,
    ReportFormat,
    analyze,
    diff_blueprints,
    format_analysis,
    format_diff,
    read_revision,
)
from ..errors import UsageError
from ..quantities import Duration
from .app import app
from .loading import checked_or_fail, load_or_fail
from .output import out


def _seconds(text: str, option: str) -> float:
    try:
        d = Duration.parse(text)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None
    if d.is_random:
        raise UsageError(f"{option} takes a plain duration such as '2 min', not {text!r}")
    return d.mean


def _write(text: str, output: Path | None) -> None:
    if output is None:
        out(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None
    out(f"wrote {output}")


Format = Annotated[ReportFormat, typer.Option("--format", "-f", help="Output: text, md, json or html.")]
Output = Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")]
Samples = Annotated[int, typer.Option("--samples", min=0, help="Monte Carlo cases (0: none).")]
Seed = Annotated[int, typer.Option("--seed", help="Seed of the Monte Carlo draws.")]
Target = Annotated[float, typer.Option("--target", help="Service level for staffing: share of arrivals "
                                                        "that must start each action within --within.")]
Within = Annotated[str, typer.Option("--within", help="Time limit of the service level, e.g. '2 min'.")]


@app.command("analyze", epilog="Example: blueprint analyze repair.blueprint.yaml --format html -o report.html")
def analyze_cmd(
    file: Annotated[Path, typer.Argument(help="The blueprint to analyse.")],
    fmt: Format = ReportFormat.text,
    output: Output = None,
    samples: Samples = 10_000,
    seed: Seed = 0,
    target: Target = 0.8,
    within: Within = "2 min",
) -> None:
    """Analyse a blueprint: standard time and critical path against tolerances, P50/P90/P95 by
    Monte Carlo, the customer's time split, cost per case, staff load and staff needed per demand
    period, fail points, handoffs, encounters, moments of truth, emotion curve, data completeness.

    Exit codes: 0 done; 1 the blueprint has errors; 2 usage error.
    """
    limit = _seconds(within, "--within")
    bp = load_or_fail(file)
    result = analyze(bp, samples=samples, seed=seed, target=target, within=limit)
    _write(format_analysis(result, fmt), output)


@app.command("diff", epilog="Example: blueprint diff current.blueprint.yaml future.blueprint.yaml -f html -o diff.html")
def diff_cmd(
    files: Annotated[list[Path], typer.Argument(help="Old and new blueprint; or, with --rev, one blueprint.")],
    rev: Annotated[str | None, typer.Option("--rev", metavar="GIT_REV", help="Compare FILE as it was at this git "
                                            "revision (e.g. HEAD~1, a tag) with FILE as it is now.")] = None,
    fmt: Annotated[DiffFormat, typer.Option("--format", "-f", help="Output: text, md, json, html, or svg "
                                            "(the visual diff alone).")] = DiffFormat.text,
    output: Output = None,
    samples: Samples = 10_000,
    seed: Seed = 0,
    target: Target = 0.8,
    within: Within = "2 min",
) -> None:
    """Compare two blueprints (current vs future, or two versions): actions added, removed,
    changed and moved (a move across the line of visibility is called out), flows and roles, and
    the change in standard time, P90, cost per case, staff needed, fail points and handoffs.

    Exit codes: 0 done; 1 a blueprint has errors; 2 usage error.
    """
    limit = _seconds(within, "--within")
    if rev is not None:
        if len(files) != 1:
            raise UsageError("with --rev give exactly one blueprint file")
        new_path = files[0]
        old = checked_or_fail(read_revision(new_path, rev))
        labels = (f"{rev}:{new_path.name}", new_path.name)
    else:
        if len(files) != 2:
            raise UsageError("give two blueprint files (old, then new), or one file with --rev")
        old = load_or_fail(files[0])
        new_path = files[1]
        same = files[0].name == files[1].name
        labels = (str(files[0]) if same else files[0].name, str(files[1]) if same else files[1].name)
    new = load_or_fail(new_path)
    result = diff_blueprints(old, new, old_label=labels[0], new_label=labels[1], samples=samples, seed=seed,
                             target=target, within=limit)
    _write(format_diff(result, fmt), output)
