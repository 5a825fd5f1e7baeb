"""PNG and PDF from the SVG, through wheels that bundle their renderers (no system libraries).

Both get the bundled font files and ignore the system's fonts, so a picture is the same on
every machine.

A PNG is drawn from a raster-only copy of the SVG whose text is already outlined (``outline.py``),
cut into one horizontal band per core (``raster_svg.py``); the bands are drawn at the same time,
one in this process and the others in worker processes (``band_workers.py``), and joined into
one PNG (``png_bands.py``). The pixels are those of drawing the whole SVG at once.
"""

from __future__ import annotations

import itertools
import math
import os
import re
import tempfile
from pathlib import Path

from ..errors import ServiceBlueprintError
from .band_workers import Workers
from .png_bands import BandError, join
from .raster_svg import band_svg, cuts, parse
from .text import FONT_FILES, FONTS_DIR


class RenderError(ServiceBlueprintError):
    """A renderer refused the drawing (a bug in our SVG, reported as such)."""


MAX_PNG_SIDE = 16384  # pixels; larger images open in few viewers and take seconds to draw
MAX_BANDS = 4
BAND_PIXELS = 1_000_000  # below this many pixels per band, starting a process costs more than it saves
_SIZE = re.compile(r'width="([\d.]+)" height="([\d.]+)"')


def png_scale(width: float, height: float, scale: float) -> float:
    """``scale``, reduced so that neither side exceeds ``MAX_PNG_SIDE`` pixels."""
    return min(scale, MAX_PNG_SIDE / max(width, height, 1.0))


def _round(v: float) -> int:
    return math.floor(v + 0.5)


def png_geometry(width: float, height: float, zoom: float) -> tuple[int, int, float, float]:
    """Pixel size of the PNG and the scale of its drawing (x, y), as resvg draws at ``zoom``.

    resvg rounds the drawing's size to whole pixels, zooms and rounds that again for the
    picture, and stretches the drawing to fill it, so the two scales differ a little.
    """
    w, h = max(1, _round(width)), max(1, _round(height))
    pw, ph = max(1, _round(w * zoom)), max(1, _round(h * zoom))
    return pw, ph, pw / w, ph / h


def _fonts() -> list[str]:
    return [str(f) for f in FONT_FILES]


def svg_to_png(svg: str, scale: float = 2.0, bands: int | None = None) -> bytes:
    """Rasterise ``svg`` with resvg at ``scale`` × its size (2 gives crisp text on screens),
    capped at ``MAX_PNG_SIDE`` pixels on the long side for very large blueprints.

    ``bands`` overrides how many bands are drawn at once (by default one per core, fewer for a
    small picture).
    """
    size = _SIZE.search(svg)
    if size is None:
        return _plain(svg, scale)
    zoom = png_scale(float(size[1]), float(size[2]), scale)
    width, height, scale_x, scale_y = png_geometry(float(size[1]), float(size[2]), zoom)
    count = max(1, min(bands if bands is not None else _band_count(width, height), height))
    with Workers(count - 1, _fonts()) as workers:
        drawing = parse(svg)
        if drawing is None or (drawing.width, drawing.height) != (float(size[1]), float(size[2])):
            return _plain(svg, zoom)
        borders = cuts(drawing, width, height, scale_y, count)
        svgs = [band_svg(drawing, width, top, bottom - top, (scale_x, scale_y))
                for top, bottom in itertools.pairwise(borders)]
        if len(svgs) == 1:
            return _plain(svgs[0], 1.0)
        try:
            return join(workers.draw(svgs))
        except BandError as exc:
            raise RenderError(f"could not rasterise the drawing: {exc}") from exc


def _plain(svg: str, zoom: float) -> bytes:
    """One resvg call for the whole picture."""
    import resvg_py

    try:
        data = resvg_py.svg_to_bytes(svg_string=svg, font_files=_fonts(), skip_system_fonts=True, zoom=zoom)
    except ValueError as exc:
        raise RenderError(f"could not rasterise the drawing: {exc}") from exc
    return bytes(data)


def _band_count(width: int, height: int) -> int:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_BANDS, width * height // BAND_PIXELS))


_PAGE = """#set page(width: {w}pt, height: {h}pt, margin: 0pt)
#set document(title: "{title}")
#image("drawing.svg", width: 100%, height: 100%)
"""


def svg_to_pdf(svg: str, width: float, height: float, title: str) -> bytes:
    """A one-page PDF the size of the drawing (1 px = 0.75 pt), vector text and shapes, by typst."""
    import typst

    safe_title = title.replace("\\", "\\\\").replace('"', '\\"')
    with tempfile.TemporaryDirectory(prefix="blueprint-pdf-") as tmp:
        root = Path(tmp)
        (root / "drawing.svg").write_text(svg, encoding="utf-8")
        main = root / "main.typ"
        main.write_text(_PAGE.format(w=round(width * 0.75, 2), h=round(height * 0.75, 2), title=safe_title),
                        encoding="utf-8")
        try:
            data = typst.compile(str(main), root=str(root), font_paths=[str(FONTS_DIR)],
                                 ignore_system_fonts=True, format="pdf", timestamp=0)
        except Exception as exc:  # typst raises its own error types for compile failures
            raise RenderError(f"could not make the PDF: {exc}") from exc
    if not isinstance(data, bytes):
        raise RenderError("the PDF renderer returned no document")
    return data
