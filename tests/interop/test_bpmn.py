"""BPMN 2.0: valid for bpmn-moddle and the OMG XSD, laid out cleanly, lossless for our own files,
sensible for files drawn in other tools."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from xml.etree.ElementTree import Element

import pytest
from _interop_kit import TEMPLATES, moddle, template

from service_blueprint import loads
from service_blueprint.interop import export_blueprint, import_blueprint, parse_mapping
from service_blueprint.interop.bpmn_ext import BPMN, BPMNDI, DC
from service_blueprint.interop.xmlsafe import parse_xml
from service_blueprint.render.geometry import Rect


def _bpmn(tag: str) -> str:
    return f"{{{BPMN}}}{tag}"


@pytest.mark.parametrize("name", TEMPLATES)
@pytest.mark.parametrize("lanes", ["canon", "roles"])
def test_round_trip_is_lossless(name: str, lanes: str) -> None:
    bp = template(name)
    text = export_blueprint(bp, "bpmn", lanes=lanes).content
    back, warnings = import_blueprint(text, "bpmn")
    assert back == bp
    assert warnings == ()


@pytest.mark.parametrize("name", TEMPLATES)
def test_bpmn_moddle_reads_it_without_warnings(name: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.bpmn"
    path.write_text(str(export_blueprint(template(name), "bpmn").content), encoding="utf-8")
    result = moddle(path)
    assert result["warnings"] == []
    assert result["root"] == "bpmn:Definitions"
    assert result["counts"]["bpmn:Participant"] == 2
    assert result["counts"]["bpmndi:BPMNShape"] > 0


def test_bpmn_moddle_reports_problems(tmp_path: Path) -> None:
    """The validator can fail: a broken reference and an unknown attribute are warnings."""
    text = str(export_blueprint(template("clinic-visit"), "bpmn").content)
    broken = text.replace('targetRef="task_', 'targetRef="nowhere_', 1).replace("<bpmn:task ", '<bpmn:task bogus="1" ', 1)
    path = tmp_path / "broken.bpmn"
    path.write_text(broken, encoding="utf-8")
    warnings = moddle(path)["warnings"]
    assert any("unresolved reference" in w for w in warnings)
    assert any("unknown attribute" in w for w in warnings)


@pytest.mark.parametrize("name", TEMPLATES)
@pytest.mark.parametrize("lanes", ["canon", "roles"])
def test_valid_against_the_omg_xsd(name: str, lanes: str, bpmn_schema: object, tmp_path: Path) -> None:
    path = tmp_path / "x.bpmn"
    path.write_text(str(export_blueprint(template(name), "bpmn", lanes=lanes).content), encoding="utf-8")
    errors = list(bpmn_schema.iter_errors(str(path)))  # type: ignore[attr-defined]
    assert errors == []


def test_the_xsd_rejects_invalid_bpmn(bpmn_schema: object, tmp_path: Path) -> None:
    text = str(export_blueprint(template("clinic-visit"), "bpmn").content)
    path = tmp_path / "bad.bpmn"
    path.write_text(text.replace("<bpmn:laneSet", "<bpmn:laneSett", 1).replace("</bpmn:laneSet>", "</bpmn:laneSett>", 1))
    assert list(bpmn_schema.iter_errors(str(path)))  # type: ignore[attr-defined]


def _shapes(root: Element) -> dict[str, Rect]:
    out = {}
    for shape in root.iter(f"{{{BPMNDI}}}BPMNShape"):
        b = shape.find(f"{{{DC}}}Bounds")
        assert b is not None
        out[shape.get("bpmnElement", "")] = Rect(float(b.get("x", "")), float(b.get("y", "")),
                                                float(b.get("width", "")), float(b.get("height", "")))
    return out


@pytest.mark.parametrize("name", TEMPLATES)
def test_diagram_is_sane(name: str) -> None:
    """Every node has a shape inside its lane or pool, no two overlap, edges have waypoints,
    steps run left to right and the lanes top to bottom in blueprint order."""
    bp = template(name)
    root = parse_xml(str(export_blueprint(bp, "bpmn").content), "x.bpmn")
    shapes = _shapes(root)
    nodes = [el for p in root.findall(_bpmn("process")) for el in p
             if el.tag.endswith(("Task", "task", "Gateway", "Event"))]
    for el in nodes:
        assert el.get("id") in shapes, el.get("id")
    boxes = [shapes[el.get("id", "")] for el in nodes]
    for i, a in enumerate(boxes):
        assert a.w > 0 and a.h > 0 and a.x >= 0 and a.y >= 0
        for b in boxes[i + 1:]:
            assert not a.overlaps(b), (a, b)
    lanes = {lane.get("id"): lane for lane in root.iter(_bpmn("lane"))}
    for lane_id, lane in lanes.items():
        for ref in lane.findall(_bpmn("flowNodeRef")):
            assert shapes[lane_id].contains(shapes[ref.text or ""])
    for el in root.find(_bpmn("process")) or []:  # the customer's process
        if el.get("id") in shapes:
            assert shapes["pool_customer"].contains(shapes[el.get("id", "")])
    lane_y = [shapes[lane_id].y for lane_id in lanes]
    assert lane_y == sorted(lane_y) and shapes["pool_customer"].bottom < min(lane_y)
    for edge in root.iter(f"{{{BPMNDI}}}BPMNEdge"):
        assert len(list(edge)) >= 2
    order = {s.id: i for i, s in enumerate(bp.steps)}
    xs = sorted((order[p.step.id], shapes[f"task_{p.action.id}"].x) for p in bp.placed())
    assert [x for _, x in xs] == sorted(x for _, x in xs)


def test_gateways_follow_the_flow_semantics() -> None:
    bp = loads(textwrap.dedent("""\
        blueprint: 1
        title: Gateways
        steps:
          - name: One
            customer: [{id: ask, text: Asks}]
            frontstage: [{id: take, text: Takes the order}]
          - name: Two
            backstage: [{id: cook, text: Cooks}, {id: pack, text: Packs}, {id: bill, text: Bills}]
            support: [{id: stock, text: Checks stock}, {id: order, text: Orders stock}]
          - name: Three
            frontstage: [{id: serve, text: Serves}, {id: note, text: Notes it}]
        flows:
          - ask -> take
          - take -> cook
          - take -> pack
          - {from: take, to: stock, p: 0.7, label: enough}
          - {from: take, to: order, p: 0.3}
          - cook -> serve
          - pack -> serve
          - stock -> note
          - order -> note
          - note -> bill
          - stock -> bill
        """))
    text = str(export_blueprint(bp, "bpmn").content)
    root = parse_xml(text, "g.bpmn")
    tags = {el.get("id"): el.tag.split("}")[1] for p in root.findall(_bpmn("process")) for el in p}
    assert tags["split_take"] == "parallelGateway"  # cook, pack and the choice all start
    assert tags["choice_take"] == "exclusiveGateway"
    assert tags["join_serve"] == "parallelGateway"  # cook and pack are always live together
    assert tags["join_note"] == "exclusiveGateway"  # stock and order exclude each other
    assert tags["join_bill"] == "inclusiveGateway"  # note always, stock only on one branch
    names = {el.get("name") for el in root.iter(_bpmn("sequenceFlow"))}
    assert {"enough (70%)", "30%"} <= names
    assert import_blueprint(text, "bpmn").blueprint == bp


def test_two_way_flows_across_the_line_are_a_message_flow_each_way() -> None:
    bp = template("bike-repair-current")
    root = parse_xml(str(export_blueprint(bp, "bpmn").content), "b.bpmn")
    flows = [(m.get("sourceRef"), m.get("targetRef")) for m in root.iter(_bpmn("messageFlow"))]
    assert ("task_walk_in", "task_greet") in flows and ("task_greet", "task_walk_in") in flows
    assert ("task_greet", "task_write_ticket") not in flows  # inside the provider pool: a sequence flow
    seq = [(s.get("sourceRef"), s.get("targetRef")) for s in root.iter(_bpmn("sequenceFlow"))]
    assert ("task_greet", "task_write_ticket") in seq


def test_export_is_deterministic() -> None:
    bp = template("hotel-stay")
    assert export_blueprint(bp, "bpmn").content == export_blueprint(template("hotel-stay"), "bpmn").content


def _foreign(text: str) -> str:
    """Our export as another tool would have it: without the sb extension elements."""
    return re.sub(r"<bpmn:extensionElements>.*?</bpmn:extensionElements>", "", text, flags=re.S)


def test_import_of_foreign_bpmn_maps_pools_lanes_steps_and_flows() -> None:
    bp = template("bike-repair-current")
    back, warnings = import_blueprint(_foreign(str(export_blueprint(bp, "bpmn").content)), "bpmn", file="shop.bpmn")
    assert any("read as the customer's" in w for w in warnings)
    assert any("annotations" in w for w in warnings)
    texts = {p.lane: sorted(a.action.text for a in back.placed() if a.lane == p.lane) for p in back.placed()}
    for lane in ("customer", "frontstage", "backstage", "support"):
        assert texts[lane] == sorted(p.action.text for p in bp.placed() if p.lane == lane)
    by_text = {a.id: a.text for a in back.actions()}
    orig = {a.id: a.text for a in bp.actions()}

    def arrows(b: object, names: dict[str, str]) -> set[tuple[str, str, bool, float | None]]:
        return {(names[e.source], names[e.target], e.two_way, e.p) for e in b.edges if not e.implicit}  # type: ignore[attr-defined]

    assert arrows(back, by_text) == arrows(bp, orig)
    assert back.scenario.customer == bp.scenario.customer and back.scenario.start == bp.scenario.start
    step_of = {p.action.text: p.step_index for p in back.placed()}
    assert step_of["Walks in with the bike and queues at the counter"] < step_of["Rides the repaired bike home"]


FOREIGN = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x">
  <collaboration id="c">
    <participant id="p1" name="Guest" processRef="guest"/>
    <participant id="p2" name="Hotel" processRef="hotel"/>
    <messageFlow id="m1" sourceRef="book" targetRef="take"/>
    <messageFlow id="m2" sourceRef="take" targetRef="book"/>
  </collaboration>
  <process id="guest">
    <startEvent id="s" name="Wants a room"/>
    <userTask id="book" name="Books a room"/>
    <sequenceFlow id="f0" sourceRef="s" targetRef="book"/>
  </process>
  <process id="hotel">
    <laneSet id="ls">
      <lane id="l1" name="Front office"><flowNodeRef>take</flowNodeRef><flowNodeRef>gw</flowNodeRef></lane>
      <lane id="l2" name="Kitchen"><flowNodeRef>cook</flowNodeRef><flowNodeRef>cold</flowNodeRef></lane>
      <lane id="l3" name="Housekeeping"><flowNodeRef>clean</flowNodeRef><flowNodeRef>t</flowNodeRef></lane>
    </laneSet>
    <task id="take" name="Takes the booking"/>
    <exclusiveGateway id="gw" name="Hungry?"/>
    <task id="cook" name="Cooks dinner"/>
    <task id="cold" name="Serves a cold plate"/>
    <intermediateCatchEvent id="t" name="Next morning"/>
    <task id="clean" name="Cleans the room"/>
    <sequenceFlow id="f1" sourceRef="take" targetRef="gw"/>
    <sequenceFlow id="f2" name="yes (80%)" sourceRef="gw" targetRef="cook"/>
    <sequenceFlow id="f3" name="no 20 %" sourceRef="gw" targetRef="cold"/>
    <sequenceFlow id="f4" sourceRef="cook" targetRef="t"/>
    <sequenceFlow id="f5" sourceRef="t" targetRef="clean"/>
    <sequenceFlow id="f6" sourceRef="clean" targetRef="take"/>
  </process>
</definitions>
"""


