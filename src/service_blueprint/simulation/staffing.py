"""The cheapest staff per role and shift that meets a service target, confirmed by simulation.

A target reads ``90% within tolerance`` (share of arriving customers whose customer time is within
the scenario's tolerance; customers who abandon count as missing it) or ``90% within 2 h``.

Search: (1) an Erlang C estimate per role and shift, from the work the role does per case and
the demand while the role is on duty; (2) while the simulated share misses the target, try one
more person in each role-shift and keep the one that gains most share per money; (3) then try
to remove one person at a time, most expensive shift first, keeping each removal that still
meets the target. The result is a local optimum of this search, not a proven global one. Every evaluation is a full simulation
with the same seed, so all candidates see the same customers (common random numbers) and the
comparison between plans is not blurred by luck.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

import numpy as np

from ..calendar import Window
from ..demand import demand_profile
from ..errors import UsageError
from ..model import Blueprint
from ..quantities import Duration, fmt_seconds
from ..queueing import min_servers
from ..sampling import expected_executions
from ..semantics import compile_plan, run_probabilities
from .model import SimOptions, build_model
from .replications import Estimate, SimulationResult, run_replications, summarise
from .shifts import StaffSpec, roster
from .stats import RunStats

_TARGET_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*within\s+(.+?)\s*$", re.IGNORECASE)
MAX_EVALUATIONS = 120
_AMPLE = 10_000  # head count that never queues


@dataclass(frozen=True, slots=True)
class Target:
    share: float  # 0..1
    within: float | None  # seconds; None means the scenario tolerance
    text: str


def parse_target(text: str) -> Target:
    m = _TARGET_RE.match(text)
    if not m:
        raise UsageError(f"cannot read target {text!r}; write e.g. '90% within tolerance' or '80% within 2 h'")
    share = float(m[1]) / 100
    if not 0 < share < 1:
        raise UsageError("the target share must be above 0 % and below 100 %")
    what = m[2]
    if what.lower() == "tolerance":
        return Target(share, None, text.strip())
    try:
        within = Duration.parse(what).mean
    except ValueError as exc:
        raise UsageError(f"target: {exc}") from exc
    return Target(share, within, text.strip())


@dataclass(frozen=True, slots=True)
class Slot:
    """One decision: the head count of one shift of a role, of a role without shifts (all
    week), or of one hour block of such a role when the demand has opening hours or peaks."""

    role: str
    shift: int  # index into the role's shifts; -1: the role has no shifts
    label: str  # 'all week', the shift text, or the block
    hours_per_week: float  # paid hours per person in this slot
    cost_per_hour: float
    windows: tuple[Window, ...] = ()  # an hour block: its windows (blocks of one role add up)
    minimum: int = 1  # fewest people the search may leave in the slot
    today: int | None = None  # head count today, for blocks (shifts read it from the roster)
    extra: bool = False  # a peak block: people on top of the opening-hours block


@dataclass(frozen=True, slots=True)
class StaffRow:
    role: str
    label: str
    current: int
    proposed: int
    cost_change_per_week: float


@dataclass(frozen=True, slots=True)
class StaffingPlan:
    target: Target
    achieved: Estimate
    met: bool
    rows: tuple[StaffRow, ...]
    current_cost: float  # paid staff cost per week, today's staffing
    proposed_cost: float
    staff_args: tuple[str, ...]  # the plan as --staff arguments (roles planned by shift)
    shift_texts: tuple[tuple[str, str], ...]  # roles planned by hour block: (role, shifts: [...] text)
    evaluations: int
    result: SimulationResult  # the simulation of the proposed plan
    best_possible: Estimate | None  # with unlimited staff, when the target is out of reach


def _slots(bp: Blueprint) -> list[Slot]:
    slots = []
    for rid, ros in roster(bp).items():
        if ros.unlimited:
            continue
        cost = bp.roles[rid].cost
        rate = cost.per_hour if cost is not None else 0.0
        if not ros.shifts:
            slots.extend(_blocks(bp, rid, rate, ros.staff))
            continue
        for k, shift in enumerate(ros.shifts):
            slots.append(Slot(rid, k, shift.text, shift.window.minutes_per_week / 60.0, rate))
    return slots


def _blocks(bp: Blueprint, role: str, rate: float, staff: int) -> list[Slot]:
    """Hour blocks for a role without shifts: the opening hours, each peak (people on top), and
    the rest of the week (may be nobody). Without opening hours or peaks: the whole week."""
    demand = bp.demand
    hours = [h.window for h in demand.hours] if demand is not None else []
    peaks = [p.window for p in demand.peaks] if demand is not None else []
    if not hours and not peaks:
        return [Slot(role, -1, "all week", 168.0, rate)]
    if not hours:
        hours = [Window(tuple(range(7)), ((0, 1440),), "daily 00:00-24:00")]
    out = [Slot(role, -1, "; ".join(w.canonical() for w in hours), sum(w.minutes_per_week for w in hours) / 60.0,
                rate, tuple(hours), 1, staff)]
    for w in peaks:
        out.append(Slot(role, -1, f"+ {w.canonical()}", w.minutes_per_week / 60.0, rate, (w,), 0, 0, extra=True))
    rest = _outside(hours)
    if rest:
        out.append(Slot(role, -1, "outside those hours", sum(w.minutes_per_week for w in rest) / 60.0, rate,
                        tuple(rest), 0, staff))
    return out


def _outside(windows: list[Window]) -> list[Window]:
    """The minutes of the week no window covers, as one window per day."""
    covered = np.zeros(7 * 1440, dtype=bool)
    for w in windows:
        for a, b in w.intervals():
            covered[a:b] = True
    out = []
    for day in range(7):
        free = ~covered[day * 1440:(day + 1) * 1440]
        edges = np.flatnonzero(np.diff(np.concatenate(([False], free, [False])).astype(np.int8)))
        ranges = tuple((int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True))
        if ranges:
            out.append(Window((day,), ranges, ""))
    return out


def _specs(bp: Blueprint, slots: list[Slot], counts: list[int]) -> dict[str, StaffSpec]:
    by_role: dict[str, list[int]] = {}
    blocks: dict[str, list[tuple[Window, int]]] = {}
    for s, n in zip(slots, counts, strict=True):
        if s.windows:
            blocks.setdefault(s.role, []).extend((w, n) for w in s.windows)
        else:
            by_role.setdefault(s.role, []).append(n)
    specs = {role: StaffSpec(role, tuple(ns)) for role, ns in by_role.items()}
    specs.update({role: StaffSpec(role, (), blocks=tuple(bs)) for role, bs in blocks.items()})
    return specs


def _current(bp: Blueprint, slots: list[Slot]) -> list[int]:
    ros = roster(bp)
    return [s.today if s.today is not None else ros[s.role].staff if s.shift < 0 else ros[s.role].counts[s.shift]
            for s in slots]


def _cost(slots: list[Slot], counts: list[int]) -> float:
    return sum(s.cost_per_hour * s.hours_per_week * n for s, n in zip(slots, counts, strict=True))


def erlang_estimate(bp: Blueprint, slots: list[Slot], target: Target, tolerance: float | None) -> list[int]:
    """Head count per slot from Erlang C: the smallest for which ``target.share`` of the role's
    jobs would start within a tenth of the time limit.

    For a shift, the role must do a week's work for the week's arrivals while it is on duty, so
    its jobs arrive at (arrivals per week × visits per case) / (on-duty time per week). For an
    hour block, at the arrival rate during the block × visits per case; a peak block gets the
    people needed on top of the opening-hours block."""
    plan = compile_plan(bp)
    runs = run_probabilities(plan, np.random.default_rng(0), 4000)
    profile = demand_profile(bp)
    assert profile is not None
    per_second = profile.per_minute / 3600.0
    rosters = roster(bp)
    limit = target.within if target.within is not None else (tolerance or 3600.0)
    base: dict[str, int] = {}
    out = []
    for s in slots:
        visits = work = 0.0
        for i, role in enumerate(plan.roles):
            d = plan.durations[i]
            if role == s.role and not plan.customer[i] and d is not None:
                n = float(runs[i]) * expected_executions(plan.repeat[i])
                visits += n
                work += n * d.mean
        if visits <= 0 or work <= 0:
            out.append(s.minimum)
            continue
        if s.windows:
            mask = np.zeros(per_second.size, dtype=bool)
            for w in s.windows:
                for a, b in w.intervals():
                    mask[a:b] = True
            lam = float(per_second[mask].mean()) * visits
        else:
            on_duty = float((rosters[s.role].minutes > 0).sum()) * 60.0 or 604800.0
            lam = profile.arrivals_per_week * visits / on_duty
        try:
            c = min_servers(lam, work / visits, target=target.share, within=limit / 10, limit=10_000)
        except ValueError:
            c = 10_000
        if s.extra:
            c -= base.get(s.role, 0)
        elif s.windows:
            base.setdefault(s.role, c)
        out.append(max(s.minimum, c))
    return out


def plan_staff(bp: Blueprint, target: Target, options: SimOptions) -> StaffingPlan:
    """Search the cheapest staffing meeting ``target``; see the module docstring."""
    slots = _slots(bp)
    if not slots:
        raise UsageError("no role has limited staff, so there is nothing to plan")
    tolerance = bp.scenario.tolerance.mean if bp.scenario.tolerance is not None else None
    if target.within is None and tolerance is None:
        raise UsageError("the blueprint has no scenario tolerance; write the target as '90% within 2 h'")
    evaluations = 0
    cache: dict[tuple[int, ...], tuple[Estimate, SimulationResult]] = {}

    def evaluate(counts: list[int]) -> tuple[Estimate, SimulationResult]:
        nonlocal evaluations
        key = tuple(counts)
        if key not in cache:
            evaluations += 1
            opts = replace(options, staff=_specs(bp, slots, counts))
            model = build_model(bp, opts)
            runs = run_replications(model, opts)
            result = summarise(model, opts, runs)
            cache[key] = (_share(result, runs, target), result)
        return cache[key]

    def meets(counts: list[int]) -> bool:
        return evaluate(counts)[0].mean >= target.share

    # Staffing can only remove queueing: with unlimited staff, is the target within reach at all?
    # (A large head count rather than ``unlimited``: an unlimited role would turn the given waits
    # into delays, and the shifts must stay as they are.)
    ample = _specs(bp, slots, [_AMPLE] * len(slots))
    best_opts = replace(options, staff=ample)
    best_model = build_model(bp, best_opts)
    best_runs = run_replications(best_model, best_opts)
    best = _share(summarise(best_model, best_opts, best_runs), best_runs, target)
    counts = erlang_estimate(bp, slots, target, tolerance)
    if best.mean < target.share:
        share, result = evaluate(counts)
        return _plan(bp, slots, counts, target, share, result, evaluations, best)
    while not meets(counts) and evaluations < MAX_EVALUATIONS:
        # Try one more person in each slot; keep the one that gains most share per money.
        base, result = evaluate(counts)
        best_k, best_gain = -1, 0.0
        for k in range(len(slots)):
            trial = counts.copy()
            trial[k] += 1
            gain = (evaluate(trial)[0].mean - base.mean) / _price(slots[k])
            if gain > best_gain:
                best_k, best_gain = k, gain
        if best_k < 0:  # nobody helps on their own: relieve the busiest slot
            best_k = max(range(len(slots)), key=lambda i: (_slot_utilisation(result, slots[i], bp), -i))
        counts[best_k] += 1
    if meets(counts):
        changed = True
        while changed and evaluations < MAX_EVALUATIONS:
            changed = False
            for k in sorted(range(len(slots)), key=lambda i: -_price(slots[i])):
                if counts[k] <= slots[k].minimum:  # a shift nobody works is not a shift
                    continue
                trial = counts.copy()
                trial[k] -= 1
                if meets(trial):
                    counts = trial
                    changed = True
    share, result = evaluate(counts)
    return _plan(bp, slots, counts, target, share, result, evaluations, None)


def _share(result: SimulationResult, runs: list[RunStats], target: Target) -> Estimate:
    """Share of arrivals meeting the target's time limit, per replication."""
    if target.within is None:
        return result.within_tolerance
    within = target.within
    return Estimate.of([r.customer.hist.share_at_most(within) * r.completed / r.arrivals
                        if r.arrivals else math.nan for r in runs])


