"""Which part of the drawing a finding is about: an action, a flow or a step.

Findings carry a line and column in the YAML; the editor marks them on the canvas. Every
action, flow and step starts on a known line of the text (the source map finds it), so a
finding belongs to the last of them that starts at or before its line, within the same
top-level section: a finding under ``flows:`` points at a flow, one under ``steps:`` at the
action (or, above the first action, the step) it sits in, and one elsewhere (roles, phases,
the scenario) at nothing in particular.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from itertools import pairwise
from typing import Any

from ...findings import Finding
from ...flows import Chain, Link
from ...loader import Document


def _line(doc: Document, path: tuple[str | int, ...], *, key: bool = False) -> int:
    line, _ = doc.source.locate(path, key=key) if doc.source else (0, 0)
    return line


def _section_starts(doc: Document) -> list[tuple[int, str]]:
    data = doc.data if isinstance(doc.data, dict) else {}
    starts = [(_line(doc, (k,), key=True), str(k)) for k in data]
    return sorted((line, k) for line, k in starts if line > 0)


def _flow_edges(item: Any) -> list[list[str]]:
    """The arrows of one written flow, read on its own (the rest of the file may not load)."""
    try:
        if isinstance(item, str):
            chain = Chain.parse(item)
            return [[a, b] for a, b in pairwise(chain.ids)]
        link = Link.model_validate(item)
        return [[link.source, link.target]]
    except (ValueError, TypeError):
        return []


def _targets(doc: Document) -> dict[str, list[tuple[int, dict[str, Any]]]]:
    """Start lines of the things a finding can point at, by top-level section.

    Read from the file's data rather than the model, so that findings still point at their
    action while a value in the file cannot be read yet (then there is no model at all).
    """
    data = doc.data if isinstance(doc.data, dict) else {}
    bp = doc.blueprint
    out: dict[str, list[tuple[int, dict[str, Any]]]] = {"steps": [], "flows": []}
    steps = data.get("steps")
    for si, step in enumerate(steps if isinstance(steps, list) else []):
        if not isinstance(step, dict):
            continue
        model_step = bp.steps[si] if bp is not None and si < len(bp.steps) else None
        step_id = step.get("id") if isinstance(step.get("id"), str) else model_step.id if model_step else None
        if step_id is not None:
            out["steps"].append((_line(doc, ("steps", si)), {"kind": "step", "step": step_id}))
        for lane, items in step.items():
            if lane == "evidence" or not isinstance(items, list):
                continue
            for ai, item in enumerate(items):
                action_id = item.get("id") if isinstance(item, dict) else None
                if not isinstance(action_id, str) and model_step is not None and ai < len(model_step.lane(lane)):
                    action_id = model_step.lane(lane)[ai].id
                if isinstance(action_id, str):
                    out["steps"].append((_line(doc, ("steps", si, lane, ai)), {"kind": "action", "id": action_id}))
    flows = data.get("flows")
    for i, item in enumerate(flows if isinstance(flows, list) else []):
        out["flows"].append((_line(doc, ("flows", i)), {"kind": "flow", "index": i, "edges": _flow_edges(item)}))
    for key in out:
        out[key] = sorted((t for t in out[key] if t[0] > 0), key=lambda t: t[0])
    return out


def _last_at_or_before(items: Sequence[tuple[int, dict[str, Any]]], line: int) -> dict[str, Any] | None:
    k = bisect.bisect_right([t[0] for t in items], line)
    return items[k - 1][1] if k else None


def anchor_findings(doc: Document, findings: Sequence[Finding]) -> list[dict[str, Any]]:
    """Each finding as a dict (as the API gives it) with a ``target``, or ``None`` for none."""
    sections = _section_starts(doc) if findings else []
    targets = _targets(doc) if findings else {}
    out = []
    for f in findings:
        item: dict[str, Any] = f.to_dict()
        target = None
        if f.line > 0 and sections:
            k = bisect.bisect_right([s[0] for s in sections], f.line)
            section = sections[k - 1][1] if k else ""
            if section in targets:
                target = _last_at_or_before(targets[section], f.line)
        item["target"] = target
        out.append(item)
    return out
