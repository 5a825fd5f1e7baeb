"""Commands that read and write files: fmt, new, templates, showcase."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from .. import textfile
from ..findings import format_text as format_findings
from ..formatting import format_text
from ..showcase import run_showcase
from ..templates import list_templates, new_from_template
from .app import app
from .output import console, err, out, plural


@app.command("fmt", epilog="Example: blueprint fmt --check *.blueprint.yaml")
def fmt_cmd(
    files: Annotated[list[Path], typer.Argument(help="Blueprint files to format in place.")],
    check_only: Annotated[bool, typer.Option("--check", help="Change nothing; exit 1 if a file is not formatted.")] = False,
    diff: Annotated[bool, typer.Option("--diff", help="Change nothing; print what would change as a unified diff.")] = False,
) -> None:
    """Format blueprint files canonically, keeping comments; running it twice changes nothing.

    Exit codes: 0 all formatted (or now formatted); 1 with --check when a file would
    change, or when a file cannot be read or parsed; 2 usage error.
    """
    failed = 0
    changed = 0
    for path in files:
        text, error = textfile.read(path)
        if text is None:
            assert error is not None
            err(format_findings([error]))
            failed += 1
            continue
        new, error = format_text(text, str(path))
        if new is None:
            assert error is not None
            err(format_findings([error]))
            failed += 1
            continue
        if new == text:
            continue
        changed += 1
        if diff:
            out("".join(difflib.unified_diff(text.splitlines(True), new.splitlines(True), str(path), str(path))))
        if check_only or diff:
            out(f"would reformat {path}")
        else:
            path.write_text(new, encoding="utf-8")
            out(f"reformatted {path}")
    verb = "would be reformatted" if check_only or diff else "reformatted"
    out(f"{plural(changed, 'file')} {verb}, {len(files) - changed - failed} unchanged"
        + (f", {failed} failed" if failed else ""))
    raise typer.Exit(1 if failed or (check_only and changed) else 0)


@app.command("new", epilog="Example: blueprint new --template clinic-visit clinic.blueprint.yaml")
def new_cmd(
    file: Annotated[Path, typer.Argument(help="The blueprint file to create.")],
    template: Annotated[str, typer.Option("--template", "-t", help="Template name; see 'blueprint templates'.")] = "saas-onboarding",
    force: Annotated[bool, typer.Option("--force", help="Overwrite the file if it exists.")] = False,
) -> None:
    """Start a new blueprint from a bundled template."""
    path = new_from_template(template, file, force=force)
    out(f"created {path} from template '{template}'")


@app.command("templates", epilog="Example: blueprint templates")
def templates_cmd() -> None:
    """List the bundled templates with their state and size."""
    table = Table("name", "state", "steps", "actions", "title", box=None, pad_edge=False)
    for t in list_templates():
        table.add_row(t.name, t.state, str(t.steps), str(t.actions), t.title)
    console().print(table)


@app.command("showcase", epilog="Example: blueprint showcase --out out")
def showcase_cmd(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write into (created if missing).")] = Path("out"),
) -> None:
    """Check every bundled template and write each, formatted, as JSON, as SVG and as interactive HTML."""
    rows = run_showcase(out_dir)
    table = Table("template", "state", "steps", "actions", "errors", "warnings", "info", "title",
                  box=None, pad_edge=False)
    for r in rows:
        table.add_row(r.name, r.state, str(r.steps), str(r.actions), str(r.errors), str(r.warnings),
                      str(r.infos), r.title)
    console().print(table)
    bad = sum(1 for r in rows if r.errors)
    out(f"{plural(len(rows), 'template')} checked, {bad} with errors; wrote {plural(sum(len(r.files) for r in rows), 'file')} to {out_dir}/")
    raise typer.Exit(1 if bad else 0)
