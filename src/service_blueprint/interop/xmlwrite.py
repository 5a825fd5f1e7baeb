"""Writing XML as plain text: fixed attribute order and indentation, byte-identical every run."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str) -> str:
    """Text without the control characters XML 1.0 cannot hold (they become U+FFFD)."""
    return _INVALID.sub("\ufffd", text)


@dataclass
class Node:
    """An element: ``attrs`` keep their order; ``text`` is written only when there are no children."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node] = field(default_factory=list)
    text: str | None = None

    def add(self, tag: str, attrs: dict[str, str] | None = None, text: str | None = None) -> Node:
        child = Node(tag, dict(attrs or {}), [], text)
        self.children.append(child)
        return child


def _open(node: Node) -> str:
    attrs = "".join(f" {k}={quoteattr(clean(v))}" for k, v in node.attrs.items())
    return f"<{node.tag}{attrs}"


def _write(node: Node, depth: int, out: list[str]) -> None:
    pad = "  " * depth
    if node.children:
        out.append(f"{pad}{_open(node)}>")
        for child in node.children:
            _write(child, depth + 1, out)
        out.append(f"{pad}</{node.tag}>")
    elif node.text is not None:
        out.append(f"{pad}{_open(node)}>{escape(clean(node.text))}</{node.tag}>")
    else:
        out.append(f"{pad}{_open(node)} />")


def to_xml(root: Node) -> str:
    out = ['<?xml version="1.0" encoding="UTF-8"?>']
    _write(root, 0, out)
    return "\n".join(out) + "\n"
