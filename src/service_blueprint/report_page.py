"""One offline HTML page shell for reports (analysis, diff, simulation).

Reports are single files people mail around or open from a CI artefact, so everything is inline:
the CSS below, SVG pictures and charts; no script, no web font, no network. The page follows the
reader's light or dark preference (``prefers-color-scheme``) through CSS custom properties, which
the charts of :mod:`service_blueprint.charts` read too.

Use :func:`html_page` for the shell, :func:`section` for a headed part with an anchor, and
:func:`html_table` for plain accessible tables (numbers right-aligned).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

__all__ = ["CSS", "html_page", "html_table", "section"]

CSS = """\
:root { color-scheme: light dark; --page-bg: #ffffff; --page-fg: #1b1f24; --muted: #57606a;
  --rule: #d0d7de; --panel: #f6f8fa; --accent: #0969da; --warn: #b35900; --bad: #c62828; --good: #1a7f37;
  --chart-warn: #d55e00; }
@media (prefers-color-scheme: dark) {
  :root { --page-bg: #0d1117; --page-fg: #e6edf3; --muted: #9aa4ae; --rule: #30363d; --panel: #161b22;
    --accent: #58a6ff; --warn: #e3a008; --bad: #ff7b72; --good: #56d364; --chart-1: #56b4e9; --chart-warn: #ff8c42; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--page-bg); color: var(--page-fg);
  font: 15px/1.5 "DejaVu Sans", Verdana, system-ui, sans-serif; }
main { max-width: 1200px; margin: 0 auto; padding: 24px 28px 64px; }
header.page { border-bottom: 2px solid var(--rule); margin-bottom: 18px; }
h1 { font-size: 1.6em; margin: 0 0 4px; }
h2 { font-size: 1.25em; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--rule); }
h3 { font-size: 1.05em; margin: 20px 0 6px; }
p, ul { margin: 6px 0 10px; }
.muted, .meta { color: var(--muted); }
.meta { margin: 0 0 12px; }
nav.toc { font-size: 0.9em; margin: 8px 0 16px; }
nav.toc a { margin-right: 14px; white-space: nowrap; }
a { color: var(--accent); }
table { border-collapse: collapse; margin: 8px 0 14px; font-size: 0.92em; }
th, td { border-bottom: 1px solid var(--rule); padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: var(--panel); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 10px 0 8px; }
.card { background: var(--panel); border: 1px solid var(--rule); border-radius: 6px; padding: 8px 14px;
  min-width: 150px; }
.card .value { font-size: 1.35em; font-weight: 600; }
.card .label { font-size: 0.85em; color: var(--muted); }
.ok { color: var(--good); }
.warn { color: var(--warn); }
.bad { color: var(--bad); font-weight: 600; }
.figure { overflow-x: auto; margin: 8px 0 16px; }
.figure svg { max-width: none; }
.blueprint svg { background: #ffffff; border: 1px solid var(--rule); }
.blueprint.fit svg { max-width: 100%; height: auto; }
.note { background: var(--panel); border-left: 4px solid var(--rule); padding: 6px 12px; }
footer { margin-top: 40px; font-size: 0.85em; color: var(--muted); }
"""


def section(heading: str, body: str, anchor: str) -> str:
    """A headed part of the page; ``anchor`` becomes its id (for the table of contents)."""
    return f'<section id="{escape(anchor)}"><h2>{escape(heading)}</h2>\n{body}\n</section>\n'


def html_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    numeric: Sequence[int] = (),
    caption: str | None = None,
    escape_cells: bool = True,
) -> str:
    """A plain table; columns listed in ``numeric`` are right-aligned. Cells are text (escaped)
    unless ``escape_cells`` is False, for callers that pass their own markup."""
    num = set(numeric)

    def cls(i: int) -> str:
        return ' class="num"' if i in num else ""

    def cell(text: str) -> str:
        return escape(text) if escape_cells else text

    parts = ["<table>"]
    if caption:
        parts.append(f"<caption>{escape(caption)}</caption>")
    parts.append("<thead><tr>" + "".join(f'<th scope="col"{cls(i)}>{escape(h)}</th>' for i, h in enumerate(header)) + "</tr></thead>")
    parts.append("<tbody>")
    for row in rows:
        parts.append("<tr>" + "".join(f"<td{cls(i)}>{cell(c)}</td>" for i, c in enumerate(row)) + "</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def html_page(
    title: str,
    body: str,
    *,
    subtitle: str = "",
    toc: Sequence[tuple[str, str]] = (),
    footer: str = "",
    extra_css: str = "",
) -> str:
    """A complete HTML document around ``body`` (already HTML).

    ``toc`` lists ``(anchor, label)`` pairs for a small table of contents under the title;
    ``footer`` is plain text. No date or version goes in, so the page is deterministic.
    """
    nav = ""
    if toc:
        nav = '<nav class="toc" aria-label="Contents">' + "".join(
            f'<a href="#{escape(a)}">{escape(label)}</a>' for a, label in toc) + "</nav>"
    sub = f'<p class="meta">{escape(subtitle)}</p>' if subtitle else ""
    foot = f"<footer>{escape(footer)}</footer>" if footer else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>\n{CSS}{extra_css}</style>\n</head>\n<body>\n<main>\n"
        f'<header class="page"><h1>{escape(title)}</h1>{sub}{nav}</header>\n'
        f"{body}{foot}\n</main>\n</body>\n</html>\n"
    )
