"""Orthogonal arrows between action boxes, routed through the gutters of the grid.

Tier 0 (straight): source and target in one column with nothing between them, or side by side
in one lane of neighbouring steps. Tier 1 (gutters): leave the box by a side into the vertical
gutter next to its column, run along a horizontal gutter between lanes if the target is in
another column, and come down the gutter next to the target's column. Boxes never stand in a
gutter, so no arrow can pass through a box. Every segment in a gutter gets its own track by the
left-edge algorithm (interval colouring in a stable order), so parallel arrows never overlap.

Tracks are assigned on a logical axis (gutters and rows numbered alternately) and therefore
before any coordinates are final; ``route`` lays the grid out twice, the second time with gutters
sized for their tracks.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..flows import Edge
from ..model import Blueprint
from ..quantities import fmt_number
from .geometry import Point, TextItem
from .layout import (
    DEFAULT_OPTIONS,
    LABEL_SIZE,
    LABEL_TRACK,
    Box,
    Layout,
    Options,
    Tracks,
    layout,
)
from .text import text_width, truncate

LABEL_MAX_W = 130.0
PORT_MARGIN = 6.0


@dataclass(frozen=True, slots=True)
class Route:
    edge: Edge
    points: tuple[Point, ...]
    label: TextItem | None
    straight: bool


@dataclass(slots=True)
class _Plan:
    """A route before coordinates: which sides, gutters and tracks it uses."""

    edge: Edge
    source: str
    target: str
    label: str | None
    kind: str  # "v" straight vertical | "h" straight horizontal | "g" through gutters
    exit_side: str = ""
    enter_side: str = ""
    a: int = -1  # vertical gutter next to the source
    b: int = -1  # vertical gutter next to the target
    h: int = -1  # horizontal gutter, when a != b
    track_a: int = -1
    track_b: int = -1
    track_h: int = -1


def edge_label(edge: Edge) -> str | None:
    """What an arrow says: its label and, for a branch of a choice, its probability."""
    parts = []
    if edge.label:
        parts.append(edge.label)
    if edge.p is not None:
        parts.append(f"{fmt_number(round(edge.p * 100, 1))} %")
    return " · ".join(parts) or None


def _row_of(lay: Layout) -> dict[str, int]:
    return {row.lane: k for k, row in enumerate(lay.lanes)}


def _blocked_vertically(lay: Layout, by_column: dict[int, list[Box]], s: Box, t: Box) -> bool:
    top, bottom = (s, t) if s.rect.y < t.rect.y else (t, s)
    return any(top.rect.bottom <= b.rect.y and b.rect.bottom <= bottom.rect.y
               for b in by_column[s.step] if b.id not in (s.id, t.id))


def _plan(lay: Layout, edges: list[Edge]) -> list[_Plan]:
    boxes = lay.box_index
    rows = _row_of(lay)
    by_column: dict[int, list[Box]] = defaultdict(list)
    for b in lay.boxes:
        by_column[b.step].append(b)
    plans: list[_Plan] = []
    for e in edges:
        s, t = boxes[e.source], boxes[e.target]
        label = edge_label(e)
        if s.step == t.step and not _blocked_vertically(lay, by_column, s, t):
            plans.append(_Plan(e, s.id, t.id, label, "v"))
            continue
        overlap = min(s.rect.bottom, t.rect.bottom) - max(s.rect.y, t.rect.y)
        if label is None and s.lane == t.lane and abs(s.step - t.step) == 1 and overlap >= 12:
            plans.append(_Plan(e, s.id, t.id, None, "h"))
            continue
        p = _Plan(e, s.id, t.id, label, "g")
        if s.step < t.step:
            p.exit_side, p.a, p.enter_side, p.b = "right", s.step + 1, "left", t.step
        elif s.step > t.step:
            p.exit_side, p.a, p.enter_side, p.b = "left", s.step, "right", t.step + 1
        else:
            p.exit_side, p.a, p.enter_side, p.b = "right", s.step + 1, "right", s.step + 1
        if p.a != p.b:
            rs, rt = rows[s.lane], rows[t.lane]
            p.h = rs if rt < rs else rs + 1
        plans.append(p)
    return plans


def _left_edge(intervals: list[tuple[int, int, int, int]]) -> dict[tuple[int, int], int]:
    """Assign (plan, segment) intervals to tracks: the first track free before the interval."""
    ends: list[int] = []
    out: dict[tuple[int, int], int] = {}
    for lo, hi, plan, seg in sorted(intervals):
        for k, end in enumerate(ends):
            if end < lo:
                ends[k] = hi
                out[(plan, seg)] = k
                break
        else:
            out[(plan, seg)] = len(ends)
            ends.append(hi)
    return out


def _assign_tracks(lay: Layout, plans: list[_Plan]) -> Tracks:
    rows = _row_of(lay)
    lane_of = {b.id: b.lane for b in lay.boxes}

    def rkey(box_id: str) -> int:
        return 2 * rows[lane_of[box_id]] + 1

    vertical: dict[int, list[tuple[int, int, int, int]]] = defaultdict(list)
    horizontal: dict[int, list[tuple[int, int, int, int]]] = defaultdict(list)
    for i, p in enumerate(plans):
        if p.kind != "g":
            continue
        if p.a == p.b:
            lo, hi = sorted((rkey(p.source), rkey(p.target)))
            vertical[p.a].append((lo, hi, i, 0))
        else:
            lo, hi = sorted((rkey(p.source), 2 * p.h))
            vertical[p.a].append((lo, hi, i, 0))
            lo, hi = sorted((2 * p.a, 2 * p.b))
            horizontal[p.h].append((lo, hi, i, 1))
            lo, hi = sorted((2 * p.h, rkey(p.target)))
            vertical[p.b].append((lo, hi, i, 2))
    v_extra: dict[int, list[float]] = {}
    h_extra: dict[int, list[float]] = {}
    for g, intervals in vertical.items():
        tracks = _left_edge(intervals)
        extra = [0.0] * (max(tracks.values()) + 1)
        for (i, seg), k in tracks.items():
            p = plans[i]
            if seg == 0:
                p.track_a = k
            else:
                p.track_b = k
            if p.label and p.a == p.b:
                extra[k] = max(extra[k], _label_width(p.label) + 6)
        v_extra[g] = extra
    for g, intervals in horizontal.items():
        tracks = _left_edge(intervals)
        extra = [0.0] * (max(tracks.values()) + 1)
        for (i, _), k in tracks.items():
            plans[i].track_h = k
            if plans[i].label:
                extra[k] = LABEL_TRACK
        h_extra[g] = extra
    return Tracks(vertical=v_extra, horizontal=h_extra)


def _label_width(label: str) -> float:
    return text_width(truncate(label, LABEL_MAX_W, LABEL_SIZE), LABEL_SIZE)


def _side_x(box: Box, side: str) -> float:
    return box.rect.right if side == "right" else box.rect.x


def _ports(lay: Layout, plans: list[_Plan]) -> dict[tuple[int, str], float]:
    """Where each gutter route meets its boxes: spread along the side, ordered by where the
    arrow goes next so that arrows leaving one side do not cross each other."""
    boxes = lay.box_index
    sides: dict[tuple[str, str], list[tuple[float, int, str]]] = defaultdict(list)
    for i, p in enumerate(plans):
        if p.kind != "g":
            continue
        h_y = lay.hgutters[p.h].tracks[p.track_h] if p.h >= 0 else None
        toward_t = h_y if h_y is not None else boxes[p.target].rect.cy
        toward_s = h_y if h_y is not None else boxes[p.source].rect.cy
        sides[(p.source, p.exit_side)].append((toward_t, i, "s"))
        sides[(p.target, p.enter_side)].append((toward_s, i, "t"))
    ports: dict[tuple[int, str], float] = {}
    for (box_id, _), items in sides.items():
        r = boxes[box_id].rect
        items.sort()
        span = r.h - 2 * PORT_MARGIN
        for k, (_, i, end) in enumerate(items):
            ports[(i, end)] = round(r.y + PORT_MARGIN + span * (k + 1) / (len(items) + 1), 2)
    return ports


def _geometry(lay: Layout, plans: list[_Plan]) -> list[Route]:
    boxes = lay.box_index
    ports = _ports(lay, plans)
    pair_total: dict[frozenset[str], int] = defaultdict(int)
    for p in plans:
        if p.kind == "v":
            pair_total[frozenset((p.source, p.target))] += 1
    pair_count: dict[frozenset[str], int] = defaultdict(int)
    routes: list[Route] = []
    for i, p in enumerate(plans):
        s, t = boxes[p.source], boxes[p.target]
        label: TextItem | None = None
        text = truncate(p.label, LABEL_MAX_W, LABEL_SIZE) if p.label else None
        if p.kind == "v":
            pair = frozenset((p.source, p.target))
            k, m = pair_count[pair], pair_total[pair]
            pair_count[pair] += 1
            # Arrows between the same two boxes side by side, centred, always within both boxes.
            gap = min(12.0, (min(s.rect.w, t.rect.w) - 2 * PORT_MARGIN) / max(m, 1))
            x = s.rect.cx + (k - (m - 1) / 2) * gap
            down = s.rect.y < t.rect.y
            y0, y1 = (s.rect.bottom, t.rect.y) if down else (s.rect.y, t.rect.bottom)
            pts: tuple[Point, ...] = ((x, y0), (x, y1))
            if text:
                label = TextItem(x + 5, (y0 + y1) / 2 + 3.5, text, LABEL_SIZE, css="flow-label")
            routes.append(Route(p.edge, pts, label, True))
            continue
        if p.kind == "h":
            y = (max(s.rect.y, t.rect.y) + min(s.rect.bottom, t.rect.bottom)) / 2
            x0, x1 = (s.rect.right, t.rect.x) if s.step < t.step else (s.rect.x, t.rect.right)
            routes.append(Route(p.edge, ((x0, y), (x1, y)), None, True))
            continue
        ys, yt = ports[(i, "s")], ports[(i, "t")]
        xa = lay.vgutters[p.a].tracks[p.track_a]
        sx, tx = _side_x(s, p.exit_side), _side_x(t, p.enter_side)
        if p.a == p.b:
            pts = ((sx, ys), (xa, ys), (xa, yt), (tx, yt))
            if text:
                label = TextItem(xa + 4, (ys + yt) / 2 + 3.5, text, LABEL_SIZE, css="flow-label")
        else:
            xb = lay.vgutters[p.b].tracks[p.track_b]
            yh = lay.hgutters[p.h].tracks[p.track_h]
            pts = ((sx, ys), (xa, ys), (xa, yh), (xb, yh), (xb, yt), (tx, yt))
            if text:
                label = TextItem((xa + xb) / 2, yh - 4, text, LABEL_SIZE, anchor="middle", css="flow-label")
        routes.append(Route(p.edge, _simplify(pts), label, False))
    return routes


def _simplify(points: tuple[Point, ...]) -> tuple[Point, ...]:
    """Drop repeated points and middle points of straight runs."""
    out: list[Point] = []
    for pt in points:
        if out and out[-1] == pt:
            continue
        if len(out) >= 2 and (out[-2][0] == out[-1][0] == pt[0] or out[-2][1] == out[-1][1] == pt[1]):
            out[-1] = pt
            continue
        out.append(pt)
    return tuple(out)


def drawn_edges(bp: Blueprint, lay: Layout) -> list[Edge]:
    """Edges whose two ends are drawn (hidden lanes take their arrows with them)."""
    boxes = lay.box_index
    return [e for e in bp.edges if e.source in boxes and e.target in boxes and e.source != e.target]


def route(bp: Blueprint, options: Options = DEFAULT_OPTIONS) -> tuple[Layout, list[Route]]:
    """Lay ``bp`` out and route every drawn flow; see the module docstring for the two passes."""
    first = layout(bp, options)
    edges = drawn_edges(bp, first)
    plans = _plan(first, edges)
    tracks = _assign_tracks(first, plans)
    final = layout(bp, options, tracks)
    return final, _geometry(final, plans)
