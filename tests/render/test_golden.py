"""Golden SVGs of every template: byte-identical across runs and across machines.

Set UPDATE_GOLDEN=1 to rewrite them after an intended change, then look at the pictures.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from service_blueprint import loads
from service_blueprint.render import render_svg
from service_blueprint.templates import list_templates, template_text

GOLDEN = Path(__file__).parent / "golden"
NAMES = [getattr(t, "name", t) for t in list_templates()]


@pytest.mark.parametrize("name", NAMES)
def test_template_svg_matches_golden(name: str) -> None:
    svg = render_svg(loads(template_text(name)))
    path = GOLDEN / f"{name}.svg"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(svg, encoding="utf-8")
    assert path.exists(), f"no golden file for {name}; run with UPDATE_GOLDEN=1"
    assert svg == path.read_text("utf-8")


@pytest.mark.parametrize("theme", ["light", "dark", "print"])
def test_rendering_is_deterministic(theme: str) -> None:
    bp = loads(template_text("hotel-stay"))
    first = render_svg(bp, theme=theme, highlight={"greet": "critical"})
    second = render_svg(loads(template_text("hotel-stay")), theme=theme, highlight={"greet": "critical"})
    assert first == second
