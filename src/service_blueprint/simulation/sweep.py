"""Scenario grids: every combination of staff levels and demand factors, simulated in parallel.

Scenarios run in local worker processes by default, or on an existing Dask distributed cluster
given its scheduler address. Each scenario is compiled here and shipped as a ``SimModel`` (plain
data), and every scenario uses the same seed, so the grid compares staffings on the same
customers. Results come back in grid order whatever order the workers finish in.
"""

from __future__ import annotations

import itertools
import math
import os
import re
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

from ..charts import heatmap
from ..errors import UsageError
from ..model import Blueprint
from ..quantities import fmt_seconds
from .model import SimModel, SimOptions, build_model
from .replications import run_replications, summarise
from .shifts import StaffSpec

_RANGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:\.\.\s*(\d+(?:\.\d+)?))?\s*[x×]?\s*$", re.IGNORECASE)


def parse_staff_range(text: str) -> tuple[str, list[int]]:
    """``mechanic=2..5`` or ``mechanic=3``: a role and the head counts to try."""
    role, sep, values = text.partition("=")
    m = _RANGE.match(values) if sep else None
    if not m or "." in m[1] or (m[2] and "." in m[2]) or not role.strip():
        raise UsageError(f"cannot read --staff {text!r}; write ROLE=LOW..HIGH (e.g. mechanic=2..5) or ROLE=N")
    low = int(m[1])
    high = int(m[2]) if m[2] else low
    if high < low:
        raise UsageError(f"--staff {text!r}: the range must go up")
    if high - low > 200:
        raise UsageError(f"--staff {text!r}: at most 200 values per role")
    return role.strip(), list(range(low, high + 1))


def parse_demand_range(text: str, step: float) -> list[float]:
    """``0.8..1.5x`` (every ``step``) or ``1.2x``: demand factors to try."""
    m = _RANGE.match(text)
    if not m:
        raise UsageError(f"cannot read --demand {text!r}; write LOW..HIGHx (e.g. 0.8..1.5x) or a factor such as 1.2x")
    low = float(m[1])
    high = float(m[2]) if m[2] else low
    if high < low:
        raise UsageError(f"--demand {text!r}: the range must go up")
    if not step > 0:
        raise UsageError("--demand-step must be above zero")
    n = math.floor((high - low) / step + 1e-9) + 1
    if n > 200:
        raise UsageError("--demand gives more than 200 factors; use a larger --demand-step")
    return [round(low + k * step, 10) for k in range(n)]


@dataclass(frozen=True, slots=True)
class Scenario:
    staff: tuple[tuple[str, int], ...]
    demand: float

    @property
    def label(self) -> str:
        return " ".join(f"{r}={n}" for r, n in self.staff) or "as in the file"


@dataclass(frozen=True, slots=True)
class SweepRow:
    scenario: Scenario
    within_tolerance: float  # NaN without a scenario tolerance
    p90: float  # customer time, seconds
    mean_time: float
    max_utilisation: float  # highest utilisation of a limited role
    bottleneck: str
    abandoned: float
    labour_cost_per_week: float
    cost_per_case: float


def grid(staff: Sequence[tuple[str, list[int]]], demand: Sequence[float]) -> list[Scenario]:
    roles = [r for r, _ in staff]
    out = []
    for counts in itertools.product(*(values for _, values in staff)):
        for factor in demand:
            out.append(Scenario(tuple(zip(roles, counts, strict=True)), factor))
    return out


def _run(job: tuple[SimModel, SimOptions, Scenario]) -> SweepRow:
    """One scenario, in a worker: simulate and keep only the figures of the table."""
    model, options, scenario = job
    result = summarise(model, options, run_replications(model, options))
    limited = [r for r in result.roles if not r.unlimited]
    top = max(limited, key=lambda r: r.utilisation.mean if math.isfinite(r.utilisation.mean) else -1.0,
              default=None)
    return SweepRow(
        scenario=scenario,
        within_tolerance=result.within_tolerance.mean,
        p90=result.customer_quantiles["P90"].mean,
        mean_time=result.customer_mean.mean,
        max_utilisation=top.utilisation.mean if top is not None else math.nan,
        bottleneck=top.id if top is not None else "",
        abandoned=result.abandoned_share.mean,
        labour_cost_per_week=result.labour_cost_per_week.mean,
        cost_per_case=result.cost_per_case.mean,
    )


