"""Small SVG charts written as plain strings: no plotting library, no script, works offline.

Reports (analysis, simulation) embed these in one HTML file. Each function returns a complete
``<svg>`` element, byte-identical for the same input (fixed float formatting, no ids from
memory addresses, no timestamps). Colours come from CSS custom properties with fallbacks, so a
page can restyle them for a dark theme; text uses ``currentColor``. Every chart has a ``<title>``
and a ``<desc>``, and every mark a ``<title>`` tooltip with its exact value, so the figure is
never the only place a number is told.

Signatures are deliberately plain (labels, numbers, a title):

* :func:`bar_chart` — one horizontal bar per label;
* :func:`stacked_bar_chart` — one horizontal bar per label split into named series;
* :func:`line_chart` — a line over labelled points (e.g. the emotion curve, −2…+2);
* :func:`heatmap` — rows × columns of values (e.g. utilisation per role per hour of the week).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

__all__ = ["PALETTE", "bar_chart", "heatmap", "line_chart", "stacked_bar_chart"]

#: Series colours (colour-blind-safe, Okabe–Ito), overridable with ``--chart-1`` … ``--chart-6``.
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00")
_FONT = 12
_CHAR = 0.6 * _FONT  # average advance of DejaVu Sans at this size, enough for layout


def _n(x: float) -> str:
    """Fixed formatting for coordinates: at most one decimal, no ``-0``."""
    s = f"{x:.1f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _colour(i: int) -> str:
    return f"var(--chart-{i % len(PALETTE) + 1}, {PALETTE[i % len(PALETTE)]})"


def _value(x: float, unit: str) -> str:
    if math.isinf(x):
        return "∞"
    text = f"{x:.2f}".rstrip("0").rstrip(".") if abs(x) < 100 else f"{x:.0f}"
    return f"{text} {unit}".strip() if unit and unit != "%" else f"{text}{unit}"


def _text_width(text: str) -> float:
    return len(text) * _CHAR


def _open(width: float, height: float, title: str, desc: str, cls: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {cls}" role="img" '
        f'width="{_n(width)}" height="{_n(height)}" viewBox="0 0 {_n(width)} {_n(height)}" '
        f'font-family="DejaVu Sans, Verdana, sans-serif" font-size="{_FONT}">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(desc)}</desc>",
        f'<text x="0" y="{_FONT + 2}" font-weight="bold" fill="currentColor">{escape(title)}</text>',
    ]


def _nice_max(x: float) -> float:
    """A round axis end at or above ``x`` (1, 2, 2.5, 5 × 10^k)."""
    if x <= 0 or not math.isfinite(x):
        return 1.0
    exp = 10 ** math.floor(math.log10(x))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if step * exp >= x - 1e-12:
            return float(step * exp)
    return float(10 * exp)


def _label_column(labels: Sequence[str]) -> float:
    return min(max((_text_width(s) for s in labels), default=0) + 8, 340)


def _clip(text: str, width: float) -> str:
    room = int(width // _CHAR)
    return text if len(text) <= room else text[: max(room - 1, 1)] + "…"


def bar_chart(
    items: Sequence[tuple[str, float]],
    *,
    title: str,
    unit: str = "",
    width: int = 640,
    marker: float | None = None,
    marker_label: str = "",
) -> str:
    """Horizontal bars, one per ``(label, value)``, in the order given.

    ``marker`` draws a dashed vertical line at that value (e.g. 100 % utilisation or a
    tolerance) labelled ``marker_label``; bars beyond it get the ``over`` class (drawn in the
    warning colour and marked with a ``!`` so the warning does not rely on colour alone).
    """
    bar_h, gap, top = 18, 6, 26
    label_w = _label_column([s for s, _ in items])
    value_w = 70
    plot_w = max(width - label_w - value_w, 60)
    finite = [v for _, v in items if math.isfinite(v)]
    top_value = _nice_max(max([*finite, marker or 0.0, 0.0]))
    height = top + len(items) * (bar_h + gap) + 22
    desc = "; ".join(f"{s}: {_value(v, unit)}" for s, v in items) or "no data"
    parts = _open(width, height, title, desc, "bar-chart")
    for k, (label, value) in enumerate(items):
        y = top + k * (bar_h + gap)
        v = top_value if math.isinf(value) else max(value, 0.0)
        w = plot_w * v / top_value
        over = marker is not None and value > marker
        fill = "var(--chart-warn, #d55e00)" if over else _colour(0)
        text = _value(value, unit) + (" !" if over else "")
        parts.append(
            f'<g class="bar{" over" if over else ""}"><title>{escape(label)}: {escape(_value(value, unit))}</title>'
            f'<text x="{_n(label_w - 6)}" y="{_n(y + bar_h - 5)}" text-anchor="end" fill="currentColor">'
            f"{escape(_clip(label, label_w - 8))}</text>"
            f'<rect x="{_n(label_w)}" y="{_n(y)}" width="{_n(w)}" height="{bar_h}" fill="{fill}"/>'
            f'<text x="{_n(label_w + w + 4)}" y="{_n(y + bar_h - 5)}" fill="currentColor">{escape(text)}</text></g>'
        )
    axis_y = top + len(items) * (bar_h + gap)
    parts.append(
        f'<line x1="{_n(label_w)}" y1="{top - 4}" x2="{_n(label_w)}" y2="{_n(axis_y)}" stroke="currentColor" stroke-opacity="0.5"/>'
        f'<text x="{_n(label_w)}" y="{_n(axis_y + 14)}" fill="currentColor" fill-opacity="0.7">0</text>'
        f'<text x="{_n(label_w + plot_w)}" y="{_n(axis_y + 14)}" text-anchor="end" fill="currentColor" fill-opacity="0.7">'
        f"{escape(_value(top_value, unit))}</text>"
    )
    if marker is not None:
        x = label_w + plot_w * marker / top_value
        parts.append(
            f'<line class="marker" x1="{_n(x)}" y1="{top - 4}" x2="{_n(x)}" y2="{_n(axis_y)}" '
            f'stroke="var(--chart-warn, #d55e00)" stroke-dasharray="4 3"/>'
            f'<text x="{_n(x + 3)}" y="{top - 6}" fill="currentColor" fill-opacity="0.8">{escape(marker_label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def stacked_bar_chart(
    rows: Sequence[tuple[str, Sequence[float]]],
    series: Sequence[str],
    *,
    title: str,
    unit: str = "",
    width: int = 640,
) -> str:
    """Horizontal bars split into ``series`` (one value per series per row), with a legend."""
    bar_h, gap, top = 20, 6, 26
    label_w = _label_column([s for s, _ in rows])
    value_w = 70
    plot_w = max(width - label_w - value_w, 60)
    totals = [sum(max(v, 0.0) for v in values) for _, values in rows]
    top_value = _nice_max(max(totals, default=0.0))
    legend_y = top + len(rows) * (bar_h + gap) + 8
    height = legend_y + 22
    desc = "; ".join(
        f"{label}: " + ", ".join(f"{s} {_value(v, unit)}" for s, v in zip(series, values, strict=False))
        for label, values in rows
    ) or "no data"
    parts = _open(width, height, title, desc, "stacked-bar-chart")
    for k, (label, values) in enumerate(rows):
        y = top + k * (bar_h + gap)
        parts.append(
            f'<text x="{_n(label_w - 6)}" y="{_n(y + bar_h - 6)}" text-anchor="end" fill="currentColor">'
            f"{escape(_clip(label, label_w - 8))}</text>"
        )
        x = float(label_w)
        for i, (name, value) in enumerate(zip(series, values, strict=False)):
            w = plot_w * max(value, 0.0) / top_value
            if w <= 0:
                continue
            parts.append(
                f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{bar_h}" fill="{_colour(i)}">'
                f"<title>{escape(label)} — {escape(name)}: {escape(_value(value, unit))}</title></rect>"
            )
            x += w
        parts.append(
            f'<text x="{_n(x + 4)}" y="{_n(y + bar_h - 6)}" fill="currentColor">{escape(_value(totals[k], unit))}</text>'
        )
    x = float(label_w)
    for i, name in enumerate(series):
        parts.append(
            f'<rect x="{_n(x)}" y="{_n(legend_y)}" width="12" height="12" fill="{_colour(i)}"/>'
            f'<text x="{_n(x + 16)}" y="{_n(legend_y + 11)}" fill="currentColor">{escape(name)}</text>'
        )
        x += 16 + _text_width(name) + 18
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    points: Sequence[tuple[str, float | None]],
    *,
    title: str,
    y_min: float,
    y_max: float,
    width: int = 640,
    height: int = 220,
    y_ticks: Sequence[float] = (),
    baseline: float | None = None,
) -> str:
    """A line through labelled points, left to right; ``None`` values leave a gap.

    Made for the emotion curve (``y_min=-2, y_max=2, baseline=0``): points below the baseline
    get a hollow marker as well as their position, so the low moments read without colour.
    """
    left, right, top, bottom = 34, 16, 28, 64
    plot_w = max(width - left - right, 40)
    plot_h = max(height - top - bottom, 40)
    n = len(points)
    span = (y_max - y_min) or 1.0

    def xy(k: int, v: float) -> tuple[float, float]:
        x = left + (plot_w * (k + 0.5) / n if n else 0)
        y = top + plot_h * (y_max - v) / span
        return x, y

    desc = "; ".join(f"{s}: {'no value' if v is None else _value(v, '')}" for s, v in points) or "no data"
    parts = _open(width, height, title, desc, "line-chart")
    for t in y_ticks:
        _, y = xy(0, t)
        parts.append(
            f'<line x1="{left}" y1="{_n(y)}" x2="{_n(left + plot_w)}" y2="{_n(y)}" stroke="currentColor" '
            f'stroke-opacity="{0.5 if t == baseline else 0.15}"/>'
            f'<text x="{left - 4}" y="{_n(y + 4)}" text-anchor="end" fill="currentColor" fill-opacity="0.7">'
            f"{escape(_value(t, ''))}</text>"
        )
    segment: list[str] = []
    segments: list[list[str]] = []
    for k, (_, v) in enumerate(points):
        if v is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        x, y = xy(k, v)
        segment.append(f"{_n(x)},{_n(y)}")
    if segment:
        segments.append(segment)
    for seg in segments:
        parts.append(f'<polyline points="{" ".join(seg)}" fill="none" stroke="{_colour(0)}" stroke-width="2"/>')
    for k, (label, v) in enumerate(points):
        x, _ = xy(k, y_min)
        if v is not None:
            _, y = xy(k, v)
            low = baseline is not None and v < baseline
            fill = "var(--page-bg, #fff)" if low else _colour(0)
            parts.append(
                f'<circle cx="{_n(x)}" cy="{_n(y)}" r="4.5" fill="{fill}" stroke="{_colour(0)}" stroke-width="2">'
                f"<title>{escape(label)}: {escape(_value(v, ''))}</title></circle>"
            )
        ly = top + plot_h + 12
        parts.append(
            f'<text x="{_n(x)}" y="{_n(ly)}" text-anchor="end" fill="currentColor" font-size="10" '
            f'transform="rotate(-35 {_n(x)} {_n(ly)})">{escape(_clip(label, bottom * 1.6))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def heatmap(
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    values: Sequence[Sequence[float]],
    *,
    title: str,
    unit: str = "",
    max_value: float | None = None,
    threshold: float | None = None,
    label_every: int = 1,
    cell: int = 6,
    cell_height: int = 18,
) -> str:
    """A grid of rows × columns shaded by value (darker = higher), e.g. role × hour of week.

    ``max_value`` fixes the top of the scale (default: the largest value); cells above
    ``threshold`` use the warning colour and get a ``!`` in their tooltip (e.g. utilisation
    above 100 %). Only every ``label_every``-th column label is printed, so 168 hours of a
    week can be labelled by day with ``label_every=24``.
    """
    label_w = _label_column(row_labels)
    top = 26
    width = label_w + cell * len(column_labels) + 8
    height = top + cell_height * len(row_labels) + 40
    flat = [v for row in values for v in row if math.isfinite(v)]
    scale = max_value if max_value is not None else max(flat, default=0.0)
    scale = scale or 1.0
    over = sum(1 for v in flat if threshold is not None and v > threshold)
    desc = (
        f"{len(row_labels)} rows × {len(column_labels)} columns; highest {_value(max(flat, default=0.0), unit)}"
        + (f"; {over} cells above {_value(threshold, unit)}" if threshold is not None else "")
    )
    parts = _open(max(width, 200), height, title, desc, "heatmap")
    for r, label in enumerate(row_labels):
        y = top + r * cell_height
        parts.append(
            f'<text x="{_n(label_w - 6)}" y="{_n(y + cell_height - 5)}" text-anchor="end" fill="currentColor">'
            f"{escape(_clip(label, label_w - 8))}</text>"
        )
        for c, v in enumerate(values[r]):
            if v <= 0:
                continue
            x = label_w + c * cell
            hot = threshold is not None and v > threshold
            if hot:
                fill, opacity = "var(--chart-warn, #d55e00)", 1.0
            else:
                fill, opacity = _colour(0), 0.15 + 0.85 * min(v / scale, 1.0)
            tip = f"{label}, {column_labels[c]}: {_value(v, unit)}{' !' if hot else ''}"
            parts.append(
                f'<rect x="{_n(x)}" y="{_n(y + 1)}" width="{cell}" height="{cell_height - 2}" fill="{fill}" '
                f'fill-opacity="{opacity:.2f}"><title>{escape(tip)}</title></rect>'
            )
    base_y = top + cell_height * len(row_labels)
    parts.append(
        f'<rect x="{_n(label_w)}" y="{top}" width="{cell * len(column_labels)}" height="{cell_height * len(row_labels)}" '
        f'fill="none" stroke="currentColor" stroke-opacity="0.3"/>'
    )
    step = max(label_every, 1)
    for c in range(0, len(column_labels), step):
        x = label_w + c * cell
        parts.append(
            f'<line x1="{_n(x)}" y1="{top}" x2="{_n(x)}" y2="{_n(base_y + 4)}" stroke="currentColor" stroke-opacity="0.3"/>'
            f'<text x="{_n(x + 2)}" y="{_n(base_y + 16)}" fill="currentColor" font-size="10">{escape(column_labels[c])}</text>'
        )
    legend = f"shade: 0 to {_value(scale, unit)}" + (
        f"; warning colour above {_value(threshold, unit)}" if threshold is not None else "")
    parts.append(
        f'<text x="{_n(label_w)}" y="{_n(base_y + 34)}" fill="currentColor" fill-opacity="0.7" font-size="10">'
        f"{escape(legend)}</text></svg>"
    )
    return "".join(parts)
