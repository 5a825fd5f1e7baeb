"""Blueprints as spreadsheets, both ways: the grid practitioners draw, and a flat table.

**Grid** (``csv``, ``xlsx``): the blueprint as it is drawn on a wall — one column per step, one
row per lane in lane order, with the named lines as separator rows::

    step     | Arrive                         | Diagnose
    id       | arrive                         | diagnose
    phase    | Drop-off                       | Drop-off
    evidence | Shop front                     | Repair ticket
    customer | Walks in {id: walk_in, ...}    | Describes the problem {id: describe}
    line of interaction
    frontstage | ...

A cell holds one action per line: its text, then the other fields as inline YAML exactly as in
the blueprint file. A sheet typed by hand needs only the text. Below the grid, after an empty
row, come the blueprint's details (``title``, ``scenario.*``, ``role``, ``lane``...) and its
flows, one ``flow`` row each, written as in the file.

**Table** (``csv-table``, ``xlsx-table``): one row per action with every field in its own
column (the columns of :mod:`.fields`), plus its step, phase, lane and outgoing flows; evidence
items are rows of the ``evidence`` lane. The xlsx table adds a ``details`` sheet.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Any

from ..model import ACTION_LANES, LINES, Action, Blueprint, Evidence
from ..serialize import action_data, demand_data, lane_data, role_data, scenario_data
from .assemble import build_blueprint, check_action, read_error, value_error
from .fields import ACTION_COLUMNS, action_cells, action_from_cells, inline, read_inline
from .flowmap import FlowRecord, flow_records, rebuild_flows
from .lanemap import LaneMapping, custom_lane_id, normalise, resolve
from .result import ExportResult, ImportResult, Warnings
from .sheets import Row, open_xlsx, read_csv, sheet_rows, write_csv, write_xlsx

GRID_SHEET = "blueprint"
TABLE_SHEET = "actions"
DETAILS_SHEET = "details"
TABLE_COLUMNS: tuple[str, ...] = ("step", "step_name", "phase", "lane", *ACTION_COLUMNS, "flows")

_STEP_LABELS = {"step", "steps", "step name", "step names"}
_ID_LABELS = {"id", "ids", "step id", "step ids"}
_PHASE_LABELS = {"phase", "phases", "stage", "stages"}
_NOTE_LABELS = {"step note", "step notes"}
_FLOW_RE = re.compile(r"^\s*(<->|->)\s*([^\s{]+)\s*(\{.*\})?\s*$")


# ---- one action or evidence item per line of a cell -----------------------------------------


def action_line(action: Action) -> str:
    data = action_data(action)
    text = data.pop("text")
    safe = text and "\n" not in text and text == text.strip() and not text.startswith("{")
    if not safe:
        return inline({"text": text, **data})
    if data:
        return f"{text} {inline(data)}"
    return f"{text} {{}}" if text.endswith("}") else text


def parse_action_line(line: str, where: str) -> dict[str, Any]:
    """Text with optional trailing ``{...}`` fields; the first split that reads as a mapping wins."""
    stripped = line.strip()
    if stripped.endswith("}"):
        starts = [0] if stripped.startswith("{") else []
        starts += [m.start() + 1 for m in re.finditer(r" \{", stripped)]
        for start in starts:
            try:
                fields = read_inline(stripped[start:], where)
            except ValueError:
                continue
            if isinstance(fields, dict):
                text = stripped[:start].strip()
                return {**fields, "text": text} if text else dict(fields)
    return {"text": stripped}


def evidence_line(item: Evidence) -> str:
    data = item.to_data()
    if isinstance(data, str) and "\n" not in data and not data.startswith("{") and data == data.strip():
        return data
    return inline(data if isinstance(data, dict) else {"text": data})


def _evidence(line: str, where: str) -> Any:
    stripped = line.strip()
    return read_inline(stripped, where) if stripped.startswith("{") else stripped


# ---- details (title, scenario, roles...) shared by both layouts --------------------------------


def details_rows(bp: Blueprint, *, phases: bool) -> list[Row]:
    rows: list[Row] = [["title", bp.title]]
    for key in ("description", "state", "currency"):
        if getattr(bp, key) is not None:
            rows.append([key, getattr(bp, key)])
    for key, value in scenario_data(bp.scenario).items():
        rows.append([f"scenario.{key}", value if isinstance(value, str) else inline(value)])
    for role_id, role in bp.roles.items():
        rows.append(["role", role_id, inline(role_data(role))])
    if bp.demand is not None:
        rows.append(["demand", inline(demand_data(bp.demand))])
    for lane_id, lane in bp.lanes.items():
        rows.append(["lane", lane_id, inline(lane_data(lane))])
    if phases and bp.phases:
        rows.append(["phases", inline({k: list(v) for k, v in bp.phases.items()})])
    for key in ("ignore", "tags"):
        if getattr(bp, key):
            rows.append([key, inline(list(getattr(bp, key)))])
    return rows


def _cell(row: list[Any], i: int) -> str:
    if i >= len(row) or row[i] is None:
        return ""
    v = row[i]
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def read_details(rows: list[tuple[int, list[Any]]], file: str, w: Warnings) -> dict[str, Any]:
    """Blueprint fields from ``(line, cells)`` detail rows; unknown keys are warned about."""
    data: dict[str, Any] = {}
    flows: list[Any] = []
    for line, row in rows:
        key, value = _cell(row, 0).strip(), _cell(row, 1)
        where = f"row {line}"
        try:
            if key in ("title", "description", "state", "currency"):
                data[key] = value
            elif key.startswith("scenario."):
                name = key.removeprefix("scenario.")
                data.setdefault("scenario", {})[name] = read_inline(value, where) if value.startswith("{") else value
            elif key in ("role", "lane"):
                spec = read_inline(_cell(row, 2), where) if _cell(row, 2).strip() else {}
                data.setdefault(key + "s", {})[value] = spec
            elif key in ("demand", "phases", "ignore", "tags"):
                data[key] = read_inline(value, where)
            elif key == "flow":
                flows.append(read_inline(value, where) if value.lstrip().startswith("{") else value)
            elif key == "blueprint" or not key:
                continue
            else:
                w.add(f"row {line}: unknown detail '{key}' dropped")
        except ValueError as exc:
            raise value_error(file, where, str(exc), line, 2) from None
    if flows:
        data["flows"] = flows
    return data


def _step_ids(steps: list[dict[str, Any]]) -> list[str]:
    """The ids the model gives these steps (written or derived from names)."""
    skeleton = Blueprint.model_validate({"title": "x", "steps": [
        {k: v for k, v in s.items() if k in ("id", "name")} for s in steps]})
    return [s.id for s in skeleton.steps]


def _phases_by_step(bp: Blueprint) -> list[list[str]]:
    return [[name for name, members in bp.phases.items() if step.id in members] for step in bp.steps]


def _phases_from_cells(step_ids: list[str], cells: list[list[str]]) -> dict[str, list[str]]:
    phases: dict[str, list[str]] = {}
    for step_id, names in zip(step_ids, cells, strict=True):
        for name in names:
            phases.setdefault(name, []).append(step_id)
    return phases


def _phases_fit_row(bp: Blueprint) -> bool:
    """Whether a row of phase names per step gives back the blueprint's phases exactly."""
    rebuilt = _phases_from_cells([s.id for s in bp.steps], _phases_by_step(bp))
    return list(rebuilt.items()) == [(k, list(v)) for k, v in bp.phases.items()]


