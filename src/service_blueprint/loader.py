"""From text to model: parse YAML, validate into :class:`Blueprint`, and explain failures.

Errors are collected, not raised one at a time: a user fixing a file wants every
mistake with its line and column in one run. Unknown keys are dropped and validation
repeated so the other checks still run on the rest of the file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml_rs
from pydantic import BaseModel, ValidationError

from . import textfile
from .errors import LoadError
from .findings import Finding, Severity, sort_findings
from .flows import Link
from .ids import suggestion
from .model import (
    ACTION_LANES,
    Action,
    Blueprint,
    CustomLane,
    Demand,
    Evidence,
    FailPoint,
    Role,
    Scenario,
    Step,
)
from .rules import parsing as _parsing  # noqa: F401  (declares the loader's rule ids)
from .rules.registry import make
from .sourcemap import Path as DataPath
from .sourcemap import SourceMap

_MAX_ROUNDS = 4


@dataclass
class Document:
    """A loaded file: its text, raw data, the model (when it could be built) and what went wrong."""

    file: str
    text: str
    data: Any = None
    blueprint: Blueprint | None = None
    findings: list[Finding] = field(default_factory=list)
    source: SourceMap | None = None
    base_dir: Path | None = None

    @property
    def ok(self) -> bool:
        return self.blueprint is not None and not any(f.severity is Severity.ERROR for f in self.findings)


def _yaml_error(exc: BaseException, file: str, source: SourceMap) -> Finding:
    text = str(exc)
    m = re.search(r"line (\d+), column (\d+)", text)
    lines = [ln for ln in text.splitlines() if ln.strip()]
    reason = lines[-1].strip() if lines else "invalid YAML"
    if m:
        tab = _tab_indent_near(source.text, int(m[1]))
        if tab:
            return make("E001", "invalid YAML: tabs cannot indent YAML", file, tab[0], tab[1],
                        "indent with spaces")
        return make("E001", f"invalid YAML: {reason}", file, int(m[1]), int(m[2]))
    dup = re.search(r"duplicate mapping key: '(.*)'", text)
    if dup:
        line, col = source.find_duplicate_key(dup[1]) or (0, 0)
        return make("E001", f"duplicate key '{dup[1]}'", file, line, col,
                    "each key may appear once in a mapping; merge the two entries")
    if "alias" in text and "limit" in text:
        return make("E001", "anchors and aliases expand to too much data (possible YAML bomb)", file, 1, 1,
                    "remove the deeply nested aliases")
    return make("E001", f"invalid YAML: {reason}", file, 1, 1)


def _tab_indent_near(text: str, line: int) -> tuple[int, int] | None:
    """A tab in the indentation at or just after the reported line: the real culprit.

    The value parser reports such errors at the previous token, which is confusing.
    """
    lines = text.splitlines()
    for i in range(max(line - 1, 0), min(line + 2, len(lines))):
        stripped = lines[i].lstrip(" \t")
        indent = lines[i][: len(lines[i]) - len(stripped)]
        if "\t" in indent and stripped:
            return i + 1, indent.index("\t") + 1
    return None


def parse_yaml(text: str, file: str, source: SourceMap) -> tuple[Any, Finding | None]:
    try:
        data = yaml_rs.loads(text, parse_datetime=False)
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException as exc:  # the Rust parser signals panics as BaseException
        return None, _yaml_error(exc, file, source)
    problem = source.syntax_error()
    if problem is not None:
        return None, make("E001", f"invalid YAML: {problem[0]}", file, problem[1], problem[2])
    return data, None


# ---- mapping validation errors to findings ---------------------------------------------------

_MODEL_AT: list[tuple[tuple[str, ...], type[BaseModel]]] = [
    ((), Blueprint),
    (("scenario",), Scenario),
    (("roles", "*"), Role),
    (("demand",), Demand),
    (("lanes", "*"), CustomLane),
    (("steps", "#"), Step),
    (("steps", "#", "evidence", "#"), Evidence),
    (("steps", "#", "*", "#"), Action),
    (("steps", "#", "*", "#", "fail"), FailPoint),
    (("flows", "#"), Link),
]


_LABELS: dict[type[BaseModel] | None, str] = {
    Scenario: "scenario", Role: "role", Demand: "demand", CustomLane: "lane", Step: "step",
    Evidence: "evidence", Action: "action", FailPoint: "fail point", Link: "flow",
}


ModelTable = list[tuple[tuple[str, ...], type[BaseModel]]]


def _model_at(path: DataPath, table: ModelTable | None = None) -> type[BaseModel] | None:
    for pattern, model in (table or _MODEL_AT):
        if len(pattern) != len(path):
            continue
        if all(p == "*" or (p == "#" and isinstance(q, int)) or p == q for p, q in zip(pattern, path, strict=True)):
            return model
    return None


def _known_keys(model: type[BaseModel]) -> list[str]:
    keys = []
    for name, info in model.model_fields.items():
        key = info.alias or name
        if not key.startswith("__"):
            keys.append(key)
    return keys


def _data_path(loc: Iterable[Any], data: Any) -> DataPath:
    """The part of a pydantic error location that exists in the data (drops union tags)."""
    path: list[str | int] = []
    node = data
    for item in loc:
        if (isinstance(node, dict) and item in node) or (isinstance(node, list) and isinstance(item, int) and 0 <= item < len(node)):
            path.append(item)
            node = node[item]
    return tuple(path)


_TYPE_WORDS = {
    "string_type": "text", "int_type": "a whole number", "int_parsing": "a whole number",
    "int_from_float": "a whole number", "float_type": "a number", "float_parsing": "a number",
    "bool_type": "true or false", "bool_parsing": "true or false", "dict_type": "a mapping (key: value)",
    "model_type": "a mapping (key: value)", "model_attributes_type": "a mapping (key: value)",
    "tuple_type": "a list", "list_type": "a list", "finite_number": "a finite number",
}


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    if value is None:
        return "nothing"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _field_name(path: DataPath) -> str:
    for item in reversed(path):
        if isinstance(item, str):
            return item
    return "value"


def _finding_for(err: Any, data: Any, file: str, source: SourceMap,
                 table: ModelTable | None = None) -> tuple[Finding, DataPath | None]:
    """One finding for one pydantic error; also the key path to drop if the key is unknown.

    ``table`` says which model owns which path, for the did-you-mean of unknown keys
    (journey files pass their own).
    """
    loc = tuple(err["loc"])
    kind = err["type"]
    path = _data_path(loc, data)
    if kind == "extra_forbidden":
        key = loc[-1]
        parent = path[:-1] if path and path[-1] == key else path
        model = _model_at(parent, table)
        hint_choices = _known_keys(model) if model else []
        line, col = source.locate(path, key=True)
        where = f" in {_LABELS.get(model, _field_name(parent))}" if parent else ""
        return make("E004", f"unknown key '{key}'{where}{suggestion(str(key), hint_choices)}", file, line, col,
                    f"known keys: {', '.join(hint_choices)}" if hint_choices else None), path
    if kind == "missing":
        line, col = source.locate(path)
        field = loc[-1]
        if field in ("from", "source"):
            field = "from"
        if field in ("to", "target"):
            field = "to"
        return make("E005", f"missing required field '{field}'", file, line, col), None
    line, col = source.locate(path)
    name = _field_name(path)
    if kind == "literal_error" and path == ("blueprint",):
        return make("E006", f"unsupported format version {_describe(err.get('input'))}; this tool reads 'blueprint: 1'",
                    file, line, col), None
    if kind in ("value_error", "assertion_error"):
        msg = str(err["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
        return make("E003", f"{name}: {msg}", file, line, col), None
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return make("E003", f"{name} must be one of {expected}; got {_describe(err.get('input'))}", file, line, col), None
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        return make("E003", f"{name}: unexpected {_describe(err.get('input'))}", file, line, col), None
    if kind in _TYPE_WORDS:
        return make("E003", f"{name} should be {_TYPE_WORDS[kind]}, not {_describe(err.get('input'))}",
                    file, line, col), None
    return make("E003", f"{name}: {err['msg']}", file, line, col), None


def _drop(data: Any, path: DataPath) -> Any:
    """A copy of ``data`` without the key at ``path`` (copying only along the path)."""
    if not path:
        return data
    head, rest = path[0], path[1:]
    if isinstance(data, dict) and head in data:
        if not rest:
            return {k: v for k, v in data.items() if k != head}
        return {**data, head: _drop(data[head], rest)}
    if isinstance(data, list) and isinstance(head, int) and 0 <= head < len(data):
        copy = list(data)
        copy[head] = _drop(data[head], rest)
        return copy
    return data


def _unknown_step_keys(data: dict[str, Any], file: str, source: SourceMap) -> tuple[dict[str, Any], list[Finding]]:
    """Step keys that are neither step fields nor declared lanes are typos, not new lanes."""
    steps = data.get("steps")
    lanes = data.get("lanes")
    declared = set(lanes) if isinstance(lanes, dict) else set()
    if not isinstance(steps, list):
        return data, []
    known = set(_known_keys(Step))
    findings: list[Finding] = []
    for i, step in enumerate(steps):
        if not isinstance(step, dict):
            continue
        for key in list(step):
            if key in known or key in declared:
                continue
            choices = sorted(known | declared)
            line, col = source.locate(("steps", i, key), key=True)
            hint = ("declare a custom lane under 'lanes:' at the top level"
                    if isinstance(step[key], list) else None)
            findings.append(make("E004", f"unknown key '{key}' in step{suggestion(str(key), choices)}",
                                 file, line, col, hint))
            data = _drop(data, ("steps", i, key))
    return data, findings


def build(data: Any, file: str, source: SourceMap) -> tuple[Blueprint | None, list[Finding]]:
    """Validate raw data into a model, collecting located findings for every problem."""
    if data is None:
        return None, [make("E006", "empty file; a blueprint starts with 'blueprint: 1'", file, 1, 1)]
    if not isinstance(data, dict):
        return None, [make("E006", f"a blueprint file is a mapping of keys, not {_describe(data)}", file, 1, 1)]
    bad_keys = [k for k in data if not isinstance(k, str)]
    if bad_keys:
        return None, [make("E003", f"keys must be text, not {_describe(bad_keys[0])}", file, 1, 1)]
    if "blueprint" not in data:
        hint = "add 'blueprint: 1' as the first line"
        if "journey" in data:
            hint = "this looks like a journey file; name it *.journey.yaml"
        return None, [make("E006", "not a blueprint file: 'blueprint: 1' is missing", file, 1, 1, hint)]
    version = data["blueprint"]
    if type(version) is not int or version != 1:
        line, col = source.locate(("blueprint",))
        return None, [make("E006", f"unsupported format version {_describe(version)}; this tool reads 'blueprint: 1'",
                           file, line, col)]
    findings: list[Finding] = []
    data, step_findings = _unknown_step_keys(data, file, source)
    findings.extend(step_findings)
    for _ in range(_MAX_ROUNDS):
        try:
            return Blueprint.model_validate(data), findings
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
            drops: list[DataPath] = []
            others = False
            for err in errors:
                finding, drop = _finding_for(err, data, file, source)
                findings.append(finding)
                if drop is None:
                    others = True
                else:
                    drops.append(drop)
            if others or not drops:
                return None, findings
            for path in drops:
                data = _drop(data, path)
    return None, findings


def parse_document(text: str, file: str = "<string>", base_dir: Path | None = None) -> Document:
    """Load blueprint text into a :class:`Document`; never raises for a user's mistake."""
    source = SourceMap(text)
    doc = Document(file=file, text=text, source=source, base_dir=base_dir)
    data, error = parse_yaml(text, file, source)
    if error:
        doc.findings.append(error)
        return doc
    doc.data = data
    blueprint, findings = build(data, file, source)
    doc.blueprint = blueprint
    doc.findings.extend(findings)
    doc.findings = sort_findings(doc.findings)
    return doc


def read_document(path: str | os.PathLike[str]) -> Document:
    """Load a blueprint file; missing, huge or binary files become findings too."""
    file = os.fspath(path)
    text, error = textfile.read(path)
    if text is None:
        assert error is not None
        return Document(file=file, text="", findings=[error])
    return parse_document(text, file, Path(path).resolve().parent)


def loads(text: str, file: str = "<string>") -> Blueprint:
    """The model of blueprint text; raises :class:`LoadError` (with findings) if it has errors."""
    doc = parse_document(text, file)
    errors = [f for f in doc.findings if f.severity is Severity.ERROR]
    if doc.blueprint is None or errors:
        raise LoadError(errors or doc.findings)
    return doc.blueprint


def load(path: str | os.PathLike[str]) -> Blueprint:
    """The model of a blueprint file; raises :class:`LoadError` (with findings) if it has errors."""
    doc = read_document(path)
    errors = [f for f in doc.findings if f.severity is Severity.ERROR]
    if doc.blueprint is None or errors:
        raise LoadError(errors or doc.findings)
    return doc.blueprint


__all__ = ["ACTION_LANES", "Document", "build", "load", "loads", "parse_document", "read_document"]