def _plan(bp: Blueprint, slots: list[Slot], counts: list[int], target: Target, share: Estimate,
          result: SimulationResult, evaluations: int, best: Estimate | None) -> StaffingPlan:
    current = _current(bp, slots)
    rows = tuple(StaffRow(s.role, s.label, c, n, s.cost_per_hour * s.hours_per_week * (n - c))
                 for s, c, n in zip(slots, current, counts, strict=True))
    specs = _specs(bp, slots, counts)
    return StaffingPlan(
        target=target, achieved=share, met=share.mean >= target.share, rows=rows,
        current_cost=_cost(slots, current), proposed_cost=_cost(slots, counts),
        staff_args=tuple(spec.text() for spec in specs.values() if not spec.blocks),
        shift_texts=tuple((spec.role, "[" + ", ".join(f'"{w.canonical()} x{n}"' for w, n in _merged(spec.blocks)) + "]")
                          for spec in specs.values() if spec.blocks),
        evaluations=evaluations,
        result=result, best_possible=best,
    )


def _merged(blocks: tuple[tuple[Window, int], ...]) -> list[tuple[Window, int]]:
    """Blocks with people, windows of equal head count and times merged across days."""
    by: dict[tuple[tuple[tuple[int, int], ...], int], list[int]] = {}
    order: list[tuple[tuple[tuple[int, int], ...], int]] = []
    for w, n in blocks:
        if n <= 0:
            continue
        key = (w.ranges, n)
        if key not in by:
            by[key] = []
            order.append(key)
        by[key].extend(w.days)
    return [(Window(tuple(sorted(set(by[k]))), k[0], ""), k[1]) for k in order]


