"""Assemble a current-state blueprint from a log and its discovered flows.

Decisions, each measured from the log:

* **Lanes**: the mapping file's ``lanes`` first; then a ``lane`` column of the log; then an
  activity done by a resource listed as ``customer`` (or with no resource and no role in most of
  its executions) is a customer action; any other activity is ``frontstage`` when in most of its
  executions it directly follows or precedes a customer action (the customer is there: a
  hand-over across the line of interaction), else ``backstage``.
* **Roles**: the mapping file's ``roles`` (resource -> role); else the role or group the log
  names (``org:group``, a role column); else resources that do the same set of activities form
  one role. An action's role is its most common one. **Staff** is the number of distinct
  resources seen in a role; without resources, the most executions of the role seen at once.
* **Steps** in typical order: activities sorted by the flows (a topological order) with the
  median time from the case's start as the tie-breaker; each customer action opens a step and
  the other actions join the step of the customer action before them (without customer actions,
  one step per action).
* **Flows**, **choices**: :mod:`.discover`. **Optional actions**: ``p`` is the share of the cases
  in which an action's incoming flows were live (a source ran) in which it ran; left out above
  ``1 - noise``. **Rework**: an action done more than once in a case gets ``repeat = 1 -
  cases/executions`` (the geometric model the format uses).
* **Durations**: :mod:`.fit` on ``end - start`` of each execution. **Waits**: the time from the
  moment an action was ready (its timing predecessors in the mined blueprint, as
  :func:`~service_blueprint.semantics.compile_plan` compiles them, had finished) to its start.
  With one timestamp per event there is no duration to measure: the time from ready to the event
  becomes the duration and no wait is given.
* **Demand** from case starts: the mean arrival rate over the opening hours (the hours of the week
  in which cases arrive), and peaks: runs of hours whose rate is at least 1.5 times the base and
  significantly so (Poisson z-score at least 3).
* Every action says ``source: observed`` and carries metrics: ``frequency`` (share of cases),
  ``executions``, ``median`` and ``p90`` of its duration.
"""

from __future__ import annotations

import heapq
import itertools
import math
import os
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..calendar import DAYS
from ..errors import UsageError
from ..ids import slugify, unique
from ..model import Blueprint
from ..quantities import Duration, fmt_number, fmt_seconds
from ..semantics import compile_plan
from .discover import DirectlyFollows, Flows, case_spans, directly_follows, discover_flows
from .eventlog import NONE, EventLog
from .fit import fit_duration, summarise
from .mapping import Mapping

WEEK_HOURS = 168
PEAK_FACTOR = 1.5
PEAK_Z = 3.0


@dataclass(frozen=True, slots=True)
class MineOptions:
    """``threshold``: least share of cases for an activity or a flow to be kept; ``noise``: share
    of cases allowed to contradict an order or a choice; ``title`` of the blueprint."""

    threshold: float = 0.05
    noise: float = 0.05
    title: str | None = None

    def validate(self) -> None:
        if not 0 < self.threshold <= 1:
            raise UsageError("the threshold is a share of cases between 0 and 1 (e.g. 0.05)")
        if not 0 <= self.noise < 0.5:
            raise UsageError("the noise is a share of cases from 0 to below 0.5 (e.g. 0.05)")


