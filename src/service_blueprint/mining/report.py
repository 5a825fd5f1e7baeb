"""Conformance reports: plain text for the terminal, JSON for tools, one offline HTML page.

The HTML page uses the shared shell (:mod:`service_blueprint.report_page`) and charts
(:mod:`service_blueprint.charts`); every figure is also in a table.
"""

from __future__ import annotations

import json
import os
from typing import Any

from ..charts import bar_chart, stacked_bar_chart
from ..quantities import fmt_seconds
from ..report_page import html_page, html_table, section
from .conformance import KINDS, Conformance

MAX_CASES = 20


def _t(x: float | None) -> str:
    return "-" if x is None else fmt_seconds(x)


def _share(x: float | None) -> str:
    return "-" if x is None else f"{x:.1%}"


def _case_lines(result: Conformance, limit: int) -> list[str]:
    lines = []
    for case, devs in list(result.deviations.items())[:limit]:
        parts = [f"{d.kind} {d.action}" + (f" ({d.detail})" if d.detail else "") for d in devs]
        lines.append(f"  case {case}: " + "; ".join(parts))
    more = len(result.deviations) - limit
    if more > 0:
        lines.append(f"  ... and {more} more deviating cases (--max-cases to see more)")
    return lines


def _action_rows(result: Conformance) -> list[list[str]]:
    return [[a.id, str(a.cases), _t(a.declared_mean), _t(a.measured_mean), _t(a.measured_median),
             _t(a.measured_p90), _t(a.tolerance), _share(a.within_tolerance), str(a.skipped), str(a.extra),
             str(a.out_of_order)] for a in result.actions]


_HEADER = ["action", "cases", "declared", "mean", "median", "P90", "tolerance", "within", "skipped", "extra",
           "out of order"]


def text_report(result: Conformance, max_cases: int = MAX_CASES) -> str:
    counts = result.counts()
    lines = [
        f"{result.title}: {result.fitting:,} of {result.cases:,} cases follow the blueprint "
        f"({result.fitness:.1%}) in {os.path.basename(result.log_source)}",
        "cases with deviations: " + ", ".join(f"{k} {counts[k]:,}" for k in KINDS),
    ]
    if result.customer_tolerance is not None:
        lines.append(f"customer time within the tolerance of {fmt_seconds(result.customer_tolerance)}: "
                     f"{_share(result.within_customer_tolerance)}")
    if result.unknown:
        lines.append("activities not in the blueprint (cases): " + ", ".join(
            f"{k} ({v})" for k, v in sorted(result.unknown.items())))
    lines.append("")
    rows = [_HEADER, *_action_rows(result)]
    widths = [max(len(r[c]) for r in rows) for c in range(len(_HEADER))]
    for r in rows:
        lines.append("  ".join(cell.ljust(w) if c == 0 else cell.rjust(w) for c, (cell, w) in
                               enumerate(zip(r, widths, strict=True))).rstrip())
    if result.deviations:
        lines += ["", "deviating cases:", *_case_lines(result, max_cases)]
    return "\n".join(lines) + "\n"


def json_report(result: Conformance, max_cases: int | None = None) -> str:
    cases = list(result.deviations.items())
    if max_cases is not None:
        cases = cases[:max_cases]
    data: dict[str, Any] = {
        "title": result.title,
        "log": os.path.basename(result.log_source),
        "cases": result.cases,
        "fitting": result.fitting,
        "fitness": round(result.fitness, 6),
        "cases_with": result.counts(),
        "customer_tolerance_s": result.customer_tolerance,
        "within_customer_tolerance": result.within_customer_tolerance,
        "unknown_activities": dict(sorted(result.unknown.items())),
        "actions": [{
            "id": a.id, "cases": a.cases, "executions": a.executions, "declared_mean_s": a.declared_mean,
            "mean_s": a.measured_mean, "median_s": a.measured_median, "p90_s": a.measured_p90,
            "tolerance_s": a.tolerance, "within_tolerance": a.within_tolerance, "skipped": a.skipped,
            "extra": a.extra, "out_of_order": a.out_of_order} for a in result.actions],
        "deviations": {case: [{"kind": d.kind, "action": d.action, "detail": d.detail} for d in devs]
                       for case, devs in cases},
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def html_report(result: Conformance, max_cases: int = 200) -> str:
    counts = result.counts()
    cards = "".join(
        f'<div class="card"><div class="value">{v}</div><div class="label">{k}</div></div>' for k, v in (
            ("follow the blueprint", f"{result.fitting:,} / {result.cases:,}"),
            ("fitness", f"{result.fitness:.1%}"),
            *((f"cases: {k}", f"{counts[k]:,}") for k in KINDS),
            *((("customer time within tolerance", _share(result.within_customer_tolerance)),)
              if result.customer_tolerance is not None else ()),
        ))
    summary = f'<div class="cards">{cards}</div>'
    dev_chart = stacked_bar_chart(
        [(a.id, (float(a.skipped), float(a.extra), float(a.out_of_order))) for a in result.actions],
        ["skipped", "extra", "out of order"], title="Cases with a deviation, per action", unit="cases")
    times = [(a.id, (a.measured_mean or 0.0) / 60) for a in result.actions if a.measured_mean is not None]
    time_chart = bar_chart(times, title="Measured mean duration per action", unit="min") if times else ""
    table = html_table(_HEADER, _action_rows(result), numeric=range(1, len(_HEADER)))
    rows = [[case, d.kind, d.action, d.detail] for case, devs in list(result.deviations.items())[:max_cases]
            for d in devs]
    cases = html_table(["case", "deviation", "action", "detail"], rows) if rows else "<p>Every case fits.</p>"
    more = len(result.deviations) - max_cases
    if more > 0:
        cases += f'<p class="muted">… and {more:,} more deviating cases (see the JSON output).</p>'
    unknown = ""
    if result.unknown:
        unknown = section("Activities not in the blueprint", html_table(
            ["activity", "cases"], [[k, str(v)] for k, v in sorted(result.unknown.items())], numeric=[1]),
            "unknown")
    body = (section("Summary", summary, "summary")
            + section("Per action", f'<div class="figure">{dev_chart}</div><div class="figure">{time_chart}</div>'
                      + table, "actions")
            + unknown
            + section("Deviating cases", cases, "cases"))
    return html_page(f"Conformance: {result.title}", body,
                     subtitle=f"log {os.path.basename(result.log_source)}, {result.cases:,} cases",
                     toc=[("summary", "Summary"), ("actions", "Per action"), ("cases", "Deviating cases")],
                     footer="Generated by blueprint conform.")
