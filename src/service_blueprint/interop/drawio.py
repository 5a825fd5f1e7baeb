"""Blueprint to and from draw.io (diagrams.net): one swimlane per lane, steps as columns.

Export: the evidence lane and every action lane as horizontal swimlanes in lane order, the
named lines as dashed separators, a header cell per step, a rounded box per action and an
arrow per flow (two-way flows have both arrowheads; the implicit customer chain is dashed).
Every field rides along as draw.io shape data (Edit Data), so importing our own file gives
the same blueprint back.

Import of a diagram drawn by hand: swimlanes are lanes (by name, through the mapping file or
the usual lane names), shapes inside them are actions, the columns they are drawn in are
steps, arrows between actions are flows (both arrowheads: two-way; a percentage in the label:
a choice). Other shapes and arrows are dropped, and listed in the warnings.
"""

from __future__ import annotations

import base64
import html
import re
import urllib.parse
import zlib
from pathlib import PurePath
from typing import Any
from xml.etree.ElementTree import Element

from .. import textfile
from ..ids import slugify, unique
from ..model import LINES, Blueprint
from ..serialize import demand_data, lane_data, role_data, scenario_data
from .assemble import build_blueprint, check_action, columns_from_extent, read_error, value_error
from .bpmn_export import percent, xml_id
from .fields import ACTION_COLUMNS, action_cells, action_from_cells, inline, read_inline
from .flowmap import FlowRecord, drop_customer_chain, flow_records, rebuild_flows
from .lanemap import LaneMapping, custom_lane_id, resolve
from .result import ExportResult, ImportResult, Warnings
from .xmlsafe import parse_xml
from .xmlwrite import Node, to_xml

LABEL_W = 40.0
SLOT = 180.0
BOX_W, BOX_H = 140.0, 70.0
ROW_H = 110.0
HEADER_H = 40.0
_DETAIL_KEYS = ("title", "description", "state", "currency", "scenario", "roles", "demand", "lanes", "phases",
                "ignore", "tags")
_LANE_STYLE = ("swimlane;horizontal=0;startSize={s};html=1;whiteSpace=wrap;fillColor={fill};"
               "swimlaneFillColor=#FFFFFF;fontStyle=1;")
_FILLS = {"evidence": "#F5F5F5", "customer": "#DAE8FC", "frontstage": "#D5E8D4", "backstage": "#FFF2CC",
          "support": "#F8CECC"}


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.2f}".rstrip("0").rstrip(".")


def _details(bp: Blueprint) -> dict[str, str]:
    attrs = {"label": "", "bp_kind": "blueprint", "title": bp.title}
    for key in ("description", "state", "currency"):
        if getattr(bp, key) is not None:
            attrs[key] = getattr(bp, key)
    sc = scenario_data(bp.scenario)
    if sc:
        attrs["scenario"] = inline(sc)
    if bp.roles:
        attrs["roles"] = inline({k: role_data(v) for k, v in bp.roles.items()})
    if bp.demand is not None:
        attrs["demand"] = inline(demand_data(bp.demand))
    if bp.lanes:
        attrs["lanes"] = inline({k: lane_data(v) for k, v in bp.lanes.items()})
    if bp.phases:
        attrs["phases"] = inline({k: list(v) for k, v in bp.phases.items()})
    for key in ("ignore", "tags"):
        if getattr(bp, key):
            attrs[key] = inline(list(getattr(bp, key)))
    return attrs


def _cell(parent: Node, attrs: dict[str, str], style: str, parent_id: str, geometry: tuple[float, ...] | None,
          *, edge: tuple[str, str] | None = None) -> None:
    obj = parent.add("object", attrs)
    cell_attrs = {"style": style, "parent": parent_id}
    if edge is None:
        cell_attrs["vertex"] = "1"
    else:
        cell_attrs.update(edge="1", source=edge[0], target=edge[1])
    cell = obj.add("mxCell", cell_attrs)
    if geometry is None:
        cell.add("mxGeometry", {"relative": "1", "as": "geometry"})
    else:
        x, y, w, h = geometry
        cell.add("mxGeometry", {"x": _num(x), "y": _num(y), "width": _num(w), "height": _num(h), "as": "geometry"})