@dataclass(frozen=True, slots=True, eq=False)
class MiningResult:
    """The mined blueprint and what was kept and filtered to make it."""

    blueprint: Blueprint
    log: EventLog
    dfg: DirectlyFollows
    flows: Flows
    ids: dict[str, str]
    """Activity name -> action id."""
    options: MineOptions

    def summary(self) -> str:
        """What was kept and filtered, for people (the CLI prints it)."""
        log, fl = self.log, self.flows
        names = [log.activities[i] for i in fl.kept]
        lines = [
            f"{os.path.basename(log.source)}: {len(log):,} executions in {log.n_cases:,} cases, "
            f"{len(log.activities)} activities, {len(log.resources)} resources",
            f"kept {len(names)} activities and {len(fl.flows)} flows "
            f"(threshold {fmt_number(self.options.threshold * 100)} % of cases, noise "
            f"{fmt_number(self.options.noise * 100)} %)",
        ]
        if fl.choices:
            lines.append(f"choices: {len(fl.choices)}; " + "; ".join(
                f"after {self.ids[names[c.source]]}: " + ", ".join(
                    f"{self.ids[names[t]]} {p:.0%}" for t, p in zip(c.targets, c.probabilities, strict=True))
                for c in fl.choices))
        if fl.dropped_activities:
            lines.append("filtered activities (share of cases): " + ", ".join(
                f"{log.activities[i]} {n / log.n_cases:.1%}" for i, n in fl.dropped_activities))
        if fl.dropped_flows:
            lines.append("filtered flows (share of cases): " + ", ".join(
                f"{names[a]} -> {names[b]} {n / log.n_cases:.1%}" for a, b, n in fl.dropped_flows))
        for reason, n in sorted(log.dropped.items()):
            lines.append(f"left out while reading: {n:,} {reason}")
        return "\n".join(lines) + "\n"


def mine(log: EventLog, mapping: Mapping | None = None, options: MineOptions | None = None) -> MiningResult:
    """A current-state blueprint from ``log`` (see the module docstring for every rule)."""
    options = options or MineOptions()
    options.validate()
    mapping = mapping or Mapping()
    dfg = directly_follows(log)
    fl = discover_flows(log, options.threshold, options.noise)
    if fl.kept.size == 0:
        raise UsageError(f"no activity occurs in {fmt_number(options.threshold * 100)} % of the cases; "
                         "lower the threshold")
    names = [log.activities[i] for i in fl.kept]
    taken: set[str] = set()
    ids = {name: unique(slugify(name), taken) for name in names}
    spans = case_spans(log, fl.kept)
    lanes, roles, staff, role_names = _lanes_and_roles(log, fl, dfg, mapping)
    order = _typical_order(fl, spans, log)
    steps = [[names[k] for k in order]]
    choice_of = {(c.source, t): p for c in fl.choices for t, p in zip(c.targets, _sum_to_one(c.probabilities),
                                                                         strict=True)}
    flows_data: list[Any] = []
    customers = [k for k in order if lanes[k] == "customer"]
    chain = set(itertools.pairwise(customers))
    for a, b in sorted(fl.flows, key=lambda f: (order.index(f[0]), order.index(f[1]))):
        if (a, b) in chain and (a, b) not in choice_of:
            continue  # the implicit customer chain already says it
        if (a, b) in choice_of:
            flows_data.append({"from": ids[names[a]], "to": ids[names[b]], "p": choice_of[a, b]})
        else:
            flows_data.append(f"{ids[names[a]]} -> {ids[names[b]]}")
    p = _optional(fl, spans, choice_of, options.noise)
    durations = _durations(log, fl)
    actions: dict[str, dict[str, Any]] = {}
    for k, name in enumerate(names):
        dur = durations[k]
        data: dict[str, Any] = {"id": ids[name], "text": name}
        if roles[k] is not None:
            data["role"] = roles[k]
        if dur is not None:
            data["duration"] = dur
        execs = int(fl.executions[k])
        repeat = 1 - int(fl.cases_with[k]) / execs if execs else 0.0
        if p[k] is not None:
            data["p"] = p[k]
        if repeat >= 0.01:
            data["repeat"] = round(repeat, 3)
        data["source"] = "observed"
        stats = summarise(_execution_times(log, int(fl.kept[k])))
        data["metrics"] = {"frequency": round(int(fl.cases_with[k]) / log.n_cases, 4), "executions": execs,
                           **stats.metrics()}
        actions[name] = data
    draft = _blueprint(log, options, steps, lanes, actions, flows_data, role_names, staff, None)
    waits = _waits(log, fl, spans, draft, ids, names, has_durations=any(d is not None for d in durations))
    for name, (wait, duration) in waits.items():
        if duration is not None:
            actions[name]["duration"] = duration
        if wait is not None:
            actions[name]["wait"] = wait
    bp = _blueprint(log, options, steps, lanes, actions, flows_data, role_names, staff, _demand(log))
    return MiningResult(bp, log, dfg, fl, ids, options)


