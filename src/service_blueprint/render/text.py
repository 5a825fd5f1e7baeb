"""Text measurement and wrapping by the bundled font's advance widths.

Boxes are sized before any renderer sees the text, so the widths must be those of the font the
SVG names (DejaVu Sans, shipped in ``fonts/``); the table is generated from the font files by
``scripts/generate.py``. Kerning is ignored, which DejaVu's small kerning values make safe within
the padding every box keeps.
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from pathlib import Path

FONTS_DIR = Path(__file__).parent / "fonts"
FONT_FAMILY = "DejaVu Sans"
FONT_FILES = (FONTS_DIR / "DejaVuSans.ttf", FONTS_DIR / "DejaVuSans-Bold.ttf")


@cache
def _tables() -> dict[bool, tuple[dict[int, float], float]]:
    data = json.loads((FONTS_DIR / "metrics.json").read_text("utf-8"))
    out: dict[bool, tuple[dict[int, float], float]] = {}
    for bold, key in ((False, "regular"), (True, "bold")):
        style = data[key]
        upm = float(style["units_per_em"])
        widths = {int(cp): w / upm for cp, w in style["widths"].items()}
        out[bold] = (widths, style["default"] / upm)
    return out


@lru_cache(maxsize=65536)
def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in pixels of ``text`` set in the bundled font at ``size`` px."""
    widths, default = _tables()[bold]
    return sum(widths.get(ord(ch), default) for ch in text) * size


def _split_long(word: str, width: float, size: float, bold: bool) -> list[str]:
    """Break a word wider than the box into pieces that fit (URLs, long compound words)."""
    pieces: list[str] = []
    current = ""
    for ch in word:
        if current and text_width(current + ch, size, bold) > width:
            pieces.append(current)
            current = ch
        else:
            current += ch
    if current:
        pieces.append(current)
    return pieces


@lru_cache(maxsize=16384)
def wrap(text: str, width: float, size: float, bold: bool = False) -> tuple[str, ...]:
    """Greedy line breaking at spaces so that every line is at most ``width`` px wide.

    Explicit newlines are kept. A single word wider than ``width`` is broken between characters.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        words = paragraph.split()
        if not words:
            lines.append("")
            continue
        line = ""
        for word in words:
            candidate = f"{line} {word}" if line else word
            if text_width(candidate, size, bold) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            if text_width(word, size, bold) <= width:
                line = word
            else:
                *full, line = _split_long(word, width, size, bold)
                lines.extend(full)
        lines.append(line)
    return tuple(lines)


def truncate(text: str, width: float, size: float, bold: bool = False) -> str:
    """``text`` shortened with an ellipsis to fit ``width`` (for labels that must stay one line)."""
    if text_width(text, size, bold) <= width:
        return text
    while text and text_width(text + "…", size, bold) > width:
        text = text[:-1]
    return text.rstrip() + "…"
