"""The ``render`` command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..journey import is_journey_file
from ..render import format_for, render, render_journey
from ..render.theme import ThemeName
from .app import app
from .loading import load_or_fail
from .output import out


@app.command("render", epilog="Example: blueprint render repair.blueprint.yaml -o repair.svg --theme dark")
def render_cmd(
    file: Annotated[Path, typer.Argument(help="A *.blueprint.yaml file, or a *.journey.yaml for an overview.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Output file: .svg, .png, .pdf or .html.")],
    theme: Annotated[ThemeName, typer.Option("--theme", help="Colours.")] = ThemeName.light,
    legend: Annotated[bool, typer.Option("--legend/--no-legend", help="Draw the legend.")] = True,
    hide: Annotated[list[str] | None, typer.Option("--hide", metavar="LANE", help="Leave out a lane (repeatable): "
                                                   "e.g. support, evidence, emotion.")] = None,
) -> None:
    """Draw a blueprint as SVG, PNG, PDF or interactive HTML (the format follows the extension).

    A journey file renders as an overview of its blueprints, each also rendered next to it and
    linked from the overview. Exit codes: 0 written; 1 the blueprint has errors; 2 usage error.
    """
    format_for(output)
    if is_journey_file(file):
        written = render_journey(file, output, theme=theme.value, legend=legend)
        out(f"wrote {', '.join(str(p) for p in written)}")
        return
    bp = load_or_fail(file)
    data = render(bp, format_for(output), theme=theme.value, legend=legend, hide=hide or ())
    output.write_bytes(data)
    out(f"wrote {output} ({len(data):,} bytes)")
