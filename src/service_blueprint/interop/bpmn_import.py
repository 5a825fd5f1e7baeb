"""BPMN 2.0 XML to blueprint: our own exports exactly, other tools' collaborations sensibly.

A file written by :mod:`.bpmn_export` carries the ``sb`` extension elements and comes back as
the same blueprint. A file from another tool is read like a person would read it:

* tasks of any kind (and sub-processes, as one task) become actions; their lane comes from the
  lane (or pool) name, through the mapping file or the usual lane names (:mod:`.lanemap`); a
  name nobody maps becomes a custom lane;
* steps are the diagram's columns (tasks whose x-extents overlap share a step) or, without a
  diagram, the depth in the flow;
* gateways and intermediate events are read through: every path from a task to the next
  tasks becomes a flow; exclusive branches become a choice, with the percentage written in the
  branch's name (``80%``) or equal shares; a pair of opposite message flows is one two-way flow;
* events, data objects, annotations, boundary events and loops back are dropped, each listed
  in the warnings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any
from xml.etree.ElementTree import Element

from ..graph import adjacency, topological_order
from ..ids import slugify, unique
from ..model import ACTION_LANES
from .assemble import build_blueprint, check_action, columns_from_extent, read_error, value_error
from .bpmn_ext import BPMN, BPMNDI, DC, action_data, blueprint_data, flow_record, sb
from .flowmap import FlowRecord, drop_customer_chain, rebuild_flows
from .lanemap import LaneMapping, LaneTarget, custom_lane_id, resolve
from .result import ImportResult, Warnings
from .xmlsafe import local, parse_xml

TASKS = frozenset({"task", "userTask", "serviceTask", "manualTask", "sendTask", "receiveTask", "scriptTask",
                   "businessRuleTask", "subProcess", "callActivity", "adHocSubProcess", "transaction"})
GATEWAYS = frozenset({"exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway",
                      "complexGateway"})
PASS_EVENTS = frozenset({"intermediateCatchEvent", "intermediateThrowEvent"})
_EXCLUSIVE = frozenset({"exclusiveGateway", "eventBasedGateway", "complexGateway"})
_OURS = re.compile(r"^(start_customer|end_customer|(split|choice|join)_.+)$")
_PERCENT = re.compile(r"\s*\(?\b(\d+(?:\.\d+)?)\s*%\)?\s*")


def bpmn(tag: str) -> str:
    return f"{{{BPMN}}}{tag}"


@dataclass
class _Node:
    id: str
    kind: str
    name: str
    el: Element
    process: str
    lane: str | None = None


@dataclass
class _Arc:
    id: str
    source: str
    target: str
    name: str
    ext: Element | None
    message: bool


@dataclass
class _Path:
    """What a walk from one task to the next met on the way."""

    ext: Element | None = None
    name: str = ""
    p: float = 1.0
    choice: bool = False
    guessed: list[str] = field(default_factory=list)


def _ext(el: Element, tag: str) -> Element | None:
    box = el.find(bpmn("extensionElements"))
    return box.find(sb(tag)) if box is not None else None


def _leaf_lanes(lane_set: Element) -> Iterator[Element]:
    for lane in lane_set.findall(bpmn("lane")):
        child = lane.find(bpmn("childLaneSet"))
        if child is not None and child.findall(bpmn("lane")):
            yield from _leaf_lanes(child)
        else:
            yield lane


class _Reader:
    def __init__(self, root: Element, file: str, mapping: LaneMapping | None) -> None:
        self.root = root
        self.file = file
        self.mapping = mapping
        self.w = Warnings()
        self.nodes: dict[str, _Node] = {}
        self.arcs: list[_Arc] = []
        self.pool_name: dict[str, str] = {}
        collabs = root.findall(bpmn("collaboration"))
        self.collab = collabs[0] if collabs else None
        if len(collabs) > 1:
            self.w.add(f"only the first of {len(collabs)} collaborations was read")
        self.blueprint_ext = _ext(self.collab, "blueprint") if self.collab is not None else None
        self.bounds = self._bounds()
        self.dropped: dict[str, list[str]] = {}
        self.laned: set[str] = set()
        self.customer: set[str] = set()

    @property
    def own(self) -> bool:
        return self.blueprint_ext is not None

    def drop(self, what: str, el: Element) -> None:
        self.dropped.setdefault(what, []).append(el.get("name") or el.get("id") or local(el.tag))

    def _bounds(self) -> dict[str, tuple[float, float, float, float]]:
        out: dict[str, tuple[float, float, float, float]] = {}
        for shape in self.root.iter(f"{{{BPMNDI}}}BPMNShape"):
            b = shape.find(f"{{{DC}}}Bounds")
            ref = shape.get("bpmnElement")
            if b is None or ref is None:
                continue
            try:
                out[ref] = (float(b.get("x", "0")), float(b.get("y", "0")),
                            float(b.get("width", "0")), float(b.get("height", "0")))
            except ValueError:
                continue
        return out

    # ---- reading the graph -----------------------------------------------------------------
    def read(self) -> None:
        if self.collab is not None:
            for part in self.collab.findall(bpmn("participant")):
                if part.get("processRef"):
                    self.pool_name[part.get("processRef", "")] = part.get("name") or ""
            for flow in self.collab.findall(bpmn("messageFlow")):
                self.arcs.append(self._arc(flow, message=True))
            for el in self.collab:
                ours = self.own and (el.get("id") or "").startswith("evidence_")
                if local(el.tag) in ("textAnnotation", "group", "association") and not ours:
                    self.drop("annotations and groups", el)
        processes = self.root.findall(bpmn("process"))
        if not processes:
            raise read_error(self.file, "the BPMN file has no process, so there are no tasks to import")
        for process in processes:
            self._process(process)
        self.customer = set() if self.own else self.customer_processes()

    def _arc(self, el: Element, message: bool) -> _Arc:
        return _Arc(el.get("id", ""), el.get("sourceRef", ""), el.get("targetRef", ""), el.get("name") or "",
                    _ext(el, "flow"), message)

    def _process(self, process: Element) -> None:
        pid = process.get("id", "")
        lane_of: dict[str, str] = {}
        for lane_set in process.findall(bpmn("laneSet")):
            for lane in _leaf_lanes(lane_set):
                self.laned.add(pid)
                for ref in lane.findall(bpmn("flowNodeRef")):
                    lane_of[(ref.text or "").strip()] = lane.get("name") or lane.get("id") or ""
        for el in process:
            kind = local(el.tag)
            nid = el.get("id", "")
            if kind == "sequenceFlow":
                self.arcs.append(self._arc(el, message=False))
            elif kind in TASKS:
                if kind in ("subProcess", "adHocSubProcess", "transaction") and len(el.findall("*")) > 2:
                    self.w.add(f"sub-process '{el.get('name') or nid}' imported as one action; its contents were dropped")
                self.nodes[nid] = _Node(nid, "task", el.get("name") or "", el, pid, lane_of.get(nid))
            elif kind in GATEWAYS:
                self.nodes[nid] = _Node(nid, kind, el.get("name") or "", el, pid)
            elif kind in PASS_EVENTS or kind in ("startEvent", "endEvent"):
                self.nodes[nid] = _Node(nid, kind, el.get("name") or "", el, pid)
                if not (self.own and _OURS.match(nid)) and kind in PASS_EVENTS:
                    self.drop("intermediate events (flows pass through them)", el)
            elif kind == "boundaryEvent":
                self.drop("boundary events and their flows", el)
            elif kind in ("laneSet", "extensionElements", "documentation", "ioSpecification", "property"):
                continue
            else:
                self.drop(f"{kind} elements", el)

    # ---- actions ------------------------------------------------------------------------------
    def tasks(self) -> list[_Node]:
        return [n for n in self.nodes.values() if n.kind == "task"]

    def customer_processes(self) -> set[str]:
        """Processes of the customer's pool: named so, or else the one pool drawn without lanes
        beside others (the usual way to draw a customer in a collaboration)."""
        named = {pid for pid, name in self.pool_name.items()
                 if name and (t := resolve(name, self.mapping)) is not None and t.lane == "customer"}
        if named or len(self.pool_name) < 2:
            return named
        bare = [pid for pid, name in self.pool_name.items()
                if pid not in self.laned and (not name or resolve(name, self.mapping) is None)]
        if len(bare) == 1:
            self.w.add(f"pool '{self.pool_name[bare[0]] or bare[0]}' was read as the customer's "
                       "(it is the only pool without lanes)")
            return set(bare)
        return set()

    def lane_for(self, node: _Node, custom: dict[str, str]) -> LaneTarget:
        if node.lane:
            target = resolve(node.lane, self.mapping)
            if target is not None:
                return target
        if node.process in self.customer:
            return LaneTarget("customer")
        for name in (node.lane, self.pool_name.get(node.process)):
            if not name:
                continue
            target = resolve(name, self.mapping)
            if target is not None:
                return target
            if name not in custom:
                custom[name] = custom_lane_id(name, set(custom.values()))
                self.w.add(f"lane '{name}' is not a blueprint lane: imported as custom lane '{custom[name]}' "
                           "(map it with a mapping file)")
            return LaneTarget(custom[name])
        self.w.add("tasks outside any named lane or pool were put in the frontstage lane")
        return LaneTarget("frontstage")

    def scenario(self) -> dict[str, str]:
        """The customer pool's name and its start and end events' names, as the scenario;
        other start and end events are dropped."""
        out: dict[str, str] = {}
        for pid in sorted(self.customer):
            if self.pool_name.get(pid):
                out.setdefault("customer", self.pool_name[pid])
        for node in self.nodes.values():
            if node.kind not in ("startEvent", "endEvent"):
                continue
            key = "start" if node.kind == "startEvent" else "end"
            if node.process in self.customer and node.name and key not in out:
                out[key] = node.name
            elif not (self.own and _OURS.match(node.id)):
                self.drop("start and end events", node.el)
        return out

    # ---- flows ----------------------------------------------------------------------------------
    def walk(self, start: str) -> list[tuple[str, _Path, bool]]:
        """Every task reached from ``start`` through gateways and passing events, with its path."""
        out: list[tuple[str, _Path, bool]] = []
        succ: dict[str, list[_Arc]] = {}
        for arc in self.arcs:
            succ.setdefault(arc.source, []).append(arc)
        stack: list[tuple[_Arc, _Path, frozenset[str]]] = [(a, _Path(), frozenset({start}))
                                                           for a in reversed(succ.get(start, []))]
        while stack:
            arc, path, seen = stack.pop()
            path = _Path(arc.ext if arc.ext is not None else path.ext, arc.name or path.name, path.p,
                         path.choice, list(path.guessed))
            node = self.nodes.get(arc.target)
            if node is None or arc.target in seen:
                continue
            if node.kind == "task":
                out.append((node.id, path, arc.message))
                continue
            if node.kind == "endEvent" or node.kind == "startEvent":
                continue
            branches = succ.get(node.id, [])
            split = len(branches) >= 2
            for branch in reversed(branches):
                p = path.p
                choice = path.choice
                guessed = list(path.guessed)
                if split and node.kind in _EXCLUSIVE:
                    choice = True
                    share = _percent(branch.name)
                    if share is None and branch.ext is None:
                        share = 1 / len(branches)
                        guessed.append(node.name or node.id)
                    p *= share if share is not None else 1.0
                elif split and node.kind == "inclusiveGateway" and branch.ext is None:
                    self.w.add(f"inclusive gateway '{node.name or node.id}' read as parallel: all its branches fire")
                stack.append((branch, _Path(path.ext, path.name, p, choice, guessed), seen | {node.id}))
        return out


def _percent(name: str) -> float | None:
    m = _PERCENT.search(name)
    return float(m[1]) / 100 if m else None


def _label(name: str) -> str | None:
    text = _PERCENT.sub(" ", name).strip()
    return text or None


def import_bpmn(data: bytes | str, *, file: str = "<bpmn>", mapping: LaneMapping | None = None) -> ImportResult:
    """The blueprint in a BPMN 2.0 file, and warnings listing what was dropped or assumed."""
    root = parse_xml(data, file)
    if root.tag != bpmn("definitions"):
        raise read_error(file, f"not a BPMN 2.0 file: the root element is <{local(root.tag)}>, not <definitions> "
                         "in the BPMN 2.0 model namespace", 1, 1)
    reader = _Reader(root, file, mapping)
    reader.read()
    tasks = reader.tasks()
    if reader.own:
        assert reader.blueprint_ext is not None
        try:
            data_out, steps = blueprint_data(reader.blueprint_ext)
        except ValueError as exc:
            raise value_error(file, "sb:blueprint", str(exc)) from None
    else:
        title = (root.get("name") or next((n for pid, n in reader.pool_name.items() if n and pid not in reader.customer), "")
                 or PurePath(file).stem or "Imported blueprint")
        data_out, steps = {"blueprint": 1, "title": title}, []
    scenario = reader.scenario()
    if scenario and not reader.own:
        data_out["scenario"] = scenario
    ids: dict[str, str] = {}
    placed: list[tuple[_Node, dict[str, Any], str | None, str]] = []  # node, raw, step id, lane
    taken = {e.get("id", "") for n in tasks if (e := _ext(n.el, "action")) is not None}
    custom: dict[str, str] = {}
    roles: dict[str, Any] = {}
    for node in tasks:
        ext = _ext(node.el, "action")
        if ext is not None:
            try:
                raw, step, lane, derived = action_data(ext)
            except ValueError as exc:
                raise value_error(file, f"task '{node.id}'", str(exc)) from None
            if derived:
                raw["__derived__"] = True
            lane = lane or reader.lane_for(node, custom).lane
        else:
            raw = {"id": unique(slugify(node.name or node.id), taken), "text": node.name or node.id}
            doc = node.el.find(bpmn("documentation"))
            if doc is not None and (doc.text or "").strip():
                raw["note"] = doc.text.strip() if doc.text else ""
            target = reader.lane_for(node, custom)
            lane, step = target.lane, None
            if target.role:
                raw["role"] = target.role
                roles.setdefault(target.role, {"name": node.lane or target.role})
        check_action(raw, file, f"task '{node.id}'")
        ids[node.id] = str(raw["id"])
        placed.append((node, raw, step, lane))
    records = _records(reader, ids)
    steps = _steps(reader, placed, steps, records)
    step_index = {s["id"]: s for s in steps}
    lanes = dict(data_out.get("lanes") or {})
    for name, lane_id in custom.items():
        if name and lane_id not in ACTION_LANES and lane_id not in lanes:
            lanes[lane_id] = {"name": name, "after": "support"}
    for _node, raw, step, lane in placed:
        target_step = step_index[step] if step in step_index else steps[-1]
        target_step.setdefault(lane, []).append(raw)
    if lanes:
        data_out["lanes"] = lanes
    if roles:
        data_out["roles"] = {**roles, **(data_out.get("roles") or {})}
    if not reader.own:
        records = drop_customer_chain(records, steps)
    data_out["steps"] = steps
    flows = rebuild_flows(records)
    if flows:
        data_out["flows"] = flows
    for what, names in reader.dropped.items():
        reader.w.dropped(what, names)
    return ImportResult(build_blueprint(data_out, file), reader.w.tuple())


def _records(reader: _Reader, ids: dict[str, str]) -> list[FlowRecord]:
    records: list[FlowRecord] = []
    message_pairs: dict[tuple[str, str], int] = {}
    guessed: set[str] = set()
    for node in reader.tasks():
        for target, path, message in reader.walk(node.id):
            a, b = ids[node.id], ids[target]
            if path.ext is not None:
                if path.ext.get("implicit") == "true" or path.ext.get("return") == "true":
                    continue
                try:
                    records.append(flow_record(path.ext, a, b))
                except ValueError:
                    raise value_error(reader.file, f"flow from '{node.id}' to '{target}'",
                                      f"p must be a number, not {path.ext.get('p')!r}") from None
                continue
            if message and (b, a) in message_pairs:
                k = message_pairs[(b, a)]
                records[k] = FlowRecord(records[k].source, records[k].target, True, records[k].p, records[k].label)
                continue
            guessed.update(path.guessed)
            p = round(path.p, 6) if path.choice else None
            records.append(FlowRecord(a, b, p=p, label=_label(path.name) if path.name else None))
            if message:
                message_pairs[(a, b)] = len(records) - 1
    reader.w.dropped("probabilities (branches of these exclusive gateways were given equal shares)", guessed)
    return _acyclic(reader, records)


def _acyclic(reader: _Reader, records: list[FlowRecord]) -> list[FlowRecord]:
    """Drop arrows that close a loop: a blueprint's flows are acyclic (rework is ``repeat``)."""
    kept: list[FlowRecord] = []
    succ: dict[str, set[str]] = {}
    loops: list[str] = []
    for r in records:
        if _reaches(succ, r.target, r.source):
            loops.append(f"{r.source} -> {r.target}")
            continue
        succ.setdefault(r.source, set()).add(r.target)
        kept.append(r)
    reader.w.dropped("flows that loop back (model rework with 'repeat:')", loops)
    return kept


