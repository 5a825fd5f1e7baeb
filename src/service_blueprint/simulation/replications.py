"""Replications: run the engine R times with independent seeds and summarise with 95 % intervals.

Each replication simulates a warm-up followed by the measured window; its figures (mean times,
quantiles, shares, utilisations, costs) are one observation, and the interval is Student's t over
the R observations. Pooled quantiles come from the summed histograms of all replications.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..errors import UsageError
from ..model import Blueprint
from .engine import EventSink, run
from .model import SimModel, SimOptions, build_model
from .shifts import WEEK, staffing_text
from .stats import Histogram, RunStats

FloatArray = NDArray[np.float64]

# Two-sided 95 % quantiles of Student's t for 1..30 degrees of freedom.
_T975 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
         2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
         2.052, 2.048, 2.045, 2.042)


def t975(df: int) -> float:
    """Student's t quantile for a two-sided 95 % interval (Cornish–Fisher beyond the table)."""
    if df < 1:
        return math.inf
    if df <= len(_T975):
        return _T975[df - 1]
    z = 1.959964
    return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df * df)


@dataclass(frozen=True, slots=True)
class Estimate:
    """A mean over replications with the half-width of its 95 % confidence interval."""

    mean: float
    half_width: float

    @property
    def low(self) -> float:
        return self.mean - self.half_width

    @property
    def high(self) -> float:
        return self.mean + self.half_width

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high

    @classmethod
    def of(cls, values: Sequence[float]) -> Estimate:
        xs = [v for v in values if math.isfinite(v)]
        if not xs:
            return cls(math.nan, math.nan)
        mean = sum(xs) / len(xs)
        if len(xs) < 2:
            return cls(mean, math.inf)
        sd = math.sqrt(sum((x - mean) ** 2 for x in xs) / (len(xs) - 1))
        return cls(mean, t975(len(xs) - 1) * sd / math.sqrt(len(xs)))


@dataclass(frozen=True, slots=True)
class ActionResult:
    """Per action: how often it ran, the wait the queue produced, and the wait the file gives."""

    id: str
    lane: str
    role: str | None
    queued: bool
    runs_per_case: float
    executions_per_case: float  # runs × executions each (``repeat``)
    wait: Estimate  # mean queue wait per run (queued actions), seconds
    waited_share: float  # share of runs that waited at all
    max_wait: float
    delay: float  # mean given wait applied as a delay (actions that do not queue), seconds
    given_wait: float | None  # mean of the action's ``wait`` in the file, seconds


@dataclass(frozen=True, slots=True)
class RoleResult:
    """Per role: load, queue and cost, overall and per hour of the week."""

    id: str
    name: str
    staffing: str  # as ``--staff`` would write it
    unlimited: bool
    utilisation: Estimate  # busy time / on-duty time
    busy_per_hour: tuple[float, ...]  # mean units busy in each hour of the week
    on_duty_per_hour: tuple[float, ...]  # mean units on duty in each hour of the week
    queue_per_hour: tuple[float, ...]  # mean queue length in each hour of the week
    mean_queue: Estimate
    max_queue: float
    overtime_hours_per_week: float
    paid_hours_per_week: float
    labour_cost_per_week: float

    @property
    def utilisation_per_hour(self) -> tuple[float, ...]:
        """Busy / on duty per hour; NaN where nobody is on duty (∞ when busy off duty)."""
        out = []
        for b, d in zip(self.busy_per_hour, self.on_duty_per_hour, strict=True):
            out.append(b / d if d > 0 else (math.inf if b > 1e-9 else math.nan))
        return tuple(out)


@dataclass(frozen=True, slots=True)
class SimulationResult:
    """Everything ``blueprint simulate`` reports, as data."""

    title: str
    options: SimOptions
    tolerance: float | None
    customer_time_measured: bool
    customer_mean: Estimate
    customer_quantiles: dict[str, Estimate]  # "P50", "P90", "P95"
    customer_pooled: dict[str, float]
    case_mean: Estimate
    case_quantiles: dict[str, Estimate]
    within_tolerance: Estimate  # share of arrivals whose customer time is within the tolerance
    arrivals_per_day: Estimate
    throughput_per_day: Estimate
    abandoned_share: Estimate
    unfinished: int
    in_system: Estimate  # time-average number of cases in the system (Little's L)
    labour_cost_per_week: Estimate
    fixed_cost_per_case: Estimate
    cost_per_case: Estimate
    actions: tuple[ActionResult, ...]
    roles: tuple[RoleResult, ...]
    histogram: Histogram  # pooled customer times

    def role(self, role_id: str) -> RoleResult:
        return next(r for r in self.roles if r.id == role_id)

    def action(self, action_id: str) -> ActionResult:
        return next(a for a in self.actions if a.id == action_id)

    @property
    def staffing(self) -> str:
        return " ".join(r.staffing for r in self.roles)


_QUANTILES = {"P50": 0.5, "P90": 0.9, "P95": 0.95}


def simulate(bp: Blueprint, options: SimOptions | None = None, *, sink: EventSink | None = None,
             jobs: int = 1) -> SimulationResult:
    """Simulate ``bp``: ``options.replications`` runs, summarised with 95 % intervals.

    ``sink`` (an event log writer) receives the executions of the first replication. ``jobs`` > 1
    runs the replications in that many worker processes; the result is the same, because each
    replication's seed is fixed in advance."""
    options = options or SimOptions()
    model = build_model(bp, options)
    return summarise(model, options, run_replications(model, options, sink=sink, jobs=jobs))