# ---- grid ------------------------------------------------------------------------------------


def grid_rows(bp: Blueprint) -> tuple[list[Row], list[int]]:
    """The grid rows, then the details and flows; and the indices of the line rows."""
    steps = bp.steps
    rows: list[Row] = [["step", *(s.name for s in steps)], ["id", *("" if s.id_derived else s.id for s in steps)]]
    phases_in_row = bool(bp.phases) and _phases_fit_row(bp)
    if phases_in_row:
        rows.append(["phase", *("\n".join(names) for names in _phases_by_step(bp))])
    if bp.has_evidence:
        rows.append(["evidence", *("\n".join(evidence_line(e) for e in s.evidence) for s in steps)])
    separators: list[int] = []
    for lane in bp.lane_order:
        custom = bp.lanes.get(lane)
        if custom is not None and custom.line:
            separators.append(len(rows))
            rows.append([custom.line])
        rows.append([lane, *("\n".join(action_line(a) for a in s.lane(lane)) for s in steps)])
        if lane in LINES and lane != bp.lane_order[-1]:
            separators.append(len(rows))
            rows.append([LINES[lane]])
    if any(s.note for s in steps):
        rows.append(["step note", *(s.note or "" for s in steps)])
    rows.append([])
    rows.extend(details_rows(bp, phases=not phases_in_row))
    for flow in bp.flows:
        data = flow.to_data()
        rows.append(["flow", data if isinstance(data, str) else inline(data)])
    return rows, separators


