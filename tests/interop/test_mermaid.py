"""Mermaid: a flowchart with one subgraph per lane and the lines between them."""

from __future__ import annotations

import textwrap

from _interop_kit import template

from service_blueprint import loads
from service_blueprint.interop import export_blueprint


def test_one_subgraph_per_lane_with_lines_between() -> None:
    result = export_blueprint(template("bike-repair-current"), "mermaid")
    text = str(result.content)
    assert text.startswith("flowchart TB\n")
    assert text.count("subgraph ") == 4 and text.count("\n  end\n") == 4
    order = ['["Customer"]', '"line of interaction"', '["Frontstage"]', '"line of visibility"',
             '["Backstage"]', '"line of internal interaction"', '["Support"]']
    assert [text.index(x) for x in order] == sorted(text.index(x) for x in order)
    assert "a_walk_in <--> a_greet" in text
    assert 'a_lookup -->|"part missing (20%)"| a_order_part' in text
    assert "a_walk_in -.-> a_describe" in text  # the implicit customer chain
    assert any("duration" in w for w in result.warnings)


def test_ids_and_text_are_escaped() -> None:
    bp = loads(textwrap.dedent("""\
        blueprint: 1
        title: Tricky
        steps:
          - name: S
            customer: [{id: end, text: 'Says "hi" <b>#1</b>'}]
            frontstage: [{id: graph, text: Answers}]
        flows: [end -> graph]
        """))
    text = str(export_blueprint(bp, "mermaid").content)
    assert 'a_end(["Says #quot;hi#quot; #lt;b#gt;#35;1#lt;/b#gt;"])' in text
    assert "a_end --> a_graph" in text
    assert export_blueprint(bp, "mermaid").warnings == ()
