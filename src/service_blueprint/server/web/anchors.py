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
from typing import Any

from ...findings import Finding
from ...loader import Document


def _line(doc: Document, path: tuple[str | int, ...], *, key: bool = False) -> int:
    line, _ = doc.source.locate(path, key=key) if doc.source else (0, 0)
    return line


def _section_starts(doc: Document) -> list[tuple[int, str]]:
    data = doc.data if isinstance(doc.data, dict) else {}
    starts = [(_line(doc, (k,), key=True), str(k)) for k in data]
    return sorted((line, k) for line, k in starts if line > 0)


def _targets(doc: Document) -> dict[str, list[tuple[int, dict[str, Any]]]]:
    """Start lines of the things a finding can point at, by top-level section."""
    bp = doc.blueprint
    out: dict[str, list[tuple[int, dict[str, Any]]]] = {"steps": [], "flows": []}
    if bp is None:
        return out
    for si, step in enumerate(bp.steps):
        out["steps"].append((_line(doc, ("steps", si)), {"kind": "step", "step": step.id}))
    for p in bp.placed():
        out["steps"].append((_line(doc, p.path), {"kind": "action", "id": p.action.id}))
    by_spec: dict[int, list[list[str]]] = {}
    for e in bp.edges:
        if e.spec >= 0:
            by_spec.setdefault(e.spec, []).append([e.source, e.target])
    for i in range(len(bp.flows)):
        out["flows"].append((_line(doc, ("flows", i)), {"kind": "flow", "index": i, "edges": by_spec.get(i, [])}))
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