def _reaches(succ: dict[str, set[str]], start: str, goal: str) -> bool:
    if start == goal:
        return True
    seen = {start}
    stack = [start]
    while stack:
        for n in succ.get(stack.pop(), ()):
            if n == goal:
                return True
            if n not in seen:
                seen.add(n)
                stack.append(n)
    return False


def _steps(reader: _Reader, placed: list[tuple[_Node, dict[str, Any], str | None, str]],
           steps: list[dict[str, Any]], records: list[FlowRecord]) -> list[dict[str, Any]]:
    """The steps: our own file's, and columns for tasks that have none (drawn in another tool)."""
    loose = [(node, raw) for node, raw, step, _ in placed if step is None or step not in {s["id"] for s in steps}]
    if not loose:
        return steps or [{"id": "step_1", "name": "Step 1"}]
    if steps:
        # tasks added to our own export in a BPMN editor: the step whose tasks are nearest in x
        centres: dict[str, list[float]] = {}
        for node, _raw, step, _ in placed:
            b = reader.bounds.get(node.id)
            if step is not None and b is not None:
                centres.setdefault(step, []).append(b[0] + b[2] / 2)
        for node, _raw in loose:
            b = reader.bounds.get(node.id)
            best = steps[-1]["id"]
            if b is not None and centres:
                x = b[0] + b[2] / 2
                best = min(centres, key=lambda s: min(abs(c - x) for c in centres[s]))
            _set_step(placed, node, best)
        return steps
    nodes = [node for node, _ in loose]
    if all(n.id in reader.bounds for n in nodes):
        extents = [(reader.bounds[n.id][0], reader.bounds[n.id][0] + reader.bounds[n.id][2]) for n in nodes]
        columns = columns_from_extent(extents)
    else:
        reader.w.add("the file has no diagram (BPMNDI): steps were inferred from the order of the flows")
        columns = _depths([str(raw["id"]) for _, raw in loose], records)
    count = max(columns, default=0) + 1
    new_steps = [{"id": f"step_{i + 1}", "name": f"Step {i + 1}"} for i in range(count)]
    for (node, _), column in zip(loose, columns, strict=True):
        _set_step(placed, node, f"step_{column + 1}")
    return new_steps


def _set_step(placed: list[tuple[_Node, dict[str, Any], str | None, str]], node: _Node, step: str) -> None:
    for i, (n, raw, _, lane) in enumerate(placed):
        if n is node:
            placed[i] = (n, raw, step, lane)


def _depths(ids: list[str], records: list[FlowRecord]) -> list[int]:
    succ = adjacency(ids, ((r.source, r.target) for r in records))
    order = topological_order(succ) or ids
    depth = dict.fromkeys(ids, 0)
    for a in order:
        for b in succ[a]:
            depth[b] = max(depth[b], depth[a] + 1)
    return [depth[i] for i in ids]
