"""Flows as single arrows for formats that draw arrows, and back to the flows as written.

A diagram (BPMN, draw.io) holds one arrow per edge, but a blueprint file writes chains
(``a -> b -> c``) and mappings (``{from, to, p}``). Each arrow remembers which written flow
and which arrow of it it came from (``spec``, ``part``) and the written form, so importing our
own export gives the flows back exactly as written; arrows without that memory (drawn in
another tool) come back as single flows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, Literal

from ..flows import Chain, Link
from ..model import Blueprint

Form = Literal["chain", "link", ""]


@dataclass(frozen=True, slots=True)
class FlowRecord:
    """One arrow with everything any written form of it can say."""

    source: str
    target: str
    two_way: bool = False
    p: float | None = None
    label: str | None = None
    note: str | None = None
    spec: int = -1
    """Index of the written flow it comes from (-1: unknown, e.g. drawn in another tool)."""
    part: int = -1
    """Which arrow of a chain (0 for a mapping)."""
    form: Form = ""


def flow_records(bp: Blueprint) -> list[FlowRecord]:
    """Every explicit arrow of ``bp`` in the order written (the implicit customer chain is not a record)."""
    out: list[FlowRecord] = []
    for edge in bp.edges:
        if edge.implicit:
            continue
        spec = bp.flows[edge.spec]
        if isinstance(spec, Link):
            out.append(FlowRecord(edge.source, edge.target, edge.two_way, edge.p, edge.label, spec.note,
                                  edge.spec, edge.part, "link"))
        else:
            out.append(FlowRecord(edge.source, edge.target, edge.two_way, spec=edge.spec, part=edge.part,
                                  form="chain"))
    return out


def _link_data(r: FlowRecord) -> dict[str, Any]:
    data: dict[str, Any] = {"from": r.source, "to": r.target}
    if r.two_way:
        data["two_way"] = True
    for key in ("p", "label", "note"):
        value = getattr(r, key)
        if value is not None:
            data[key] = value
    return data


def _single(r: FlowRecord) -> Any:
    if r.form == "link" or r.p is not None or r.label is not None or r.note is not None:
        return _link_data(r)
    return Chain((r.source, r.target), (r.two_way,)).to_data()


def _as_chain(group: Sequence[FlowRecord]) -> str | None:
    """The chain text of arrows that form one chain, or ``None`` if they do not."""
    if [r.part for r in group] != list(range(len(group))):
        return None
    if any(a.target != b.source for a, b in pairwise(group)):
        return None
    if any(r.p is not None or r.label is not None or r.note is not None for r in group):
        return None
    ids = (group[0].source, *(r.target for r in group))
    return Chain(ids, tuple(r.two_way for r in group)).to_data()


def rebuild_flows(records: Iterable[FlowRecord]) -> list[Any]:
    """The written flows (plain data, as in a file) that give these arrows.

    Arrows with the same ``spec`` are regrouped into their chain when they still form one;
    everything else becomes one flow per arrow, after the regrouped ones, in input order.
    """
    groups: dict[int, list[FlowRecord]] = {}
    loose: list[FlowRecord] = []
    for r in records:
        if r.spec >= 0 and r.form:
            groups.setdefault(r.spec, []).append(r)
        else:
            loose.append(r)
    out: list[Any] = []
    for spec in sorted(groups):
        group = sorted(groups[spec], key=lambda r: r.part)
        if group[0].form == "chain":
            chain = _as_chain(group)
            if chain is not None:
                out.append(chain)
                continue
        out.extend(_single(r) for r in group)
    out.extend(_single(r) for r in loose)
    return out


def drop_customer_chain(records: list[FlowRecord], steps: Sequence[dict[str, Any]]) -> list[FlowRecord]:
    """Without arrows that only repeat the implicit customer chain (other tools draw it out)."""
    chain = [str(a["id"]) for s in steps for a in s.get("customer", [])]
    implicit = set(pairwise(chain))
    return [r for r in records
            if not ((r.source, r.target) in implicit and r.p is None and r.label is None and not r.two_way)]
