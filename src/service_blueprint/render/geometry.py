"""Plain geometry shared by layout, routing, drawing and the geometric tests."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    def overlaps(self, other: Rect) -> bool:
        """True when the interiors intersect (touching edges do not count)."""
        return (self.x < other.right and other.x < self.right
                and self.y < other.bottom and other.y < self.bottom)

    def contains(self, other: Rect, slack: float = 0.0) -> bool:
        return (other.x >= self.x - slack and other.right <= self.right + slack
                and other.y >= self.y - slack and other.bottom <= self.bottom + slack)

    def crossed_by(self, a: Point, b: Point) -> bool:
        """Whether the axis-parallel segment a–b passes through the interior of the rectangle."""
        if a[0] == b[0]:
            x = a[0]
            lo, hi = sorted((a[1], b[1]))
            return self.x < x < self.right and lo < self.bottom and self.y < hi
        y = a[1]
        lo, hi = sorted((a[0], b[0]))
        return self.y < y < self.bottom and lo < self.right and self.x < hi


Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class TextItem:
    """One line of text, placed: ``y`` is the baseline, ``anchor`` as in SVG."""

    x: float
    y: float
    text: str
    size: float
    bold: bool = False
    anchor: str = "start"
    css: str = ""

    def extent(self, width: float) -> Rect:
        """The box the line occupies, given its measured ``width``."""
        left = {"start": self.x, "middle": self.x - width / 2, "end": self.x - width}[self.anchor]
        return Rect(left, self.y - self.size * 0.76, width, self.size * 0.99)
