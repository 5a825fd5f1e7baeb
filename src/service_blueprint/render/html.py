"""The blueprint as one offline HTML file: the SVG inline plus a little vanilla JavaScript.

Nothing is fetched at run time. Interaction: drag to pan, wheel or buttons to zoom, hover or
focus an action for all its fields, click (or Enter) to light up everything upstream and
downstream of it, filter by role or department, Escape to clear. Every action is focusable in
reading order and has an accessible name; a plain table of lanes × steps is the text alternative.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from html import escape
from importlib.resources import files

from ..model import Blueprint
from ..serialize import action_data
from .layout import lane_title
from .svg import RenderOptions, draw
from .theme import theme as get_theme


def _asset(name: str) -> str:
    return (files(__package__) / "assets" / name).read_text("utf-8")


def _safe_json(data: object) -> str:
    """JSON that cannot close the surrounding <script> element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def page_data(bp: Blueprint) -> dict[str, object]:
    """What the script needs: every action's fields (for tooltips) and the flows (for tracing)."""
    actions: dict[str, object] = {}
    for p in bp.placed():
        data = action_data(p.action)
        data["lane"] = p.lane
        data["step"] = p.step.name
        role = bp.roles.get(p.action.role or "")
        if role is not None:
            data["role_name"] = role.name or p.action.role
            if role.department:
                data["department"] = role.department
        actions[p.action.id] = data
    edges = [[e.source, e.target, int(e.two_way)] for e in bp.edges]
    return {"actions": actions, "edges": edges}


def _filters(bp: Blueprint) -> str:
    roles = [(rid, r.name or rid) for rid, r in bp.roles.items()]
    depts = sorted({r.department for r in bp.roles.values() if r.department})
    role_opts = "".join(f'<option value="{escape(rid)}">{escape(name)}</option>' for rid, name in roles)
    dept_opts = "".join(f'<option value="{escape(d)}">{escape(d)}</option>' for d in depts)
    return (
        '<label>Role <select id="f-role"><option value="">all</option>' + role_opts + "</select></label>"
        '<label>Department <select id="f-dept"><option value="">all</option>' + dept_opts + "</select></label>"
    )


def _table(bp: Blueprint, hide: frozenset[str]) -> str:
    lanes = [lane for lane in bp.lane_order if lane not in hide]
    head = "".join(f'<th scope="col">{escape(s.name)}</th>' for s in bp.steps)
    rows = []
    if bp.has_evidence and "evidence" not in hide:
        cells = "".join("<td>" + "<br>".join(escape(e.text) for e in s.evidence) + "</td>" for s in bp.steps)
        rows.append(f'<tr><th scope="row">Physical evidence</th>{cells}</tr>')
    for lane in lanes:
        cells = "".join(
            "<td>" + "<br>".join(escape(a.text) + (" (fail point)" if a.fail else "")
                                 + (f" (wait {escape(str(a.wait))})" if a.wait else "")
                                 for a in s.lane(lane)) + "</td>"
            for s in bp.steps)
        rows.append(f'<tr><th scope="row">{escape(lane_title(bp, lane))}</th>{cells}</tr>')
    return (f'<table><caption>{escape(bp.title)}: actions by lane and step</caption>'
            f'<thead><tr><th scope="col">Lane</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>')


def render_html(bp: Blueprint, *, theme: str = "light", legend: bool = True, hide: Iterable[str] = (),
                highlight: Mapping[str, str] | None = None) -> str:
    """One self-contained HTML page with the interactive blueprint (deterministic output)."""
    hidden = frozenset(hide)
    svg = draw(bp, RenderOptions(theme, legend, hidden, highlight, interactive=True))
    t = get_theme(theme)
    return _asset("page.html").format(
        title=escape(bp.title),
        lang="en",
        bg=t.background, fg=t.text, muted=t.muted, grid=t.grid, accent=t.highlight["critical"],
        css=_asset("blueprint.css"),
        filters=_filters(bp),
        svg=svg,
        table=_table(bp, hidden),
        data=_safe_json(page_data(bp)),
        script=_asset("blueprint.js"),
    )