def _price(slot: Slot) -> float:
    """Weekly cost of one more person in ``slot``; roles without a cost count their hours at a
    token rate, so that more hours still cost more than fewer."""
    return slot.hours_per_week * (slot.cost_per_hour or 0.01)


def _slot_utilisation(result: SimulationResult, slot: Slot, bp: Blueprint) -> float:
    """Busy / on duty of the slot's role during the slot's hours (all week without shifts);
    work done after a shift counts, so an overloaded shift shows above 1."""
    role = result.role(slot.role)
    hours: list[int] = list(range(168))
    windows = slot.windows or ((bp.roles[slot.role].shifts[slot.shift].window,) if slot.shift >= 0 else ())
    if windows:
        during = {m // 60 for w in windows for a, b in w.intervals() for m in range(a, b, 60)}
        # include the hour right after the shift, where its unfinished work spills over
        hours = sorted(during | {(h + 1) % 168 for h in during})
    busy = sum(role.busy_per_hour[h] for h in hours)
    duty = sum(role.on_duty_per_hour[h] for h in hours)
    return busy / duty if duty > 0 else (math.inf if busy > 0 else 0.0)


def plan_text(plan: StaffingPlan) -> str:
    """The plan as printed by ``blueprint staff``."""
    lines = [f"target: {plan.target.text}"]
    ach = plan.achieved
    lines.append(f"achieved: {100 * ach.mean:.1f} % ± {100 * ach.half_width:.1f} (simulated, 95 % interval); "
                 + ("target met" if plan.met else "target NOT met"))
    if plan.best_possible is not None:
        lines.append(f"out of reach by staffing: even unlimited staff reach only {100 * plan.best_possible.mean:.1f} %; "
                     "the rest of the time is not queueing (durations, deliveries, customer steps). "
                     "Shown: the Erlang C estimate")
    lines += ["", f"{'role':<14} {'shift or hours':<28} {'today':>6} {'plan':>6} {'change':>7} {'cost/week':>10}"]
    for r in plan.rows:
        lines.append(f"{r.role:<14} {r.label:<28} {r.current:>6} {r.proposed:>6} {r.proposed - r.current:>+7} "
                     f"{r.cost_change_per_week:>+10,.0f}")
    delta = plan.proposed_cost - plan.current_cost
    lines += ["", f"staff cost per week: today {plan.current_cost:,.0f}, plan {plan.proposed_cost:,.0f} "
                  f"({delta:+,.0f})",
              *([f"run it: --staff {' --staff '.join(plan.staff_args)}"] if plan.staff_args else []),
              *(f"write as shifts: {role}: {shifts}" for role, shifts in plan.shift_texts),
              f"{plan.evaluations} staffings simulated; customer time P90 with the plan "
              f"{fmt_seconds(plan.result.customer_quantiles['P90'].mean)}"]
    return "\n".join(lines) + "\n"
