"""The SVG as the rasteriser gets it: text outlined, and cut into horizontal bands.

A PNG of a large blueprint is drawn in bands, one per core (see ``raster.py``). Each band is an
SVG of its own holding only the elements that reach into it, so no core lays out or draws what
another one does; that needs every element's vertical extent, which this module reads from our
own SVG: its elements are plain shapes and absolutely positioned text. Anything it does not
understand is kept in every band (a transformed group, an image, a relative path), so a band can
only ever hold too much, never too little; a document it cannot take apart at all (comments,
style sheets, an unusual root) is drawn as it is.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import NamedTuple

from .outline import TEXT_LAYOUT_PROPERTIES, Run, run_path, text_extent

_TAG = re.compile(r"<(/?)([A-Za-z][\w:.-]*)((?:[^>\"']+|\"[^\"]*\"|'[^']*')*)>")
_ATTR = re.compile(r'([\w:.-]+)="([^"]*)"')
_TSPAN = re.compile(r"<tspan([^>]*)>([^<]*)</tspan>")
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_CONTAINERS = frozenset({"g", "a"})
_NOT_DRAWN = frozenset({"title", "desc", "metadata"})
_DEFINITIONS = frozenset({"defs", "marker", "clipPath", "mask", "pattern", "filter", "symbol",
                          "linearGradient", "radialGradient"})
# Group attributes that change nothing about where their children's pixels fall.
_NEUTRAL = frozenset({"class", "id", "role", "tabindex", "fill", "fill-opacity", "opacity", "href",
                      "xlink:href", "target", "stroke", "stroke-opacity", "stroke-dasharray"})
# Attributes that move or spread an element beyond its own geometry.
_PLACEMENT = frozenset({"transform", "style", "filter"})
PIXEL_WEIGHT = 0.2  # drawing cost of a pixel of background, against one byte of element source
SLACK = 12.0  # user units beyond an element's geometry its strokes and arrowheads may reach


class Item(NamedTuple):  # a tuple: there are thousands and they are made in a hurry
    """One piece of the document: an element with its vertical extent (or in every band).

    ``curves`` are the vertical spans of its curved edges (glyphs, round corners, circles,
    arrowheads). A band border must not cross one: resvg approximates a curve cut by the edge of
    the picture differently from the whole curve, which would show as a seam. Straight edges
    come out the same either way.
    """

    source: str
    top: float = -math.inf
    bottom: float = math.inf
    curves: tuple[tuple[float, float], ...] = ()


@dataclass(frozen=True, slots=True)
class Drawing:
    root: str  # the root tag's attributes other than its size
    width: float
    height: float
    items: tuple[Item, ...]


class _Unreadable(Exception):
    """Attributes written in a way this module does not read (not in our SVG)."""


def _attrs(text: str) -> dict[str, str]:
    """The attributes of a tag, each written ``name="value"``; anything else (single quotes,
    spaces around ``=``, an ``=`` inside a value) is not read, and the document is drawn as is."""
    pairs = _ATTR.findall(text)
    if len(pairs) != text.count("="):
        raise _Unreadable(text)
    return dict(pairs)


def parse(svg: str) -> Drawing | None:
    """The document taken apart into items, with text outlined; None if it cannot be."""
    if "<!" in svg or "<?" in svg or "<style" in svg:
        return None
    try:
        return _parse(svg)
    except _Unreadable:
        return None


def _parse(svg: str) -> Drawing | None:
    m = _TAG.search(svg)
    if m is None or m[1] or m[2] != "svg" or m[3].endswith("/") or svg[:m.start()].strip():
        return None
    root = _attrs(m[3])
    try:
        width, height = float(root["width"]), float(root["height"])
    except (KeyError, ValueError):
        return None
    if root.get("viewBox", "").split() != ["0", "0", root["width"], root["height"]] or "transform" in root:
        return None
    family = root.get("font-family", "").split(",")[0].strip().strip("'\"")
    plain = family != "DejaVu Sans" or any(k in TEXT_LAYOUT_PROPERTIES for k in root if k != "font-family")
    extra = "".join(f' {k}="{v}"' for k, v in root.items()
                    if k not in ("width", "height", "viewBox", "preserveAspectRatio"))
    items: list[Item] = []
    stack = [(plain, False)]  # per open group: (text stays text, extents unknown)
    pos = m.end()
    while (m := _TAG.search(svg, pos)) is not None:
        name, attr_text = m[2], m[3]
        if m[1]:  # an end tag
            if name == "svg" and len(stack) == 1:
                return Drawing(extra, width, height, tuple(items))
            if name not in _CONTAINERS or len(stack) == 1:
                return None
            stack.pop()
            items.append(Item(m[0]))
            pos = m.end()
        elif name in _CONTAINERS and not attr_text.endswith("/"):
            attrs = _attrs(attr_text)
            plain, unknown = stack[-1]
            stack.append((plain or any(k in TEXT_LAYOUT_PROPERTIES for k in attrs),
                          unknown or any(k not in _NEUTRAL and not k.startswith(("data-", "aria-")) for k in attrs)))
            items.append(Item(m[0]))
            pos = m.end()
        else:
            end = m.end() if attr_text.endswith("/") else _element_end(svg, name, m.end())
            if end is None:
                return None
            item = _element(name, attr_text, svg[m.start():end], *stack[-1])
            if item is not None:
                items.append(item)
            pos = end
    return None


def _element_end(svg: str, name: str, start: int) -> int | None:
    """Where the element whose start tag ends at ``start`` ends; None if it does not, or if it
    holds another element of its own kind (not in our drawings: not worth matching)."""
    end = svg.find(f"</{name}>", start)
    if end < 0 or re.search(f"<{re.escape(name)}[\\s/>]", svg[start:end]):
        return None
    return end + len(name) + 3


def _element(name: str, attr_text: str, source: str, plain: bool, unknown: bool) -> Item | None:
    """One element as an item (None if it draws nothing)."""
    if name in _NOT_DRAWN:
        return None
    if name in _DEFINITIONS:
        return Item(source)
    attrs = _attrs(attr_text)
    if name == "text":
        return Item(source) if plain or unknown else _text(source, attr_text, attrs)
    shape = None if unknown or not _PLACEMENT.isdisjoint(attrs) else _shape(name, attrs)
    return Item(source, shape[0] - SLACK, shape[1] + SLACK, shape[2]) if shape else Item(source)


def _shape(name: str, a: dict[str, str]) -> tuple[float, float, tuple[tuple[float, float], ...]] | None:
    """The vertical extent of a plain shape in user units (strokes included) and its curved spans."""
    try:
        stroke = float(a.get("stroke-width", "1")) / 2 if a.get("stroke", "none") != "none" else 0.0
        rounded = a.get("stroke-linejoin") == "round" or a.get("stroke-linecap") == "round"
        if name == "rect":
            ys = [float(a.get("y", "0")), float(a.get("y", "0")) + float(a["height"])]
            rounded = rounded or float(a.get("rx", "0")) > 0 or float(a.get("ry", "0")) > 0
        elif name in ("circle", "ellipse"):
            r = float(a["r"] if name == "circle" else a["ry"])
            ys = [float(a["cy"]) - r, float(a["cy"]) + r]
            rounded = True
        elif name == "line":
            ys = [float(a.get("y1", "0")), float(a.get("y2", "0"))]
        elif name in ("polyline", "polygon"):
            ys = _floats(a["points"])[1::2]
        elif name == "path":
            ys, curved = _path_ys(a["d"])
            rounded = rounded or curved
        else:
            return None
    except (KeyError, ValueError):
        return None
    if not ys:
        return None
    top, bottom = min(ys) - stroke, max(ys) + stroke
    if rounded:
        return top, bottom, ((top, bottom),)
    ends = [ys[0]] if "marker-start" in a else []
    ends += [ys[-1]] if "marker-end" in a else []
    ends += ys[1:-1] if "marker-mid" in a else []
    if "marker" in a:
        ends = ys
    return top, bottom, tuple((y - SLACK, y + SLACK) for y in ends)


def _floats(text: str) -> list[float]:
    return [float(v) for v in _NUMBER.findall(text)]


def _path_ys(d: str) -> tuple[list[float], bool]:
    """The y coordinates of a path of absolute commands, and whether it has curves (anything
    relative or an arc: not known here)."""
    ys: list[float] = []
    curved = False
    for cmd, args in re.findall(r"([A-Za-z])([^A-Za-z]*)", d):
        values = _floats(args)
        if cmd in "MLCSQT":
            ys += values[1::2]
            curved = curved or cmd in "CSQT"
        elif cmd == "V":
            ys += values
        elif cmd not in "HZ":
            raise ValueError(f"path command {cmd} not handled")
    return ys, curved


def _text(source: str, attr_text: str, attrs: dict[str, str]) -> Item:
    """A text element with its runs outlined where the glyph table allows, and its extent."""
    inner = source[source.index(">") + 1:source.rindex("</text>")]
    if "<" not in inner:
        runs = [(Run(attrs, inner), "")]
    else:
        pieces = list(_TSPAN.finditer(inner))
        if "".join(p[0] for p in pieces) != inner:
            return Item(source)
        runs = [(Run({**attrs, **_attrs(p[1])}, p[2]), p[0]) for p in pieces]
    paths: list[str] = []
    kept: list[str] = []
    top, bottom = math.inf, -math.inf
    for run, tspan in runs:
        done = run_path(run)
        if done is not None:
            paths.append(done[0])
            extent: tuple[float, float] | None = done[1:]
        else:
            kept.append(tspan)
            extent = text_extent(run)
        if extent is None:
            return Item(source)
        top, bottom = min(top, extent[0]), max(bottom, extent[1])
    if kept == [""]:
        paths.append(source)
    elif kept:
        paths.append(f"<text{attr_text}>{''.join(kept)}</text>")
    return Item("".join(paths), top - SLACK, bottom + SLACK, ((top, bottom),))


def band_svg(d: Drawing, width_px: int, first_row: int, rows: int, scale: tuple[float, float]) -> str:
    """The rows ``first_row`` … ``first_row + rows`` of the picture drawn at ``scale`` (x, y), as
    an SVG of exactly that many pixels (to draw at zoom 1) holding only the items that reach
    into them."""
    top = first_row / scale[1]
    height = rows / scale[1]
    reach = 2 / scale[1]  # anti-aliasing touches the pixel next to an edge
    chosen = [it.source for it in d.items if it.bottom >= top - reach and it.top <= top + height + reach]
    head = (f'<svg width="{width_px}" height="{rows}" viewBox="0 {top!r} {width_px / scale[0]!r} {height!r}"'
            f' preserveAspectRatio="none"{d.root}>')
    return "\n".join([head, *chosen, "</svg>"])


def cuts(d: Drawing, width: int, height: int, scale_y: float, count: int) -> list[int]:
    """Row boundaries of up to ``count`` bands of about equal drawing work, each on a row that
    no curved edge crosses (fewer bands when there is no such row).

    The work of a band is estimated from its pixels and the source of the elements in it,
    each element's spread over the rows it covers.
    """
    spread = [0.0] * (height + 1)
    blocked = [0] * (height + 1)
    for it in d.items:
        if math.isfinite(it.top) and math.isfinite(it.bottom):
            first, last = _rows(it.top, it.bottom, scale_y, height)
            if first < last:
                spread[first] += len(it.source) / (last - first)
                spread[last] -= len(it.source) / (last - first)
        for top, bottom in it.curves:  # a border row must not have a curve on either side of its top edge
            first, last = _rows(top, bottom, scale_y, height)
            blocked[max(0, first - 1)] += 1
            blocked[min(height, last + 1)] -= 1
    done = [0.0]  # the work above each row
    density, depth = 0.0, 0
    free = []
    for row in range(height):
        density += spread[row]
        depth += blocked[row]
        if depth == 0 and row > 0:
            free.append(row)
        done.append(done[-1] + density + width * PIXEL_WEIGHT)
    out = {0, height}
    for k in range(1, count):
        goal = done[-1] * k / count
        best = min(free, key=lambda r: abs(done[r] - goal), default=None)
        if best is not None:
            out.add(best)
    return sorted(out)


def _rows(top: float, bottom: float, scale_y: float, height: int) -> tuple[int, int]:
    """The pixel rows a span of user units touches, anti-aliasing included."""
    return max(0, math.floor(top * scale_y) - 1), min(height, math.ceil(bottom * scale_y) + 1)
