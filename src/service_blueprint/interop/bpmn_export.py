"""Blueprint to BPMN 2.0 XML: a collaboration of the customer and the provider, with a diagram.

The mapping follows the flow semantics of DESIGN section 2:

* two pools: the customer's (its actions in step order, the implicit customer chain as its
  sequence flows, from a start event to an end event) and the provider's, with one lane per
  provider lane (frontstage, backstage, support, custom lanes) or, with ``lanes="roles"``, one
  lane per role;
* flows inside a pool are sequence flows; flows across the line of interaction are message
  flows, and a two-way flow across it is a message flow each way (a two-way flow inside a pool
  is one sequence flow marked ``twoWay``: BPMN has no two-way sequence flow);
* the ``p`` flows leaving an action are an exclusive gateway whose branches are named with
  their probability; two or more branches that all fire (plain flows, plus the choice as one
  branch) are a parallel gateway;
* an action with several incoming sequence flows gets a join gateway: parallel when the flows
  are always live together, exclusive when at most one can be, inclusive otherwise (see
  :mod:`.liveness`);
* every field without a BPMN equivalent travels in the ``sb`` extension elements
  (:mod:`.bpmn_ext`), so importing the file gives the same blueprint back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from ..errors import UsageError
from ..flows import Edge
from ..ids import is_id
from ..model import Blueprint, Placed
from ..quantities import fmt_number
from ..render.geometry import Point, Rect
from .bpmn_ext import BPMN, BPMNDI, DC, DI, SB, action_node, blueprint_node, flow_node
from .bpmn_layout import Grid, message_route, sequence_route
from .flowmap import FlowRecord, flow_records
from .liveness import JoinKind, Liveness
from .result import ExportResult, Warnings
from .xmlwrite import Node, to_xml

LaneMode = Literal["canon", "roles"]

_GATEWAY_TAG = {
    JoinKind.PARALLEL: "bpmn:parallelGateway",
    JoinKind.EXCLUSIVE: "bpmn:exclusiveGateway",
    JoinKind.INCLUSIVE: "bpmn:inclusiveGateway",
}


def xml_id(name: str) -> str:
    """An XML id made from an action id (valid ids are used as they are)."""
    if is_id(name):
        return name
    return "x" + "".join(c if c.isascii() and (c.isalnum() or c in "_.-") else f"_{ord(c):x}_" for c in name)


def percent(p: float) -> str:
    return f"{fmt_number(round(p * 100, 1))}%"


@dataclass
class _FlowNode:
    """A task, gateway or event being written, with its incoming and outgoing flow ids."""

    id: str
    tag: str
    box: Rect
    name: str | None = None
    attrs: dict[str, str] = field(default_factory=dict)
    ext: list[Node] = field(default_factory=list)
    doc: str | None = None
    incoming: list[str] = field(default_factory=list)
    outgoing: list[str] = field(default_factory=list)


@dataclass
class _Flow:
    id: str
    source: str
    target: str
    name: str | None
    ext: Node | None
    route: list[Point]


class _Writer:
    def __init__(self, bp: Blueprint, lanes: LaneMode) -> None:
        self.bp = bp
        self.w = Warnings()
        self.index = bp.action_index
        self.placed = list(bp.placed())
        self.lane_mode = lanes
        self.rows, self.row_names = self._rows()
        cells: dict[tuple[int, str], list[str]] = {}
        for p in self.placed:
            if self.index.get(p.action.id) is p:
                cells.setdefault((p.step_index, self._row(p)), []).append(p.action.id)
        self.grid = Grid(len(bp.steps), ["customer", *self.rows], cells)
        self.nodes: dict[str, list[_FlowNode]] = {"customer": [], "provider": []}
        self.node_by_id: dict[str, _FlowNode] = {}
        self.flows: dict[str, list[_Flow]] = {"customer": [], "provider": []}
        self.messages: list[_Flow] = []

    # ---- lanes ---------------------------------------------------------------------------
    def _rows(self) -> tuple[list[str], dict[str, str]]:
        if self.lane_mode == "canon":
            rows = [lane for lane in self.bp.lane_order if lane != "customer"]
            names = {lane: (self.bp.lanes[lane].name or lane) if lane in self.bp.lanes else lane.capitalize()
                     for lane in rows}
            return rows, names
        used: list[str] = []
        for p in self.placed:
            if p.lane != "customer":
                key = p.action.role or ""
                if key not in used:
                    used.append(key)
        known = [r for r in self.bp.roles if r in used]
        rows = known + [r for r in used if r and r not in known] + ([""] if "" in used else [])
        names = {r: (self.bp.roles[r].name or r) if r in self.bp.roles else (r or "No role") for r in rows}
        return [f"role:{r}" for r in rows], {f"role:{r}": n for r, n in names.items()}

    def _row(self, p: Placed) -> str:
        if p.lane == "customer":
            return "customer"
        return p.lane if self.lane_mode == "canon" else f"role:{p.action.role or ''}"

    def _pool(self, action_id: str) -> str:
        return "customer" if self.index[action_id].lane == "customer" else "provider"

    # ---- nodes and flows -----------------------------------------------------------------
    def _node(self, pool: str, node: _FlowNode) -> _FlowNode:
        self.nodes[pool].append(node)
        self.node_by_id[node.id] = node
        return node

    def _flow(self, pool: str, source: str, target: str, name: str | None = None, ext: Node | None = None) -> None:
        flows = self.flows[pool]
        fid = f"flow_{pool}_{len(flows) + 1}"
        a, b = self.node_by_id[source], self.node_by_id[target]
        flows.append(_Flow(fid, source, target, name, ext, sequence_route(a.box, b.box)))
        a.outgoing.append(fid)
        b.incoming.append(fid)

    def _tasks(self) -> None:
        phase_of: dict[str, str] = {}
        for phase, steps in self.bp.phases.items():
            for s in steps:
                phase_of.setdefault(s, phase)
        for p in self.placed:
            a = p.action
            if self.index.get(a.id) is not p:
                continue  # a duplicated id (the checker reports it): the first one stands for it
            role = self.bp.roles.get(a.role) if a.role else None
            tag = "bpmn:serviceTask" if role is not None and role.kind == "system" else "bpmn:task"
            node = _FlowNode(f"task_{xml_id(a.id)}", tag, self.grid.task(a.id), a.text,
                             ext=[action_node(a, p.step.id, p.lane, phase_of.get(p.step.id))],
                             doc=_summary(self.bp, p))
            self._node(self._pool(a.id), node)

    def _edges(self) -> list[Edge]:
        edges: list[Edge] = []
        unknown: list[str] = []
        explicit_pairs = {(e.source, e.target) for e in self.bp.edges if not e.implicit}
        for e in self.bp.edges:
            if e.source not in self.index or e.target not in self.index or e.source == e.target:
                unknown.append(f"{e.source} -> {e.target}")
            elif not (e.implicit and (e.source, e.target) in explicit_pairs):
                edges.append(e)
        self.w.dropped("flows naming unknown actions or looping on one action", unknown)
        return edges

    def build(self) -> str:
        self._tasks()
        edges = self._edges()
        records = {(r.spec, r.part): r for r in flow_records(self.bp)}
        live = Liveness(self.bp)
        seq = [e for e in edges if self._pool(e.source) == self._pool(e.target)]
        out_seq: dict[str, list[Edge]] = {}
        in_seq: dict[str, list[Edge]] = {}
        for e in seq:
            out_seq.setdefault(e.source, []).append(e)
            in_seq.setdefault(e.target, []).append(e)
        start_of: dict[tuple[str, int, int, bool], str] = {}
        end_of: dict[str, str] = {}
        for action_id in self.index:
            pool = self._pool(action_id)
            task = self.node_by_id[f"task_{xml_id(action_id)}"]
            outs = out_seq.get(action_id, [])
            choice = [e for e in outs if e.p is not None and not e.implicit]
            plain = [e for e in outs if not (e.p is not None and not e.implicit)]
            has_xor = len(choice) >= 2
            has_and = len(plain) + (1 if has_xor else len(choice)) >= 2
            and_id = xor_id = task.id
            if has_and:
                and_id = self._node(pool, _FlowNode(f"split_{xml_id(action_id)}", "bpmn:parallelGateway",
                                                    self.grid.split(action_id), attrs={"gatewayDirection": "Diverging"})).id
                self._flow(pool, task.id, and_id)
            if has_xor:
                xor_id = self._node(pool, _FlowNode(f"choice_{xml_id(action_id)}", "bpmn:exclusiveGateway",
                                                    self.grid.split(action_id, second=has_and),
                                                    attrs={"gatewayDirection": "Diverging"})).id
                self._flow(pool, and_id, xor_id)
            for e in outs:
                start_of[(e.source, e.spec, e.part, e.implicit)] = xor_id if (e in choice and has_xor) else and_id
            ins = in_seq.get(action_id, [])
            end_of[action_id] = task.id
            if len(ins) >= 2:
                kind = live.join(ins)
                join = self._node(pool, _FlowNode(f"join_{xml_id(action_id)}", _GATEWAY_TAG[kind],
                                                  self.grid.join(action_id), attrs={"gatewayDirection": "Converging"}))
                end_of[action_id] = join.id
        for e in seq:
            record = records.get((e.spec, e.part))
            ext = flow_node(record) if record is not None else Node("sb:flow", {"implicit": "true"})
            self._flow(self._pool(e.source), start_of[(e.source, e.spec, e.part, e.implicit)],
                       end_of[e.target], _flow_name(e), ext)
        for action_id in self.index:
            join_id = f"join_{xml_id(action_id)}"
            if end_of[action_id] == join_id:
                self._flow(self._pool(action_id), join_id, f"task_{xml_id(action_id)}")
        self._customer_events(in_seq, out_seq)
        for e in edges:
            if self._pool(e.source) != self._pool(e.target):
                record = records.get((e.spec, e.part))
                if record is not None:
                    self._message(e, record)
        return self._document()

    def _customer_events(self, in_seq: dict[str, list[Edge]], out_seq: dict[str, list[Edge]]) -> None:
        sc = self.bp.scenario
        start = self._node("customer", _FlowNode("start_customer", "bpmn:startEvent", self.grid.start_event(), sc.start))
        end = self._node("customer", _FlowNode("end_customer", "bpmn:endEvent", self.grid.end_event(), sc.end))
        customer = [a for a in self.index if self._pool(a) == "customer"]
        if not customer:
            self._flow("customer", start.id, end.id)
            return
        for a in customer:
            if not in_seq.get(a):
                self._flow("customer", start.id, f"task_{xml_id(a)}")
        for a in customer:
            if not out_seq.get(a):
                self._flow("customer", f"task_{xml_id(a)}", end.id)

    def _message(self, e: Edge, record: FlowRecord) -> None:
        a = self.node_by_id[f"task_{xml_id(e.source)}"]
        b = self.node_by_id[f"task_{xml_id(e.target)}"]
        provider = e.target if self._pool(e.target) == "provider" else e.source
        corridor = self.grid.corridor(provider)
        fid = f"message_{len(self.messages) + 1}"
        shift = -12.0 if e.two_way else 0.0
        self.messages.append(_Flow(fid, a.id, b.id, _flow_name(e), flow_node(record),
                                   message_route(a.box, b.box, corridor, shift)))
        if e.two_way:
            back = f"message_{len(self.messages) + 1}"
            self.messages.append(_Flow(back, b.id, a.id, None,
                                       Node("sb:flow", {"return": "true", "forward": fid}),
                                       message_route(b.box, a.box, corridor, 12.0)))

    # ---- the document ----------------------------------------------------------------------
    def _document(self) -> str:
        from .. import __version__ as _version  # at call time: the package imports this module

        bp = self.bp
        root = Node("bpmn:definitions", {
            "xmlns:bpmn": BPMN, "xmlns:bpmndi": BPMNDI, "xmlns:dc": DC, "xmlns:di": DI, "xmlns:sb": SB,
            "id": "definitions", "targetNamespace": SB,
            "exporter": "service-blueprint", "exporterVersion": _version,
        })
        collab = root.add("bpmn:collaboration", {"id": "collaboration"})
        collab.add("bpmn:extensionElements").children.append(blueprint_node(bp))
        collab.add("bpmn:participant", {"id": "pool_customer", "name": bp.scenario.customer or "Customer",
                                        "processRef": "process_customer"})
        collab.add("bpmn:participant", {"id": "pool_provider", "name": bp.title, "processRef": "process_provider"})
        for m in self.messages:
            _flow_element(collab, "bpmn:messageFlow", m)
        for s, step in enumerate(bp.steps):
            if step.evidence:
                ann = collab.add("bpmn:textAnnotation", {"id": f"evidence_{s + 1}"})
                ann.add("bpmn:text", text="\n".join(e.text for e in step.evidence))
        for pool in ("customer", "provider"):
            process = root.add("bpmn:process", {"id": f"process_{pool}", "isExecutable": "false"})
            if pool == "provider":
                lane_set = process.add("bpmn:laneSet", {"id": "lanes_provider"})
                for row in self.rows:
                    lane = lane_set.add("bpmn:lane", {"id": _lane_id(row), "name": self.row_names[row]})
                    for node in self.nodes[pool]:
                        if self._node_row(node) == row:
                            lane.add("bpmn:flowNodeRef", text=node.id)
            for node in self.nodes[pool]:
                _node_element(process, node)
            for f in self.flows[pool]:
                _flow_element(process, "bpmn:sequenceFlow", f)
        self._diagram(root)
        return to_xml(root)

    def _node_row(self, node: _FlowNode) -> str | None:
        action_id = self._action_of(node)
        if action_id is None:
            return None
        return self._row(self.index[action_id])

    def _action_of(self, node: _FlowNode) -> str | None:
        for prefix in ("task_", "split_", "choice_", "join_"):
            if node.id.startswith(prefix):
                key = node.id[len(prefix):]
                return self._xml_ids.get(key)
        return None

    @property
    def _xml_ids(self) -> dict[str, str]:
        return {xml_id(a): a for a in self.index}

    def _diagram(self, root: Node) -> None:
        diagram = root.add("bpmndi:BPMNDiagram", {"id": "diagram"})
        plane = diagram.add("bpmndi:BPMNPlane", {"id": "plane", "bpmnElement": "collaboration"})
        _shape(plane, "pool_customer", self.grid.customer_pool, {"isHorizontal": "true"})
        _shape(plane, "pool_provider", self.grid.provider_pool, {"isHorizontal": "true"})
        for row in self.rows:
            _shape(plane, _lane_id(row), self.grid.lane(row), {"isHorizontal": "true"})
        for pool in ("customer", "provider"):
            for node in self.nodes[pool]:
                extra = {"isMarkerVisible": "true"} if node.tag == "bpmn:exclusiveGateway" else {}
                _shape(plane, node.id, node.box, extra)
        for s, step in enumerate(self.bp.steps):
            if step.evidence:
                _shape(plane, f"evidence_{s + 1}", self.grid.annotation(s), {})
        for pool in ("customer", "provider"):
            for f in self.flows[pool]:
                _edge(plane, f)
        for m in self.messages:
            _edge(plane, m)


def _lane_id(row: str) -> str:
    return "lane_" + xml_id(row.replace(":", "_")) if row != "role:" else "lane_no_role"


def _flow_name(e: Edge) -> str | None:
    if e.p is None:
        return e.label
    return f"{e.label} ({percent(e.p)})" if e.label else percent(e.p)


def _summary(bp: Blueprint, p: Placed) -> str | None:
    """A line for people reading the task in a BPMN tool; the data itself is in the extension."""
    a = p.action
    parts: list[str] = []
    if a.role:
        role = bp.roles.get(a.role)
        parts.append(f"role: {role.name or a.role}" if role else f"role: {a.role}")
    for key in ("duration", "wait", "tolerance"):
        value = getattr(a, key)
        if value is not None:
            parts.append(f"{key}: {value}")
    if a.fail is not None:
        parts.append(f"fail point: {a.fail.text}")
    if a.note:
        parts.append(a.note)
    return "; ".join(parts) or None


def _node_element(process: Node, node: _FlowNode) -> None:
    attrs = {"id": node.id}
    if node.name:
        attrs["name"] = node.name
    attrs.update(node.attrs)
    el = process.add(node.tag, attrs)
    if node.doc:
        el.add("bpmn:documentation", text=node.doc)
    if node.ext:
        el.add("bpmn:extensionElements").children.extend(node.ext)
    for fid in node.incoming:
        el.add("bpmn:incoming", text=fid)
    for fid in node.outgoing:
        el.add("bpmn:outgoing", text=fid)


def _flow_element(parent: Node, tag: str, f: _Flow) -> None:
    attrs = {"id": f.id}
    if f.name:
        attrs["name"] = f.name
    attrs.update(sourceRef=f.source, targetRef=f.target)
    el = parent.add(tag, attrs)
    if f.ext is not None:
        el.add("bpmn:extensionElements").children.append(f.ext)


def _num(x: float) -> str:
    return fmt_number(round(x, 2))


def _shape(plane: Node, element: str, box: Rect, extra: dict[str, str]) -> None:
    shape = plane.add("bpmndi:BPMNShape", {"id": f"{element}_di", "bpmnElement": element, **extra})
    shape.add("dc:Bounds", {"x": _num(box.x), "y": _num(box.y), "width": _num(box.w), "height": _num(box.h)})


def _edge(plane: Node, f: _Flow) -> None:
    edge = plane.add("bpmndi:BPMNEdge", {"id": f"{f.id}_di", "bpmnElement": f.id})
    for x, y in f.route:
        edge.add("di:waypoint", {"x": _num(x), "y": _num(y)})


def export_bpmn(bp: Blueprint, *, lanes: str = "canon") -> ExportResult:
    """BPMN 2.0 XML of ``bp`` (a collaboration with a diagram) and what it could not carry.

    ``lanes``: ``"canon"`` (frontstage, backstage, support and custom lanes) or ``"roles"``
    (one provider lane per role; the blueprint lane of each task stays in its extension).
    """
    if lanes not in ("canon", "roles"):
        raise UsageError(f"unknown lane mode '{lanes}'; use 'canon' or 'roles'")
    writer = _Writer(bp, "canon" if lanes == "canon" else "roles")
    text = writer.build()
    return ExportResult(text, writer.w.tuple())


def node_ids(nodes: Iterable[_FlowNode]) -> list[str]:
    return [n.id for n in nodes]
