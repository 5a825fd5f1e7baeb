"""What a simulation found, for people: a text summary, JSON, and an offline HTML report.

The figures come from ``SimulationResult``; this module only arranges them. Times are shown with
``fmt_seconds``; every estimate that has a 95 % interval is shown with it (``± half-width``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from html import escape
from typing import Any

from ..calendar import DAYS
from ..charts import bar_chart, heatmap
from ..demand import hour_label
from ..quantities import fmt_seconds
from ..report_page import html_page, html_table, section
from .replications import Estimate, RoleResult, SimulationResult
from .shifts import HOURS_OF_WEEK

BUSY = 0.85  # utilisation above which a role is called overloaded in an hour
FREE = 0.5  # on duty but below this utilisation: time that could be used elsewhere


def _pm_time(e: Estimate) -> str:
    if not math.isfinite(e.mean):
        return "–"
    hw = f" ± {fmt_seconds(e.half_width)}" if math.isfinite(e.half_width) else ""
    return fmt_seconds(e.mean) + hw


def _pm_pct(e: Estimate) -> str:
    if not math.isfinite(e.mean):
        return "–"
    hw = f" ± {100 * e.half_width:.1f}" if math.isfinite(e.half_width) else ""
    return f"{100 * e.mean:.1f}{hw} %"


def _pm(e: Estimate, digits: int = 1) -> str:
    if not math.isfinite(e.mean):
        return "–"
    hw = f" ± {e.half_width:.{digits}f}" if math.isfinite(e.half_width) else ""
    return f"{e.mean:.{digits}f}{hw}"


def _money(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.2f}"


def hour_windows(hours: Sequence[int]) -> str:
    """``Mon 09:00-12:00, Sat 10:00-11:00`` for a sorted list of hours of the week."""
    parts: list[str] = []
    run: list[int] = []
    for h in hours:
        if run and h == run[-1] + 1 and h % 24:
            run.append(h)
            continue
        if run:
            parts.append(_window(run))
        run = [h]
    if run:
        parts.append(_window(run))
    return ", ".join(parts)


def _window(run: list[int]) -> str:
    end = run[-1] + 1
    end_text = "24:00" if end % 24 == 0 else f"{end % 24:02d}:00"
    return f"{hour_label(run[0])}-{end_text}"


def overloaded_hours(role: RoleResult) -> list[int]:
    """Hours of the week in which the role is busier than ``BUSY`` (or works past its shift)."""
    if role.unlimited:
        return []
    return [h for h, u in enumerate(role.utilisation_per_hour) if not math.isnan(u) and u > BUSY]


def free_hours(role: RoleResult) -> list[int]:
    """Hours of the week in which the role is on duty but mostly idle."""
    if role.unlimited:
        return []
    return [h for h, u in enumerate(role.utilisation_per_hour)
            if not math.isnan(u) and u < FREE and role.on_duty_per_hour[h] > 0]


def bottleneck(result: SimulationResult) -> RoleResult | None:
    """The limited role whose queue holds customers longest: the biggest mean queue, then the
    highest utilisation."""
    limited = [r for r in result.roles if not r.unlimited and r.busy_per_hour and sum(r.busy_per_hour) > 0]
    if not limited:
        return None
    return max(limited, key=lambda r: (r.mean_queue.mean, r.utilisation.mean))


def settings_text(result: SimulationResult) -> str:
    o = result.options
    parts = [f"{o.days:g} days after a {fmt_seconds(o.warmup)} warm-up", f"{o.replications} replications",
             f"seed {o.seed}", f"staff {result.staffing}"]
    if o.start:
        minute = int(o.start // 60)
        parts.insert(0, f"from {DAYS[minute // 1440]} {minute % 1440 // 60:02d}:{minute % 60:02d}")
    if o.demand_factor != 1.0:
        parts.append(f"demand ×{o.demand_factor:g}")
    if o.patience is not None:
        parts.append(f"patience {o.patience}")
    return "; ".join(parts)


# ---- text ------------------------------------------------------------------------------------
def text_report(result: SimulationResult) -> str:
    q = result.customer_quantiles
    lines = [f"{result.title}: simulated {settings_text(result)}", ""]
    what = "customer time" if result.customer_time_measured else "time in system"
    lines.append(f"{what}: mean {_pm_time(result.customer_mean)}; P50 {_pm_time(q['P50'])}, "
                 f"P90 {_pm_time(q['P90'])}, P95 {_pm_time(q['P95'])}")
    if result.tolerance is not None:
        lines.append(f"within the tolerance of {fmt_seconds(result.tolerance)}: {_pm_pct(result.within_tolerance)}")
    lines.append(f"arrivals {_pm(result.arrivals_per_day)}/day, throughput {_pm(result.throughput_per_day)}/day, "
                 f"abandoned {_pm_pct(result.abandoned_share)}, in the system on average {_pm(result.in_system, 2)}")
    lines.append(f"labour cost {_money(result.labour_cost_per_week.mean)}/week, "
                 f"cost per case {_money(result.cost_per_case.mean)}")
    if result.unfinished:
        lines.append(f"warning: {result.unfinished} cases had not finished when the run stopped")
    rows = [["role", "staff", "utilisation", "mean queue", "max queue", "overtime h/wk", "over 85 % busy in"]]
    for r in result.roles:
        util = (f"{sum(r.busy_per_hour) / HOURS_OF_WEEK:.2f} busy (unlimited)" if r.unlimited
                else _pm_pct(r.utilisation))
        rows.append([r.id, r.staffing.split("=", 1)[1], util, _pm(r.mean_queue, 2), f"{r.max_queue:.0f}",
                     f"{r.overtime_hours_per_week:.1f}", hour_windows(overloaded_hours(r)) or "–"])
    lines += ["", *_columns(rows)]
    rows = [["action", "role", "runs/case", "simulated wait", "given wait", "delay"]]
    for a in result.actions:
        rows.append([a.id, a.role or "–", f"{a.runs_per_case:.2f}", _pm_time(a.wait) if a.queued else "no queue",
                     fmt_seconds(a.given_wait) if a.given_wait is not None else "–",
                     fmt_seconds(a.delay) if a.delay else "–"])
    lines += ["", *_columns(rows)]
    b = bottleneck(result)
    if b is not None:
        lines += ["", f"bottleneck: {b.id} (mean queue {_pm(b.mean_queue, 2)}, utilisation {_pm_pct(b.utilisation)})"]
    return "\n".join(lines) + "\n"


def _columns(rows: list[list[str]]) -> list[str]:
    """Left-aligned columns two spaces apart (the last column is not padded)."""
    widths = [max(len(row[k]) for row in rows) for k in range(len(rows[0]) - 1)]
    return ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)) + "  " + row[-1]
            for row in rows]


# ---- JSON ------------------------------------------------------------------------------------
def _est(e: Estimate) -> dict[str, float | None]:
    def num(x: float) -> float | None:
        return round(x, 6) if math.isfinite(x) else None

    return {"mean": num(e.mean), "half_width": num(e.half_width)}


def json_report(result: SimulationResult) -> str:
    data: dict[str, Any] = {
        "title": result.title,
        "settings": settings_text(result),
        "staff": result.staffing,
        "customer_time": {"mean": _est(result.customer_mean), **{k: _est(v) for k, v in result.customer_quantiles.items()}},
        "case_time": {"mean": _est(result.case_mean), **{k: _est(v) for k, v in result.case_quantiles.items()}},
        "tolerance": result.tolerance,
        "within_tolerance": _est(result.within_tolerance),
        "arrivals_per_day": _est(result.arrivals_per_day),
        "throughput_per_day": _est(result.throughput_per_day),
        "abandoned_share": _est(result.abandoned_share),
        "in_system": _est(result.in_system),
        "labour_cost_per_week": _est(result.labour_cost_per_week),
        "cost_per_case": _est(result.cost_per_case),
        "unfinished": result.unfinished,
        "roles": [{
            "id": r.id, "staff": r.staffing, "unlimited": r.unlimited, "utilisation": _est(r.utilisation),
            "mean_queue": _est(r.mean_queue), "max_queue": r.max_queue,
            "overtime_hours_per_week": round(r.overtime_hours_per_week, 6),
            "labour_cost_per_week": round(r.labour_cost_per_week, 6),
            "utilisation_per_hour": [None if not math.isfinite(u) else round(u, 6) for u in r.utilisation_per_hour],
            "queue_per_hour": [round(x, 6) for x in r.queue_per_hour],
        } for r in result.roles],
        "actions": [{
            "id": a.id, "role": a.role, "queued": a.queued, "runs_per_case": round(a.runs_per_case, 6),
            "wait": _est(a.wait), "waited_share": round(a.waited_share, 6), "max_wait": round(a.max_wait, 3),
            "given_wait": a.given_wait, "delay": round(a.delay, 3),
        } for a in result.actions],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# ---- HTML ------------------------------------------------------------------------------------
def _card(value: str, label: str, cls: str = "") -> str:
    c = f" {cls}" if cls else ""
    return f'<div class="card"><div class="value{c}">{escape(value)}</div><div class="label">{escape(label)}</div></div>'


def html_report(result: SimulationResult) -> str:
    q = result.customer_quantiles
    what = "Customer time" if result.customer_time_measured else "Time in system"
    cards = [_card(_pm_time(q["P50"]), f"{what} P50"), _card(_pm_time(q["P90"]), f"{what} P90"),
             _card(_pm_time(q["P95"]), f"{what} P95")]
    if result.tolerance is not None:
        share = result.within_tolerance.mean
        cls = "ok" if share >= 0.9 else "warn" if share >= 0.75 else "bad"
        cards.append(_card(_pm_pct(result.within_tolerance), f"within {fmt_seconds(result.tolerance)}", cls))
    cards += [_card(_pm(result.throughput_per_day), "cases finished per day"),
              _card(_pm_pct(result.abandoned_share), "abandoned"),
              _card(_money(result.labour_cost_per_week.mean), "labour cost per week"),
              _card(_money(result.cost_per_case.mean), "cost per case")]
    body = [section("Summary", _summary(result, cards), "summary"),
            section("Time distribution", _times(result), "times"),
            section("Staff load by hour of the week", _load(result), "load"),
            section("Queues", _queues(result), "queues"),
            section("Waits per action", _waits(result), "waits"),
            section("How this was simulated", _method(result), "method")]
    return html_page(
        f"Simulation: {result.title}", "".join(body), subtitle=settings_text(result),
        toc=[("summary", "Summary"), ("times", "Times"), ("load", "Load"), ("queues", "Queues"),
             ("waits", "Waits"), ("method", "Method")],
        footer="Generated by service-blueprint simulate. Intervals are 95 % confidence intervals over replications.")


def _summary(result: SimulationResult, cards: list[str]) -> str:
    parts = ['<div class="cards">' + "".join(cards) + "</div>"]
    b = bottleneck(result)
    if b is not None:
        busy = hour_windows(overloaded_hours(b))
        parts.append(f'<p class="note"><strong>Bottleneck: {escape(b.name)}</strong> ({escape(b.id)}): '
                     f"mean queue {escape(_pm(b.mean_queue, 2))}, utilisation {escape(_pm_pct(b.utilisation))}"
                     + (f"; above {BUSY:.0%} in {escape(busy)}" if busy else "") + ".</p>")
    if result.unfinished:
        parts.append(f'<p class="bad">{result.unfinished} cases had not finished when the run stopped: '
                     "some work never gets a unit on duty.</p>")
    return "".join(parts)


def _times(result: SimulationResult) -> str:
    h = result.histogram
    probs = (0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99)
    top = max(h.quantile(0.99), result.tolerance or 0.0)
    unit, size = ("d", 86400.0) if top > 3 * 86400 else ("h", 3600.0) if top > 3 * 3600 else ("min", 60.0)
    items = [(f"P{round(p * 100)}", h.quantile(p) / size) for p in probs]
    chart = bar_chart(items, title=f"Customer time percentiles ({unit}), all replications pooled", unit=unit,
                      marker=result.tolerance / size if result.tolerance is not None else None,
                      marker_label="tolerance")
    rows = [[k, _pm_time(result.customer_quantiles[k]), _pm_time(result.case_quantiles[k])] for k in ("P50", "P90", "P95")]
    rows.append(["mean", _pm_time(result.customer_mean), _pm_time(result.case_mean)])
    table = html_table(["", "customer time", "case time (all work)"], rows, numeric=(1, 2))
    return f'<div class="figure">{chart}</div>{table}'


def _load(result: SimulationResult) -> str:
    roles = [r for r in result.roles if not r.unlimited]
    labels = [hour_label(h) for h in range(HOURS_OF_WEEK)]
    values = [[min(u, 2.0) * 100 if math.isfinite(u) else (200.0 if u > 0 else 0.0) for u in r.utilisation_per_hour]
              for r in roles]
    chart = heatmap([r.id for r in roles], labels, values, title="Utilisation of each role per hour (%)",
                    unit="%", max_value=100.0, threshold=100.0, label_every=24, cell=5) if roles else ""
    rows = []
    for r in result.roles:
        util = f"{sum(r.busy_per_hour) / HOURS_OF_WEEK:.2f} busy on average" if r.unlimited else _pm_pct(r.utilisation)
        rows.append([r.name, r.staffing.split("=", 1)[1], util, hour_windows(overloaded_hours(r)) or "–",
                     hour_windows(free_hours(r)) or "–", f"{r.paid_hours_per_week:.1f}",
                     f"{r.overtime_hours_per_week:.1f}", _money(r.labour_cost_per_week)])
    table = html_table(["role", "staff", "utilisation", f"over {BUSY:.0%} in", f"under {FREE:.0%} (free) in",
                        "paid h/week", "overtime h/week", "labour cost/week"], rows, numeric=(2, 5, 6, 7))
    note = ('<p class="muted">Shade: share of the staff on duty that is busy in that hour, averaged over the '
            "measured weeks; the warning colour marks hours above 100 % (work finished after a shift ended). "
            "Blank cells: nobody on duty and nothing to do.</p>")
    return f'<div class="figure">{chart}</div>{note}{table}'


def _queues(result: SimulationResult) -> str:
    roles = [r for r in result.roles if not r.unlimited]
    labels = [hour_label(h) for h in range(HOURS_OF_WEEK)]
    values = [list(r.queue_per_hour) for r in roles]
    chart = heatmap([r.id for r in roles], labels, values, title="Mean queue length per hour (cases waiting)",
                    label_every=24, cell=5) if roles else ""
    rows = [[r.name, _pm(r.mean_queue, 2), f"{r.max_queue:.0f}",
             hour_label(max(range(HOURS_OF_WEEK), key=lambda h: r.queue_per_hour[h])) if max(r.queue_per_hour) > 0 else "–"]
            for r in roles]
    table = html_table(["role", "mean queue", "longest queue", "longest on average at"], rows, numeric=(1, 2))
    return f'<div class="figure">{chart}</div>{table}'


def _waits(result: SimulationResult) -> str:
    rows = []
    for a in result.actions:
        rows.append([a.id, a.lane, a.role or "–", f"{a.runs_per_case:.2f}",
                     _pm_time(a.wait) if a.queued else "no queue",
                     f"{100 * a.waited_share:.0f} %" if a.queued else "–",
                     fmt_seconds(a.max_wait) if a.queued else "–",
                     fmt_seconds(a.given_wait) if a.given_wait is not None else "–",
                     fmt_seconds(a.delay) if a.delay else "–"])
    note = ('<p class="muted">For actions whose role has limited staff the queue produces the wait, so the '
            "wait given in the file is not added: compare it with the simulated wait. For other actions the "
            "given wait is a pure delay before the action starts.</p>")
    return note + html_table(["action", "lane", "role", "runs/case", "simulated wait", "had to wait", "longest wait",
                              "given wait", "delay applied"], rows, numeric=(3, 4, 5, 6, 7, 8))


def _method(result: SimulationResult) -> str:
    o = result.options
    return (f"<p>{o.replications} independent replications of {o.days:g} days each, after a warm-up of "
            f"{escape(fmt_seconds(o.warmup))} that is simulated but not counted. Cases arrive as a Poisson "
            "process whose rate follows the demand profile (opening hours and peaks). Each action holds one "
            "unit of its role for its sampled duration; each role has one first-in-first-out queue; staff "
            "follow their shifts: work in progress is finished past the end of a shift (overtime) and queued "
            "work waits for the next staff on duty. The same seed gives the same result.</p>"
            "<p>Labour cost counts paid time on duty plus overtime for staffed roles, and busy time for roles "
            "with unlimited capacity; fixed costs per execution come on top in the cost per case.</p>")
