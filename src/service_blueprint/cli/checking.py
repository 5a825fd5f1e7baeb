"""Commands that check: ``check``, ``rules`` and ``schema``."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..checker import CheckResult, check
from ..errors import UsageError
from ..findings import Severity, format_github, format_json, format_text, sort_findings
from ..ids import suggestion
from ..journey import is_journey_file, read_journey
from ..rules import RULES, resolve
from ..schema import schema_text
from .app import app
from .output import console, out, plural


class Format(StrEnum):
    text = "text"
    json = "json"
    github = "github"


def check_paths(paths: list[Path], select: list[str] | None = None) -> CheckResult:
    """Check blueprint and journey files; a journey also checks the blueprints it lists."""
    result = CheckResult()
    seen: set[Path] = set()
    queue = list(paths)
    while queue:
        path = queue.pop(0)
        key = path.resolve()
        if key in seen:
            continue
        seen.add(key)
        if is_journey_file(path):
            jdoc = read_journey(path)
            result.extend(CheckResult(list(jdoc.findings), 1))
            queue.extend(p for p in jdoc.paths() if p.is_file())
            continue
        result.extend(check(path, select=select))
    result.findings = sort_findings(result.findings)
    return result


@app.command("check", epilog="Example: blueprint check --strict --format github blueprints/*.blueprint.yaml")
def check_cmd(
    files: Annotated[list[Path], typer.Argument(help="Blueprint (*.blueprint.yaml) or journey (*.journey.yaml) files.")],
    strict: Annotated[bool, typer.Option("--strict", help="Fail (exit 1) on warnings too, not only errors.")] = False,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output: text, json, or github (workflow annotations).")] = Format.text,
    select: Annotated[list[str] | None, typer.Option("--select", help="Run only these rules (ids or names); repeatable.")] = None,
    no_info: Annotated[bool, typer.Option("--no-info", help="Do not print information-level findings.")] = False,
) -> None:
    """Check blueprints against the format and the blueprinting canon.

    Prints one line per finding, file:line:col: severity RULE message, and a hint.
    Exit codes: 0 no errors (and, with --strict, no warnings); 1 findings that fail;
    2 usage error.
    """
    if select:
        unknown = [name for name in select if not resolve([name])]
        if unknown:
            raise UsageError(f"unknown rule '{unknown[0]}' in --select{suggestion(unknown[0], [*RULES, *(r.name for r in RULES.values())])}")
    result = check_paths(files, select)
    shown = [f for f in result.findings if not (no_info and f.severity is Severity.INFO)]
    if fmt is Format.json:
        out(format_json(shown))
    elif fmt is Format.github:
        if shown:
            out(format_github(shown))
    else:
        if shown:
            out(format_text(shown))
        out(f"{plural(result.files, 'file')} checked: {plural(result.errors, 'error')}, "
            f"{plural(result.warnings, 'warning')}, {result.infos} info")
    raise typer.Exit(result.exit_code(strict=strict))


@app.command("rules", epilog="Example: blueprint rules --severity error")
def rules_cmd(
    severity: Annotated[Severity | None, typer.Option("--severity", help="Only rules of this severity.")] = None,
) -> None:
    """List every rule: id, name, severity and what it reports."""
    table = Table("id", "name", "severity", "reports", box=None, pad_edge=False)
    for r in sorted(RULES.values(), key=lambda r: r.id):
        if severity is None or r.severity is severity:
            table.add_row(r.id, r.name, r.severity.value, r.summary)
    console().print(table)


@app.command("schema", epilog="Example: blueprint schema -o blueprint.schema.json")
def schema_cmd(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
) -> None:
    """Print the JSON Schema of *.blueprint.yaml files (for editor completion and validation)."""
    text = schema_text()
    if output is None:
        out(text)
    else:
        output.write_text(text, encoding="utf-8")
        out(f"wrote {output}")
