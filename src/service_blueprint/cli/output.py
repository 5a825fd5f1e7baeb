"""Printing helpers: plain text for machine-readable output, Rich tables for people."""

from __future__ import annotations

import sys

from rich.console import Console


def console() -> Console:
    """A console that never wraps tables narrower than 120 columns when output is piped."""
    is_tty = sys.stdout.isatty()
    return Console(width=None if is_tty else 120, soft_wrap=False, highlight=False)


def out(text: str) -> None:
    sys.stdout.write(text + ("\n" if not text.endswith("\n") else ""))


def err(text: str) -> None:
    sys.stderr.write(text + ("\n" if not text.endswith("\n") else ""))


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
