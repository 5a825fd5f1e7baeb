"""Rendering: the blueprint grid drawn as SVG, PNG, PDF and interactive HTML (DESIGN.md §4)."""

from __future__ import annotations

from .html import render_html
from .output import OutputFormat, format_for, render, render_journey
from .raster import RenderError
from .svg import RenderOptions, render_svg

__all__ = ["OutputFormat", "RenderError", "RenderOptions", "format_for", "render", "render_html",
           "render_journey", "render_svg"]
