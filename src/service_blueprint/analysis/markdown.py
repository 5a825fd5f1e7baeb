"""Markdown rendering of a report :class:`~.blocks.Document` (GitHub-flavoured tables)."""

from __future__ import annotations

from .blocks import Cards, Document, Figure, Heading, Items, Para, Table

_MARK = {"": "", "ok": "", "warn": "⚠ ", "bad": "⚠ "}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(doc: Document) -> str:
    out = [f"# {doc.title}", ""]
    if doc.subtitle:
        out += [f"*{doc.subtitle}*", ""]
    for block in doc.blocks:
        if isinstance(block, Heading):
            out += ["#" * block.level + " " + block.text, ""]
        elif isinstance(block, Para):
            out += [_MARK[block.tone] + block.text, ""]
        elif isinstance(block, Items):
            out += [f"{k + 1}. {i}" if block.ordered else f"- {i}" for k, i in enumerate(block.items)] + [""]
        elif isinstance(block, Table):
            out.append("| " + " | ".join(_cell(h) for h in block.header) + " |")
            out.append("|" + "|".join("---:" if i in block.numeric else "---" for i in range(len(block.header))) + "|")
            out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in block.rows]
            out.append("")
        elif isinstance(block, Cards):
            out += [f"- {_MARK[c.tone]}**{c.label}:** {c.value}" for c in block.cards] + [""]
        elif isinstance(block, Figure):
            continue
    return "\n".join(out).rstrip("\n") + "\n"
