"""Rendering to files: pick the format from the extension, render, write.

The functions here are the public face of rendering (``render``, ``render_journey``); the CLI
only parses options and calls them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from enum import StrEnum
from pathlib import Path

from ..errors import UsageError
from ..journey import read_journey
from ..loader import read_document
from ..model import Blueprint
from .html import render_html
from .journey_view import Stage, render_journey_svg
from .raster import svg_to_pdf, svg_to_png
from .svg import render_svg
from .theme import THEMES


class OutputFormat(StrEnum):
    svg = "svg"
    png = "png"
    pdf = "pdf"
    html = "html"


def format_for(path: Path, given: str | None = None) -> OutputFormat:
    """The output format: as given, else from the file extension."""
    name = (given or path.suffix.lstrip(".")).lower()
    try:
        return OutputFormat(name)
    except ValueError:
        raise UsageError(f"cannot tell the output format from {str(path)!r}; "
                         "use an extension .svg, .png, .pdf or .html") from None


def _check_options(theme: str, hide: Iterable[str], bp: Blueprint | None = None) -> None:
    if theme not in THEMES:
        raise UsageError(f"unknown theme {theme!r}; choose one of {', '.join(THEMES)}")
    if bp is not None:
        known = {*bp.lane_order, "evidence", "emotion"}
        for lane in hide:
            if lane not in known:
                raise UsageError(f"--hide {lane!r} is not a lane of this blueprint; "
                                 f"lanes: {', '.join(sorted(known))}")


def _size(svg: str) -> tuple[float, float]:
    m = re.search(r'width="([\d.]+)" height="([\d.]+)"', svg)
    assert m is not None, "every SVG we write starts with its size"
    return float(m[1]), float(m[2])


def render(bp: Blueprint, fmt: str | OutputFormat = "svg", *, theme: str = "light", legend: bool = True,
           hide: Iterable[str] = (), highlight: Mapping[str, str] | None = None, scale: float = 2.0) -> bytes:
    """The blueprint rendered as SVG, PNG, PDF or interactive HTML, as bytes."""
    hide = tuple(hide)
    _check_options(theme, hide, bp)
    kind = OutputFormat(fmt)
    if kind is OutputFormat.html:
        return render_html(bp, theme=theme, legend=legend, hide=hide, highlight=highlight).encode()
    svg = render_svg(bp, theme=theme, legend=legend, hide=hide, highlight=highlight)
    if kind is OutputFormat.svg:
        return svg.encode()
    if kind is OutputFormat.png:
        return svg_to_png(svg, scale)
    width, height = _size(svg)
    return svg_to_pdf(svg, width, height, bp.title)


def render_journey(path: Path, output: Path, *, theme: str = "light", legend: bool = True) -> list[Path]:
    """Render a journey overview to ``output`` and each of its blueprints beside it, linked.

    Blueprints that fail to load are drawn as such in the overview and skipped; returns the files
    written, the overview first.
    """
    _check_options(theme, ())
    kind = format_for(output)
    doc = read_journey(path)
    if doc.journey is None:
        raise UsageError(f"{path}: not a readable journey: " + "; ".join(f.message for f in doc.findings))
    written: list[Path] = []
    stages: list[Stage] = []
    for entry, file in zip(doc.journey.blueprints, doc.paths(), strict=True):
        bp = read_document(file).blueprint if file.exists() else None
        stem = file.name.split(".")[0]
        target = output.parent / f"{stem}.{kind.value}"
        if bp is not None:
            target.write_bytes(render(bp, kind, theme=theme, legend=legend))
            written.append(target)
        stages.append(Stage(entry, bp, target.name if bp is not None else None))
    svg = render_journey_svg(doc.journey, stages, theme=theme)
    if kind is OutputFormat.svg or kind is OutputFormat.html:
        data = svg.encode() if kind is OutputFormat.svg else _journey_page(doc.journey.title, svg).encode()
    elif kind is OutputFormat.png:
        data = svg_to_png(svg)
    else:
        width, height = _size(svg)
        data = svg_to_pdf(svg, width, height, doc.journey.title)
    output.write_bytes(data)
    return [output, *written]


def _journey_page(title: str, svg: str) -> str:
    from html import escape

    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<style>body{margin:0;font-family:'DejaVu Sans',sans-serif} svg{max-width:100%;height:auto}</style>"
            f"</head><body>\n{svg}</body></html>\n")
