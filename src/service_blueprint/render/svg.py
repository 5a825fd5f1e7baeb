"""The blueprint as a standalone SVG document, written as plain strings.

Deterministic by construction: elements in reading order, numbers with fixed formatting, ids
from content, no timestamps. Drawing uses presentation attributes (not CSS) so every renderer
(browsers, resvg, typst) shows the same picture; classes and ``data-`` attributes are hooks for
the interactive HTML only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape

from ..model import Blueprint
from .geometry import Rect, TextItem
from .layout import (
    BOX_PAD,
    EMOTION,
    MARGIN,
    MARKER_R,
    ROLE_H,
    Box,
    Layout,
    Options,
)
from .routing import Route, route
from .text import FONT_FAMILY, text_width, truncate
from .theme import Theme, role_colours, theme

HIGHLIGHT_LABELS = {"critical": "critical path", "bottleneck": "bottleneck", "fail": "fail point",
                    "added": "added", "removed": "removed", "changed": "changed"}


def num(v: float) -> str:
    """Fixed formatting: at most two decimals, no trailing zeros, never '-0'."""
    s = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def attr(v: str) -> str:
    return escape(v, quote=True)


def text_el(t: TextItem, fill: str, extra: str = "") -> str:
    weight = ' font-weight="bold"' if t.bold else ""
    anchor = f' text-anchor="{t.anchor}"' if t.anchor != "start" else ""
    cls = f' class="{t.css}"' if t.css else ""
    return (f'<text x="{num(t.x)}" y="{num(t.y)}" font-size="{num(t.size)}"{weight}{anchor}'
            f' fill="{fill}"{cls}{extra}>{escape(t.text, quote=False)}</text>')


def _text_block(spans: Sequence[tuple[TextItem, str, bool]], fill: str) -> str:
    """All lines of one box in a single <text> of positioned <tspan>s.

    Renderers lay out each text element separately; one element per box instead of one per
    line makes rasterising a large blueprint markedly faster, and the picture is the same.
    """
    parts = [f'<text fill="{fill}">']
    for item, colour, bold in spans:
        weight = ' font-weight="bold"' if bold else ""
        own = f' fill="{colour}"' if colour != fill else ""
        cls = f' class="{item.css}"' if item.css else ""
        parts.append(f'<tspan x="{num(item.x)}" y="{num(item.y)}" font-size="{num(item.size)}"{weight}{own}{cls}>'
                     f"{escape(item.text, quote=False)}</tspan>")
    parts.append("</text>")
    return "".join(parts)


def rect_el(r: Rect, fill: str, stroke: str = "none", extra: str = "", rx: float = 0) -> str:
    rnd = f' rx="{num(rx)}"' if rx else ""
    return (f'<rect x="{num(r.x)}" y="{num(r.y)}" width="{num(r.w)}" height="{num(r.h)}"{rnd}'
            f' fill="{fill}" stroke="{stroke}"{extra}/>')


@dataclass(frozen=True, slots=True)
class RenderOptions:
    theme: str = "light"
    legend: bool = True
    hide: frozenset[str] = frozenset()
    highlight: Mapping[str, str] | None = None
    interactive: bool = False  # add focus/ARIA hooks used by the HTML page


def render_svg(bp: Blueprint, *, theme: str = "light", legend: bool = True,
               hide: Iterable[str] = (), highlight: Mapping[str, str] | None = None) -> str:
    """The blueprint drawn as a standalone SVG document (a string, byte-identical per input).

    ``highlight`` maps action ids to one of "critical", "bottleneck", "fail", "added",
    "removed", "changed"; those boxes get a coloured outline and a legend entry.
    """
    opts = RenderOptions(theme, legend, frozenset(hide), highlight)
    return draw(bp, opts)


def draw(bp: Blueprint, opts: RenderOptions) -> str:
    lay, routes = route(bp, Options(hide=opts.hide, legend=opts.legend))
    t = _theme(opts.theme)
    colours = role_colours(list(bp.roles), t)
    legend_lines, legend_h = _legend(bp, lay, t, colours, opts) if opts.legend else ([], 0.0)
    height = lay.height + legend_h + MARGIN
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(lay.width)}" height="{num(height)}"'
        f' viewBox="0 0 {num(lay.width)} {num(height)}" font-family="{FONT_FAMILY}, sans-serif"'
        f' role="img" aria-labelledby="bp-title bp-desc" class="blueprint theme-{t.name}">',
        f'<title id="bp-title">{escape(bp.title, quote=False)}</title>',
        f'<desc id="bp-desc">{escape(_description(bp), quote=False)}</desc>',
        _defs(t),
        rect_el(Rect(0, 0, lay.width, height), t.background),
    ]
    out += [text_el(item, t.text if item.css == "title" else t.muted) for item in lay.title]
    out += _bands(lay, t)
    out += _header(lay, t)
    out += _evidence(lay, t)
    out += _lines(lay, t)
    if lay.emotion is not None:
        out += _emotion(bp, lay, t)
    highlight = dict(opts.highlight or {})
    out.append('<g class="actions">')
    for box in lay.boxes:
        out += _box(bp, box, t, colours, highlight.get(box.id), opts.interactive)
    out.append("</g>")
    out.append('<g class="flows" fill="none">')
    out += [_route(r, t) for r in routes]
    out.append("</g>")
    out += [text_el(r.label, t.text, ' paint-order="stroke" stroke-width="3"'
                    f' stroke="{t.background}" stroke-linejoin="round"') for r in routes if r.label]
    out += legend_lines
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _theme(name: str) -> Theme:
    return theme(name)


def _description(bp: Blueprint) -> str:
    s = bp.scenario
    parts = [f"Service blueprint with {len(bp.steps)} steps and {sum(1 for _ in bp.actions())} actions."]
    if s.customer:
        parts.append(f"Customer: {s.customer}.")
    if s.start and s.end:
        parts.append(f"From {s.start} to {s.end}.")
    if s.goal:
        parts.append(f"Goal: {s.goal}.")
    return " ".join(parts)


def _defs(t: Theme) -> str:
    return (
        "<defs>"
        f'<marker id="arrow-end" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7"'
        f' orient="auto" markerUnits="userSpaceOnUse"><path d="M0,1 L9,5 L0,9 z" fill="{t.arrow}"/></marker>'
        f'<marker id="arrow-start" viewBox="0 0 10 10" refX="1" refY="5" markerWidth="7" markerHeight="7"'
        f' orient="auto" markerUnits="userSpaceOnUse"><path d="M10,1 L1,5 L10,9 z" fill="{t.arrow}"/></marker>'
        "</defs>"
    )


def _bands(lay: Layout, t: Theme) -> list[str]:
    out: list[str] = []
    for k, row in enumerate(lay.rows):
        fill = t.lane_fill[k % 2]
        out.append(rect_el(row.rect, fill, extra=f' class="band band-{attr(row.lane)}"'))
        out += [text_el(item, t.text) for item in row.labels]
    for p in lay.phases:
        out.append(rect_el(p.rect, t.phase_fill, rx=4))
        out.append(text_el(p.text, t.text))
    return out


def _header(lay: Layout, t: Theme) -> list[str]:
    out: list[str] = []
    for c in lay.columns:
        out += [text_el(item, t.text) for item in c.header]
    if lay.columns:
        y = lay.rows[0].rect.y - 3 if lay.rows else lay.grid.y
        out.append(f'<line x1="{num(lay.grid.x)}" y1="{num(y)}" x2="{num(lay.grid.right)}" y2="{num(y)}"'
                   f' stroke="{t.grid}" stroke-width="1"/>')
    return out


def _evidence(lay: Layout, t: Theme) -> list[str]:
    out: list[str] = []
    for r, texts in lay.evidence:
        out.append(rect_el(r, t.evidence_fill, t.grid, rx=3, extra=' class="evidence"'))
        out += [text_el(item, t.text) for item in texts]
    return out


def _lines(lay: Layout, t: Theme) -> list[str]:
    out: list[str] = []
    for g in lay.hgutters:
        if not g.line:
            continue
        y = num(g.line_y)
        out.append(f'<line x1="{num(MARGIN)}" y1="{y}" x2="{num(lay.grid.right)}" y2="{y}" stroke="{t.line}"'
                   f' stroke-width="1.5" stroke-dasharray="8 4" class="named-line"/>')
        out.append(text_el(TextItem(MARGIN + 8, g.line_y - 4, g.line, 10), t.line,
                           ' font-style="italic" class="line-label"'))
    return out


def _emotion(bp: Blueprint, lay: Layout, t: Theme) -> list[str]:
    row = lay.emotion
    assert row is not None
    mid = row.rect.cy
    scale = (row.rect.h / 2 - 10) / 2
    out = [f'<line x1="{num(lay.grid.x)}" y1="{num(mid)}" x2="{num(lay.grid.right)}" y2="{num(mid)}"'
           f' stroke="{t.grid}" stroke-width="1"/>']
    pts: list[tuple[float, float, float]] = []
    for box in lay.boxes:
        if box.lane == "customer" and box.action.emotion is not None:
            pts.append((box.rect.cx, mid - box.action.emotion * scale, box.action.emotion))
    if len(pts) > 1:
        d = " ".join(f"{num(x)},{num(y)}" for x, y, _ in pts)
        out.append(f'<polyline points="{d}" fill="none" stroke="{t.muted}" stroke-width="1.5"/>')
    for x, y, v in pts:
        colour = t.emotion_pos if v > 0 else t.emotion_neg if v < 0 else t.muted
        out.append(f'<circle cx="{num(x)}" cy="{num(y)}" r="4.5" fill="{colour}"/>')
        label = f"{v:+g}" if v else "0"
        out.append(text_el(TextItem(x + 7, y + 4, label, 9.5), colour))
    return out


def _box(bp: Blueprint, box: Box, t: Theme, colours: Mapping[str, str], mark: str | None,
         interactive: bool) -> list[str]:
    a = box.action
    role = bp.roles.get(a.role) if a.role else None
    colour = colours.get(a.role or "", t.muted)
    fill = t.customer_fill if box.lane == "customer" else t.box_fill
    stroke, width, dash = t.box_stroke, 1.0, ""
    if a.source == "proposed":
        fill, stroke, width = t.proposed_fill, t.proposed_stroke, 1.8
    if a.source == "assumed":
        dash = ' stroke-dasharray="5 3"'
    if mark:
        stroke, width = t.highlight.get(mark, stroke), 3.0
        if mark == "removed":
            dash = ' stroke-dasharray="6 3"'
    classes = ["action", f"lane-{box.lane}"]
    if a.role:
        classes.append(f"role-{a.role}")
    if mark:
        classes.append(f"hl-{mark}")
    data = f' data-id="{attr(a.id)}" data-lane="{attr(box.lane)}"'
    if a.role:
        data += f' data-role="{attr(a.role)}"'
    if role and role.department:
        data += f' data-department="{attr(role.department)}"'
    focus = f' tabindex="0" role="button" aria-label="{attr(_aria(bp, box))}"' if interactive else ""
    opacity = ' opacity="0.6"' if mark == "removed" else ""
    out = [f'<g id="a-{attr(a.id)}" class="{attr(" ".join(classes))}"{data}{focus}{opacity}>',
           f"<title>{escape(_aria(bp, box), quote=False)}</title>",
           rect_el(box.rect, fill, stroke, f' stroke-width="{num(width)}"{dash} class="box"', rx=5)]
    if a.role:
        out.append(rect_el(Rect(box.rect.x, box.rect.y + 4, 3.5, box.rect.h - 8), colour))
    spans: list[tuple[TextItem, str, bool]] = [
        (item, colour if item.css == "role" else t.text, item.bold) for item in box.texts]
    for badge in box.badges:
        if badge.kind == "tolerance":
            out.append(rect_el(badge.rect, "none", t.muted, rx=8, extra=' stroke-width="0.8"'))
            spans.append((badge.text, t.muted, False))
        elif badge.kind == "wait":
            out.append(rect_el(badge.rect, t.wait, rx=8))
            spans.append((badge.text, t.background, True))
        else:
            out.append(rect_el(badge.rect, t.badge_fill, rx=8))
            spans.append((badge.text, t.text, False))
    out.append(_text_block(spans, t.text))
    x = box.rect.right - BOX_PAD - MARKER_R
    cy = box.rect.y + BOX_PAD + ROLE_H / 2 - 1
    if a.fail is not None:
        out.append(f'<circle cx="{num(x)}" cy="{num(cy)}" r="{num(MARKER_R)}" fill="{t.fail}" class="fail-mark">'
                   f"<title>Fail point: {escape(a.fail.text, quote=False)}</title></circle>")
        out.append(text_el(TextItem(x, cy + 3.6, "F", 10, True, "middle"), t.background))
        x -= 2 * MARKER_R + 3
    if a.detail is not None:
        out.append(f'<a href="{attr(a.detail)}">'
                   f'<circle cx="{num(x)}" cy="{num(cy)}" r="{num(MARKER_R)}" fill="none" stroke="{t.muted}"/>')
        out.append(text_el(TextItem(x, cy + 3.6, "↘", 9.5, True, "middle"), t.muted))
        out.append("</a>")
    out.append("</g>")
    return out


def _aria(bp: Blueprint, box: Box) -> str:
    a = box.action
    parts = [f"{box.lane.capitalize()} action: {a.text}"]
    if a.role:
        role = bp.roles.get(a.role)
        parts.append(f"role {role.name if role and role.name else a.role}")
    if a.duration is not None:
        parts.append(f"duration {a.duration}")
    if a.wait is not None:
        parts.append(f"wait {a.wait}")
    if a.tolerance is not None:
        parts.append(f"tolerance {a.tolerance}")
    if a.fail is not None:
        parts.append(f"fail point: {a.fail.text}")
    if a.source:
        parts.append(a.source)
    return "; ".join(parts)


def _route(r: Route, t: Theme) -> str:
    d = "M" + " L".join(f"{num(x)},{num(y)}" for x, y in r.points)
    start = ' marker-start="url(#arrow-start)"' if r.edge.two_way else ""
    cls = "flow implicit" if r.edge.implicit else "flow"
    dash = ' stroke-dasharray="2 3"' if r.edge.implicit else ""
    return (f'<path d="{d}" stroke="{t.arrow}" stroke-width="1.3"{dash}{start} marker-end="url(#arrow-end)"'
            f' class="{cls}" data-from="{attr(r.edge.source)}" data-to="{attr(r.edge.target)}"/>')


def _legend(bp: Blueprint, lay: Layout, t: Theme, colours: Mapping[str, str],
            opts: RenderOptions) -> tuple[list[str], float]:
    """Role colours grouped by department, then the symbols that appear in this picture."""
    items: list[tuple[str, str]] = []  # (kind, text); kind selects the swatch
    by_dept: dict[str, list[str]] = {}
    used_roles = {b.role for b in lay.boxes if b.role}
    for rid, role in bp.roles.items():
        if rid in used_roles:
            by_dept.setdefault(role.department or "", []).append(rid)
    for dept, rids in by_dept.items():
        for rid in rids:
            role = bp.roles[rid]
            name = role.name or rid
            items.append((f"role:{rid}", f"{name} ({dept})" if dept else name))
    actions = [b.action for b in lay.boxes]
    if any(a.fail for a in actions):
        items.append(("fail", "fail point"))
    if any(a.wait for a in actions):
        items.append(("wait", "observed wait"))
    if any(a.tolerance for a in actions):
        items.append(("tolerance", "tolerance"))
    if any(a.source == "assumed" for a in actions):
        items.append(("assumed", "assumed (not observed)"))
    if any(a.source == "proposed" for a in actions):
        items.append(("proposed", "proposed"))
    if any(a.detail for a in actions):
        items.append(("detail", "opens a detailed blueprint"))
    if any(e.two_way for e in bp.edges):
        items.append(("two-way", "two-way interaction"))
    for mark in sorted(set((opts.highlight or {}).values())):
        if mark in HIGHLIGHT_LABELS:
            items.append((f"hl:{mark}", HIGHLIGHT_LABELS[mark]))
    if not items:
        return [], 0.0
    out = ['<g class="legend">']
    x, y = MARGIN, lay.legend_y + 14
    max_x = lay.width - MARGIN
    out.append(text_el(TextItem(x, y, "Legend", 11, True), t.text))
    x += text_width("Legend", 11, True) + 14
    for kind, label in items:
        label = truncate(label, 340, 10.5)
        w = 22 + text_width(label, 10.5) + 16
        if x + w > max_x:
            x, y = MARGIN, y + 20
        out += _swatch(kind, x, y, t, colours)
        out.append(text_el(TextItem(x + 22, y, label, 10.5), t.text))
        x += w
    out.append("</g>")
    return out, (y - lay.legend_y) + 12


def _swatch(kind: str, x: float, y: float, t: Theme, colours: Mapping[str, str]) -> list[str]:
    cy = y - 4
    if kind.startswith("role:"):
        return [rect_el(Rect(x, cy - 6, 16, 12), colours.get(kind[5:], t.muted), rx=2)]
    if kind == "fail":
        return [f'<circle cx="{num(x + 8)}" cy="{num(cy)}" r="7" fill="{t.fail}"/>',
                text_el(TextItem(x + 8, cy + 3.6, "F", 10, True, "middle"), t.background)]
    if kind == "wait":
        return [rect_el(Rect(x, cy - 7, 18, 14), t.wait, rx=7),
                text_el(TextItem(x + 9, cy + 3.6, "W", 9, True, "middle"), t.background)]
    if kind == "tolerance":
        return [rect_el(Rect(x, cy - 7, 18, 14), "none", t.muted, rx=7),
                text_el(TextItem(x + 9, cy + 3.6, "≤", 9, False, "middle"), t.muted)]
    if kind == "assumed":
        return [rect_el(Rect(x, cy - 6, 16, 12), t.box_fill, t.box_stroke, ' stroke-dasharray="4 2"', rx=2)]
    if kind == "proposed":
        return [rect_el(Rect(x, cy - 6, 16, 12), t.proposed_fill, t.proposed_stroke, ' stroke-width="1.5"', rx=2)]
    if kind == "detail":
        return [f'<circle cx="{num(x + 8)}" cy="{num(cy)}" r="7" fill="none" stroke="{t.muted}"/>',
                text_el(TextItem(x + 8, cy + 3.6, "↘", 9.5, True, "middle"), t.muted)]
    if kind == "two-way":
        return [f'<path d="M{num(x + 1)},{num(cy)} L{num(x + 17)},{num(cy)}" stroke="{t.arrow}" stroke-width="1.3"'
                ' marker-start="url(#arrow-start)" marker-end="url(#arrow-end)"/>']
    if kind.startswith("hl:"):
        return [rect_el(Rect(x, cy - 6, 16, 12), "none", t.highlight.get(kind[3:], t.text), ' stroke-width="3"', rx=2)]
    return []


def hidden_lanes(values: Sequence[str]) -> frozenset[str]:
    return frozenset(v.strip() for v in values if v.strip())


__all__ = ["EMOTION", "RenderOptions", "draw", "render_svg"]
