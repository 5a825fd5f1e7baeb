"""One action as flat, named cells: the shape shared by spreadsheets, draw.io data and BPMN.

Every format that stores an action field by field uses these columns, so they all carry the
same fields the same way. A structured value (a lognormal duration, metrics) is written as
inline YAML in its cell — exactly what a person would write inside ``{...}`` in the blueprint
file — so nothing is lost and nothing new has to be learnt.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import yaml_rs

from ..model import Action
from ..quantities import fmt_number
from ..serialize import action_data

DURATION_FIELDS = ("duration", "tolerance", "wait")
FAIL_FIELDS = ("text", "likelihood", "impact", "owner", "recovery", "note")
#: Every action field as a flat column, in the order of the format reference.
ACTION_COLUMNS: tuple[str, ...] = (
    "id", "text", "role", "duration", "tolerance", "wait",
    *(f"fail_{k}" for k in FAIL_FIELDS),
    "emotion", "channel", "p", "repeat", "cost", "source", "detail", "metrics", "note",
)
#: Columns whose cell is a number.
NUMBER_COLUMNS = frozenset({"fail_likelihood", "fail_impact", "emotion", "p", "repeat", "cost"})

Cell = str | int | float


_PLAIN = re.compile(r"^[^\s,\[\]{}#&*!|>'\"%@`?:-][^,\[\]{}#]*$")


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return fmt_number(float(value)) if isinstance(value, float) else str(value)
    text = str(value)
    if _PLAIN.match(text) and ": " not in text and text == text.strip() and _reads_as(text, text):
        return text
    return json.dumps(text, ensure_ascii=False)


def _reads_as(text: str, expected: str) -> bool:
    try:
        value: Any = yaml_rs.loads(f"[{text}]", parse_datetime=False)
        return bool(value == [expected])
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException:  # the Rust parser signals some errors as BaseException
        return False


def inline(value: Any) -> str:
    """Structured data as one line of YAML flow style, as a person writes it in a blueprint:
    ``{id: greet, role: counter, duration: 1..3 min}``; text that would read back differently
    is quoted."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_scalar(k)}: {inline(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(inline(v) for v in value) + "]"
    return _scalar(value)


def read_inline(text: str, what: str) -> Any:
    """The value of inline YAML text; ``ValueError`` naming ``what`` when it cannot be read."""
    try:
        return yaml_rs.loads(text, parse_datetime=False)
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException as exc:  # the Rust parser signals some errors as BaseException
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else "invalid YAML"
        raise ValueError(f"{what}: cannot read {text!r} ({reason})") from None


def action_cells(action: Action) -> dict[str, Cell]:
    """The action as flat cells (absent fields left out); ids are always included."""
    data = action_data(action)
    cells: dict[str, Cell] = {"id": action.id}
    fail = data.get("fail") or {}
    for column in ACTION_COLUMNS[1:]:
        if column.startswith("fail_"):
            value = fail.get(column[5:])
        else:
            value = data.get(column)
        if value is None:
            continue
        if isinstance(value, (dict, list)):
            cells[column] = inline(value)
        else:
            cells[column] = value
    return cells


def _text(value: Cell) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def action_from_cells(cells: Mapping[str, Cell | None]) -> dict[str, Any]:
    """Raw action data from flat cells; empty cells are absent fields.

    The result is validated by the model (numbers written as text are accepted there).
    Raises ``ValueError`` when an inline structured value cannot be read.
    """
    data: dict[str, Any] = {}
    fail: dict[str, Any] = {}
    for column in ACTION_COLUMNS:
        value = cells.get(column)
        if value is None or (isinstance(value, str) and not value.strip() and column != "text"):
            continue
        if column == "metrics":
            data["metrics"] = read_inline(_text(value), "metrics")
        elif column in DURATION_FIELDS and isinstance(value, str) and value.lstrip().startswith("{"):
            data[column] = read_inline(value, column)
        elif column in NUMBER_COLUMNS:
            target = fail if column.startswith("fail_") else data
            target[column.removeprefix("fail_")] = value.strip() if isinstance(value, str) else value
        elif column.startswith("fail_"):
            fail[column[5:]] = _text(value)
        else:
            data[column] = _text(value)
    if fail:
        data["fail"] = fail
    return data