def export_drawio(bp: Blueprint) -> ExportResult:
    w = Warnings()
    index = bp.action_index
    widths = [SLOT * max([len(s.lane(lane)) for lane in bp.lane_order] + [1]) for s in bp.steps]
    xs = [LABEL_W + sum(widths[:i]) for i in range(len(widths))]
    total_w = LABEL_W + sum(widths)
    model = Node("mxGraphModel", {"dx": "1200", "dy": "800", "grid": "1", "gridSize": "10", "guides": "1",
                                  "tooltips": "1", "connect": "1", "arrows": "1", "fold": "1", "page": "0",
                                  "pageScale": "1", "math": "0", "shadow": "0"})
    root = model.add("root")
    root.add("object", {"id": "0", **_details(bp)}).add("mxCell")
    root.add("mxCell", {"id": "1", "parent": "0"})
    for i, step in enumerate(bp.steps):
        attrs = {"id": f"step_{i + 1}", "label": html.escape(step.name), "bp_kind": "step", "step_id": step.id,
                 "name": step.name}
        if step.id_derived:
            attrs["derived"] = "1"
        if step.note is not None:
            attrs["note"] = step.note
        _cell(root, attrs, "text;html=1;align=center;verticalAlign=middle;fontStyle=1;whiteSpace=wrap;", "1",
              (xs[i], 0, widths[i], HEADER_H))
    y = HEADER_H
    rows = (["evidence"] if bp.has_evidence else []) + list(bp.lane_order)
    for lane in rows:
        custom = bp.lanes.get(lane)
        if custom is not None and custom.line:
            _line(root, custom.line, y, total_w)
        name = (custom.name if custom is not None else None) or lane.capitalize()
        lane_id = f"lane_{xml_id(lane)}"
        _cell(root, {"id": lane_id, "label": html.escape(name), "bp_kind": "lane", "lane": lane},
              _LANE_STYLE.format(s=_num(LABEL_W), fill=_FILLS.get(lane, "#E1D5E7")), "1", (0, y, total_w, ROW_H))
        for i, step in enumerate(bp.steps):
            if lane == "evidence":
                if step.evidence:
                    items = [e.to_data() for e in step.evidence]
                    _cell(root, {"id": f"evidence_{i + 1}", "label": "<br>".join(html.escape(e.text) for e in step.evidence),
                                 "bp_kind": "evidence", "step": step.id, "items": inline(items)},
                          "shape=note;whiteSpace=wrap;html=1;size=12;align=left;spacingLeft=6;", lane_id,
                          (xs[i] + 20, 20, widths[i] - 40, BOX_H))
                continue
            for k, action in enumerate(step.lane(lane)):
                if index.get(action.id) is None or index[action.id].action is not action:
                    continue
                attrs = {"id": f"a_{xml_id(action.id)}", "label": html.escape(action.text), "bp_kind": "action",
                         "action_id": action.id, "step": step.id, "lane": lane}
                if action.id_derived:
                    attrs["derived"] = "1"
                for key, value in action_cells(action).items():
                    if key != "id":
                        attrs[key] = value if isinstance(value, str) else inline(value)
                style = "rounded=1;whiteSpace=wrap;html=1;" + ("strokeColor=#B85450;strokeWidth=2;" if action.fail else "")
                _cell(root, attrs, style, lane_id, (xs[i] + k * SLOT + 20, (ROW_H - BOX_H) / 2, BOX_W, BOX_H))
        y += ROW_H
        if lane in LINES and lane != rows[-1]:
            _line(root, LINES[lane], y, total_w)
    records = {(r.spec, r.part): r for r in flow_records(bp)}
    unknown: list[str] = []
    for n, e in enumerate(bp.edges):
        if e.source not in index or e.target not in index:
            unknown.append(f"{e.source} -> {e.target}")
            continue
        attrs = {"id": f"flow_{n + 1}", "bp_kind": "flow"}
        label = e.label or ""
        if e.p is not None:
            label = f"{label} ({percent(e.p)})" if label else percent(e.p)
        attrs["label"] = html.escape(label)
        record = records.get((e.spec, e.part))
        if e.implicit:
            attrs["implicit"] = "1"
        elif record is not None:
            attrs.update(spec=str(record.spec), part=str(record.part), form=record.form)
            if record.two_way:
                attrs["two_way"] = "1"
            for key in ("p", "label", "note"):
                value = getattr(record, key)
                if value is not None:
                    attrs[f"flow_{key}"] = value if isinstance(value, str) else inline(value)
        style = "edgeStyle=orthogonalEdgeStyle;rounded=0;html=1;endArrow=block;endFill=1;"
        if e.two_way:
            style += "startArrow=block;startFill=1;"
        if e.implicit:
            style += "dashed=1;strokeColor=#6C8EBF;"
        _cell(root, attrs, style, "1", None, edge=(f"a_{xml_id(e.source)}", f"a_{xml_id(e.target)}"))
    w.dropped("flows naming unknown actions", unknown)
    doc = Node("mxfile", {"host": "service-blueprint", "type": "device"})
    doc.add("diagram", {"id": "blueprint", "name": bp.title}).children.append(model)
    return ExportResult(to_xml(doc), w.tuple())


