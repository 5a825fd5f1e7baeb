"""Where each BPMN shape goes: the blueprint's grid, so the diagram reads like the blueprint.

Steps are columns, left to right; the customer pool is the top row and the provider pool's
lanes are the rows below it, in lane order; the line of interaction is the gap between the two
pools. Each action gets a slot in its step and row: room for a join gateway before the task
and up to two split gateways after it, so no two shapes can overlap. Evidence sits as text
annotations above its step. Routing is orthogonal and simple; BPMN editors re-route on edit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..render.geometry import Point, Rect

POOL_LABEL = 30.0
LANE_LABEL = 30.0
ROW_H = 140.0
POOL_GAP = 60.0
TOP = 100.0  # band for the evidence annotations
EDGE_COL = 110.0  # columns for the customer's start and end events
SLOT = 320.0
TASK_W, TASK_H = 100.0, 80.0
GATEWAY = 50.0
EVENT = 36.0




class Grid:
    """Columns for steps, rows for the customer pool and the provider lanes."""

    def __init__(self, step_count: int, rows: Sequence[str], cells: Mapping[tuple[int, str], Sequence[str]]) -> None:
        """``rows``: ``"customer"`` first, then the provider lanes; ``cells``: action ids by (step, row)."""
        self.rows = list(rows)
        widths = []
        for s in range(step_count):
            most = max((len(cells.get((s, r), ())) for r in self.rows), default=0)
            widths.append(SLOT * max(most, 1))
        self.content_x = POOL_LABEL + LANE_LABEL + EDGE_COL
        self.step_x: list[float] = []
        x = self.content_x
        for w in widths:
            self.step_x.append(x)
            x += w
        self.step_w = widths
        self.width = x + EDGE_COL
        self.slot: dict[str, tuple[float, float]] = {}  # action id -> (slot x, row y)
        for (s, row), ids in cells.items():
            for k, action_id in enumerate(ids):
                self.slot[action_id] = (self.step_x[s] + k * SLOT, self.row_y(row))

    def row_y(self, row: str) -> float:
        i = self.rows.index(row)
        return TOP if i == 0 else TOP + ROW_H + POOL_GAP + (i - 1) * ROW_H

    @property
    def customer_pool(self) -> Rect:
        return Rect(0, TOP, self.width, ROW_H)

    @property
    def provider_pool(self) -> Rect:
        return Rect(0, TOP + ROW_H + POOL_GAP, self.width, ROW_H * max(len(self.rows) - 1, 1))

    def lane(self, row: str) -> Rect:
        return Rect(POOL_LABEL, self.row_y(row), self.width - POOL_LABEL, ROW_H)

    def task(self, action_id: str) -> Rect:
        x, y = self.slot[action_id]
        return Rect(x + 80, y + (ROW_H - TASK_H) / 2, TASK_W, TASK_H)

    def join(self, action_id: str) -> Rect:
        x, y = self.slot[action_id]
        return Rect(x + 15, y + (ROW_H - GATEWAY) / 2, GATEWAY, GATEWAY)

    def split(self, action_id: str, second: bool = False) -> Rect:
        x, y = self.slot[action_id]
        return Rect(x + (255 if second else 195), y + (ROW_H - GATEWAY) / 2, GATEWAY, GATEWAY)

    def corridor(self, action_id: str) -> float | None:
        """The free vertical gap before the task's slot, or ``None`` in the first provider lane."""
        x, y = self.slot[action_id]
        return None if y <= self.row_y(self.rows[min(1, len(self.rows) - 1)]) else x + 72.5

    def start_event(self) -> Rect:
        return Rect(POOL_LABEL + LANE_LABEL + (EDGE_COL - EVENT) / 2, TOP + (ROW_H - EVENT) / 2, EVENT, EVENT)

    def end_event(self) -> Rect:
        return Rect(self.width - EDGE_COL + (EDGE_COL - EVENT) / 2, TOP + (ROW_H - EVENT) / 2, EVENT, EVENT)

    def annotation(self, step: int) -> Rect:
        return Rect(self.step_x[step] + 10, 10, self.step_w[step] - 20, TOP - 20)


def sequence_route(a: Rect, b: Rect) -> list[Point]:
    """Left to right: out of ``a``'s right side, into ``b``'s left side, bending just before ``b``
    (in the gap each slot keeps free); in the same column: straight down or up; backwards:
    under both shapes."""
    if b.x >= a.right:
        if a.cy == b.cy:
            return [(a.right, a.cy), (b.x, b.cy)]
        bend = b.x - 8
        return [(a.right, a.cy), (bend, a.cy), (bend, b.cy), (b.x, b.cy)]
    if b.x < a.right and a.x < b.right and (b.y >= a.bottom or b.bottom <= a.y):
        # the same column in another lane: straight up or down
        x = (max(a.x, b.x) + min(a.right, b.right)) / 2
        return [(x, a.bottom), (x, b.y)] if b.y >= a.bottom else [(x, a.y), (x, b.bottom)]
    low = max(a.bottom, b.bottom) + 12
    return [(a.cx, a.bottom), (a.cx, low), (b.cx, low), (b.cx, b.bottom)]


def message_route(a: Rect, b: Rect, corridor: float | None = None, shift: float = 0.0) -> list[Point]:
    """Between the pools. Into (or out of) the first provider lane straight down; deeper lanes
    through ``corridor``, the free gap before a slot's task, so the flow crosses no shape.
    ``shift`` separates the two flows of a two-way exchange."""
    up, down = (a, b) if a.y < b.y else (b, a)
    mid = TOP + ROW_H + POOL_GAP / 2
    ux = up.cx + shift
    if corridor is None:
        dx = down.cx + shift
        path = [(ux, up.bottom), (dx, down.y)] if ux == dx else [(ux, up.bottom), (ux, mid), (dx, mid), (dx, down.y)]
    else:
        cx = corridor + shift / 3
        y = down.cy + shift
        path = [(ux, up.bottom), (ux, mid), (cx, mid), (cx, y), (down.x, y)]
    return path if a is up else path[::-1]
