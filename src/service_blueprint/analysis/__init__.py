"""Analysis: what a blueprint's numbers say (time, cost, staff load, failure, handoffs) and how
two blueprints differ.

``analyze(bp)`` gives an :class:`Analysis`; ``format_analysis`` writes it as text, Markdown,
JSON or an offline HTML page. See ``docs/analysis.md`` for every definition.
"""

from __future__ import annotations

import json
from enum import StrEnum

from .diff import BlueprintDiff, diff_blueprints
from .diff_document import diff_document, visual_diff
from .document import analysis_document
from .html import render_html
from .markdown import render_markdown
from .report import Analysis, Settings, analyze, plain
from .revision import read_revision
from .text import render_text


class ReportFormat(StrEnum):
    text = "text"
    md = "md"
    json = "json"
    html = "html"


class DiffFormat(StrEnum):
    text = "text"
    md = "md"
    json = "json"
    html = "html"
    svg = "svg"


def format_analysis(analysis: Analysis, fmt: ReportFormat | str = ReportFormat.text) -> str:
    """The analysis as text, Markdown, JSON or a self-contained HTML page (with figures)."""
    fmt = ReportFormat(fmt)
    if fmt is ReportFormat.json:
        return json.dumps(analysis.to_data(), indent=2, ensure_ascii=False) + "\n"
    if fmt is ReportFormat.html:
        return render_html(analysis_document(analysis, figures=True),
                           footer="Made with service-blueprint: blueprint analyze.")
    doc = analysis_document(analysis)
    return render_markdown(doc) if fmt is ReportFormat.md else render_text(doc)


def format_diff(diff: BlueprintDiff, fmt: DiffFormat | str = DiffFormat.text) -> str:
    """The diff as text, Markdown, JSON, an HTML page with the visual diff, or that picture
    alone as SVG (the new blueprint with removed actions put back, changes outlined)."""
    fmt = DiffFormat(fmt)
    old, new = diff.old.blueprint, diff.new.blueprint
    if fmt is DiffFormat.json:
        return json.dumps(diff.to_data(), indent=2, ensure_ascii=False) + "\n"
    if fmt is DiffFormat.svg:
        return visual_diff(old, new, diff)
    if fmt is DiffFormat.html:
        return render_html(diff_document(diff, old, new, figures=True),
                           footer="Made with service-blueprint: blueprint diff.")
    doc = diff_document(diff, old, new)
    return render_markdown(doc) if fmt is DiffFormat.md else render_text(doc)


__all__ = ["Analysis", "BlueprintDiff", "DiffFormat", "ReportFormat", "Settings", "analyze", "diff_blueprints",
           "format_analysis", "format_diff", "plain", "read_revision"]
