"""Turning what an importer read into a checked model, with messages that point at the source.

Importers build plain data (the same dicts a blueprint file holds) and let the model validate
it, so an imported blueprint obeys exactly the rules of a written one. A bad value is reported
against the row or element it came from, not against YAML the user never saw.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from ..errors import LoadError
from ..findings import Finding, Severity
from ..loader import build
from ..model import Action, Blueprint
from ..rules.registry import make
from ..sourcemap import SourceMap


def read_error(file: str, message: str, line: int = 0, col: int = 0, hint: str | None = None) -> LoadError:
    """The error for input that cannot be read as the format it claims to be."""
    return LoadError([Finding("E002", Severity.ERROR, message, file, line, col, hint, "unreadable-file")])


def value_error(file: str, where: str, message: str, line: int = 0, col: int = 0) -> LoadError:
    return LoadError([make("E003", f"{where}: {message}", file, line, col)])


def check_action(raw: dict[str, Any], file: str, where: str, line: int = 0, col: int = 0) -> None:
    """Validate one imported action now, so a mistake names the row or element it came from."""
    try:
        Action.model_validate({**raw, "id": raw.get("id") or "x", "text": raw.get("text") or "x"})
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        field = ".".join(str(x) for x in first["loc"]) or "action"
        msg = str(first["msg"]).removeprefix("Value error, ")
        raise value_error(file, where, f"{field}: {msg}", line, col) from None


DERIVED = "__derived__"


def _underive(data: dict[str, Any]) -> dict[str, Any]:
    """Ids marked as derived are left out, so the model derives them again (and knows it did)."""
    steps = []
    for step in data.get("steps") or []:
        step = {k: v for k, v in step.items() if not (step.get(DERIVED) and k == "id") and k != DERIVED}
        for key, value in list(step.items()):
            if isinstance(value, list):
                step[key] = [{k: v for k, v in a.items() if not (a.get(DERIVED) and k == "id") and k != DERIVED}
                             if isinstance(a, dict) else a for a in value]
        steps.append(step)
    return {**data, "steps": steps}


def build_blueprint(data: dict[str, Any], file: str) -> Blueprint:
    """The model of imported data; ``LoadError`` with every problem if it is not a valid blueprint."""
    blueprint, findings = build(_underive(data), file, SourceMap(""))
    errors = [dataclasses.replace(f, line=0, col=0) for f in findings if f.severity is Severity.ERROR]
    if blueprint is None or errors:
        raise LoadError(errors or [dataclasses.replace(f, line=0, col=0) for f in findings])
    return blueprint


def columns_from_extent(extents: Sequence[tuple[float, float]]) -> list[int]:
    """Step index of each item drawn from ``left`` to ``right``, for diagrams drawn in columns.

    Items whose horizontal extents overlap share a column; a gap starts the next one. This is
    how a person reads the steps of a blueprint drawn in another tool.
    """
    order = sorted(range(len(extents)), key=lambda i: (extents[i][0], extents[i][1], i))
    column = [0] * len(extents)
    current = -1
    right = float("-inf")
    for i in order:
        left, r = extents[i]
        if left >= right:
            current += 1
            right = r
        else:
            right = max(right, r)
        column[i] = current
    return column
