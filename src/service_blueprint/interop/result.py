"""What exporters and importers hand back: the content or model, and what could not be carried.

A format that cannot hold everything (Mermaid has no durations, a CSV table has no roles) is
still useful, so losing information is not an error: it is a list of plain messages the caller
decides what to do with (the CLI prints them on stderr).
"""

from __future__ import annotations

from typing import NamedTuple

from ..model import Blueprint


class ExportResult(NamedTuple):
    """Exported ``content`` (text, or bytes for binary formats such as xlsx) and ``warnings``."""

    content: str | bytes
    warnings: tuple[str, ...] = ()


class ImportResult(NamedTuple):
    """The imported ``blueprint`` and ``warnings`` listing what was dropped or assumed."""

    blueprint: Blueprint
    warnings: tuple[str, ...] = ()


class Warnings:
    """Collects warnings once each, in the order they first occur (output must be deterministic)."""

    def __init__(self) -> None:
        self._items: dict[str, None] = {}

    def add(self, message: str) -> None:
        self._items.setdefault(message, None)

    def dropped(self, what: str, names: list[str] | tuple[str, ...] | set[str]) -> None:
        """One message naming every dropped item of a kind (``what``), sorted for stability."""
        if names:
            listed = sorted(set(names))
            shown = ", ".join(listed[:8]) + (f" and {len(listed) - 8} more" if len(listed) > 8 else "")
            self.add(f"dropped {what}: {shown}")

    def tuple(self) -> tuple[str, ...]:
        return tuple(self._items)
