"""Format names, extensions and content sniffing; property tests of the lossless formats."""

from __future__ import annotations

from typing import Any

import pytest
from _interop_kit import template
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service_blueprint import Blueprint, UsageError
from service_blueprint.interop import (
    FORMATS,
    export_blueprint,
    format_for_output,
    import_blueprint,
    sniff,
)


@pytest.mark.parametrize(("name", "fmt"), [("a.bpmn", "bpmn"), ("a.BPMN20.XML", "bpmn"), ("a.drawio", "drawio"),
                                           ("a.mmd", "mermaid"), ("a.csv", "csv"), ("a.table.csv", "csv-table"),
                                           ("a.xlsx", "xlsx"), ("a.table.xlsx", "xlsx-table"), ("a.json", "json")])
def test_output_names(name: str, fmt: str) -> None:
    assert format_for_output(name) == fmt


@pytest.mark.parametrize("fmt", [n for n, f in FORMATS.items() if f.export and f.import_])
def test_content_decides_the_import_format(fmt: str) -> None:
    data = export_blueprint(template("clinic-visit"), fmt).content
    raw = data if isinstance(data, bytes) else data.encode()
    name = {"csv": "x.csv", "csv-table": "x.csv", "xlsx-table": "x.xlsx", "yaml": "x.yaml"}.get(fmt, "x.dat")
    assert sniff(raw, name) == fmt


def test_unknown_format_suggests() -> None:
    with pytest.raises(UsageError, match=r"did you mean 'bpmn'"):
        export_blueprint(template("clinic-visit"), "bpm")
    with pytest.raises(UsageError, match=r"exported but not imported"):
        import_blueprint("flowchart TB", "mermaid")
    with pytest.raises(UsageError, match=r"neither BPMN 2\.0 nor draw\.io"):
        import_blueprint("<svg/>", file="x.xml")


ids = st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True)
texts = st.text(alphabet=st.sampled_from("abcdéf ghi{}[],:#'\"-&<>%"), min_size=1, max_size=20).map(str.strip).filter(bool)
durations = st.sampled_from(["30 s", "2..5 min", "1..2..4 h", "~3 min", {"dist": "lognormal", "mean": "4 min", "sd": "1 min"}])


@st.composite
def blueprints(draw: Any) -> Blueprint:
    used: set[str] = set()
    steps = []
    placed: list[tuple[int, str]] = []
    for s in range(draw(st.integers(1, 4))):
        step: dict[str, Any] = {"id": f"s{s}", "name": draw(texts)}
        if draw(st.booleans()):
            step["evidence"] = draw(st.lists(texts, max_size=2))
        for lane in ("customer", "frontstage", "backstage", "support"):
            actions = []
            for _ in range(draw(st.integers(0, 2))):
                aid = draw(ids.filter(lambda x: x not in used))
                used.add(aid)
                a: dict[str, Any] = {"id": aid, "text": draw(texts)}
                if draw(st.booleans()):
                    a["duration"] = draw(durations)
                if lane != "customer" and draw(st.booleans()):
                    a["role"] = "staff"
                if draw(st.booleans()):
                    a["fail"] = {"text": draw(texts), "likelihood": 0.1}
                actions.append(a)
                placed.append((s, aid))
            if actions:
                step[lane] = actions
        steps.append(step)
    flows: list[Any] = []
    for i, (s, a) in enumerate(placed):
        later = [b for t, b in placed[i + 1:] if t > s]
        if later and draw(st.booleans()):
            targets = draw(st.lists(st.sampled_from(later), min_size=1, max_size=2, unique=True))
            if len(targets) == 2 and draw(st.booleans()):
                flows += [{"from": a, "to": targets[0], "p": 0.3, "label": draw(texts)}, {"from": a, "to": targets[1], "p": 0.7}]
            else:
                flows += [f"{a} {'<->' if draw(st.booleans()) else '->'} {b}" for b in targets]
    return Blueprint.model_validate({"blueprint": 1, "title": draw(texts), "roles": {"staff": {"name": "Staff"}},
                                     "steps": steps, "flows": flows})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(blueprints(), st.sampled_from(["bpmn", "drawio", "csv", "json"]))
def test_lossless_formats_round_trip(bp: Blueprint, fmt: str) -> None:
    back, _ = import_blueprint(export_blueprint(bp, fmt).content, fmt)
    assert back == bp