def run_replications(model: SimModel, options: SimOptions, *, sink: EventSink | None = None,
                     jobs: int = 1) -> list[RunStats]:
    """The replications of ``model``, in order; the first one feeds ``sink``."""
    seeds = np.random.SeedSequence(options.seed).spawn(options.replications)
    if jobs < 1:
        raise UsageError("--jobs must be at least 1")
    workers = min(jobs, len(seeds))
    if workers <= 1:
        return [run(model, s, sink if k == 0 else None) for k, s in enumerate(seeds)]
    first = [run(model, seeds[0], sink)] if sink is not None else []
    rest = seeds[len(first):]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return first + list(pool.map(run, [model] * len(rest), rest))


def summarise(model: SimModel, options: SimOptions, runs: Sequence[RunStats]) -> SimulationResult:
    """Fold replications into estimates."""
    plan = model.plan
    days = [r.window / 86400.0 for r in runs]
    weeks = [r.window / WEEK for r in runs]

    def est(values: Sequence[float]) -> Estimate:
        return Estimate.of(list(values))

    def quantiles(samples: Sequence[Histogram]) -> dict[str, Estimate]:
        return {k: est([h.quantile(q) for h in samples]) for k, q in _QUANTILES.items()}

    pooled = Histogram()
    for r in runs:
        pooled.merge(r.customer.hist)
    labour = []
    for r, w in zip(runs, weeks, strict=True):
        total = 0.0
        for k, ros in enumerate(model.rosters):
            rate = model.cost_per_hour[k]
            if ros.unlimited:
                total += rate * float(r.busy[k].sum()) / 3600.0
            else:
                total += rate * (float(r.on_duty[k].sum()) + float(r.overtime[k])) / 3600.0
        labour.append(total / w)

    actions = []
    for i in range(plan.size):
        runs_n = sum(float(r.runs[i]) for r in runs)
        waited = sum(float(r.waited[i]) for r in runs)
        given = plan.waits[i]
        actions.append(ActionResult(
            id=plan.ids[i],
            lane=plan.lanes[i],
            role=plan.roles[i],
            queued=model.queued[i],
            runs_per_case=runs_n / max(sum(r.arrivals for r in runs), 1),
            executions_per_case=sum(float(r.executions[i]) for r in runs) / max(sum(r.arrivals for r in runs), 1),
            wait=est([float(r.wait_sum[i] / r.runs[i]) if r.runs[i] else math.nan for r in runs]),
            waited_share=waited / runs_n if runs_n else 0.0,
            max_wait=max(float(r.wait_max[i]) for r in runs),
            delay=sum(float(r.delay_sum[i]) for r in runs) / runs_n if runs_n else 0.0,
            given_wait=given.mean if given is not None else None,
        ))

    roles = []
    hour_seconds = sum(r.hour_seconds for r in runs)
    safe_hours = np.where(hour_seconds > 0, hour_seconds, 1.0)
    for k, ros in enumerate(model.rosters):
        busy = sum(r.busy[k] for r in runs)
        duty = sum(r.on_duty[k] for r in runs)
        queue = sum(r.queue[k] for r in runs)
        util = [float(r.busy[k].sum() / r.on_duty[k].sum()) if r.on_duty[k].sum() > 0 else math.nan for r in runs]
        overtime = sum(float(r.overtime[k]) for r in runs) / 3600.0 / sum(weeks)
        paid = ros.weekly_hours() if not ros.unlimited else 0.0
        roles.append(RoleResult(
            id=ros.role,
            name=model.role_labels[k],
            staffing=staffing_text(ros),
            unlimited=ros.unlimited,
            utilisation=est(util),
            busy_per_hour=tuple(float(x) for x in busy / safe_hours),
            on_duty_per_hour=tuple(float(x) for x in duty / safe_hours),
            queue_per_hour=tuple(float(x) for x in queue / safe_hours),
            mean_queue=est([float(r.queue[k].sum() / r.window) for r in runs]),
            max_queue=max(float(r.max_queue[k]) for r in runs),
            overtime_hours_per_week=overtime,
            paid_hours_per_week=paid,
            labour_cost_per_week=model.cost_per_hour[k] * (
                float(busy.sum()) / 3600.0 / sum(weeks) if ros.unlimited else paid + overtime),
        ))

    def share(r: RunStats) -> float:
        return r.within / r.arrivals if r.arrivals else math.nan

    fixed = [r.fixed_cost / r.completed if r.completed else math.nan for r in runs]
    per_case = [(lab * w + r.fixed_cost) / r.completed if r.completed else math.nan
                for lab, w, r in zip(labour, weeks, runs, strict=True)]
    return SimulationResult(
        title=model.title,
        options=options,
        tolerance=model.tolerance,
        customer_time_measured=model.customer_measured,
        customer_mean=est([r.customer.moments.mean if r.completed else math.nan for r in runs]),
        customer_quantiles=quantiles([r.customer.hist for r in runs]),
        customer_pooled={k: pooled.quantile(q) for k, q in _QUANTILES.items()},
        case_mean=est([r.case.moments.mean if r.completed else math.nan for r in runs]),
        case_quantiles=quantiles([r.case.hist for r in runs]),
        within_tolerance=est([share(r) for r in runs]) if model.tolerance is not None else Estimate(math.nan, math.nan),
        arrivals_per_day=est([r.arrivals / d for r, d in zip(runs, days, strict=True)]),
        throughput_per_day=est([r.finished_in_window / d for r, d in zip(runs, days, strict=True)]),
        abandoned_share=est([r.abandoned / r.arrivals if r.arrivals else math.nan for r in runs]),
        unfinished=sum(r.unfinished for r in runs),
        in_system=est([r.in_system / r.window for r in runs]),
        labour_cost_per_week=est(labour),
        fixed_cost_per_case=est(fixed),
        cost_per_case=est(per_case),
        actions=tuple(actions),
        roles=tuple(roles),
        histogram=pooled,
    )

