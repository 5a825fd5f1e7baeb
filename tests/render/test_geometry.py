"""Geometric invariants of layout and routing, on generated blueprints."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service_blueprint import Blueprint, loads
from service_blueprint.render.layout import Options
from service_blueprint.render.routing import route
from service_blueprint.render.text import text_width
from service_blueprint.templates import list_templates, template_text

LANES = ("customer", "frontstage", "backstage", "support")
WORDS = st.sampled_from(["checks", "the", "bike", "customer", "a", "very", "long", "Überweisungsträger",
                         "calls", "back", "https://example.org/a/very/long/path/without/spaces", "ok", "—"])


@st.composite
def blueprints(draw: Any) -> Blueprint:
    n_steps = draw(st.integers(1, 6))
    steps: list[dict[str, Any]] = []
    ids: list[tuple[int, str]] = []
    k = 0
    for s in range(n_steps):
        step: dict[str, Any] = {"id": f"s{s}", "name": " ".join(draw(st.lists(WORDS, min_size=1, max_size=4)))}
        if draw(st.booleans()):
            step["evidence"] = [" ".join(draw(st.lists(WORDS, min_size=1, max_size=3)))]
        for lane in LANES:
            actions = []
            for _ in range(draw(st.integers(0, 3))):
                a: dict[str, Any] = {"id": f"a{k}", "text": " ".join(draw(st.lists(WORDS, min_size=1, max_size=12)))}
                if draw(st.booleans()):
                    a["duration"] = draw(st.sampled_from(["5 min", "2..5 min", "1..2..30 min", "~4 h"]))
                if draw(st.booleans()):
                    a["wait"] = "10 min"
                if draw(st.booleans()):
                    a["fail"] = "it breaks"
                if lane == "customer" and draw(st.booleans()):
                    a["emotion"] = draw(st.integers(-2, 2))
                if lane != "customer" and draw(st.booleans()):
                    a["role"] = "clerk"
                actions.append(a)
                ids.append((s, a["id"]))
                k += 1
            if actions:
                step[lane] = actions
        steps.append(step)
    flows: list[Any] = []
    if len(ids) > 1:
        for _ in range(draw(st.integers(0, 2 * len(ids)))):
            i, j = sorted(draw(st.lists(st.integers(0, len(ids) - 1), min_size=2, max_size=2, unique=True)))
            arrow = draw(st.sampled_from(["->", "<->"]))
            if draw(st.booleans()):
                flows.append({"from": ids[i][1], "to": ids[j][1], "label": "maybe"})
            else:
                flows.append(f"{ids[i][1]} {arrow} {ids[j][1]}")
    data = {"blueprint": 1, "title": "Generated", "roles": {"clerk": {"name": "Clerk", "department": "Desk"}},
            "steps": steps, "flows": flows}
    return Blueprint.model_validate(data)


def assert_geometry(bp: Blueprint, options: Options | None = None) -> None:
    options = options or Options()
    lay, routes = route(bp, options)
    boxes = lay.boxes
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.rect.overlaps(b.rect), f"boxes {a.id} and {b.id} overlap"
        for item in a.texts + tuple(badge.text for badge in a.badges):
            extent = item.extent(text_width(item.text, item.size, item.bold or item.css == "badge-wait"))
            assert a.rect.contains(extent, slack=0.01), f"text {item.text!r} sticks out of {a.id}"
        for badge in a.badges:
            assert a.rect.contains(badge.rect, slack=0.01), f"badge {badge.text.text!r} sticks out of {a.id}"
    index = lay.box_index
    for r in routes:
        pts = r.points
        assert len(pts) >= 2
        for p, q in itertools.pairwise(pts):
            assert p[0] == q[0] or p[1] == q[1], f"segment {p}-{q} of {r.edge} is not orthogonal"
            for box in boxes:
                assert not box.rect.crossed_by(p, q), f"{r.edge.source}->{r.edge.target} crosses {box.id}"
        src, dst = index[r.edge.source].rect, index[r.edge.target].rect
        assert _on_border(pts[0], src) and _on_border(pts[-1], dst)


def _on_border(p: tuple[float, float], rect: Any) -> bool:
    x, y = p
    on_v = (abs(x - rect.x) < 0.01 or abs(x - rect.right) < 0.01) and rect.y - 0.01 <= y <= rect.bottom + 0.01
    on_h = (abs(y - rect.y) < 0.01 or abs(y - rect.bottom) < 0.01) and rect.x - 0.01 <= x <= rect.right + 0.01
    return on_v or on_h


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(blueprints())
def test_generated_blueprints_have_clean_geometry(bp: Blueprint) -> None:
    assert_geometry(bp)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(blueprints(), st.sets(st.sampled_from(["customer", "frontstage", "backstage", "support"]), max_size=2))
def test_hiding_lanes_keeps_geometry_clean(bp: Blueprint, hide: set[str]) -> None:
    assert_geometry(bp, Options(hide=frozenset(hide)))


def test_templates_have_clean_geometry() -> None:
    for t in list_templates():
        assert_geometry(loads(template_text(getattr(t, "name", t))))


def test_lanes_in_canon_order_with_named_lines() -> None:
    bp = loads(template_text("bike-repair-current"))
    lay, _ = route(bp)
    assert [r.lane for r in lay.lanes] == ["customer", "frontstage", "backstage", "support"]
    assert [g.line for g in lay.hgutters if g.line] == [
        "line of interaction", "line of visibility", "line of internal interaction"]
    ys = [r.rect.y for r in lay.lanes]
    assert ys == sorted(ys)
    xs = [c.rect.x for c in lay.columns]
    assert xs == sorted(xs) and len(xs) == len(bp.steps)


def test_parallel_arrows_do_not_share_a_track() -> None:
    """Two arrows in one gutter segment range get different tracks (left-edge colouring)."""
    body = {"blueprint": 1, "title": "T", "steps": [
        {"name": "A", "customer": [{"id": "c1", "text": "one"}], "backstage": [{"id": "b1", "text": "b"}]},
        {"name": "B", "customer": [{"id": "c2", "text": "two"}]},
        {"name": "C", "backstage": [{"id": "b3", "text": "c"}, {"id": "b4", "text": "d"}]}],
        "flows": ["c1 -> b3", "b1 -> b4", "c1 -> b4"]}
    _lay, routes = route(Blueprint.model_validate(body))
    segments = [(p, q) for r in routes for p, q in zip(r.points, r.points[1:], strict=False)]
    verticals = [(p[0], min(p[1], q[1]), max(p[1], q[1])) for p, q in segments if p[0] == q[0]]
    for i, (x, lo, hi) in enumerate(verticals):
        for x2, lo2, hi2 in verticals[i + 1:]:
            if x == x2:
                assert hi <= lo2 or hi2 <= lo, "two vertical arrow segments overlap on one track"


def test_crossing_detection_itself() -> None:
    from service_blueprint.render.geometry import Rect

    r = Rect(10, 10, 20, 20)
    assert r.crossed_by((0, 15), (40, 15))
    assert r.crossed_by((20, 0), (20, 12))
    assert not r.crossed_by((0, 10), (40, 10))  # along the border
    assert not r.crossed_by((30, 0), (30, 40))
    assert not r.crossed_by((0, 35), (40, 35))
