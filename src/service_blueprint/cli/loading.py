"""Loading a blueprint for a command that needs a valid one."""

from __future__ import annotations

from pathlib import Path

import typer

from ..checker import check
from ..findings import Severity
from ..findings import format_text as format_findings
from ..loader import Document, read_document
from ..model import Blueprint
from .output import err


def load_or_fail(path: Path) -> Blueprint:
    """The model of a file that checks without errors; otherwise print the errors and exit 1."""
    return checked_or_fail(read_document(path))


def checked_or_fail(doc: Document) -> Blueprint:
    """The model of a read document (a file, or text such as an old git revision) that checks
    without errors; otherwise print the errors and exit 1."""
    result = check(doc)
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    if errors or doc.blueprint is None:
        err(format_findings(errors))
        raise typer.Exit(1)
    return doc.blueprint
