"""The Typer application object shared by the command modules."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="blueprint",
    help="Service blueprints as data: check, format and start blueprints from templates.\n\n"
    "Example: blueprint check repair.blueprint.yaml",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _root() -> None:
    """Service blueprints as data: check, format and start blueprints from templates."""