def _line(root: Node, name: str, y: float, width: float) -> None:
    _cell(root, {"id": f"line_{_num(y)}", "label": html.escape(name), "bp_kind": "line"},
          "line;strokeWidth=1;dashed=1;html=1;labelPosition=center;verticalLabelPosition=top;align=left;"
          "verticalAlign=bottom;spacingLeft=50;fontStyle=2;strokeColor=#666666;", "1", (0, y - 2, width, 4))


# ---- import ----------------------------------------------------------------------------------------


def _model(root: Element, file: str) -> Element:
    if root.tag == "mxGraphModel":
        return root
    if root.tag != "mxfile":
        raise read_error(file, f"not a draw.io file: the root element is <{root.tag}>, not <mxfile>", 1, 1)
    diagram = root.find("diagram")
    if diagram is None:
        raise read_error(file, "the draw.io file has no diagram")
    if len(root.findall("diagram")) > 1:
        raise read_error(file, "the draw.io file has several pages; save the blueprint's page on its own")
    model = diagram.find("mxGraphModel")
    if model is not None:
        return model
    return _model(parse_xml(_inflate((diagram.text or "").strip(), file), file), file)


def _inflate(text: str, file: str) -> bytes:
    """A compressed page (base64 of raw deflate of URL-encoded XML), unpacked within the size limit."""
    try:
        packed = base64.b64decode(text, validate=True)
        inflater = zlib.decompressobj(-15)
        raw = inflater.decompress(packed, textfile.max_bytes())
        if inflater.unconsumed_tail:
            raise read_error(file, "the compressed draw.io page unpacks to more than the size limit")
        return urllib.parse.unquote(raw.decode("utf-8")).encode("utf-8")
    except (ValueError, zlib.error, UnicodeDecodeError):
        raise read_error(file, "the draw.io page is neither XML nor a compressed diagram") from None


def _plain(label: str) -> str:
    """Label text without HTML markup (draw.io labels are HTML when the style says html=1)."""
    text = re.sub(r"<br\s*/?>|</div>|</p>", "\n", label, flags=re.I)
    text = re.sub(r"<[^>]+>", "", text)
    return html.unescape(text).strip()


class _Cells:
    def __init__(self, model: Element) -> None:
        self.attrs: dict[str, dict[str, str]] = {}
        self.cell: dict[str, Element] = {}
        self.order: list[str] = []
        root = model.find("root")
        for el in (root if root is not None else []):
            if el.tag in ("object", "UserObject"):
                cell = el.find("mxCell")
                if cell is None:
                    continue
                cid = el.get("id", "")
                attrs = dict(el.attrib)
            elif el.tag == "mxCell":
                cell, cid, attrs = el, el.get("id", ""), {"label": el.get("value", "")}
            else:
                continue
            self.attrs[cid] = attrs
            self.cell[cid] = cell
            self.order.append(cid)

    def style(self, cid: str) -> str:
        return self.cell[cid].get("style") or ""

    def geometry(self, cid: str) -> tuple[float, float, float, float]:
        g = self.cell[cid].find("mxGeometry")
        if g is None:
            return 0.0, 0.0, 0.0, 0.0
        try:
            return (float(g.get("x", "0")), float(g.get("y", "0")), float(g.get("width", "0")),
                    float(g.get("height", "0")))
        except ValueError:
            return 0.0, 0.0, 0.0, 0.0

    def absolute(self, cid: str) -> tuple[float, float, float, float]:
        x, y, w, h = self.geometry(cid)
        parent = self.cell[cid].get("parent")
        seen = {cid}
        while parent in self.cell and parent not in seen and self.cell[parent].get("vertex") == "1":
            seen.add(parent)
            px, py, _, _ = self.geometry(parent)
            x, y = x + px, y + py
            parent = self.cell[parent].get("parent")
        return x, y, w, h

    def is_lane(self, cid: str) -> bool:
        return "swimlane" in self.style(cid) or "shape=pool" in self.style(cid)