def _sum_to_one(probabilities: tuple[float, ...]) -> tuple[float, ...]:
    """Rounded to three decimals, the largest taking the rounding so they add up to exactly 1."""
    rounded = [round(p, 3) for p in probabilities]
    big = max(range(len(rounded)), key=lambda k: rounded[k])
    rounded[big] = round(1 - sum(r for k, r in enumerate(rounded) if k != big), 3)
    return tuple(rounded)


# ---- lanes and roles ----------------------------------------------------------------------------
def _most_common(values: np.ndarray[Any, Any]) -> int:
    """The most common value (ties: the smallest), ``NONE`` when there are none."""
    if values.size == 0:
        return NONE
    uniq, counts = np.unique(values, return_counts=True)
    return int(uniq[np.argmax(counts)])


def _lanes_and_roles(log: EventLog, fl: Flows, dfg: DirectlyFollows, mapping: Mapping,
                     ) -> tuple[list[str], list[str | None], dict[str, int], dict[str, str]]:
    names = [log.activities[i] for i in fl.kept]
    k = len(names)
    role_of_row = _row_roles(log, mapping)
    roles_text: list[str | None] = []
    customer_res = {i for i, r in enumerate(log.resources) if r in mapping.customer}
    customer_like = np.zeros(k, dtype=bool)
    lanes: list[str] = [""] * k
    for idx, act in enumerate(fl.kept):
        rows = np.flatnonzero(log.activity == act)
        res = log.resource[rows]
        grp = log.role[rows]
        by_customer = np.isin(res, list(customer_res)) if customer_res else np.zeros(rows.size, dtype=bool)
        nobody = (res == NONE) & (grp == NONE)
        customer_like[idx] = (by_customer | nobody).mean() > 0.5
        role_names = [r for r in role_of_row[rows][~by_customer] if r]
        roles_text.append(Counter(role_names).most_common(1)[0][0] if role_names and not customer_like[idx] else None)
        name = names[idx]
        if name in mapping.lanes:
            lanes[idx] = mapping.lanes[name]
        elif log.lanes and (lane := _most_common(log.lane[rows][log.lane[rows] >= 0])) != NONE:
            lanes[idx] = log.lanes[lane]
        elif customer_like[idx]:
            lanes[idx] = "customer"
    customer_acts = {int(fl.kept[i]) for i in range(k) if lanes[i] == "customer"}
    for idx, act in enumerate(fl.kept):
        if lanes[idx]:
            continue
        touching = sum(int(dfg.counts[act, c] + dfg.counts[c, act]) for c in customer_acts)
        total = int(dfg.counts[act].sum() + dfg.counts[:, act].sum())
        lanes[idx] = "frontstage" if total and touching / total > 0.5 else "backstage"
    for idx in range(k):
        if lanes[idx] == "customer":
            roles_text[idx] = None
    taken: set[str] = set()
    role_ids = {name: unique(slugify(name, fallback="role"), taken) for name in
                sorted({r for r in roles_text if r})}
    roles = [role_ids[r] if r else None for r in roles_text]
    staff = _staff(log, fl, roles, role_of_row, role_ids)
    return lanes, roles, staff, {v: k_ for k_, v in role_ids.items()}


