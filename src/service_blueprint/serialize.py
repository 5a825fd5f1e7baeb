"""From model back to text: the plain data form, YAML and JSON.

The data form is what a person would write: defaults and derived ids left out, short
actions on one line, keys in the order of the format reference. Loading what this
writes gives an equal model (tested with hypothesis).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

from .flows import Chain, Link
from .model import Action, Blueprint, CustomLane, Demand, FailPoint, Role, Scenario, Step

#: Canonical key order per kind of mapping (also used by ``blueprint fmt``).
KEY_ORDER: dict[str, tuple[str, ...]] = {
    "blueprint": ("blueprint", "title", "description", "state", "currency", "scenario", "roles", "demand",
                  "lanes", "phases", "steps", "flows", "ignore", "tags"),
    "scenario": ("customer", "start", "end", "goal", "tolerance", "note"),
    "role": ("name", "department", "kind", "staff", "cost", "shifts", "note"),
    "demand": ("arrivals", "hours", "peaks", "note"),
    "lane": ("name", "after", "line", "note"),
    "step": ("id", "name", "evidence", "customer", "frontstage", "backstage", "support", "note"),
    "action": ("id", "text", "role", "duration", "tolerance", "wait", "fail", "emotion", "channel", "p",
               "repeat", "cost", "source", "detail", "metrics", "note"),
    "fail": ("text", "likelihood", "impact", "owner", "recovery", "note"),
    "flow": ("from", "to", "two_way", "p", "label", "note"),
    "duration": ("dist", "value", "min", "mode", "max", "mean", "sd", "values", "unit"),
}
_FLOW_LINE_LIMIT = 100


def _num(x: float) -> int | float:
    return int(x) if float(x).is_integer() else x


def _value(v: Any) -> Any:
    if hasattr(v, "to_data"):
        return v.to_data()
    if isinstance(v, float):
        return _num(v)
    return v


def _fields(model: Any, order: Iterable[str], skip: Iterable[str] = ()) -> dict[str, Any]:
    out: dict[str, Any] = {}
    skipped = set(skip)
    for key in order:
        if key in skipped:
            continue
        v = getattr(model, key, None)
        if v is None or v == () or v == {}:
            continue
        if isinstance(v, tuple):
            out[key] = [_value(x) for x in v]
        else:
            out[key] = _value(v)
    return out


def fail_data(fail: FailPoint) -> dict[str, Any]:
    return _fields(fail, KEY_ORDER["fail"])


def action_data(action: Action) -> dict[str, Any]:
    data = _fields(action, KEY_ORDER["action"], skip=("id", "fail", "metrics") if action.id_derived else ("fail", "metrics"))
    ordered: dict[str, Any] = {}
    for key in KEY_ORDER["action"]:
        if key == "fail" and action.fail is not None:
            ordered["fail"] = fail_data(action.fail)
        elif key == "metrics" and action.metrics:
            ordered["metrics"] = {k: _value(v) for k, v in action.metrics.items()}
        elif key in data:
            ordered[key] = data[key]
    return ordered


def step_data(step: Step, lanes: Iterable[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if not step.id_derived:
        out["id"] = step.id
    out["name"] = step.name
    if step.evidence:
        out["evidence"] = [e.to_data() for e in step.evidence]
    for lane in lanes:
        actions = step.lane(lane)
        if actions:
            out[lane] = [action_data(a) for a in actions]
    if step.note is not None:
        out["note"] = step.note
    return out


def role_data(role: Role) -> dict[str, Any]:
    data = _fields(role, KEY_ORDER["role"])
    if data.get("kind") == "person":
        del data["kind"]
    return data


def demand_data(demand: Demand) -> dict[str, Any]:
    data = _fields(demand, KEY_ORDER["demand"])
    if isinstance(data.get("hours"), list) and len(data["hours"]) == 1:
        data["hours"] = data["hours"][0]
    return data


def lane_data(lane: CustomLane) -> dict[str, Any]:
    return _fields(lane, KEY_ORDER["lane"])


def scenario_data(scenario: Scenario) -> dict[str, Any]:
    return _fields(scenario, KEY_ORDER["scenario"])


def flow_data(flow: Chain | Link) -> Any:
    return flow.to_data()


def to_data(bp: Blueprint) -> dict[str, Any]:
    """The blueprint as plain data (dicts, lists, strings, numbers), as it would be written."""
    out: dict[str, Any] = {"blueprint": bp.blueprint, "title": bp.title}
    for key in ("description", "state", "currency"):
        if getattr(bp, key) is not None:
            out[key] = getattr(bp, key)
    sc = scenario_data(bp.scenario)
    if sc:
        out["scenario"] = sc
    if bp.roles:
        out["roles"] = {rid: role_data(r) for rid, r in bp.roles.items()}
    if bp.demand is not None:
        out["demand"] = demand_data(bp.demand)
    if bp.lanes:
        out["lanes"] = {lid: lane_data(lane) for lid, lane in bp.lanes.items()}
    if bp.phases:
        out["phases"] = {name: list(steps) for name, steps in bp.phases.items()}
    lanes = bp.lane_order
    out["steps"] = [step_data(s, lanes) for s in bp.steps]
    if bp.flows:
        out["flows"] = [flow_data(f) for f in bp.flows]
    if bp.ignore:
        out["ignore"] = list(bp.ignore)
    if bp.tags:
        out["tags"] = list(bp.tags)
    return out


def dumps_json(bp: Blueprint) -> str:
    """JSON with the same structure as the YAML file (durations stay text like '5 min')."""
    return json.dumps(to_data(bp), indent=2, ensure_ascii=False) + "\n"


# ---- YAML ------------------------------------------------------------------------------------


def yaml_writer() -> YAML:
    """The one YAML emitter configuration, shared by ``dumps`` and ``blueprint fmt``."""
    y = YAML(typ="rt")
    y.indent(mapping=2, sequence=4, offset=2)
    y.width = 4096
    y.preserve_quotes = False
    y.allow_unicode = True
    return y


def _is_scalar(v: Any) -> bool:
    return not isinstance(v, (dict, list))


def _flow_len(v: Any) -> int:
    if isinstance(v, dict):
        return 2 + sum(len(str(k)) + 2 + _flow_len(x) + 2 for k, x in v.items())
    if isinstance(v, list):
        return 2 + sum(_flow_len(x) + 2 for x in v)
    return len(str(v)) + 2


_FLOW_SAFE = re.compile(r"^[\w~(]([\w .:/~()+'&-]*[\w.)])?$")


def _flow_safe(v: Any) -> Any:
    """Quote strings that are not plainly safe inside ``{...}`` or ``[...]``.

    Parsers disagree on odd plain scalars in flow context (ruamel.yaml writes ``: ?``
    plain, which nothing reads back; some readers reject ``a -`` before a comma), so only
    text made of ordinary characters stays plain there.
    """
    if not isinstance(v, str) or (_FLOW_SAFE.match(v) and ": " not in v):
        return v
    if "\n" in v or not v.isprintable():
        return DoubleQuotedScalarString(v)
    return SingleQuotedScalarString(v)


def _styled(v: Any, depth: int = 0) -> Any:
    """Turn plain data into ruamel nodes: short scalar-only mappings and lists on one line."""
    if isinstance(v, dict):
        flow = depth > 0 and all(_is_scalar(x) or (isinstance(x, list) and all(map(_is_scalar, x)))
                                 for x in v.values()) and _flow_len(v) + depth * 2 <= _FLOW_LINE_LIMIT
        m = CommentedMap()
        for k, x in v.items():
            m[k] = _flow_safe(_styled(x, depth + 1)) if flow else _styled(x, depth + 1)
        if flow:
            m.fa.set_flow_style()
        return m
    if isinstance(v, list):
        flow = all(_is_scalar(x) for x in v) and _flow_len(v) + depth * 2 <= _FLOW_LINE_LIMIT
        seq = CommentedSeq((_flow_safe(x) if flow else _styled(x, depth + 1)) for x in v)
        if flow:
            seq.fa.set_flow_style()
        return seq
    return v


def _top_level(data: dict[str, Any]) -> CommentedMap:
    top = CommentedMap()
    for key, value in data.items():
        if key in ("scenario", "demand") and isinstance(value, dict):
            block = CommentedMap()
            for k, x in value.items():
                block[k] = _styled(x, 2)
            top[key] = block
        elif key == "steps":
            top[key] = CommentedSeq(_step_node(s) for s in value)
        elif key == "flows":
            top[key] = CommentedSeq(_styled(f, 2) for f in value)
        else:
            top[key] = _styled(value, 1) if key not in ("roles", "lanes", "phases") else _nested(value)
    return top


def _nested(value: dict[str, Any]) -> CommentedMap:
    m = CommentedMap()
    for k, x in value.items():
        m[k] = _styled(x, 1)
    return m


def _step_node(step: dict[str, Any]) -> CommentedMap:
    m = CommentedMap()
    for k, x in step.items():
        if isinstance(x, list) and k != "evidence":
            m[k] = CommentedSeq(_styled(a, 3) for a in x)
        else:
            m[k] = _styled(x, 3)
    return m


def dumps_yaml(bp: Blueprint, *, header: str | None = None) -> str:
    """The blueprint as YAML text in the canonical layout."""
    node = _top_level(to_data(bp))
    if header:
        node.yaml_set_start_comment(header)
    buf = io.StringIO()
    yaml_writer().dump(node, buf)
    return buf.getvalue()
