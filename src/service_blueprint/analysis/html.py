"""HTML rendering of a report :class:`~.blocks.Document`: one offline page with its figures."""

from __future__ import annotations

from html import escape

from ..report_page import html_page, html_table
from .blocks import Cards, Document, Figure, Heading, Items, Para, Table

_TONE = {"": "", "ok": ' class="ok"', "warn": ' class="warn"', "bad": ' class="bad"'}
_MARK = {"": "", "ok": "", "warn": "⚠ ", "bad": "⚠ "}


def render_html(doc: Document, footer: str = "") -> str:
    parts: list[str] = []
    open_section = False
    for block in doc.blocks:
        if isinstance(block, Heading):
            if block.level == 2:
                if open_section:
                    parts.append("</section>")
                parts.append(f'<section id="{escape(block.anchor)}">')
                open_section = True
            parts.append(f"<h{block.level}>{escape(block.text)}</h{block.level}>")
        elif isinstance(block, Para):
            parts.append(f"<p{_TONE[block.tone]}>{_MARK[block.tone]}{escape(block.text)}</p>")
        elif isinstance(block, Items):
            tag = "ol" if block.ordered else "ul"
            parts.append(f"<{tag}>" + "".join(f"<li>{escape(i)}</li>" for i in block.items) + f"</{tag}>")
        elif isinstance(block, Table):
            parts.append(html_table(block.header, block.rows, numeric=block.numeric))
        elif isinstance(block, Cards):
            parts.append('<div class="cards">' + "".join(
                f'<div class="card"><div class="value"><span{_TONE[c.tone]}>{_MARK[c.tone]}{escape(c.value)}</span></div>'
                f'<div class="label">{escape(c.label)}</div></div>' for c in block.cards) + "</div>")
        elif isinstance(block, Figure):
            cls = f"figure {block.css_class}".strip()
            parts.append(f'<figure class="{cls}">{block.svg}<figcaption class="muted">{escape(block.caption)}'
                         "</figcaption></figure>")
    if open_section:
        parts.append("</section>")
    return html_page(doc.title, "\n".join(parts) + "\n", subtitle=doc.subtitle, toc=doc.toc, footer=footer)
