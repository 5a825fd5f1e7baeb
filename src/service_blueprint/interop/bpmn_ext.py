"""The extension elements that carry a blueprint through BPMN without loss.

Namespace ``https://service-blueprint.dev/bpmn/1`` (prefix ``sb``), inside standard
``bpmn:extensionElements``, so BPMN tools keep them and ignore them:

* ``sb:blueprint`` on the collaboration: the file's own fields (``title``, ``description``,
  ``state``, ``currency`` as attributes; ``scenario``, ``demand``, ``lanes``, ``ignore``,
  ``tags`` as inline YAML) with ``sb:role``, ``sb:step`` (with ``sb:evidence``) and
  ``sb:phase`` children;
* ``sb:action`` on each task: every action field (the flat columns of :mod:`.fields`, a
  structured value as inline YAML), plus ``step``, ``lane``, ``phase`` and ``derived``, and an
  ``sb:fail`` child for the fail point;
* ``sb:flow`` on each arrow: ``spec``/``part``/``form`` (which written flow it is), ``twoWay``,
  ``p``, ``label``, ``note``; ``implicit="true"`` on the customer chain, ``return="true"`` on
  the second message flow of a two-way exchange.
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element

from ..model import Action, Blueprint
from ..quantities import fmt_number
from ..serialize import demand_data, lane_data, role_data, scenario_data
from .fields import (
    ACTION_COLUMNS,
    FAIL_FIELDS,
    Cell,
    action_cells,
    action_from_cells,
    inline,
    read_inline,
)
from .flowmap import FlowRecord
from .xmlwrite import Node

SB = "https://service-blueprint.dev/bpmn/1"
BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"


def text(value: Cell | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return fmt_number(value)
    return str(value)


def sb(tag: str) -> str:
    return f"{{{SB}}}{tag}"


# ---- writing ---------------------------------------------------------------------------------


def blueprint_node(bp: Blueprint) -> Node:
    attrs = {"version": str(bp.blueprint), "title": bp.title}
    for key in ("description", "state", "currency"):
        value = getattr(bp, key)
        if value is not None:
            attrs[key] = value
    scenario = scenario_data(bp.scenario)
    if scenario:
        attrs["scenario"] = inline(scenario)
    if bp.demand is not None:
        attrs["demand"] = inline(demand_data(bp.demand))
    if bp.lanes:
        attrs["lanes"] = inline({k: lane_data(v) for k, v in bp.lanes.items()})
    if bp.ignore:
        attrs["ignore"] = inline(list(bp.ignore))
    if bp.tags:
        attrs["tags"] = inline(list(bp.tags))
    node = Node("sb:blueprint", attrs)
    for role_id, role in bp.roles.items():
        data = role_data(role)
        shifts = data.pop("shifts", [])
        r = node.add("sb:role", {"id": role_id, **{k: text(v) for k, v in data.items()}})
        for shift in shifts:
            r.add("sb:shift", {"value": shift})
    for step in bp.steps:
        s_attrs = {"id": step.id, "name": step.name}
        if step.note is not None:
            s_attrs["note"] = step.note
        if step.id_derived:
            s_attrs["derived"] = "true"
        s = node.add("sb:step", s_attrs)
        for item in step.evidence:
            e = {"text": item.text}
            if item.note is not None:
                e["note"] = item.note
            s.add("sb:evidence", e)
    for name, steps in bp.phases.items():
        node.add("sb:phase", {"name": name, "steps": inline(list(steps))})
    return node


def action_node(action: Action, step: str, lane: str, phase: str | None) -> Node:
    cells = action_cells(action)
    attrs = {k: text(v) for k, v in cells.items() if not k.startswith("fail_")}
    attrs["step"] = step
    attrs["lane"] = lane
    if phase is not None:
        attrs["phase"] = phase
    if action.id_derived:
        attrs["derived"] = "true"
    node = Node("sb:action", attrs)
    fail = {k[5:]: text(v) for k, v in cells.items() if k.startswith("fail_")}
    if fail:
        node.add("sb:fail", fail)
    return node


def flow_node(r: FlowRecord) -> Node:
    attrs: dict[str, str] = {}
    if r.spec >= 0:
        attrs.update(spec=str(r.spec), part=str(r.part), form=r.form)
    if r.two_way:
        attrs["twoWay"] = "true"
    for key in ("p", "label", "note"):
        value = getattr(r, key)
        if value is not None:
            attrs[key] = text(value)
    return Node("sb:flow", attrs)


# ---- reading ---------------------------------------------------------------------------------


def _inline_attr(el: Element, key: str, data: dict[str, Any], what: str) -> None:
    value = el.get(key)
    if value is not None:
        data[key] = read_inline(value, what)


def blueprint_data(el: Element) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The file-level data and the steps (without their actions) of an ``sb:blueprint`` element."""
    data: dict[str, Any] = {"blueprint": 1, "title": el.get("title", "")}
    for key in ("description", "state", "currency"):
        if el.get(key) is not None:
            data[key] = el.get(key)
    for key in ("scenario", "demand", "lanes", "ignore", "tags"):
        _inline_attr(el, key, data, f"sb:blueprint {key}")
    roles: dict[str, Any] = {}
    steps: list[dict[str, Any]] = []
    phases: dict[str, Any] = {}
    for child in el:
        if child.tag == sb("role"):
            role: dict[str, Any] = {k: v for k, v in child.attrib.items() if k != "id"}
            shifts = [s.get("value", "") for s in child if s.tag == sb("shift")]
            if shifts:
                role["shifts"] = shifts
            roles[child.get("id", "")] = role
        elif child.tag == sb("step"):
            step: dict[str, Any] = {"id": child.get("id", ""), "name": child.get("name", "")}
            if child.get("note") is not None:
                step["note"] = child.get("note")
            evidence: list[Any] = []
            for e in child:
                if e.tag == sb("evidence"):
                    note = e.get("note")
                    evidence.append(e.get("text", "") if note is None else {"text": e.get("text", ""), "note": note})
            if evidence:
                step["evidence"] = evidence
            if child.get("derived") == "true":
                step["__derived__"] = True
            steps.append(step)
        elif child.tag == sb("phase"):
            phases[child.get("name", "")] = read_inline(child.get("steps", "[]"), "sb:phase steps")
    if roles:
        data["roles"] = roles
    if phases:
        data["phases"] = phases
    return data, steps


def action_data(el: Element) -> tuple[dict[str, Any], str | None, str | None, bool]:
    """Raw action data, its step id, lane and whether its id was derived, from ``sb:action``."""
    cells: dict[str, Cell | None] = {k: v for k, v in el.attrib.items() if k in ACTION_COLUMNS}
    for child in el:
        if child.tag == sb("fail"):
            for key in FAIL_FIELDS:
                if child.get(key) is not None:
                    cells[f"fail_{key}"] = child.get(key)
    raw = action_from_cells(cells)
    if "text" not in raw:
        raw["text"] = ""
    return raw, el.get("step"), el.get("lane"), el.get("derived") == "true"


def flow_record(el: Element, source: str, target: str) -> FlowRecord:
    """The arrow an ``sb:flow`` element describes, between two action ids."""
    p = el.get("p")
    spec = el.get("spec")
    form = el.get("form", "")
    return FlowRecord(
        source, target,
        two_way=el.get("twoWay") == "true",
        p=float(p) if p is not None else None,
        label=el.get("label"),
        note=el.get("note"),
        spec=int(spec) if spec is not None and spec.isdigit() else -1,
        part=int(el.get("part", "0")) if el.get("part", "0").isdigit() else 0,
        form="chain" if form == "chain" else "link" if form == "link" else "",
    )