def _row_roles(log: EventLog, mapping: Mapping) -> np.ndarray[Any, Any]:
    """Role name of every row ("" for none): the mapping's role of its resource, else the log's
    role or group of that resource (its most common), else the role column of the row, else the
    role shared by resources that do the same set of activities."""
    by_resource: list[str] = []
    for r, name in enumerate(log.resources):
        rows = log.resource == r
        if name in mapping.roles:
            by_resource.append(mapping.roles[name])
        elif log.roles and (g := _most_common(log.role[rows & (log.role >= 0)])) != NONE:
            by_resource.append(log.roles[g])
        else:
            profile = sorted({log.activities[int(a)] for a in np.unique(log.activity[rows])})
            by_resource.append(f"{profile[0]} staff" if profile else name)
    table = np.array([*by_resource, ""], dtype=object)
    out = table[np.where(log.resource >= 0, log.resource, len(by_resource))]
    if log.roles:
        own = (log.resource < 0) & (log.role >= 0)
        out[own] = np.array([mapping.roles.get(g, g) for g in log.roles], dtype=object)[log.role[own]]
    return out


def _staff(log: EventLog, fl: Flows, roles: list[str | None], role_of_row: np.ndarray[Any, Any],
           role_ids: dict[str, str]) -> dict[str, int]:
    staff: dict[str, int] = {}
    row_role = role_of_row
    for name, rid in role_ids.items():
        rows = np.flatnonzero(row_role == name)
        people = np.unique(log.resource[rows])
        people = people[people >= 0]
        if people.size:
            staff[rid] = int(people.size)
        elif rows.size:
            staff[rid] = _peak_concurrency(log.start[rows], log.end[rows])
    return staff


def _peak_concurrency(start: np.ndarray[Any, Any], end: np.ndarray[Any, Any]) -> int:
    """The most intervals open at once (an end at the same instant as a start closes first)."""
    times = np.concatenate([start, end])
    delta = np.concatenate([np.ones(start.size), -np.ones(end.size)])
    order = np.lexsort((delta, times))
    return max(1, int(np.cumsum(delta[order]).max()))


# ---- order and steps ----------------------------------------------------------------------------
def _typical_order(fl: Flows, spans: Any, log: EventLog) -> list[int]:
    """Kept activities in a topological order of the flows, earliest median start first."""
    k = fl.kept.size
    case_start = np.nanmin(spans.first_start, axis=1)
    rel = spans.first_start - case_start[:, None]
    median = np.array([float(np.nanmedian(rel[:, i])) if np.isfinite(rel[:, i]).any() else 0.0 for i in range(k)])
    succ: dict[int, list[int]] = {i: [] for i in range(k)}
    indeg = [0] * k
    for a, b in fl.flows:
        succ[a].append(b)
        indeg[b] += 1
    heap = [(median[i], i) for i in range(k) if indeg[i] == 0]
    heapq.heapify(heap)
    out: list[int] = []
    while heap:
        _, i = heapq.heappop(heap)
        out.append(i)
        for j in succ[i]:
            indeg[j] -= 1
            if indeg[j] == 0:
                heapq.heappush(heap, (median[j], j))
    if len(out) != k:  # pragma: no cover - precedence is a strict order, so flows are acyclic
        raise UsageError("the discovered flows form a cycle; raise --noise")
    return out


def _steps(ordered: list[str], lane_of: dict[str, str]) -> list[list[str]]:
    """Activities grouped into steps: each customer action opens one."""
    steps: list[list[str]] = []
    for name in ordered:
        if lane_of[name] == "customer" or not steps:
            steps.append([name])
        else:
            steps[-1].append(name)
    return steps


# ---- probabilities, durations, waits ------------------------------------------------------------
def _optional(fl: Flows, spans: Any, choice_of: dict[tuple[int, int], float], noise: float) -> list[float | None]:
    present = spans.present
    n = present.shape[0]
    out: list[float | None] = []
    for t in range(fl.kept.size):
        sources = [a for a, b in fl.flows if b == t and (a, b) not in choice_of]
        chosen = [a for a, b in fl.flows if b == t and (a, b) in choice_of]
        if sources or chosen:
            reached = present[:, sources].any(axis=1) if sources else np.zeros(n, dtype=bool)
            for a in chosen:
                reached |= present[:, a] & present[:, t]
            base = int(reached.sum())
        else:
            base = n
        ran = int((present[:, t] & (reached if (sources or chosen) else True)).sum())
        share = ran / base if base else 1.0
        out.append(None if share >= 1 - noise else round(share, 3))
    return out


