"""Plain-text rendering of a report :class:`~.blocks.Document`, for terminals and logs."""

from __future__ import annotations

from .blocks import Card, Cards, Document, Figure, Heading, Items, Para, Table

_MARK = {"": "", "ok": "", "warn": "! ", "bad": "!! "}


def render_text(doc: Document) -> str:
    lines = [doc.title, "=" * len(doc.title)]
    if doc.subtitle:
        lines.append(doc.subtitle)
    for block in doc.blocks:
        if isinstance(block, Heading):
            underline = "-" if block.level == 2 else "."
            lines += ["", block.text, underline * len(block.text)]
        elif isinstance(block, Para):
            lines.append(_MARK[block.tone] + block.text)
        elif isinstance(block, Items):
            lines += [f"{k + 1}. {item}" if block.ordered else f"- {item}" for k, item in enumerate(block.items)]
        elif isinstance(block, Table):
            lines += table_lines(block)
        elif isinstance(block, Cards):
            lines += [_card(c) for c in block.cards]
        elif isinstance(block, Figure):
            continue
    return "\n".join(lines) + "\n"


def _card(card: Card) -> str:
    return f"{_MARK[card.tone]}{card.label}: {card.value}"


def table_lines(table: Table) -> list[str]:
    """Columns padded to their widest cell; numeric columns right-aligned."""
    rows = [table.header, *table.rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(table.header))]

    def fmt(row: tuple[str, ...]) -> str:
        cells = [c.rjust(w) if i in table.numeric else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))]
        return "  ".join(cells).rstrip()

    return [fmt(table.header), "  ".join("-" * w for w in widths), *(fmt(r) for r in table.rows)]