def import_drawio(data: bytes | str, *, file: str = "<drawio>", mapping: LaneMapping | None = None) -> ImportResult:
    cells = _Cells(_model(parse_xml(data, file), file))
    root_attrs = cells.attrs.get("0", {})
    if root_attrs.get("bp_kind") == "blueprint":
        return _import_own(cells, root_attrs, file)
    return _import_drawn(cells, file, mapping)


def _import_own(cells: _Cells, root: dict[str, str], file: str) -> ImportResult:
    w = Warnings()
    data: dict[str, Any] = {"blueprint": 1, "title": root.get("title", "")}
    try:
        for key in _DETAIL_KEYS[1:]:
            if key in root:
                data[key] = root[key] if key in ("description", "state", "currency") else read_inline(root[key], key)
    except ValueError as exc:
        raise value_error(file, "diagram data", str(exc)) from None
    steps: list[dict[str, Any]] = []
    by_id: dict[str, dict[str, Any]] = {}
    ids: dict[str, str] = {}
    records: list[FlowRecord] = []
    for cid in cells.order:
        a = cells.attrs[cid]
        kind = a.get("bp_kind")
        if kind == "step":
            step: dict[str, Any] = {"id": a.get("step_id", ""), "name": a.get("name", _plain(a.get("label", "")))}
            if a.get("derived") == "1":
                step["__derived__"] = True
            if "note" in a:
                step["note"] = a["note"]
            steps.append(step)
            by_id[step["id"]] = step
        elif kind == "evidence":
            try:
                by_id[a.get("step", "")]["evidence"] = read_inline(a.get("items", "[]"), f"cell {cid}")
            except (KeyError, ValueError) as exc:
                raise value_error(file, f"cell '{cid}'", f"bad evidence: {exc}") from None
        elif kind == "action":
            try:
                raw = action_from_cells({**{k: v for k, v in a.items() if k in ACTION_COLUMNS}, "id": a.get("action_id")})
            except ValueError as exc:
                raise value_error(file, f"cell '{cid}'", str(exc)) from None
            raw.setdefault("text", "")
            if a.get("derived") == "1":
                raw["__derived__"] = True
            check_action(raw, file, f"cell '{cid}'")
            home = by_id.get(a.get("step", ""))
            if home is None:
                raise value_error(file, f"cell '{cid}'", f"unknown step '{a.get('step', '')}'")
            home.setdefault(a.get("lane", "frontstage"), []).append(raw)
            ids[cid] = str(raw["id"])
    for cid in cells.order:
        a = cells.attrs[cid]
        cell = cells.cell[cid]
        if cell.get("edge") != "1" or a.get("implicit") == "1":
            continue
        src, dst = ids.get(cell.get("source", "")), ids.get(cell.get("target", ""))
        if src is None or dst is None:
            w.add(f"arrow '{cid}' does not join two actions and was dropped")
            continue
        if a.get("bp_kind") != "flow" or "spec" not in a:
            records.append(_drawn_flow(cells, cid, src, dst))
            continue
        try:
            p = float(a["flow_p"]) if "flow_p" in a else None
            records.append(FlowRecord(src, dst, a.get("two_way") == "1", p, a.get("flow_label"),
                                      a.get("flow_note"), int(a["spec"]), int(a.get("part", "0")),
                                      "link" if a.get("form") == "link" else "chain"))
        except ValueError:
            raise value_error(file, f"arrow '{cid}'", "spec, part and p must be numbers") from None
    data["steps"] = steps
    flows = rebuild_flows(records)
    if flows:
        data["flows"] = flows
    return ImportResult(build_blueprint(data, file), w.tuple())


_PERCENT = re.compile(r"\s*\(?\b(\d+(?:\.\d+)?)\s*%\)?\s*")


def _drawn_flow(cells: _Cells, cid: str, source: str, target: str) -> FlowRecord:
    style = cells.style(cid)
    two_way = bool(re.search(r"startArrow=(?!none)", style))
    label = _plain(cells.attrs[cid].get("label", ""))
    m = _PERCENT.search(label)
    p = float(m[1]) / 100 if m else None
    text = _PERCENT.sub(" ", label).strip() or None
    return FlowRecord(source, target, two_way, p, text)


