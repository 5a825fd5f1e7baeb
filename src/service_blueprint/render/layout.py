"""The blueprint grid: columns for steps, rows for lanes, gutters for the named lines and arrows.

Layout is a pure function of the model, the options and the number of arrow tracks each gutter
needs (found by ``routing``): first the grid is laid out with empty gutters, routes are planned
on it, and then the grid is laid out again with every gutter wide enough for its tracks. Only
gutter sizes change between the two passes, so the order of everything is the same.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..model import ACTION_LANES, LINES, Action, Blueprint, Role
from ..quantities import Duration, fmt_number, fmt_seconds
from .geometry import Rect, TextItem
from .text import text_width, truncate, wrap

MARGIN = 24.0
LABEL_W = 150.0
CELL_PAD = 10.0
STACK_GAP = 12.0
BOX_PAD = 7.0
TEXT_SIZE = 12.0
LINE_H = 15.0
ROLE_SIZE = 10.0
ROLE_H = 14.0
BADGE_SIZE = 10.0
BADGE_H = 16.0
BADGE_GAP = 4.0
MIN_INNER = 116.0
MAX_INNER = 200.0
STEP_SIZE = 13.0
TITLE_SIZE = 20.0
SUB_SIZE = 11.5
TRACK = 7.0
LABEL_TRACK = 13.0  # extra height of a horizontal track that carries a flow label
VGUTTER = 16.0
HGUTTER = 12.0
HGUTTER_LINE = 22.0  # room for a named line above the tracks
PHASE_H = 24.0
EMOTION_H = 72.0
EVIDENCE_SIZE = 10.5
EVIDENCE_LINE_H = 13.0
MARKER_R = 7.0
LABEL_SIZE = 10.0

EVIDENCE = "evidence"
EMOTION = "emotion"


@dataclass(frozen=True, slots=True)
class Badge:
    """A small pill under an action's text: its duration, tolerance or observed wait."""

    kind: str  # duration | tolerance | wait
    rect: Rect
    text: TextItem


@dataclass(frozen=True, slots=True)
class Box:
    id: str
    lane: str
    step: int
    slot: int  # position in the cell's stack
    rect: Rect
    action: Action
    texts: tuple[TextItem, ...]
    badges: tuple[Badge, ...]
    role: str | None
    fail: bool
    detail: bool


@dataclass(frozen=True, slots=True)
class Column:
    step: int
    id: str
    rect: Rect  # the whole column, header to last lane
    inner: float  # width of the boxes
    header: tuple[TextItem, ...]


@dataclass(frozen=True, slots=True)
class Row:
    """A horizontal band: a lane of actions, the evidence row or the emotion band."""

    lane: str
    name: str
    rect: Rect
    labels: tuple[TextItem, ...]


@dataclass(frozen=True, slots=True)
class HGutter:
    """The band between two rows; ``line`` is the named line drawn in it, if any."""

    index: int
    rect: Rect
    line: str | None
    line_y: float
    tracks: tuple[float, ...]  # y of each track


@dataclass(frozen=True, slots=True)
class VGutter:
    index: int  # gutter k lies left of column k; gutter n right of the last column
    rect: Rect
    tracks: tuple[float, ...]  # x of each track


@dataclass(frozen=True, slots=True)
class Phase:
    name: str
    rect: Rect
    text: TextItem


@dataclass(frozen=True, slots=True)
class Tracks:
    """How many arrow tracks each gutter needs, and which of them carry a label (and its size)."""

    vertical: Mapping[int, Sequence[float]] = field(default_factory=dict)  # extra width per track
    horizontal: Mapping[int, Sequence[float]] = field(default_factory=dict)  # extra height per track


@dataclass(frozen=True, slots=True)
class Options:
    hide: frozenset[str] = frozenset()
    legend: bool = True


