"""The ``analyze`` and ``diff`` commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..analysis import ReportFormat, analyze, format_analysis
from ..errors import UsageError
from ..quantities import Duration
from .app import app
from .loading import load_or_fail
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
