"""Which column is which in a log, and where its activities and resources belong.

Logs name their columns freely (``Case ID``, ``case:concept:name``, ``Activity``...). The usual
names are recognised; a mapping file (YAML or JSON) or command-line options say the rest, and
also put activities in lanes and resources in roles::

    columns:                 # CSV column names or XES attribute keys
      case: Ticket
      activity: Step
      start: Started         # optional: with only one timestamp, start = end
      end: Finished          # or 'time' for a log with one timestamp per event
      resource: Agent
      role: Team             # optional: the group a resource belongs to
      format: "%d/%m/%Y %H:%M"   # optional strptime format (ISO 8601 is read without it)
    lanes:                   # activity -> lane
      Greets the customer: frontstage
    roles:                   # resource -> role id
      alice: counter
    customer: [Customer, web]    # resources that are the customer (their work is a customer action)

Everything is validated when read; a mistake names the entry and what is allowed.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from typing import Any

import yaml_rs

from .. import textfile
from ..errors import LoadError, UsageError
from ..findings import Finding, Severity
from ..ids import is_id
from ..model import ACTION_LANES

#: Column roles and the names they are recognised by (compared without case or punctuation).
KNOWN_COLUMNS: dict[str, tuple[str, ...]] = {
    "case": ("case", "case id", "caseid", "case concept name", "case_id", "trace", "trace id"),
    "activity": ("activity", "action", "concept name", "activity name", "task", "event", "step"),
    "start": ("start", "start time", "start timestamp", "starttime", "started"),
    "end": ("end", "end time", "complete", "complete time", "complete timestamp", "completetimestamp",
            "time timestamp", "timestamp", "time", "finished", "end timestamp"),
    "resource": ("resource", "org resource", "user", "performer", "agent", "employee"),
    "role": ("role", "org role", "org group", "group", "team", "department"),
    "lane": ("lane",),
}
COLUMN_KEYS = ("case", "activity", "start", "end", "resource", "role", "lane")


def normalise(name: str) -> str:
    """Case, punctuation and spacing do not matter when column names are compared."""
    return " ".join(re.findall(r"[^\W_]+", name.lower()))


def mapping_error(file: str, message: str, hint: str | None = None, line: int = 0) -> LoadError:
    """A log or mapping file that cannot be used as it is (rule E002, like unreadable files)."""
    return LoadError([Finding("E002", Severity.ERROR, message, file, line, 0, hint, "unreadable-file")])


@dataclass(frozen=True, slots=True)
class Columns:
    """Column names chosen by the user; ``None`` means "find it by its usual names"."""

    case: str | None = None
    activity: str | None = None
    start: str | None = None
    end: str | None = None
    resource: str | None = None
    role: str | None = None
    lane: str | None = None
    format: str | None = None
    """strptime format of the timestamps; ISO 8601 needs none."""

    def merged(self, other: Columns) -> Columns:
        """These columns, with ``other``'s where ``other`` names one (options beat the file)."""
        return replace(self, **{k: getattr(other, k) for k in (*COLUMN_KEYS, "format")
                                if getattr(other, k) is not None})


@dataclass(frozen=True, slots=True)
class Resolved:
    """Column positions in one file's header (``-1`` when the log has no such column)."""

    names: tuple[str, ...]
    case: int
    activity: int
    start: int
    end: int
    resource: int
    role: int
    lane: int
    format: str | None


def resolve_columns(header: tuple[str, ...], columns: Columns, file: str) -> Resolved:
    """Find each column in ``header``: the name given, else a usual name. Case, activity and a
    timestamp are required; an error names what is missing and lists the columns there are."""
    by_norm: dict[str, int] = {}
    for i, name in enumerate(header):
        by_norm.setdefault(normalise(name), i)
    found: dict[str, int] = {}
    available = ", ".join(repr(h) for h in header) or "none"
    for key in COLUMN_KEYS:
        given = getattr(columns, key)
        if given is not None:
            i = by_norm.get(normalise(given), -1)
            if i < 0:
                raise mapping_error(file, f"the {key} column {given!r} is not in the log; its columns are "
                                    f"{available}", f"name the {key} column with --{key} or in the mapping file")
            found[key] = i
            continue
        found[key] = next((by_norm[n] for n in map(normalise, KNOWN_COLUMNS[key]) if n in by_norm), -1)
    if found["start"] >= 0 and found["start"] == found["end"]:
        found["start"] = -1
    for key in ("case", "activity"):
        if found[key] < 0:
            raise mapping_error(file, f"no {key} column found; the log's columns are {available}",
                                f"name it with --{key} COLUMN or 'columns: {{{key}: COLUMN}}' in a mapping file")
    if found["end"] < 0:
        if found["start"] < 0:
            raise mapping_error(file, f"no timestamp column found; the log's columns are {available}",
                                "name it with --end COLUMN (or --start and --end for start and end times)")
        found["end"], found["start"] = found["start"], -1
    used = [found[k] for k in COLUMN_KEYS if found[k] >= 0]
    if len(used) != len(set(used)):
        clash = next(header[i] for i in used if used.count(i) > 1)
        raise mapping_error(file, f"column {clash!r} is mapped to two purposes", "give each purpose its own column")
    return Resolved(tuple(header), **found, format=columns.format)