@dataclass(frozen=True, slots=True)
class Layout:
    width: float
    height: float
    title: tuple[TextItem, ...]
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]  # every band top to bottom (evidence, emotion, lanes)
    lanes: tuple[Row, ...]  # the action lanes only, top to bottom
    hgutters: tuple[HGutter, ...]  # hgutters[k] lies above lanes[k]; the last one below all
    vgutters: tuple[VGutter, ...]
    boxes: tuple[Box, ...]
    phases: tuple[Phase, ...]
    evidence: tuple[tuple[Rect, tuple[TextItem, ...]], ...]
    emotion: Row | None
    grid: Rect  # the area right of the label column, from the first lane to the last
    legend_y: float

    def box(self, action_id: str) -> Box:
        return self.box_index[action_id]

    @property
    def box_index(self) -> dict[str, Box]:
        return {b.id: b for b in self.boxes}


def lane_title(bp: Blueprint, lane: str) -> str:
    if lane in bp.lanes and bp.lanes[lane].name:
        return bp.lanes[lane].name or lane
    return {"customer": "Customer actions", "frontstage": "Frontstage", "backstage": "Backstage",
            "support": "Support processes"}.get(lane, lane.replace("_", " ").capitalize())


def line_above(bp: Blueprint, lanes: Sequence[str], k: int) -> str | None:
    """The named line between lanes[k-1] and lanes[k].

    A custom lane draws its own line (if it names one) above itself; a canon lane has above it
    the line below the nearest canon lane higher up, so hiding or inserting lanes keeps the
    canon lines where the canon puts them.
    """
    if k == 0 or k >= len(lanes):
        return None
    lane = lanes[k]
    if lane not in ACTION_LANES:
        custom = bp.lanes.get(lane)
        return custom.line if custom else None
    for j in range(k - 1, -1, -1):
        if lanes[j] in ACTION_LANES:
            return LINES.get(lanes[j])
    return None


def duration_text(d: Duration) -> str:
    """Compact duration for a badge: '5 min', '2–5 min', '5–8–15 min', '~5 min', '≈10 ±4 min'."""
    if d.dist in ("lognormal", "gamma", "normal"):
        return f"≈{fmt_seconds(d.mean)} ±{fmt_seconds(d.params[1])}"
    if d.dist == "empirical":
        return f"≈{fmt_seconds(d.mean)} (data)"
    return str(d).replace("..", "–")


def badge_texts(action: Action) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if action.wait is not None:
        out.append(("wait", f"W {duration_text(action.wait)}"))
    if action.duration is not None:
        out.append(("duration", duration_text(action.duration)))
    if action.tolerance is not None:
        out.append(("tolerance", f"≤ {duration_text(action.tolerance)}"))
    if action.p is not None:
        out.append(("duration", f"p {fmt_number(action.p)}"))
    if action.repeat:
        out.append(("duration", f"↻ {fmt_number(action.repeat)}"))
    return out


def _role_label(action: Action, roles: Mapping[str, Role]) -> str | None:
    if action.role is None:
        return None
    role = roles.get(action.role)
    return (role.name if role and role.name else action.role)


def _badge_rows(badges: list[tuple[str, str]], inner: float) -> list[list[tuple[str, str, float]]]:
    """Flow badges into rows that fit the box's inner width."""
    rows: list[list[tuple[str, str, float]]] = []
    used = 0.0
    for kind, text in badges:
        bold = kind == "wait"
        text = truncate(text, inner - 8, BADGE_SIZE, bold)
        w = text_width(text, BADGE_SIZE, bold) + 8
        if not rows or used + BADGE_GAP + w > inner:
            rows.append([])
            used = -BADGE_GAP
        rows[-1].append((kind, text, w))
        used += BADGE_GAP + w
    return rows


def _box_height(action: Action, roles: Mapping[str, Role], box_w: float) -> float:
    inner = box_w - 2 * BOX_PAD
    h = 2 * BOX_PAD + len(wrap(action.text, inner, TEXT_SIZE)) * LINE_H
    if _has_header(action, roles):
        h += ROLE_H
    rows = _badge_rows(badge_texts(action), inner)
    if rows:
        h += 3 + len(rows) * (BADGE_H + 2)
    return h


def _has_header(action: Action, roles: Mapping[str, Role]) -> bool:
    return action.role is not None or action.fail is not None or action.detail is not None


