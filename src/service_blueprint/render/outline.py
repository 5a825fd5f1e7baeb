"""Text as pre-outlined glyph paths, for rasterising only.

resvg spends most of a large blueprint's PNG time laying text out (font lookup, shaping,
outlining every glyph of every run anew). Our text is simple: one font, Latin script, absolutely
positioned lines. So for the PNG, each line becomes one path built from a table of glyph
outlines, ligatures and kerning generated from the bundled fonts by ``scripts/generate.py``
(``fonts/glyphs.json``). The shaping modelled is what resvg applies to such text (ligatures,
pair kerning), so the pixels are those of the text. Anything the table cannot reproduce exactly
(other scripts, letter spacing, italics, characters not in the table) stays ``<text>``.

The public SVG keeps real text for accessibility and search; only the raster sees paths.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from html import unescape

from .text import FONTS_DIR

# Attributes of a text run that mean nothing to a path, or that a path takes over unchanged.
_IGNORED = frozenset({"class", "id", "role", "tabindex", "x", "y", "font-size", "font-weight", "text-anchor"})
_PAINT = ("fill", "fill-opacity", "opacity", "stroke", "stroke-opacity", "stroke-linejoin",
          "stroke-linecap", "paint-order")
_NUMBER = re.compile(r"-?[\d.]+")
# Attributes that move a run away from its y (or spread it beyond its glyphs).
_MOVES = frozenset({"transform", "style", "filter", "dy", "rotate", "dominant-baseline", "alignment-baseline",
                    "baseline-shift", "writing-mode", "textLength", "lengthAdjust"})
# Properties that change text layout when set on a group around the text.
TEXT_LAYOUT_PROPERTIES = frozenset({
    "font-family", "font-size", "font-weight", "font-style", "font-variant", "font-stretch", "font",
    "text-anchor", "letter-spacing", "word-spacing", "direction", "writing-mode", "unicode-bidi",
    "text-rendering", "font-kerning", "font-feature-settings", "lengthAdjust", "style", "xml:space"})


@dataclass(frozen=True, slots=True)
class Glyph:
    advance: int
    top: float  # the outline's extent above (negative) and below the baseline, y down
    bottom: float
    start: tuple[float, float]  # where its path starts, from the pen position
    path: str  # the rest of its path, relative throughout
    end: tuple[float, float]  # where the path stands after its last contour, from the pen position


@dataclass(frozen=True, slots=True)
class Face:
    units_per_em: int
    y_min: int  # the font's bounding box, y up
    y_max: int
    chars: dict[str, int]  # character -> glyph
    latin: frozenset[str]  # the characters of Latin script (the others are common to all scripts)
    glyphs: list[Glyph]
    ligatures: dict[int, list[tuple[tuple[int, ...], int]]]
    ligature_starts: frozenset[str]  # characters whose glyph may begin a ligature
    kerning: dict[str, dict[int, dict[int, int]]]  # script -> left -> right -> units


@cache
def face(bold: bool) -> Face:
    data = json.loads((FONTS_DIR / "glyphs.json").read_text("utf-8"))["bold" if bold else "regular"]
    glyphs = [Glyph(g[0], g[1], g[2], (g[3], g[4]), g[5], (g[6], g[7])) if len(g) > 1
              else Glyph(g[0], 0.0, 0.0, (0.0, 0.0), "", (0.0, 0.0)) for g in data["glyphs"]]
    chars = {chr(int(cp)): gid for cp, gid in data["chars"].items()}
    ligatures = {int(first): [(tuple(rest), lig) for rest, lig in ligs]
                 for first, ligs in data["latn"]["ligatures"].items()}
    return Face(
        units_per_em=data["units_per_em"], y_min=data["y_min"], y_max=data["y_max"], chars=chars,
        latin=frozenset(ch for ch in chars if _is_latin(ch)), glyphs=glyphs, ligatures=ligatures,
        ligature_starts=frozenset(ch for ch, gid in chars.items() if gid in ligatures),
        kerning={script: {int(a): {int(b): v for b, v in row.items()} for a, row in data[script]["kerning"].items()}
                 for script in ("latn", "DFLT")})


def _is_latin(ch: str) -> bool:
    """Letters in the table are all Latin script; digits, punctuation and symbols are common."""
    return unicodedata.category(ch)[0] == "L" and ch != "µ"


def shape(text: str, bold: bool) -> list[tuple[int, int]] | None:
    """Glyphs and their pen positions (font units) as resvg shapes ``text``, then the advance of
    the whole run (as glyph -1); None if a character is not in the table.

    resvg shapes a run with the script of its first letter: Latin gets the ``liga`` ligatures
    and ``kern`` pair kerning; a run without letters (numbers, symbols) gets neither.
    """
    f = face(bold)
    try:
        ids = [f.chars[ch] for ch in text]
    except KeyError:
        return None
    latin = not f.latin.isdisjoint(text)
    if latin and not f.ligature_starts.isdisjoint(text):
        ids = _ligate(ids, f.ligatures)
    kerning = f.kerning["latn" if latin else "DFLT"]
    out: list[tuple[int, int]] = []
    pen = 0
    for i, gid in enumerate(ids):
        out.append((gid, pen))
        pen += f.glyphs[gid].advance
        if i + 1 < len(ids):
            pen += kerning.get(gid, {}).get(ids[i + 1], 0)
    out.append((-1, pen))
    return out


def _ligate(ids: list[int], ligatures: dict[int, list[tuple[tuple[int, ...], int]]]) -> list[int]:
    """Ligature substitution: the first ligature (in the font's order) whose components follow."""
    out: list[int] = []
    i = 0
    while i < len(ids):
        for rest, lig in ligatures.get(ids[i], ()):
            if tuple(ids[i + 1:i + 1 + len(rest)]) == rest:
                out.append(lig)
                i += 1 + len(rest)
                break
        else:
            out.append(ids[i])
            i += 1
    return out


@dataclass(frozen=True, slots=True)
class Outline:
    path: str  # font units, y down, from the start of the baseline
    advance: int
    top: float  # extent of the ink, y down, in font units
    bottom: float


@lru_cache(maxsize=8192)
def run_outline(text: str, bold: bool) -> Outline | None:
    """``text`` as one path; None when it is not all in the table."""
    glyphs = shape(text, bold)
    if glyphs is None:
        return None
    f = face(bold)
    parts: list[str] = []
    at_x, at_y = 0.0, 0.0
    top, bottom = 0.0, 0.0
    for gid, pen in glyphs[:-1]:
        g = f.glyphs[gid]
        if not g.path:
            continue
        parts.append(f"m{pen + g.start[0] - at_x} {g.start[1] - at_y}{g.path}")
        at_x, at_y = pen + g.end[0], g.end[1]
        top, bottom = min(top, g.top), max(bottom, g.bottom)
    return Outline("".join(parts), glyphs[-1][1], top, bottom)



@dataclass(frozen=True, slots=True)
class Run:
    """One positioned line of text with its own attributes merged over its <text>'s."""

    attrs: dict[str, str]
    text: str  # as in the document (entities not yet decoded)


_ALLOWED = _IGNORED | set(_PAINT) | {"stroke-width"}


def _plain_text(run: Run) -> str | None:
    """The run's text if it is drawn as is: no leading, trailing or repeated white space."""
    text = unescape(run.text) if "&" in run.text else run.text
    return text if text and " ".join(text.split()) == text else None


def run_path(run: Run) -> tuple[str, float, float] | None:
    """The run as a <path> element and its vertical extent, or None when it must stay text."""
    a = run.attrs
    if not _ALLOWED.issuperset(a) and not all(k.startswith(("data-", "aria-")) for k in a.keys() - _ALLOWED):
        return None
    weight = a.get("font-weight", "normal")
    anchor = a.get("text-anchor", "start")
    text = _plain_text(run)
    if text is None or weight not in ("normal", "400", "bold", "700") or anchor not in ("start", "middle", "end"):
        return None
    try:
        x, y, size = float(a["x"]), float(a["y"]), float(a.get("font-size", "16"))
        stroke_width = float(a.get("stroke-width", "1")) if "stroke" in a else 0.0
    except (KeyError, ValueError):
        return None
    bold = weight in ("bold", "700")
    outline = run_outline(text, bold)
    if outline is None or size <= 0:
        return None
    scale = size / face(bold).units_per_em
    x -= {"start": 0.0, "middle": outline.advance * scale / 2, "end": outline.advance * scale}[anchor]
    paint = "".join(f' {k}="{a[k]}"' for k in _PAINT if k in a)
    if stroke_width:
        # resvg strokes text in user units; a stroke in font units would round its joins a little
        # differently, so a stroked run is scaled here (the path is relative: scale every number).
        paint += f' stroke-width="{a["stroke-width"]}"' if "stroke-width" in a else ""
        d = f"M{x!r} {y!r}m" + _NUMBER.sub(lambda m: repr(float(m[0]) * scale), outline.path[1:])
        element = f'<path d="{d}"{paint}/>'
    else:
        element = f'<path transform="matrix({scale!r} 0 0 {scale!r} {x!r} {y!r})" d="{outline.path}"{paint}/>'
    halo = stroke_width / 2
    return element, y + outline.top * scale - halo, y + outline.bottom * scale + halo


def text_extent(run: Run) -> tuple[float, float] | None:
    """Vertical extent of a run left as text: of its glyphs if they are in the table, else of
    the font's bounding box; None if its position is not known."""
    a = run.attrs
    if not _MOVES.isdisjoint(a):
        return None
    try:
        y, size = float(a["y"]), float(a.get("font-size", "16"))
        halo = float(a.get("stroke-width", "1")) / 2 if "stroke" in a else 0.0
    except (KeyError, ValueError):
        return None
    bold = a.get("font-weight") in ("bold", "700")
    f = face(bold)
    scale = size / f.units_per_em
    text = _plain_text(run)
    outline = run_outline(text, bold) if text is not None else None
    if outline is None:
        return y - f.y_max * scale - halo, y - f.y_min * scale + halo
    return y + outline.top * scale - halo, y + outline.bottom * scale + halo
