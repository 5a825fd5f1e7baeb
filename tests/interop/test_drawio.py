"""draw.io: lossless for our own files, and readable when drawn by hand (also compressed pages)."""

from __future__ import annotations

import base64
import re
import urllib.parse
import zlib

import pytest
from _interop_kit import TEMPLATES, template

from service_blueprint import LoadError
from service_blueprint.interop import export_blueprint, import_blueprint
from service_blueprint.interop.xmlsafe import parse_xml


@pytest.mark.parametrize("name", TEMPLATES)
def test_round_trip_is_lossless(name: str) -> None:
    bp = template(name)
    result = export_blueprint(bp, "drawio")
    back, warnings = import_blueprint(result.content, "drawio")
    assert back == bp and warnings == () and result.warnings == ()


def test_swimlanes_in_lane_order_with_actions_inside() -> None:
    root = parse_xml(str(export_blueprint(template("bike-repair-current"), "drawio").content), "b.drawio")
    lanes = [o for o in root.iter("object") if o.get("bp_kind") == "lane"]
    assert [o.get("lane") for o in lanes] == ["evidence", "customer", "frontstage", "backstage", "support"]
    for o in lanes:
        cell = o.find("mxCell")
        assert cell is not None and "swimlane" in (cell.get("style") or "")
    actions = [o for o in root.iter("object") if o.get("bp_kind") == "action"]
    assert all((o.find("mxCell").get("parent") or "").startswith("lane_") for o in actions)  # type: ignore[union-attr]


def _hand_drawn() -> str:
    """Our export stripped of its data, as if drawn by hand in draw.io."""
    text = str(export_blueprint(template("bike-repair-current"), "drawio").content)
    text = re.sub(r'<object id="0"[^>]*>', '<object id="0" label="">', text)
    data = re.compile(r' (bp_kind|action_id|step|lane|spec|part|form|two_way|implicit|flow_\w+|role|duration|'
                      r'tolerance|wait|fail_\w+|emotion|channel|p|repeat|cost|source|detail|metrics|note|items|'
                      r'step_id|name|derived|text)="[^"]*"')
    return re.sub(r"<object [^>]*>", lambda m: data.sub("", m.group(0)), text)


def test_import_of_a_hand_drawn_diagram() -> None:
    bp = template("bike-repair-current")
    back, warnings = import_blueprint(_hand_drawn(), "drawio", file="shop.drawio")
    assert sorted(a.text for a in back.actions()) == sorted(a.text for a in bp.actions())
    lane_of = {p.action.text: p.lane for p in back.placed()}
    assert all(lane_of[p.action.text] == p.lane for p in bp.placed())
    names = {a.id: a.text for a in back.actions()}
    orig = {a.id: a.text for a in bp.actions()}
    got = {(names[e.source], names[e.target], e.two_way, e.p) for e in back.edges if not e.implicit}
    want = {(orig[e.source], orig[e.target], e.two_way, e.p) for e in bp.edges if not e.implicit}
    assert got == want
    assert any("shapes that are not actions" in w for w in warnings)  # evidence notes, step headers


def test_compressed_pages_are_read() -> None:
    text = _hand_drawn()
    model = re.search(r"<mxGraphModel.*</mxGraphModel>", text, re.S)
    assert model is not None
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = deflate.compress(urllib.parse.quote(model.group(0), safe="").encode()) + deflate.flush()
    compressed = f'<mxfile><diagram id="d" name="p">{base64.b64encode(packed).decode()}</diagram></mxfile>'
    back, _ = import_blueprint(compressed, "drawio")
    assert len(list(back.actions())) == len(list(template("bike-repair-current").actions()))


def test_broken_compressed_page() -> None:
    with pytest.raises(LoadError, match="neither XML nor a compressed diagram"):
        import_blueprint('<mxfile><diagram id="d">%%%not base64%%%</diagram></mxfile>', "drawio")