def _header_room(action: Action) -> float:
    """Width the markers take at the right of the header line (fail point, detail link)."""
    n = (action.fail is not None) + (action.detail is not None)
    return n * (2 * MARKER_R + 3)


def _place_box(action: Action, lane: str, step: int, slot: int, rect: Rect,
               roles: Mapping[str, Role]) -> Box:
    inner = rect.w - 2 * BOX_PAD
    x = rect.x + BOX_PAD
    y = rect.y + BOX_PAD
    texts: list[TextItem] = []
    if _has_header(action, roles):
        label = _role_label(action, roles)
        if label:
            room = inner - _header_room(action)
            texts.append(TextItem(x, y + ROLE_SIZE, truncate(label, room, ROLE_SIZE, True),
                                  ROLE_SIZE, True, css="role"))
        y += ROLE_H
    for line in wrap(action.text, inner, TEXT_SIZE):
        texts.append(TextItem(x, y + TEXT_SIZE - 1, line, TEXT_SIZE, css="label"))
        y += LINE_H
    badges: list[Badge] = []
    rows = _badge_rows(badge_texts(action), inner)
    if rows:
        y += 3
    for row in rows:
        bx = x
        for kind, text, w in row:
            r = Rect(bx, y, w, BADGE_H)
            badges.append(Badge(kind, r, TextItem(bx + 4, y + BADGE_H - 4.5, text, BADGE_SIZE,
                                                  css=f"badge-{kind}")))
            bx += w + BADGE_GAP
        y += BADGE_H + 2
    return Box(action.id, lane, step, slot, rect, action, tuple(texts), tuple(badges),
               action.role, action.fail is not None, action.detail is not None)


def _column_inner(bp: Blueprint, step_index: int, lanes: Sequence[str]) -> float:
    """Box width for a column: wide enough that texts wrap to a few lines, within bounds."""
    step = bp.steps[step_index]
    want = MIN_INNER
    for lane in lanes:
        for action in step.lane(lane):
            natural = text_width(action.text, TEXT_SIZE)
            lines_wanted = 3 if natural > 2.5 * MAX_INNER else 2 if natural > MIN_INNER else 1
            want = max(want, natural / lines_wanted + 12)
            longest = max((text_width(w, TEXT_SIZE) for w in action.text.split()), default=0)
            want = max(want, longest)
            badges = badge_texts(action)
            if badges:
                want = max(want, sum(text_width(t, BADGE_SIZE) + 8 + BADGE_GAP for _, t in badges[:2]))
    want = max(want, min(text_width(step.name, STEP_SIZE, True) / 2 + 12, MAX_INNER))
    return min(max(want, MIN_INNER), MAX_INNER)


DEFAULT_OPTIONS = Options()
NO_TRACKS = Tracks()


