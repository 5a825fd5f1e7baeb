"""Property tests: load -> dump -> load gives an equal model; no input makes the loader raise."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service_blueprint import loads, parse_document
from service_blueprint.serialize import dumps_json, dumps_yaml

ids = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)
words = st.text(alphabet=st.sampled_from("abcdefghij klmnoé'\"#:-,!?"), min_size=1, max_size=25).map(str.strip).filter(bool)
durations = st.one_of(
    st.builds(lambda n, u: f"{n} {u}", st.integers(0, 500), st.sampled_from(["s", "min", "h", "d"])),
    st.builds(lambda a, b: f"{a}..{a + b} min", st.integers(0, 50), st.integers(0, 50)),
    st.builds(lambda a, b, c: f"{a}..{a + b}..{a + b + c} h", st.integers(0, 9), st.integers(0, 9), st.integers(0, 9)),
    st.builds(lambda a: f"~{a} min", st.integers(1, 90)),
    st.builds(lambda m, s: {"dist": "lognormal", "mean": f"{m} min", "sd": f"{s} min"}, st.integers(1, 60), st.integers(0, 30)),
    st.builds(lambda v: {"dist": "empirical", "values": [f"{x} s" for x in v]}, st.lists(st.integers(0, 900), min_size=1, max_size=5)),
)
probs = st.sampled_from([0, 0.1, 0.25, 0.5, 0.9, 1])


@st.composite
def action(draw: Any, lane: str, roles: list[str]) -> dict[str, Any]:
    a: dict[str, Any] = {"text": draw(words)}
    if draw(st.booleans()):
        a["id"] = draw(ids)
    if roles and lane != "customer" and draw(st.booleans()):
        a["role"] = draw(st.sampled_from(roles))
    for key in ("duration", "tolerance", "wait"):
        if draw(st.booleans()):
            a[key] = draw(durations)
    if draw(st.booleans()):
        a["fail"] = {"text": draw(words), "likelihood": draw(probs), "impact": draw(st.integers(1, 5))}
    if lane == "customer" and draw(st.booleans()):
        a["emotion"] = draw(st.integers(-2, 2))
    for key in ("p", "repeat"):
        if draw(st.booleans()):
            a[key] = draw(probs)
    if draw(st.booleans()):
        a["source"] = draw(st.sampled_from(["observed", "assumed", "proposed"]))
    if draw(st.booleans()):
        a["metrics"] = {"nps": draw(st.integers(-100, 100)), "note": draw(words)}
    if draw(st.booleans()):
        a["cost"] = draw(st.sampled_from([0, 1.5, 20]))
    return a


@st.composite
def blueprint_data(draw: Any) -> dict[str, Any]:
    role_ids = draw(st.lists(ids, max_size=3, unique=True))
    roles = {r: {"name": draw(words), "staff": draw(st.integers(0, 5)), "cost": f"{draw(st.integers(0, 90))}/h",
                 "shifts": draw(st.lists(st.sampled_from(["Mon-Fri 08:00-17:00", "Sat 09:00-13:00 x1", "Sun 22:00-06:00"]), max_size=2))}
             for r in role_ids}
    steps = []
    for _ in range(draw(st.integers(0, 4))):
        step: dict[str, Any] = {"name": draw(words)}
        if draw(st.booleans()):
            step["id"] = draw(ids)
        if draw(st.booleans()):
            step["evidence"] = draw(st.lists(words, max_size=3))
        for lane in ("customer", "frontstage", "backstage", "support"):
            acts = draw(st.lists(action(lane, role_ids), max_size=2))
            if acts:
                step[lane] = acts
        steps.append(step)
    data: dict[str, Any] = {"blueprint": 1, "title": draw(words), "steps": steps}
    if draw(st.booleans()):
        data["state"] = draw(st.sampled_from(["current", "future"]))
    if draw(st.booleans()):
        data["scenario"] = {"customer": draw(words), "goal": draw(words), "tolerance": draw(durations)}
    if roles:
        data["roles"] = roles
    if draw(st.booleans()):
        data["demand"] = {"arrivals": draw(st.sampled_from(["4/h", "30/d", "~12 min"])),
                          "hours": "Mon-Sat 09:00-18:00", "peaks": ["Sat 10:00-12:00 10/h", "Mon 09:00-10:00 x2"]}
    if draw(st.booleans()):
        data["flows"] = draw(st.lists(st.one_of(
            st.builds(lambda a, b: f"{a} -> {b}", ids, ids),
            st.builds(lambda a, b, c: f"{a} <-> {b} -> {c}", ids, ids, ids),
            st.builds(lambda a, b, p: {"from": a, "to": b, "p": p, "label": "x"}, ids, ids, probs),
        ), max_size=4))
    return data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(blueprint_data())
def test_load_dump_load_is_identity(data: dict[str, Any]) -> None:
    import json

    text = json.dumps(data)  # JSON is YAML: the loader reads it as is
    first = loads(text)
    yaml_text = dumps_yaml(first)
    second = loads(yaml_text)
    assert second == first
    assert dumps_yaml(second) == yaml_text  # stable: byte-identical on a second pass
    assert loads(dumps_json(first)) == first


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_loader_never_raises_on_any_text(text: str) -> None:
    doc = parse_document(text, "fuzz.yaml")
    assert doc.blueprint is not None or doc.findings


yamlish = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), words, durations),
    lambda children: st.one_of(st.lists(children, max_size=3),
                               st.dictionaries(st.sampled_from(["text", "id", "name", "steps", "customer", "role",
                                                                "duration", "flows", "fail", "p", "roles", "x"]),
                                               children, max_size=4)),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["blueprint", "title", "steps", "roles", "flows", "scenario", "demand",
                                        "phases", "lanes", "state", "ignore"]), yamlish, max_size=8))
def test_loader_never_raises_on_wrong_types(data: dict[str, Any]) -> None:
    import json

    doc = parse_document(json.dumps(data), "fuzz.yaml")
    for f in doc.findings:
        assert f.line >= 0 and f.rule[0] in "EWI"


def test_yaml_bomb_is_refused() -> None:
    bomb = "a: &a [x,x,x,x,x,x,x,x,x]\n"
    prev = "a"
    for name in "bcdefgh":
        bomb += f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]\n"
        prev = name
    bomb += "i: [" + ",".join([f"*{prev}"] * 9) + "]\n"
    doc = parse_document(bomb, "bomb.yaml")
    assert [f.rule for f in doc.findings] == ["E001"]
    assert "alias" in doc.findings[0].message
