"""A tiny document model shared by the text, Markdown and HTML reports.

The analysis and the diff say what to show once, as a list of blocks; each output format only
decides how a heading, a paragraph or a table looks. Figures (SVG) appear in HTML only; the
other formats carry the same numbers in tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

Tone = Literal["", "ok", "warn", "bad"]


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    anchor: str
    level: int = 2


@dataclass(frozen=True, slots=True)
class Para:
    text: str
    tone: Tone = ""


@dataclass(frozen=True, slots=True)
class Items:
    items: tuple[str, ...]
    ordered: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[int, ...] = ()
    """Columns aligned right."""


@dataclass(frozen=True, slots=True)
class Card:
    label: str
    value: str
    tone: Tone = ""


@dataclass(frozen=True, slots=True)
class Cards:
    cards: tuple[Card, ...]


@dataclass(frozen=True, slots=True)
class Figure:
    """Inline SVG with a caption; only the HTML report draws it."""

    svg: str
    caption: str
    css_class: str = ""


Block = Heading | Para | Items | Table | Cards | Figure


@dataclass(slots=True)
class Document:
    title: str
    subtitle: str = ""
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[int] = ()) -> None:
        self.blocks.append(Table(tuple(header), tuple(tuple(r) for r in rows), tuple(numeric)))

    @property
    def toc(self) -> list[tuple[str, str]]:
        return [(b.anchor, b.text) for b in self.blocks if isinstance(b, Heading) and b.level == 2]