def _execution_times(log: EventLog, activity: int) -> np.ndarray[Any, Any]:
    rows = log.activity == activity
    return np.asarray(log.end[rows] - log.start[rows], dtype=np.float64)


def _durations(log: EventLog, fl: Flows) -> list[Duration | None]:
    return [fit_duration(_execution_times(log, int(a))) for a in fl.kept]


def _waits(log: EventLog, fl: Flows, spans: Any, draft: Blueprint, ids: dict[str, str], names: list[str],
           *, has_durations: bool) -> dict[str, tuple[Duration | None, Duration | None]]:
    """Wait (and, for single-timestamp logs, duration) of each action from the mined timing."""
    plan = compile_plan(draft)
    col = {ids[name]: k for k, name in enumerate(names)}
    out: dict[str, tuple[Duration | None, Duration | None]] = {}
    for i, action_id in enumerate(plan.ids):
        k = col[action_id]
        preds = [col[plan.ids[j]] for j in plan.preds[i]]
        if not preds:
            continue
        ready = np.nanmax(np.where(spans.present[:, preds], spans.last_end[:, preds], -np.inf), axis=1)
        ok = spans.present[:, k] & np.isfinite(ready)
        gap = spans.first_start[ok, k] - ready[ok]
        if gap.size == 0:
            continue
        fitted = fit_duration(np.maximum(gap, 0.0))
        name = names[k]
        if not has_durations:
            out[name] = (None, fitted)
        elif fitted is not None and float(np.median(np.maximum(gap, 0))) >= 1.0:
            out[name] = (fitted, None)
    return out


# ---- demand -------------------------------------------------------------------------------------
def _demand(log: EventLog) -> dict[str, Any] | None:
    """Arrival rate, opening hours and peaks from the cases' first events (wall-clock time)."""
    bounds = log.case_bounds
    firsts = bounds[:-1][bounds[1:] > bounds[:-1]]
    arrivals = np.sort(log.start[firsts] + log.offset[firsts])
    if arrivals.size < 2:
        return None
    span = float(arrivals[-1] - arrivals[0])
    if span <= 0:
        return None
    if span < 7 * 86400:
        return {"arrivals": f"{fmt_number(_sig(arrivals.size / span * 3600))}/h",
                "note": f"measured from {arrivals.size} case starts over {fmt_seconds(span)}"}
    hour = np.floor(arrivals / 3600).astype(np.int64)
    how = (hour + 72) % WEEK_HOURS  # 1970-01-01 was a Thursday: hour 72 of its week
    counts = np.bincount(how, minlength=WEEK_HOURS).astype(float)
    all_hours = np.arange(hour[0], hour[-1] + 1)
    exposure = np.bincount((all_hours + 72) % WEEK_HOURS, minlength=WEEK_HOURS).astype(float)
    open_hours = counts > 0
    rate = np.where(exposure > 0, counts / np.maximum(exposure, 1), 0.0)
    base = float(counts[open_hours].sum() / exposure[open_hours].sum())
    hours = _windows(open_hours)
    peaks = []
    for day, lo, hi in _runs(open_hours & (rate >= PEAK_FACTOR * base)):
        sl = slice(day * 24 + lo, day * 24 + hi)
        seen, exp = counts[sl].sum(), base * exposure[sl].sum()
        if exp > 0 and (seen - exp) / math.sqrt(exp) >= PEAK_Z:
            peaks.append(f"{DAYS[day]} {lo:02d}:00-{hi:02d}:00 {fmt_number(_sig(seen / exposure[sl].sum()))}/h")
    demand: dict[str, Any] = {"arrivals": f"{fmt_number(_sig(base))}/h", "hours": hours}
    if peaks:
        demand["peaks"] = peaks
    demand["note"] = f"measured from {arrivals.size} case starts over {fmt_seconds(span)}"
    return demand