def export_csv_grid(bp: Blueprint) -> ExportResult:
    return ExportResult(write_csv(grid_rows(bp)[0]))


def export_xlsx_grid(bp: Blueprint) -> ExportResult:
    rows, separators = grid_rows(bp)
    return ExportResult(write_xlsx([(GRID_SHEET, rows)], header_rows=1, separators=separators))


def _blank(row: list[Any]) -> bool:
    return all(not _cell(row, i).strip() for i in range(len(row)))


def read_grid(rows: list[list[Any]], file: str, mapping: LaneMapping | None) -> ImportResult:
    w = Warnings()
    end = next((i for i, r in enumerate(rows) if _blank(r)), len(rows))
    details = read_details([(i + 1, r) for i, r in enumerate(rows[end:], start=end) if not _blank(r)], file, w)
    grid = rows[:end]
    if not grid:
        raise read_error(file, "the sheet is empty: a grid has one row per lane and one column per step", 1, 1)
    width = max(len(r) for r in grid) - 1
    names = ids = notes = None
    phase_cells: list[list[str]] | None = None
    lane_rows: list[tuple[int, str, str | None, list[Any]]] = []  # line, lane, role, cells
    evidence_row: tuple[int, list[Any]] | None = None
    declared = dict(details.get("lanes") or {})
    by_name = {normalise(str(v.get("name", ""))): k for k, v in declared.items() if isinstance(v, dict) and v.get("name")}
    custom: dict[str, str] = {}
    roles: dict[str, Any] = {}
    for i, row in enumerate(grid):
        label = _cell(row, 0).strip()
        key = normalise(label)
        cells = [_cell(row, j + 1) for j in range(width)]
        if key in _STEP_LABELS:
            names = cells
        elif key in _ID_LABELS:
            ids = cells
        elif key in _PHASE_LABELS:
            phase_cells = [[n.strip() for n in c.split("\n") if n.strip()] for c in cells]
        elif key in _NOTE_LABELS:
            notes = cells
        elif key.startswith("line of") or key == "line":
            continue
        elif not label:
            if any(c.strip() for c in cells):
                w.add(f"row {i + 1}: cells in a row without a lane name were dropped")
        elif label in declared or key in by_name:
            lane_rows.append((i + 1, label if label in declared else by_name[key], None, cells))
        else:
            target = resolve(label, mapping)
            if target is None:
                if label not in custom:
                    custom[label] = custom_lane_id(label, set(custom.values()) | set(declared))
                    w.add(f"row {i + 1}: '{label}' is not a blueprint lane: imported as custom lane "
                          f"'{custom[label]}' (map it with a mapping file)")
                lane_rows.append((i + 1, custom[label], None, cells))
            elif target.lane == "evidence":
                evidence_row = (i + 1, cells)
            else:
                if target.role:
                    roles.setdefault(target.role, {"name": label})
                lane_rows.append((i + 1, target.lane, target.role, cells))
    steps: list[dict[str, Any]] = []
    for j in range(width):
        step: dict[str, Any] = {"name": (names[j].strip() if names and names[j].strip() else f"Step {j + 1}")}
        if ids and ids[j].strip():
            step["id"] = ids[j].strip()
        elif not names:
            step["id"] = f"step_{j + 1}"
        if notes and notes[j]:
            step["note"] = notes[j]
        steps.append(step)
    if evidence_row is not None:
        line, cells = evidence_row
        for j, cell in enumerate(cells):
            items = [_evidence(x, f"row {line}") for x in cell.split("\n") if x.strip()]
            if items:
                steps[j]["evidence"] = items
    for line, lane, role, cells in lane_rows:
        for j, cell in enumerate(cells):
            for text in cell.split("\n"):
                if not text.strip():
                    continue
                where = f"row {line}, column {_column_name(j + 1)}"
                try:
                    raw = parse_action_line(text, where)
                except ValueError as exc:
                    raise value_error(file, where, str(exc), line, j + 2) from None
                if role and "role" not in raw:
                    raw["role"] = role
                check_action(raw, file, where, line, j + 2)
                steps[j].setdefault(lane, []).append(raw)
    data: dict[str, Any] = {"blueprint": 1, "title": details.pop("title", None) or "Imported blueprint", **details}
    for label, lane_id in custom.items():
        declared.setdefault(lane_id, {"name": label, "after": "support"})
    if declared:
        data["lanes"] = declared
    if roles:
        data["roles"] = {**roles, **(data.get("roles") or {})}
    if phase_cells is not None and any(phase_cells):
        data["phases"] = _phases_from_cells(_step_ids(steps), phase_cells)
    data["steps"] = steps
    return ImportResult(build_blueprint(data, file), w.tuple())