def test_import_of_a_hand_written_collaboration_without_diagram() -> None:
    mapping = parse_mapping({"lanes": {"Front office": "frontstage", "Housekeeping": {"lane": "backstage",
                                                                                       "role": "housekeeping"}}}, "m.yaml")
    bp, warnings = import_blueprint(FOREIGN, "bpmn", file="hotel.bpmn", mapping=mapping)
    lanes = {a.action.text: a.lane for a in bp.placed()}
    assert lanes == {"Books a room": "customer", "Takes the booking": "frontstage", "Cooks dinner": "kitchen",
                     "Serves a cold plate": "kitchen", "Cleans the room": "backstage"}
    assert bp.lanes["kitchen"].name == "Kitchen"
    assert bp.action("cleans_the_room").role == "housekeeping" and "housekeeping" in bp.roles
    edges = {(e.source, e.target): e for e in bp.edges if not e.implicit}
    assert edges[("books_a_room", "takes_the_booking")].two_way
    assert edges[("takes_the_booking", "cooks_dinner")].p == pytest.approx(0.8)
    assert edges[("takes_the_booking", "cooks_dinner")].label == "yes"
    assert edges[("takes_the_booking", "serves_a_cold_plate")].p == pytest.approx(0.2)
    assert ("cooks_dinner", "cleans_the_room") in edges  # through the intermediate event
    assert ("cleans_the_room", "takes_the_booking") not in edges  # the loop back
    joined = "\n".join(warnings)
    assert "custom lane 'kitchen'" in joined and "loop back" in joined and "Next morning" in joined
    assert "no diagram" in joined
    assert bp.scenario.customer == "Guest" and bp.scenario.start == "Wants a room"
    steps = {a.action.text: a.step_index for a in bp.placed()}
    assert steps["Books a room"] < steps["Takes the booking"] < steps["Cooks dinner"] < steps["Cleans the room"]


def test_equal_shares_are_assumed_and_said() -> None:
    text = FOREIGN.replace('name="yes (80%)" ', "").replace('name="no 20 %" ', "")
    bp, warnings = import_blueprint(text, "bpmn")
    ps = sorted(e.p for e in bp.edges if e.p is not None)
    assert ps == [0.5, 0.5]
    assert any("equal shares" in w and "Hungry?" in w for w in warnings)


def test_not_bpmn_is_a_clear_error() -> None:
    from service_blueprint import LoadError

    with pytest.raises(LoadError, match=r"not a BPMN 2\.0 file"):
        import_blueprint("<svg xmlns='http://www.w3.org/2000/svg'/>", "bpmn")
    with pytest.raises(LoadError, match="no process"):
        import_blueprint(f"<definitions xmlns='{BPMN}' id='d' targetNamespace='x'/>", "bpmn")