def _import_drawn(cells: _Cells, file: str, mapping: LaneMapping | None) -> ImportResult:
    w = Warnings()
    lanes = [c for c in cells.order if cells.is_lane(c) and not any(
        cells.is_lane(k) and cells.cell[k].get("parent") == c for k in cells.order)]
    lane_of_name: dict[str, str] = {}
    custom: dict[str, str] = {}
    roles: dict[str, Any] = {}
    lane_target: dict[str, tuple[str, str | None]] = {}
    for lane in lanes:
        name = _plain(cells.attrs[lane].get("label", "")) or lane
        target = resolve(name, mapping)
        if target is None:
            if name not in custom:
                custom[name] = custom_lane_id(name, set(custom.values()))
                w.add(f"lane '{name}' is not a blueprint lane: imported as custom lane '{custom[name]}' "
                      "(map it with a mapping file)")
            lane_target[lane] = (custom[name], None)
        else:
            lane_target[lane] = (target.lane, target.role)
            if target.role:
                roles.setdefault(target.role, {"name": name})
        lane_of_name[lane] = name
    boxes = {lane: cells.absolute(lane) for lane in lanes}
    shapes: list[tuple[str, str, tuple[float, float, float, float]]] = []
    dropped: list[str] = []
    for cid in cells.order:
        cell = cells.cell[cid]
        if cell.get("vertex") != "1" or cells.is_lane(cid) or cid in ("0", "1"):
            continue
        label = _plain(cells.attrs[cid].get("label", ""))
        box = cells.absolute(cid)
        home_lane = _containing(cells, cid, lanes, boxes, box)
        style = cells.style(cid)
        if home_lane is None or not label or style.startswith(("text;", "line;")) or "shape=note" in style:
            dropped.append(label or cid)
            continue
        shapes.append((cid, home_lane, box))
    w.dropped("shapes that are not actions in a lane (text, notes, shapes outside lanes)", dropped)
    if not shapes:
        raise read_error(file, "no actions found: draw the blueprint's lanes as swimlanes with shapes inside them")
    columns = columns_from_extent([(b[0], b[0] + b[2]) for _, _, b in shapes])
    steps: list[dict[str, Any]] = [{"id": f"step_{i + 1}", "name": f"Step {i + 1}"} for i in range(max(columns) + 1)]
    taken: set[str] = set()
    ids: dict[str, str] = {}
    order = sorted(range(len(shapes)), key=lambda i: (columns[i], shapes[i][2][0], shapes[i][2][1]))
    for i in order:
        cid, drawn_lane, _ = shapes[i]
        text = _plain(cells.attrs[cid].get("label", ""))
        raw: dict[str, Any] = {"id": unique(slugify(text), taken), "text": text}
        lane_id, role = lane_target[drawn_lane]
        if role:
            raw["role"] = role
        check_action(raw, file, f"shape '{cid}'")
        steps[columns[i]].setdefault(lane_id, []).append(raw)
        ids[cid] = str(raw["id"])
    records: list[FlowRecord] = []
    loose: list[str] = []
    for cid in cells.order:
        cell = cells.cell[cid]
        if cell.get("edge") != "1":
            continue
        src, dst = ids.get(cell.get("source", "")), ids.get(cell.get("target", ""))
        if src is None or dst is None or src == dst:
            loose.append(_plain(cells.attrs[cid].get("label", "")) or cid)
            continue
        records.append(_drawn_flow(cells, cid, src, dst))
    w.dropped("arrows that do not join two actions", loose)
    records = drop_customer_chain(records, steps)
    data: dict[str, Any] = {"blueprint": 1, "title": PurePath(file).stem.split(".")[0] or "Imported blueprint",
                            "steps": steps}
    if custom:
        data["lanes"] = {lane_id: {"name": name, "after": "support"} for name, lane_id in custom.items()}
    if roles:
        data["roles"] = roles
    flows = rebuild_flows(records)
    if flows:
        data["flows"] = flows
    return ImportResult(build_blueprint(data, file), w.tuple())


def _containing(cells: _Cells, cid: str, lanes: list[str], boxes: dict[str, tuple[float, float, float, float]],
                box: tuple[float, float, float, float]) -> str | None:
    """The lane a shape belongs to: its parent chain, else the lane its centre is drawn in."""
    parent = cells.cell[cid].get("parent")
    seen: set[str] = set()
    while parent and parent not in seen:
        if parent in lanes:
            return parent
        seen.add(parent)
        parent = cells.cell[parent].get("parent") if parent in cells.cell else None
    cx, cy = box[0] + box[2] / 2, box[1] + box[3] / 2
    for lane in lanes:
        x, y, w, h = boxes[lane]
        if x <= cx <= x + w and y <= cy <= y + h:
            return lane
    return None