def _column_name(n: int) -> str:
    name = ""
    while n:
        n, r = divmod(n - 1, 26)
        name = chr(65 + r) + name
    return name


def import_csv_grid(data: bytes | str, *, file: str = "<csv>", mapping: LaneMapping | None = None) -> ImportResult:
    return read_grid(list(read_csv(data, file)), file, mapping)


def import_xlsx_grid(data: bytes, *, file: str = "<xlsx>", mapping: LaneMapping | None = None) -> ImportResult:
    wb = open_xlsx(data, file)
    name = GRID_SHEET if GRID_SHEET in wb.sheetnames else wb.sheetnames[0]
    return read_grid(sheet_rows(wb, name), file, mapping)


# ---- table -----------------------------------------------------------------------------------


def _flows_cell(records: list[FlowRecord]) -> str:
    lines = []
    for r in records:
        extra = {k: getattr(r, k) for k in ("p", "label", "note") if getattr(r, k) is not None}
        arrow = "<->" if r.two_way else "->"
        lines.append(f"{arrow} {r.target}" + (f" {inline(extra)}" if extra else ""))
    return "\n".join(lines)


def table_rows(bp: Blueprint, *, numbers: bool) -> tuple[list[Row], Warnings]:
    w = Warnings()
    out: dict[str, list[FlowRecord]] = {}
    for r in flow_records(bp):
        out.setdefault(r.source, []).append(r)
    phase_names = _phases_by_step(bp)
    if bp.phases and (not all(len(n) <= 1 for n in phase_names) or not _phases_fit_row(bp)):
        w.add("phases that do not follow the steps in order (or overlap) were written as each step's first phase")
    rows: list[Row] = [list(TABLE_COLUMNS)]
    for step, names in zip(bp.steps, phase_names, strict=True):
        head = [step.id, step.name, names[0] if names else ""]
        before = len(rows)
        for item in step.evidence:
            cells: dict[str, Any] = {"text": item.text, "note": item.note or ""}
            rows.append([*head, "evidence", *(cells.get(c, "") for c in ACTION_COLUMNS), ""])
        for lane in bp.lane_order:
            for action in step.lane(lane):
                cells = action_cells(action)
                values = [cells.get(c, "") if numbers or not isinstance(cells.get(c), (int, float))
                          else str(cells[c]) for c in ACTION_COLUMNS]
                rows.append([*head, lane, *values, _flows_cell(out.pop(action.id, []))])
        if len(rows) == before:
            rows.append([*head, "", *("" for _ in ACTION_COLUMNS), ""])
    w.dropped("flows leaving unknown actions", [r.source for rs in out.values() for r in rs])
    if any(s.note for s in bp.steps):
        w.add("step notes are not carried by the table")
    if any(a.id_derived for a in bp.actions()) or any(s.id_derived for s in bp.steps):
        w.add("derived ids are written out as explicit ids")
    return rows, w