def layout(bp: Blueprint, options: Options = DEFAULT_OPTIONS, tracks: Tracks = NO_TRACKS) -> Layout:
    """Place every element of ``bp``; ``tracks`` sizes the gutters (see module docstring)."""
    lanes = [lane for lane in bp.lane_order if lane not in options.hide]
    show_evidence = bp.has_evidence and EVIDENCE not in options.hide
    show_emotion = (EMOTION not in options.hide and "customer" in lanes
                    and any(a.emotion is not None for s in bp.steps for a in s.customer))
    n = len(bp.steps)
    inners = [_column_inner(bp, k, lanes) for k in range(n)]

    # ---- horizontal positions ----------------------------------------------------------------
    vwidths = [VGUTTER + sum(TRACK + extra for extra in tracks.vertical.get(g, ())) for g in range(n + 1)]
    x = MARGIN + LABEL_W
    vg_x: list[float] = []
    col_x: list[float] = []
    for k in range(n):
        vg_x.append(x)
        x += vwidths[k]
        col_x.append(x)
        x += inners[k] + 2 * CELL_PAD
    vg_x.append(x)
    x += vwidths[n]
    grid_right = x
    width = max(grid_right + MARGIN, 640.0)

    # ---- title block ---------------------------------------------------------------------------
    y = MARGIN
    title: list[TextItem] = []
    for line in wrap(bp.title, width - 2 * MARGIN, TITLE_SIZE, True):
        title.append(TextItem(MARGIN, y + TITLE_SIZE, line, TITLE_SIZE, True, css="title"))
        y += TITLE_SIZE + 6
    for line in _scenario_lines(bp, width - 2 * MARGIN):
        title.append(TextItem(MARGIN, y + SUB_SIZE + 2, line, SUB_SIZE, css="subtitle"))
        y += SUB_SIZE + 6
    y += 12

    # ---- phases and step headers ---------------------------------------------------------------
    phases: list[Phase] = []
    step_pos = {s.id: k for k, s in enumerate(bp.steps)}
    if bp.phases:
        for name, members in bp.phases.items():
            idx = sorted(step_pos[m] for m in members if m in step_pos)
            if not idx:
                continue
            left, right = col_x[idx[0]] - 2, col_x[idx[-1]] + inners[idx[-1]] + 2 * CELL_PAD + 2
            r = Rect(left, y, right - left, PHASE_H)
            phases.append(Phase(name, r, TextItem(r.cx, y + 16, truncate(name, r.w - 10, 12, True),
                                                  12, True, "middle", "phase")))
        y += PHASE_H + 6
    header_lines = [wrap(s.name, inners[k] + 2 * CELL_PAD - 8, STEP_SIZE, True) for k, s in enumerate(bp.steps)]
    header_h = max((len(h) for h in header_lines), default=1) * (STEP_SIZE + 4) + 10
    header_top = y
    headers: list[tuple[TextItem, ...]] = []
    for k in range(n):
        cx = col_x[k] + inners[k] / 2 + CELL_PAD
        headers.append(tuple(TextItem(cx, y + 4 + (i + 1) * (STEP_SIZE + 4) - 4, line, STEP_SIZE, True,
                                      "middle", "step") for i, line in enumerate(header_lines[k])))
    y += header_h

    rows: list[Row] = []
    evidence: list[tuple[Rect, tuple[TextItem, ...]]] = []
    if show_evidence:
        y += 4
        cells: list[list[tuple[float, tuple[str, ...]]]] = []
        row_h = 0.0
        for k, step in enumerate(bp.steps):
            items = []
            for ev in step.evidence:
                lines = wrap(ev.text, inners[k] - 12, EVIDENCE_SIZE)
                items.append((len(lines) * EVIDENCE_LINE_H + 8, lines))
            cells.append(items)
            row_h = max(row_h, sum(h for h, _ in items) + 6 * max(len(items) - 1, 0))
        row_h = max(row_h + 2 * 8, 36)
        for k, items in enumerate(cells):
            cy = y + 8
            for h, lines in items:
                r = Rect(col_x[k] + CELL_PAD, cy, inners[k], h)
                texts = tuple(TextItem(r.x + 6, r.y + 4 + (i + 1) * EVIDENCE_LINE_H - 3, line,
                                       EVIDENCE_SIZE, css="evidence") for i, line in enumerate(lines))
                evidence.append((r, texts))
                cy += h + 6
        rows.append(Row(EVIDENCE, "Physical evidence", Rect(MARGIN, y, grid_right - MARGIN, row_h),
                        _row_labels("Physical evidence", MARGIN + 8, y, row_h)))
        y += row_h + 6

    emotion_row: Row | None = None
    if show_emotion:
        emotion_row = Row(EMOTION, "Customer emotion", Rect(MARGIN, y, grid_right - MARGIN, EMOTION_H),
                          _row_labels("Customer emotion", MARGIN + 8, y, EMOTION_H))
        rows.append(emotion_row)
        y += EMOTION_H

    # ---- lanes, gutters and boxes -------------------------------------------------------------
    heights: dict[tuple[str, int], list[float]] = {}
    for k, step in enumerate(bp.steps):
        for lane in lanes:
            heights[(lane, k)] = [_box_height(a, bp.roles, inners[k]) for a in step.lane(lane)]
    hgutters: list[HGutter] = []
    lane_rows: list[Row] = []
    boxes: list[Box] = []
    grid_top = y
    for li in range(len(lanes) + 1):
        last = li == len(lanes)
        named_line = None if last else line_above(bp, lanes, li)
        extras = tracks.horizontal.get(li, ())
        top_room = HGUTTER_LINE if named_line else HGUTTER / 2
        gh = top_room + sum(TRACK + e for e in extras) + HGUTTER / 2
        ty = y + top_room
        track_y: list[float] = []
        for e in extras:
            track_y.append(ty + e + TRACK / 2)
            ty += TRACK + e
        hgutters.append(HGutter(li, Rect(MARGIN, y, grid_right - MARGIN, gh), named_line,
                                y + (HGUTTER_LINE - 8 if named_line else gh / 2), tuple(track_y)))
        y += gh
        if last:
            break
        lane = lanes[li]
        stacks = [heights[(lane, k)] for k in range(n)]
        row_h = max([sum(s) + STACK_GAP * max(len(s) - 1, 0) for s in stacks] + [36.0]) + 2 * CELL_PAD
        name = lane_title(bp, lane)
        lane_rows.append(Row(lane, name, Rect(MARGIN, y, grid_right - MARGIN, row_h),
                             _row_labels(name, MARGIN + 8, y, row_h)))
        for k, step in enumerate(bp.steps):
            stack = stacks[k]
            total = sum(stack) + STACK_GAP * max(len(stack) - 1, 0)
            by = y + (row_h - total) / 2
            for slot, action in enumerate(step.lane(lane)):
                r = Rect(col_x[k] + CELL_PAD, by, inners[k], stack[slot])
                boxes.append(_place_box(action, lane, k, slot, r, bp.roles))
                by += stack[slot] + STACK_GAP
        y += row_h
    grid_bottom = y

    vgutters: list[VGutter] = []
    for g in range(n + 1):
        extras = tracks.vertical.get(g, ())
        tx = vg_x[g] + VGUTTER / 2
        track_x: list[float] = []
        for e in extras:
            track_x.append(tx + TRACK / 2)
            tx += TRACK + e
        vgutters.append(VGutter(g, Rect(vg_x[g], grid_top, vwidths[g], grid_bottom - grid_top), tuple(track_x)))
    columns = tuple(
        Column(k, s.id, Rect(col_x[k], header_top, inners[k] + 2 * CELL_PAD, grid_bottom - header_top),
               inners[k], headers[k])
        for k, s in enumerate(bp.steps))
    legend_y = y + 16
    return Layout(width=width, height=legend_y, title=tuple(title), columns=columns,
                  rows=tuple(rows + lane_rows), lanes=tuple(lane_rows), hgutters=tuple(hgutters),
                  vgutters=tuple(vgutters), boxes=tuple(boxes), phases=tuple(phases),
                  evidence=tuple(evidence), emotion=emotion_row,
                  grid=Rect(MARGIN + LABEL_W, grid_top, grid_right - MARGIN - LABEL_W, grid_bottom - grid_top),
                  legend_y=legend_y)


def _row_labels(name: str, x: float, y: float, h: float) -> tuple[TextItem, ...]:
    lines = wrap(name, LABEL_W - 20, 12, True)
    top = y + h / 2 - len(lines) * 15 / 2
    return tuple(TextItem(x, top + (i + 1) * 15 - 3, line, 12, True, css="lane") for i, line in enumerate(lines))


def _scenario_lines(bp: Blueprint, width: float) -> list[str]:
    s = bp.scenario
    parts: list[str] = []
    if bp.state:
        parts.append(f"{bp.state.capitalize()} state")
    if s.customer:
        parts.append(f"Customer: {s.customer}")
    if s.goal:
        parts.append(f"Goal: {s.goal}")
    if s.tolerance is not None:
        parts.append(f"Tolerance: {duration_text(s.tolerance)}")
    first = "  ·  ".join(parts)
    lines = list(wrap(first, width, SUB_SIZE)) if first else []
    if s.start or s.end:
        lines += wrap(f"From “{s.start or '…'}” to “{s.end or '…'}”", width, SUB_SIZE)
    return lines
