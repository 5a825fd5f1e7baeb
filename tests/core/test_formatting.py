from __future__ import annotations

import textwrap

from service_blueprint import format_text, loads
from service_blueprint.templates import template_names, template_text

MESSY = textwrap.dedent(
    """\
    # Top comment stays
    title:   Test     # the title
    blueprint: 1
    steps:
    - name: Arrive   # step comment
      customer:
      - text: Walks in
        id: walk
      evidence: [Door]
    scenario: {goal: G, customer: C}
    """
)


def test_fmt_orders_keys_and_keeps_comments() -> None:
    out, err = format_text(MESSY)
    assert err is None and out is not None
    assert out.splitlines()[:3] == ["# Top comment stays", "blueprint: 1", "title: Test       # the title"]
    assert "# step comment" in out
    assert "  - name: Arrive" in out
    assert out.index("evidence:") < out.index("    customer:")
    assert out.index("id: walk") < out.index("text: Walks in")
    assert loads(out) == loads(MESSY)


def test_fmt_is_idempotent_on_every_template() -> None:
    for name in template_names():
        text = template_text(name)
        once, _ = format_text(text)
        assert once is not None
        twice, _ = format_text(once)
        assert twice == once, name
        assert loads(once) == loads(text), name


def test_templates_are_already_formatted() -> None:
    for name in template_names():
        text = template_text(name)
        assert format_text(text)[0] == text, f"run 'blueprint fmt' on template {name}"


def test_fmt_reports_syntax_errors() -> None:
    out, err = format_text("a: [1, 2\n", "x.yaml")
    assert out is None and err is not None
    assert (err.rule, err.line) == ("E001", 1)
