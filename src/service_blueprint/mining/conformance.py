"""Conformance: which cases of a log follow a blueprint, and how the others deviate.

Each case is replayed against the blueprint's flow semantics as
:func:`~service_blueprint.semantics.compile_plan` compiles them (the same rules analysis and
simulation use), all cases at once with NumPy, action by action in the plan's order:

* an action is *reached* when one of its explicit incoming flows is live
  (:func:`~service_blueprint.semantics.decide_live`): its source ran and, for a choice, the branch
  taken is this one. The branch a case took is the target of the choice that ran in it;
* **skipped**: reached, not optional (no ``p``) and not done;
* **extra**: done although not reached (its incoming flows were dead), done more often than
  the action's ``repeat`` allows (more than once when it has none), two branches of one exclusive
  choice both done, or an activity the blueprint does not have at all;
* **out of order**: started before one of its timing predecessors that ran had finished.

A case **fits** when it has none of these. Activities are matched to actions by id, then by text,
then by the id their name would get (``Greets the customer`` -> ``greets_the_customer``).

Per action the measured duration (median, P90, mean) is set beside the blueprint's mean, and the
share of executions whose wait plus duration is within the action's ``tolerance``; per case the
customer time is compared with the scenario's tolerance.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from ..errors import UsageError
from ..ids import slugify
from ..model import Blueprint
from ..semantics import Plan, compile_plan, decide_live
from .discover import case_spans
from .eventlog import EventLog

BoolArray = NDArray[np.bool_]
KINDS = ("skipped", "extra", "out of order")


@dataclass(frozen=True, slots=True)
class Deviation:
    kind: str  # one of KINDS
    action: str  # action id, or the activity name for activities the blueprint lacks
    detail: str = ""


@dataclass(frozen=True, slots=True)
class ActionConformance:
    """Measured against declared for one action."""

    id: str
    cases: int  # cases in which it ran
    executions: int
    declared_mean: float | None
    measured_mean: float | None
    measured_median: float | None
    measured_p90: float | None
    tolerance: float | None
    within_tolerance: float | None  # share of executions with wait + duration within tolerance
    skipped: int
    extra: int
    out_of_order: int


@dataclass(frozen=True, slots=True, eq=False)
class Conformance:
    """The result of :func:`conform`."""

    title: str
    log_source: str
    cases: int
    fitting: int
    deviations: dict[str, tuple[Deviation, ...]]  # case id -> its deviations (deviating cases only)
    actions: tuple[ActionConformance, ...]
    unknown: dict[str, int]  # activity not in the blueprint -> cases
    customer_tolerance: float | None = None
    within_customer_tolerance: float | None = None
    matched: dict[str, str] = field(default_factory=dict)  # activity -> action id

    @property
    def fitness(self) -> float:
        return self.fitting / self.cases if self.cases else 1.0

    def counts(self) -> dict[str, int]:
        """Cases with at least one deviation of each kind."""
        out = dict.fromkeys(KINDS, 0)
        for devs in self.deviations.values():
            for kind in {d.kind for d in devs}:
                out[kind] += 1
        return out


def match_activities(bp: Blueprint, activities: tuple[str, ...]) -> dict[str, str]:
    """Log activity -> action id: by id, then by text, then by the id slugified from the name."""
    by_id = bp.action_index
    by_text: dict[str, str] = {}
    for p in bp.placed():
        by_text.setdefault(p.action.text, p.action.id)
    out: dict[str, str] = {}
    for name in activities:
        if name in by_id:
            out[name] = name
        elif name in by_text:
            out[name] = by_text[name]
        elif slugify(name) in by_id:
            out[name] = slugify(name)
    return out


def conform(bp: Blueprint, log: EventLog) -> Conformance:
    """Replay every case of ``log`` on ``bp`` (see the module docstring)."""
    plan = compile_plan(bp)
    if plan.size == 0:
        raise UsageError("the blueprint has no actions to conform to")
    matched = match_activities(bp, log.activities)
    if not matched:
        raise UsageError(f"none of the log's {len(log.activities)} activities is an action of the blueprint "
                         f"(e.g. {log.activities[0]!r}); name activities by action id or text")
    # Columns in plan order: log activity index of each plan action (-1: never in the log).
    column = np.full(plan.size, -1, dtype=np.int64)
    for name, action_id in matched.items():
        i = plan.index(action_id)
        if column[i] < 0:
            column[i] = log.activities.index(name)
    present_cols = np.flatnonzero(column >= 0)
    spans = case_spans(log, column[present_cols])
    n = log.n_cases
    a = plan.size
    count = np.zeros((n, a), dtype=np.int64)
    first = np.full((n, a), np.nan)
    last = np.full((n, a), np.nan)
    count[:, present_cols] = spans.count
    first[:, present_cols] = spans.first_start
    last[:, present_cols] = spans.last_end
    ran = count > 0
    picked = np.full((n, max(len(plan.choices), 1)), -1, dtype=np.int64)
    skipped = np.zeros((n, a), dtype=bool)
    extra = np.zeros((n, a), dtype=bool)
    late = np.zeros((n, a), dtype=bool)
    ready = np.full((n, a), np.nan)
    for i in range(a):
        _take_branches(plan, i, ran, picked, extra)
        live = decide_live(plan, i, ran, picked)
        mandatory = plan.p[i] >= 1.0
        if mandatory:
            skipped[:, i] = live & ~ran[:, i]
        allowed = 1 if plan.repeat[i] <= 0 else np.iinfo(np.int64).max
        extra[:, i] = ran[:, i] & (~live | (count[:, i] > allowed))
        preds = list(plan.preds[i])
        if preds:
            ends = np.where(ran[:, preds], last[:, preds], -np.inf)
            r = ends.max(axis=1)
            r[~np.isfinite(r)] = np.nan
            ready[:, i] = r
            late[:, i] = ran[:, i] & np.isfinite(r) & (first[:, i] < r - 1e-6)
    for c, choice in enumerate(plan.choices):
        # the source ran but no branch did: the likeliest branch was skipped
        none = ran[:, choice.source] & (picked[:, c] < 0) & ~ran[:, list(choice.targets)].any(axis=1)
        skipped[none, choice.targets[int(np.argmax(choice.probabilities))]] = True
    unknown_cols = [k for k, name in enumerate(log.activities) if name not in matched]
    unknown_cases: dict[str, int] = {}
    unknown_in_case = np.zeros((n, len(unknown_cols)), dtype=bool)
    if unknown_cols:
        for j, k in enumerate(unknown_cols):
            cases = np.unique(log.case[log.activity == k])
            unknown_in_case[cases, j] = True
            unknown_cases[log.activities[k]] = int(cases.size)
    bad = skipped.any(axis=1) | extra.any(axis=1) | late.any(axis=1) | unknown_in_case.any(axis=1)
    deviations: dict[str, tuple[Deviation, ...]] = {}
    for row in np.flatnonzero(bad):
        c = int(row)
        devs: list[Deviation] = []
        for x in np.flatnonzero(skipped[c]):
            devs.append(Deviation("skipped", plan.ids[x]))
        for x in np.flatnonzero(extra[c]):
            why = ("done more often than its repeat allows" if count[c, x] > 1 and plan.repeat[x] <= 0
                   else "its incoming flows were dead")
            devs.append(Deviation("extra", plan.ids[x], why))
        for x in np.flatnonzero(unknown_in_case[c]):
            devs.append(Deviation("extra", log.activities[unknown_cols[x]], "not in the blueprint"))
        for x in np.flatnonzero(late[c]):
            devs.append(Deviation("out of order", plan.ids[x], "started before a predecessor finished"))
        deviations[log.cases[c]] = tuple(devs)
    actions = tuple(_action(plan, i, log, int(column[i]), bp, ran, ready, first, skipped, extra, late)
                    for i in range(a))
    tol = bp.scenario.tolerance.mean if bp.scenario.tolerance is not None else None
    within = None
    if tol is not None:
        cust = np.asarray(plan.customer_time, dtype=bool)
        starts = np.nanmin(np.where(ran, first, np.nan), axis=1) if ran.any() else np.zeros(n)
        ends = np.where(ran[:, cust], last[:, cust], -np.inf).max(axis=1) if cust.any() else np.full(n, -np.inf)
        ok = np.isfinite(ends) & np.isfinite(starts)
        within = float(((ends - starts)[ok] <= tol).mean()) if ok.any() else None
    return Conformance(bp.title, log.source, n, int(n - bad.sum()), deviations, actions, unknown_cases,
                       tol, within, matched)


def _take_branches(plan: Plan, i: int, ran: BoolArray, picked: NDArray[np.int64], extra: BoolArray) -> None:
    """Record the branch of each choice into ``i`` that the cases which ran ``i`` must have taken.

    A case took the branch to ``i`` when it ran ``i`` and no other incoming flow explains it (a
    merge after a choice is also reached from the other side). A case that had already taken
    another branch of the same choice did both: ``i`` is extra there."""
    flows = plan.incoming[i]
    for f in flows:
        if f.choice < 0:
            continue
        other = np.zeros(ran.shape[0], dtype=bool)
        for g in flows:
            if g.choice == f.choice:
                continue
            fired = ran[:, g.source]
            if g.choice >= 0:
                fired = fired & (picked[:, g.choice] == g.option)
            other |= fired
        needs = ran[:, i] & ran[:, f.source] & ~other
        free = needs & (picked[:, f.choice] < 0)
        picked[free, f.choice] = f.option
        extra[needs & ~free & (picked[:, f.choice] != f.option), i] = True


def _action(plan: Plan, i: int, log: EventLog, activity: int, bp: Blueprint, ran: BoolArray,
            ready: NDArray[np.float64], first: NDArray[np.float64], skipped: BoolArray, extra: BoolArray,
            late: BoolArray) -> ActionConformance:
    action = bp.action(plan.ids[i])
    declared = action.duration.mean if action.duration is not None else None
    tolerance = action.tolerance.mean if action.tolerance is not None else None
    mean = median = p90 = within = None
    executions = 0
    if activity >= 0:
        rows = log.activity == activity
        times = log.end[rows] - log.start[rows]
        executions = int(times.size)
        if times.size:
            mean = float(times.mean())
            median, p90 = (float(x) for x in np.quantile(times, [0.5, 0.9]))
        if tolerance is not None:
            # wait (from ready) plus duration of the first execution, per case that ran it
            done = ran[:, i] & np.isfinite(first[:, i])
            finish = _first_end(log, activity)
            total = finish[done] - np.where(np.isfinite(ready[done, i]), ready[done, i], first[done, i])
            within = float((total <= tolerance).mean()) if total.size else None
    return ActionConformance(plan.ids[i], int(ran[:, i].sum()), executions, declared, mean, median, p90,
                             tolerance, within, int(skipped[:, i].sum()), int(extra[:, i].sum()),
                             int(late[:, i].sum()))


def _first_end(log: EventLog, activity: int) -> NDArray[np.float64]:
    """End of the first execution of ``activity`` in each case (NaN where it does not occur)."""
    out = np.full(log.n_cases, np.nan)
    rows = np.flatnonzero(log.activity == activity)
    cases = log.case[rows]
    firsts = np.unique(cases, return_index=True)[1]  # rows are sorted by case, then start
    out[cases[firsts]] = log.end[rows[firsts]]
    return out
