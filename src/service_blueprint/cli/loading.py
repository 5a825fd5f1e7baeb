"""Loading a blueprint for a command that needs a valid one."""

from __future__ import annotations

from pathlib import Path

import typer

from ..checker import check
from ..findings import Severity
from ..findings import format_text as format_findings
from ..loader import read_document
from ..model import Blueprint
from .output import err


def load_or_fail(path: Path) -> Blueprint:
    """The model of a file that checks without errors; otherwise print the errors and exit 1."""
    doc = read_document(path)
    result = check(doc)
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    if errors or doc.blueprint is None:
        err(format_findings(errors))
        raise typer.Exit(1)
    return doc.blueprint