def export_csv_table(bp: Blueprint) -> ExportResult:
    rows, w = table_rows(bp, numbers=False)
    lost = sorted({str(r[0]).split(".")[0] for r in details_rows(bp, phases=False)} - {"title"})
    w.add("the CSV table carries steps, lanes, actions and flows only, not the title"
          + "".join(f", {k}" for k in lost) + " (use xlsx-table or the csv grid to keep them)")
    return ExportResult(write_csv(rows), w.tuple())


def export_xlsx_table(bp: Blueprint) -> ExportResult:
    rows, w = table_rows(bp, numbers=True)
    content = write_xlsx([(TABLE_SHEET, rows), (DETAILS_SHEET, details_rows(bp, phases=False))],
                         header_rows=1, label_column=False)
    return ExportResult(content, w.tuple())


def read_table(rows: list[list[Any]], file: str, details: dict[str, Any], w: Warnings,
               mapping: LaneMapping | None = None) -> ImportResult:
    header_at = next((i for i, r in enumerate(rows) if not _blank(r)), None)
    if header_at is None:
        raise read_error(file, "the table is empty", 1, 1)
    header = [normalise(_cell(rows[header_at], j)) for j in range(len(rows[header_at]))]
    known = {normalise(c): c for c in TABLE_COLUMNS}
    columns: dict[str, int] = {}
    for j, h in enumerate(header):
        if h in known:
            columns.setdefault(known[h], j)
        elif h:
            w.add(f"column '{_cell(rows[header_at], j)}' is not an action field and was dropped")
    missing = [c for c in ("lane", "text") if c not in columns]
    if missing:
        raise read_error(file, f"the table has no column {' or '.join(repr(c) for c in missing)}", header_at + 1, 1,
                         f"the first row names the columns: {', '.join(TABLE_COLUMNS)}")
    steps: dict[str, dict[str, Any]] = {}
    phase_of: dict[str, str] = {}
    records: list[FlowRecord] = []
    declared = dict(details.get("lanes") or {})
    custom: dict[str, str] = {}
    for i, row in enumerate(rows[header_at + 1:], start=header_at + 2):
        if _blank(row):
            continue
        get = {c: row[j] if j < len(row) else None for c, j in columns.items()}
        step_key = _cell([get.get("step")], 0).strip() or _cell([get.get("step_name")], 0).strip() or "step_1"
        step = steps.setdefault(step_key, {"name": _cell([get.get("step_name")], 0).strip() or step_key})
        if _cell([get.get("step")], 0).strip():
            step["id"] = step_key
        phase = _cell([get.get("phase")], 0).strip()
        if phase:
            phase_of.setdefault(step_key, phase)
        lane_name = _cell([get.get("lane")], 0).strip()
        text = _cell([get.get("text")], 0)
        if not lane_name and not text.strip():
            continue
        lane = _table_lane(lane_name, declared, custom, mapping, w, i)
        where = f"row {i}"
        if lane == "evidence":
            note = _cell([get.get("note")], 0)
            step.setdefault("evidence", []).append({"text": text, "note": note} if note else text)
            continue
        try:
            raw = action_from_cells({c: v for c, v in get.items() if c in ACTION_COLUMNS})
        except ValueError as exc:
            raise value_error(file, where, str(exc), i, 1) from None
        check_action(raw, file, where, i, 1)
        step.setdefault(lane, []).append(raw)
        for line in _cell([get.get("flows")], 0).split("\n"):
            if line.strip():
                records.append(_flow_item(line, str(raw.get("id", "")), file, i))
    step_list = list(steps.values())
    data: dict[str, Any] = {"blueprint": 1, "title": details.pop("title", None) or PurePath(file).stem.split(".")[0]
                            or "Imported blueprint", **details}
    roles = dict(data.get("roles") or {})
    named = [str(a["role"]) for s in step_list for lane in s.values() if isinstance(lane, list)
             for a in lane if isinstance(a, dict) and a.get("role")]
    undeclared = [r for r in dict.fromkeys(named) if r not in roles]
    if undeclared:
        roles.update({r: {} for r in undeclared})
        data["roles"] = roles
        w.add(f"roles declared from the role column, without names or staff: {', '.join(undeclared)}")
    for label, lane_id in custom.items():
        declared.setdefault(lane_id, {"name": label, "after": "support"})
    if declared:
        data["lanes"] = declared
    if phase_of:
        ids = _step_ids(step_list)
        data["phases"] = _phases_from_cells(ids, [[phase_of[k]] if k in phase_of else [] for k in steps])
    data["steps"] = step_list
    flows = rebuild_flows(records)
    if flows:
        data["flows"] = flows
    return ImportResult(build_blueprint(data, file), w.tuple())