def _sig(x: float) -> float:
    """Two significant figures (three above 10): rates read by people."""
    if x <= 0:
        return 0.0
    digits = (2 if x < 10 else 3) - 1 - math.floor(math.log10(x))
    return float(round(float(x), max(digits, 0)))


def _runs(mask: np.ndarray[Any, Any]) -> list[tuple[int, int, int]]:
    """(day, first hour, end hour) of each run of set hours within a day."""
    out = []
    for day in range(7):
        hours = mask[day * 24:(day + 1) * 24]
        h = 0
        while h < 24:
            if hours[h]:
                e = h
                while e < 24 and hours[e]:
                    e += 1
                out.append((day, h, e))
                h = e
            else:
                h += 1
    return out


def _windows(mask: np.ndarray[Any, Any]) -> list[str]:
    """Opening hours per day (first to last hour with arrivals), days with the same hours merged."""
    per_day: list[tuple[int, int] | None] = []
    for day in range(7):
        hours = np.flatnonzero(mask[day * 24:(day + 1) * 24])
        per_day.append((int(hours[0]), int(hours[-1]) + 1) if hours.size else None)
    out: list[str] = []
    day = 0
    while day < 7:
        rng = per_day[day]
        if rng is None:
            day += 1
            continue
        end = day
        while end + 1 < 7 and per_day[end + 1] == rng:
            end += 1
        days = DAYS[day] if end == day else f"{DAYS[day]}-{DAYS[end]}"
        lo, hi = rng
        out.append(f"{days} {lo:02d}:00-{hi % 24:02d}:00" if hi != 24 else f"{days} {lo:02d}:00-24:00")
        day = end + 1
    return out


# ---- assembly -------------------------------------------------------------------------------
def _blueprint(log: EventLog, options: MineOptions, steps: list[list[str]], lanes_list: list[str],
               actions: dict[str, dict[str, Any]], flows: list[Any], role_names: dict[str, str],
               staff: dict[str, int], demand: dict[str, Any] | None) -> Blueprint:
    names = list(actions)
    lane_of = dict(zip(names, lanes_list, strict=True))
    step_data: list[dict[str, Any]] = []
    taken: set[str] = set()
    custom = sorted({lane for lane in lanes_list if lane not in ("customer", "frontstage", "backstage", "support")})
    for members in _steps_by_lane(steps, lane_of):
        first = members[0]
        step: dict[str, Any] = {"id": unique(slugify(first, fallback="step"), taken), "name": first[:1].upper() + first[1:]}
        for name in members:
            step.setdefault(lane_of[name], []).append(actions[name])
        step_data.append(step)
    first_time = float(log.start.min())
    last_time = float(log.end.max())
    data: dict[str, Any] = {
        "blueprint": 1,
        "title": options.title or f"Mined from {os.path.basename(log.source)}",
        "description": f"Mined from {os.path.basename(log.source)}: {log.n_cases:,} cases, {len(log):,} "
                       f"executions, {_date(first_time)} to {_date(last_time)}.",
        "state": "current",
        "scenario": {"start": actions[names[0]]["text"] if names else None,
                     "end": actions[names[-1]]["text"] if names else None},
        "roles": {rid: {"name": role_names[rid], "staff": staff.get(rid, 1)} for rid in sorted(role_names)},
        "steps": step_data,
        "flows": flows,
    }
    if custom:
        data["lanes"] = {lane: {"name": lane.replace("_", " ").capitalize()} for lane in custom}
    if demand is not None:
        data["demand"] = demand
    return Blueprint.model_validate(data)


def _steps_by_lane(steps: list[list[str]], lane_of: dict[str, str]) -> list[list[str]]:
    """Steps recomputed with lanes known: a customer action opens a step (or, with none at all,
    every action is its own step)."""
    ordered = [name for step in steps for name in step]
    if not any(lane_of[n] == "customer" for n in ordered):
        return [[n] for n in ordered]
    return _steps(ordered, lane_of)


def _date(seconds: float) -> str:
    return str(np.datetime64(int(seconds), "s"))[:10]
