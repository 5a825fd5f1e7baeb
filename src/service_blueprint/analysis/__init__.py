"""Analysis: what a blueprint's numbers say (time, cost, staff load, failure, handoffs) and how
two blueprints differ.

``analyze(bp)`` gives an :class:`Analysis`; ``format_analysis`` writes it as text, Markdown,
JSON or an offline HTML page. See ``docs/analysis.md`` for every definition.
"""

from __future__ import annotations

import json
from enum import StrEnum

from .document import analysis_document
from .html import render_html
from .markdown import render_markdown
from .report import Analysis, Settings, analyze
from .text import render_text


class ReportFormat(StrEnum):
    text = "text"
    md = "md"
    json = "json"
    html = "html"


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


__all__ = ["Analysis", "ReportFormat", "Settings", "analyze", "format_analysis"]
