"""Blueprint to a Mermaid flowchart, for Markdown documents (export only).

One subgraph per lane, stacked top to bottom in lane order and joined by invisible links so
Mermaid keeps that order; each named line is a thin separator node between its two lanes.
Actions keep their ids (prefixed, since words such as ``end`` are Mermaid keywords); two-way
flows are ``<-->``; choices are labelled with their probability. Mermaid has no place for
durations, roles, fail points or steps as columns, so those are listed in the warnings.
"""

from __future__ import annotations

from ..model import LINES, Blueprint
from .bpmn_export import percent
from .result import ExportResult, Warnings


def _label(text: str) -> str:
    """Text inside ``"..."``: quotes and Mermaid's entity marker escaped, lines as <br/>."""
    safe = text.replace("#", "#35;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
    return safe.replace("\n", "<br/>")


def export_mermaid(bp: Blueprint) -> ExportResult:
    w = Warnings()
    index = bp.action_index
    ids: dict[str, str] = {}
    used: set[str] = set()
    for action_id in index:
        base = "a_" + "".join(c if c.isascii() and c.isalnum() else "_" for c in action_id)
        node = base
        n = 2
        while node in used:
            node = f"{base}_{n}"
            n += 1
        used.add(node)
        ids[action_id] = node
    lines = ["flowchart TB", f"  %% {_label(bp.title)}"]
    order: list[str] = []
    for lane in bp.lane_order:
        custom = bp.lanes.get(lane)
        members = [p for p in bp.placed() if p.lane == lane and index.get(p.action.id) is p]
        if custom is not None and custom.line and order:
            order.append(f"line_{len(order)}")
            lines.append(f'  {order[-1]}["{_label(custom.line)}"]:::line')
        name = (custom.name if custom is not None else None) or lane.capitalize()
        lane_node = f"lane_{len(order)}"
        lines.append(f'  subgraph {lane_node}["{_label(name)}"]')
        lines.append("    direction LR")
        for p in members:
            shape = ("([", "])") if lane == "customer" else ("[", "]")
            lines.append(f'    {ids[p.action.id]}{shape[0]}"{_label(p.action.text)}"{shape[1]}')
        lines.append("  end")
        order.append(lane_node)
        if lane in LINES and lane != bp.lane_order[-1]:
            order.append(f"line_{len(order)}")
            lines.append(f'  {order[-1]}["{_label(LINES[lane])}"]:::line')
    if len(order) > 1:
        lines.append("  " + " ~~~ ".join(order))
    unknown: list[str] = []
    for e in bp.edges:
        if e.source not in ids or e.target not in ids:
            unknown.append(f"{e.source} -> {e.target}")
            continue
        arrow = "<-->" if e.two_way else ("-.->" if e.implicit else "-->")
        text = e.label or ""
        if e.p is not None:
            text = f"{text} ({percent(e.p)})" if text else percent(e.p)
        label = f'|"{_label(text)}"|' if text else ""
        lines.append(f"  {ids[e.source]} {arrow}{label} {ids[e.target]}")
    lines.append("  classDef line fill:none,stroke:#888,stroke-dasharray:6 4,color:#555,font-style:italic")
    w.dropped("flows naming unknown actions", unknown)
    carried = {"duration", "tolerance", "wait", "fail", "role", "emotion", "cost", "p", "repeat"}
    lost = sorted(k for k in carried if any(getattr(a, k) is not None for a in bp.actions()))
    if lost:
        w.add(f"Mermaid shows lanes, actions and flows only; not carried: {', '.join(lost)}, steps as columns"
              + (", evidence" if bp.has_evidence else ""))
    return ExportResult("\n".join(lines) + "\n", w.tuple())
