"""PNG and PDF from the SVG, through wheels that bundle their renderers (no system libraries).

Both get the bundled font files and ignore the system's fonts, so a picture is the same on
every machine.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..errors import ServiceBlueprintError
from .text import FONT_FILES, FONTS_DIR


class RenderError(ServiceBlueprintError):
    """A renderer refused the drawing (a bug in our SVG, reported as such)."""


MAX_PNG_SIDE = 16384  # pixels; larger images open in few viewers and take seconds to draw


def png_scale(width: float, height: float, scale: float) -> float:
    """``scale``, reduced so that neither side exceeds ``MAX_PNG_SIDE`` pixels."""
    return min(scale, MAX_PNG_SIDE / max(width, height, 1.0))


def svg_to_png(svg: str, scale: float = 2.0) -> bytes:
    """Rasterise ``svg`` with resvg at ``scale`` × its size (2 gives crisp text on screens),
    capped at ``MAX_PNG_SIDE`` pixels on the long side for very large blueprints."""
    import re

    import resvg_py

    m = re.search(r'width="([\d.]+)" height="([\d.]+)"', svg)
    if m:
        scale = png_scale(float(m[1]), float(m[2]), scale)
    try:
        data = resvg_py.svg_to_bytes(svg_string=svg, font_files=[str(f) for f in FONT_FILES],
                                     skip_system_fonts=True, zoom=scale)
    except ValueError as exc:
        raise RenderError(f"could not rasterise the drawing: {exc}") from exc
    return bytes(data)


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