@dataclass(frozen=True, slots=True)
class Mapping:
    """Columns, plus where activities and resources go in the blueprint."""

    columns: Columns = Columns()
    lanes: dict[str, str] = field(default_factory=dict)
    """Activity name -> lane id."""
    roles: dict[str, str] = field(default_factory=dict)
    """Resource (or group) name -> role id."""
    customer: frozenset[str] = frozenset()
    """Resources whose work is the customer's own."""


_COLUMN_FIELDS = (*COLUMN_KEYS, "format")


def parse_mapping(data: Any, file: str) -> Mapping:
    """Validate a mapping file's data; every mistake names the entry and what is allowed."""
    if data is None:
        return Mapping()
    if not isinstance(data, dict):
        raise mapping_error(file, "a mining mapping is a mapping with 'columns', 'lanes', 'roles' and 'customer'")
    unknown = sorted(set(map(str, data)) - {"columns", "lanes", "roles", "customer"})
    if unknown:
        raise mapping_error(file, f"unknown key {unknown[0]!r} in the mining mapping",
                            "use columns, lanes, roles and customer")
    cols = data.get("columns") or {}
    if not isinstance(cols, dict):
        raise mapping_error(file, "'columns' maps purposes (case, activity, start, end...) to column names")
    bad = sorted(set(map(str, cols)) - set(_COLUMN_FIELDS) - {"time"})
    if bad:
        raise mapping_error(file, f"unknown column purpose {bad[0]!r}", f"use {', '.join(_COLUMN_FIELDS)} or time")
    values: dict[str, str] = {}
    for key, value in cols.items():
        if not isinstance(value, str) or not value:
            raise mapping_error(file, f"columns.{key} must be a column name (text)")
        values["end" if key == "time" else str(key)] = value
    lanes = _str_map(data.get("lanes"), "lanes", file)
    for activity, lane in lanes.items():
        if not is_id(lane) or lane == "evidence":
            raise mapping_error(file, f"lanes: {activity!r} goes to {lane!r}, which is not a lane id",
                                f"use one of {', '.join(ACTION_LANES)} or a custom lane id")
    roles = _str_map(data.get("roles"), "roles", file)
    for resource, role in roles.items():
        if not is_id(role):
            raise mapping_error(file, f"roles: {resource!r} maps to {role!r}, which is not a role id",
                                "role ids are letters, digits and _ . - (e.g. 'counter')")
    customer = data.get("customer") or []
    if isinstance(customer, str):
        customer = [customer]
    if not isinstance(customer, list) or not all(isinstance(c, str) for c in customer):
        raise mapping_error(file, "'customer' lists the resources that are the customer")
    return Mapping(Columns(**values), lanes, roles, frozenset(customer))


def _str_map(value: Any, key: str, file: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise mapping_error(file, f"'{key}' maps names to ids, e.g. '{key}: {{Name: id}}'")
    return {str(k): v for k, v in value.items()}


def read_mapping(path: str | os.PathLike[str]) -> Mapping:
    """Read a mining mapping file (YAML or JSON)."""
    file = os.fspath(path)
    text, error = textfile.read(path)
    if text is None:
        assert error is not None
        raise LoadError([error])
    try:
        data = yaml_rs.loads(text, parse_datetime=False)
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException as exc:  # the Rust parser signals some errors as BaseException
        raise mapping_error(file, f"invalid YAML in the mapping file: {str(exc).strip().splitlines()[-1]}") from None
    return parse_mapping(data, file)


def columns_from_options(**options: str | None) -> Columns:
    """Columns named on the command line (``time`` is another name for ``end``)."""
    time = options.pop("time", None)
    if time is not None:
        if options.get("end") is not None:
            raise UsageError("give --time or --end, not both")
        options["end"] = time
    return Columns(**options)