def _table_lane(name: str, declared: dict[str, Any], custom: dict[str, str], mapping: LaneMapping | None,
                w: Warnings, line: int) -> str:
    if name in ACTION_LANES or name == "evidence" or name in declared:
        return name
    target = resolve(name, mapping)
    if target is not None:
        return target.lane
    if name not in custom:
        custom[name] = custom_lane_id(name or "lane", set(custom.values()) | set(declared))
        w.add(f"row {line}: lane '{name}' is not a blueprint lane: imported as custom lane '{custom[name]}'")
    return custom[name]


def _flow_item(line: str, source: str, file: str, row: int) -> FlowRecord:
    m = _FLOW_RE.match(line)
    if not m:
        raise value_error(file, f"row {row}", f"cannot read flow {line.strip()!r}; write '-> target', "
                          "'<-> target' or '-> target {p: 0.2, label: ...}'", row, 1)
    extra: dict[str, Any] = {}
    if m[3]:
        try:
            extra = read_inline(m[3], f"row {row}")
        except ValueError as exc:
            raise value_error(file, f"row {row}", str(exc), row, 1) from None
        if not isinstance(extra, dict) or set(extra) - {"p", "label", "note"}:
            raise value_error(file, f"row {row}", f"flow fields are p, label and note, not {m[3]}", row, 1)
    p = extra.get("p")
    if p is not None and (isinstance(p, bool) or not isinstance(p, (int, float))):
        raise value_error(file, f"row {row}", f"p must be a number, not {p!r}", row, 1)
    return FlowRecord(source, m[2], m[1] == "<->", float(p) if p is not None else None,
                      None if extra.get("label") is None else str(extra["label"]),
                      None if extra.get("note") is None else str(extra["note"]))


def import_csv_table(data: bytes | str, *, file: str = "<csv>", mapping: LaneMapping | None = None) -> ImportResult:
    w = Warnings()
    return read_table(list(read_csv(data, file)), file, {}, w, mapping)


def import_xlsx_table(data: bytes, *, file: str = "<xlsx>", mapping: LaneMapping | None = None) -> ImportResult:
    w = Warnings()
    wb = open_xlsx(data, file)
    details: dict[str, Any] = {}
    if DETAILS_SHEET in wb.sheetnames:
        details = read_details([(i + 1, r) for i, r in enumerate(sheet_rows(wb, DETAILS_SHEET)) if not _blank(r)],
                               file, w)
    return read_table(sheet_rows(wb, TABLE_SHEET), file, details, w, mapping)


# ---- telling the layouts apart -----------------------------------------------------------------


def csv_kind(data: bytes) -> str:
    """``csv-table`` when the first row names table columns, else ``csv`` (a grid)."""
    first = data.split(b"\n", 1)[0].decode("utf-8", "replace").lstrip("\ufeff")
    cells = {normalise(c) for c in re.split(r"[,;\t]", first)}
    return "csv-table" if {"lane", "text"} <= cells else "csv"


def xlsx_kind(data: bytes) -> str:
    wb = open_xlsx(data, "<xlsx>")
    return "xlsx-table" if TABLE_SHEET in wb.sheetnames else "xlsx"
