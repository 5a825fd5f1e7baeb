"""Commands that exchange blueprints with other tools: ``export`` and ``import``."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .. import textfile
from ..checker import check_text
from ..errors import LoadError, UsageError
from ..findings import format_text as format_findings
from ..interop import FORMATS, export_blueprint, format_for_output, import_blueprint, read_mapping
from ..serialize import dumps_yaml
from .app import app
from .loading import load_or_fail as _load_or_fail
from .output import err, out, plural

ExportFormat = StrEnum("ExportFormat", {n: n for n, f in FORMATS.items() if f.export})  # type: ignore[misc]
ImportFormat = StrEnum("ImportFormat", {n: n for n, f in FORMATS.items() if f.import_})  # type: ignore[misc]


class LaneMode(StrEnum):
    canon = "canon"
    roles = "roles"


def _warn(warnings: tuple[str, ...]) -> None:
    for w in warnings:
        err(f"warning: {w}")


def _read_bytes(path: Path) -> bytes:
    """A file's bytes within the size limit of blueprint files; problems are one-line errors."""
    file = str(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise LoadError([textfile._error(file, "is a directory, not a file", line=0, col=0)])
        if size > textfile.max_bytes():
            raise LoadError([textfile._too_big(file, size)])
        return path.read_bytes()
    except FileNotFoundError:
        raise LoadError([textfile._error(file, "no such file", line=0, col=0)]) from None
    except OSError as exc:
        raise LoadError([textfile._error(file, f"cannot read file: {exc.strerror or exc}", line=0, col=0)]) from None


@app.command("export", epilog="Example: blueprint export repair.blueprint.yaml --to bpmn -o repair.bpmn")
def export_cmd(
    file: Annotated[Path, typer.Argument(help="The blueprint to export.")],
    to: Annotated[ExportFormat | None, typer.Option(
        "--to", help="Target format; inferred from the -o file's extension when absent (JSON on stdout).")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Output file (stdout if absent).")] = None,
    lanes: Annotated[LaneMode | None, typer.Option(
        "--lanes", help="BPMN only: provider lanes per blueprint lane (canon) or one per role (roles).")] = None,
) -> None:
    """Export a blueprint to BPMN 2.0, draw.io, Mermaid, CSV/xlsx (grid or table), JSON or YAML.

    What the target format cannot carry is listed as warnings on stderr.
    Exit codes: 0 written; 1 the blueprint has errors; 2 usage error.
    """
    name = to.value if to is not None else (format_for_output(str(output)) if output is not None else "json")
    fmt = FORMATS[name]
    if fmt.binary and output is None:
        raise UsageError(f"{name} is a binary format; write it to a file with -o")
    bp = _load_or_fail(file)
    result = export_blueprint(bp, name, lanes=lanes.value if lanes is not None else None)
    _warn(result.warnings)
    if output is None:
        assert isinstance(result.content, str)
        out(result.content)
    elif isinstance(result.content, bytes):
        output.write_bytes(result.content)
        out(f"wrote {output}")
    else:
        output.write_text(result.content, encoding="utf-8")
        out(f"wrote {output}")


@app.command("import", epilog="Example: blueprint import process.bpmn --mapping lanes.yaml -o process.blueprint.yaml")
def import_cmd(
    file: Annotated[Path, typer.Argument(help="A BPMN, draw.io, CSV, xlsx, JSON or YAML file.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The *.blueprint.yaml file to write.")],
    source: Annotated[ImportFormat | None, typer.Option(
        "--from", help="Input format; inferred from the extension and the content when absent.")] = None,
    mapping: Annotated[Path | None, typer.Option(
        "--mapping", help="YAML file mapping drawn lane or pool names to blueprint lanes (and roles).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the output if it exists.")] = False,
) -> None:
    """Import a blueprint from another tool's file into a canonical *.blueprint.yaml file.

    Lanes named in the file are mapped to blueprint lanes by name or by --mapping; what could
    not be imported is listed as warnings on stderr, and the result is checked.
    Exit codes: 0 written; 1 the input cannot be imported; 2 usage error.
    """
    if output.exists() and not force:
        raise UsageError(f"{output} already exists; use --force to overwrite it")
    lane_map = read_mapping(mapping) if mapping is not None else None
    data = _read_bytes(file)
    try:
        result = import_blueprint(data, source.value if source is not None else None, file=str(file),
                                  mapping=lane_map)
    except LoadError as exc:
        err(format_findings(list(exc.findings)))
        raise typer.Exit(1) from None
    if lane_map is not None and result.blueprint is not None and source is not None \
            and "mapping" not in FORMATS[source.value].import_options:
        err(f"warning: --mapping does not apply to {source.value} files")
    _warn(result.warnings)
    text = dumps_yaml(result.blueprint)
    output.write_text(text, encoding="utf-8")
    bp = result.blueprint
    checked = check_text(text, str(output))
    out(f"wrote {output}: {plural(len(bp.steps), 'step')}, {plural(sum(1 for _ in bp.actions()), 'action')}, "
        f"{plural(sum(1 for e in bp.edges if not e.implicit), 'flow')}; "
        f"check: {plural(checked.errors, 'error')}, {plural(checked.warnings, 'warning')}")