def sweep(bp: Blueprint, scenarios: Sequence[Scenario], options: SimOptions, *, jobs: int | None = None,
          scheduler: str | None = None) -> list[SweepRow]:
    """Simulate every scenario; in local processes (``jobs``, default one per CPU), or on the Dask
    cluster at ``scheduler``. Rows come back in the order of ``scenarios``."""
    work = []
    for sc in scenarios:
        staff = dict(options.staff or {})
        staff.update({role: StaffSpec(role, (n,)) for role, n in sc.staff})
        opts = replace(options, staff=staff, demand_factor=options.demand_factor * sc.demand)
        work.append((build_model(bp, opts), opts, sc))
    if scheduler is not None:
        return _on_dask(work, scheduler)
    workers = max(1, min(jobs or os.cpu_count() or 1, len(work)))
    if workers == 1:
        return [_run(job) for job in work]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_run, work))


def _on_dask(work: list[tuple[SimModel, SimOptions, Scenario]], scheduler: str) -> list[SweepRow]:
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover - dask is a dev/sim extra
        raise UsageError("--scheduler needs Dask: pip install 'service-blueprint[sim]'") from None
    try:
        client = Client(scheduler, timeout="5s")  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
    try:
        futures = client.map(_run, work, pure=False)
        rows: list[Any] = client.gather(futures)  # type: ignore[no-untyped-call]
        return list(rows)
    finally:
        client.close()  # type: ignore[no-untyped-call]


def chart(rows: Sequence[SweepRow]) -> str:
    """A heatmap: staffing × demand factor, shaded by the share within tolerance (or, without a
    tolerance, by the P90 customer time in minutes)."""
    staffs = list(dict.fromkeys(r.scenario.label for r in rows))
    factors = list(dict.fromkeys(r.scenario.demand for r in rows))
    use_share = any(math.isfinite(r.within_tolerance) for r in rows)
    by_cell: dict[tuple[str, float], float] = {}
    for r in rows:
        v = 100 * r.within_tolerance if use_share else r.p90 / 60
        by_cell[(r.scenario.label, r.scenario.demand)] = v if math.isfinite(v) else 0.0
    values = [[by_cell.get((s, f), 0.0) for f in factors] for s in staffs]
    what = "Within tolerance (%)" if use_share else "Customer time P90 (min)"
    heading = f"{what} by staff (rows) and demand (columns)"
    # wide enough cells for the heading: the chart is as wide as its grid
    cell = max(44, math.ceil((len(heading) * 7.5 - 90) / max(len(factors), 1)))
    return heatmap(staffs, [f"{f:g}x" for f in factors], values, title=heading,
                   unit="%" if use_share else "min", max_value=100.0 if use_share else None, cell=cell, cell_height=22)


def rows_table(rows: Sequence[SweepRow]) -> tuple[list[str], list[list[str]]]:
    """Header and text cells, shared by the text, CSV and chart outputs."""
    header = ["staff", "demand", "within tolerance", "P90", "mean", "max utilisation", "busiest role",
              "abandoned", "labour cost/week", "cost/case"]
    out = []
    for r in rows:
        out.append([
            r.scenario.label, f"{r.scenario.demand:g}x",
            f"{100 * r.within_tolerance:.1f} %" if math.isfinite(r.within_tolerance) else "–",
            _minutes(r.p90), _minutes(r.mean_time),
            f"{100 * r.max_utilisation:.1f} %" if math.isfinite(r.max_utilisation) else "–",
            r.bottleneck or "–", f"{100 * r.abandoned:.1f} %" if math.isfinite(r.abandoned) else "–",
            f"{r.labour_cost_per_week:,.0f}", f"{r.cost_per_case:,.2f}" if math.isfinite(r.cost_per_case) else "–",
        ])
    return header, out


def _minutes(seconds: float) -> str:
    return fmt_seconds(seconds) if math.isfinite(seconds) else "–"
