"""Hostile or broken XML gets one clear, located error: no expansion, no file reads, no traceback."""

from __future__ import annotations

import pytest

from service_blueprint import LoadError
from service_blueprint.interop import import_blueprint
from service_blueprint.interop.xmlsafe import parse_xml

BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">&lol3;</definitions>
"""

EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE definitions [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">&secret;</definitions>
"""


@pytest.mark.parametrize("fmt", ["bpmn", "drawio"])
def test_entity_expansion_is_refused(fmt: str) -> None:
    with pytest.raises(LoadError) as exc:
        import_blueprint(BOMB, fmt, file="bomb.bpmn")
    finding = exc.value.findings[0]
    assert "entity declaration" in finding.message and "refused" in finding.message
    assert finding.line == 3 and finding.file == "bomb.bpmn"


def test_external_entities_are_refused() -> None:
    with pytest.raises(LoadError) as exc:
        import_blueprint(EXTERNAL, "bpmn", file="ext.bpmn")
    assert "refused" in exc.value.findings[0].message
    assert "root:" not in str(exc.value)  # nothing of /etc/passwd was read


def test_malformed_xml_gives_line_and_column() -> None:
    with pytest.raises(LoadError) as exc:
        import_blueprint("<definitions>\n  <process id='p'>\n    <task id='t'>\n  </process>\n", "bpmn", file="m.bpmn")
    f = exc.value.findings[0]
    assert f.message.startswith("malformed XML: mismatched tag")
    assert (f.line, f.col) == (4, 5)
    assert str(exc.value).startswith("m.bpmn:4:5: error E002 malformed XML")


def test_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BLUEPRINT_MAX_BYTES", "100")
    with pytest.raises(LoadError, match="the limit is 100 bytes"):
        parse_xml("<a>" + "x" * 200 + "</a>", "big.xml")


def test_well_formed_xml_parses() -> None:
    assert parse_xml(b"<a><b/></a>", "ok.xml").tag == "a"
