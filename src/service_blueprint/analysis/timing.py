"""Where the time goes: standard time, critical path, Monte Carlo spread, and the lean split.

Shostack puts a standard time on each step and warns never to add up parallel branches, so the
end-to-end figure is a longest path through the timing graph of :mod:`..semantics`
(``Plan.preds``):

* each action weighs ``q × (mean wait + mean duration / (1 − repeat))``, where ``q`` is the
  chance it runs when every choice takes its most likely branch (1 for an ordinary action on
  that branch, ``p`` for an optional one, 0 on branches not taken). The standard time is an
  expectation along the most likely route; the Monte Carlo distribution covers every branch;
* the **customer** standard time ends at the latest ``customer_time`` action (a customer action,
  or one joined to it by a two-way flow), the **case** standard time at the latest action;
* the critical path is the chain of predecessors that set each finish, walked back from there.

The lean consumption view splits the customer's standard time along that path into time in
action (customer actions and the interactions joined to them), time queueing (the given waits
of those actions) and time waiting while the provider works out of the customer's presence.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..quantities import Duration
from ..sampling import expected_executions
from ..semantics import sample_paths
from .basis import Basis

FloatArray = NDArray[np.float64]

#: Rows × actions held in memory at once while sampling.
_BATCH_CELLS = 2_000_000


@dataclass(frozen=True, slots=True)
class ActionTime:
    """One action's time: as given, as expected per case, and where it sits in the standard run."""

    id: str
    step: str
    lane: str
    wait: float
    """Mean given wait before it starts (seconds)."""
    duration: float
    """Mean duration of one execution (seconds)."""
    executions: float
    """Expected executions per case, over all branches: P(runs) × 1 / (1 − repeat)."""
    standard: float
    """Mean wait + mean duration × 1 / (1 − repeat): how long it takes when it runs."""
    tolerance: float | None
    share_over: float | None
    """Share of sampled runs whose wait plus duration exceeded the tolerance (None: no tolerance
    or never ran in the sample)."""
    route: float
    """Chance it runs on the standard route (most likely branches): 1, its ``p``, or 0."""
    start: float
    """Start (after its wait) in the standard run, seconds from arrival."""
    finish: float
    on_customer_path: bool
    on_case_path: bool

    @property
    def over_tolerance(self) -> bool:
        return self.tolerance is not None and self.standard > self.tolerance


@dataclass(frozen=True, slots=True)
class StepTime:
    """A column's elapsed time in the standard run: first action ready to last finish."""

    id: str
    name: str
    start: float
    finish: float
    work: float
    """Expected work of its actions in the standard run, added up (not elapsed time)."""

    @property
    def elapsed(self) -> float:
        return self.finish - self.start


@dataclass(frozen=True, slots=True)
class Spread:
    """Monte Carlo distribution of one end-to-end time (seconds)."""

    mean: float
    p50: float
    p90: float
    p95: float
    share_over: float | None
    """Share of cases above the scenario's tolerance (None when it has none)."""


@dataclass(frozen=True, slots=True)
class Lean:
    """The customer's standard time split along the customer critical path (seconds)."""

    action: float
    queue: float
    provider: float

    @property
    def total(self) -> float:
        return self.action + self.queue + self.provider

    @property
    def waiting(self) -> float:
        return self.queue + self.provider

    @property
    def action_share(self) -> float:
        return self.action / self.total if self.total > 0 else 0.0


@dataclass(frozen=True, slots=True)
class Branch:
    """A choice and the branch the standard time follows."""

    source: str
    target: str
    probability: float
    options: int


@dataclass(frozen=True, slots=True)
class Timing:
    actions: tuple[ActionTime, ...]
    """Every action, in reading order."""
    steps: tuple[StepTime, ...]
    customer_time: float
    case_time: float
    tolerance: float | None
    customer_path: tuple[str, ...]
    case_path: tuple[str, ...]
    branches: tuple[Branch, ...]
    lean: Lean
    customer_spread: Spread | None
    case_spread: Spread | None
    samples: int
    seed: int

    @property
    def over_tolerance(self) -> bool:
        return self.tolerance is not None and self.customer_time > self.tolerance


def analyze_timing(basis: Basis, samples: int = 10_000, seed: int = 0) -> Timing:
    plan = basis.plan
    n = plan.size
    q = basis.standard.run
    wait = np.asarray([d.mean if d is not None else 0.0 for d in plan.waits])
    dur = np.asarray([d.mean if d is not None else 0.0 for d in plan.durations])
    reps = np.asarray([expected_executions(r) for r in plan.repeat])
    given = wait + dur * reps
    ready = np.zeros(n)
    finish = np.zeros(n)
    setter = [-1] * n
    for i in range(n):
        best, arg = 0.0, -1
        for j in plan.preds[i]:
            if arg < 0 or finish[j] > best:
                best, arg = float(finish[j]), j
        ready[i] = best
        setter[i] = arg
        finish[i] = best + q[i] * given[i]
    start = ready + q * wait

    runs = q > 0
    cust = np.asarray(plan.customer_time, dtype=bool) & runs
    customer_end = _last_max(finish, cust)
    case_end = _last_max(finish, runs)
    customer_path = _walk(setter, customer_end, runs)
    case_path = _walk(setter, case_end, runs)
    customer_time = float(finish[customer_end]) if customer_end >= 0 else 0.0
    case_time = float(finish[case_end]) if case_end >= 0 else 0.0

    lean_action = lean_queue = lean_provider = 0.0
    for i in customer_path:
        lean_queue += q[i] * wait[i]
        if plan.customer_time[i]:
            lean_action += q[i] * dur[i] * reps[i]
        else:
            lean_provider += q[i] * dur[i] * reps[i]

    tolerance_of = [basis.placed(i).action.tolerance for i in range(n)]
    tol_s = basis.bp.scenario.tolerance.mean if basis.bp.scenario.tolerance else None
    customer_spread = case_spread = None
    share_over: list[float | None] = [None] * n
    if samples > 0 and n:
        customer_spread, case_spread, share_over = _monte_carlo(basis, tolerance_of, tol_s, samples, seed)

    on_customer = set(customer_path)
    on_case = set(case_path)
    executions = basis.executions
    by_id = {}
    for i in range(n):
        p = basis.placed(i)
        tol = tolerance_of[i]
        by_id[plan.ids[i]] = ActionTime(
            id=plan.ids[i], step=p.step.id, lane=p.lane, wait=float(wait[i]), duration=float(dur[i]),
            executions=float(executions[i]), standard=float(given[i]),
            tolerance=tol.mean if tol is not None else None, share_over=share_over[i], route=float(q[i]),
            start=float(start[i]), finish=float(finish[i]),
            on_customer_path=i in on_customer, on_case_path=i in on_case,
        )
    actions = tuple(by_id[p.action.id] for p in basis.bp.placed() if p.action.id in by_id)
    index = {pid: k for k, pid in enumerate(plan.ids)}
    steps = []
    for step in basis.bp.steps:
        members = [index[a.id] for lane in basis.bp.lane_order for a in step.lane(lane)
                   if a.id in index and runs[index[a.id]]]
        if not members:
            continue
        steps.append(StepTime(step.id, step.name, float(min(ready[members])), float(max(finish[members])),
                              float(sum(q[i] * dur[i] * reps[i] for i in members))))
    branches = tuple(
        Branch(plan.ids[c.source], plan.ids[c.targets[k]], c.probabilities[k], len(c.targets))
        for c, k in ((plan.choices[c], k) for c, k in sorted(basis.branches.items()))
    )
    return Timing(
        actions=actions, steps=tuple(steps), customer_time=customer_time, case_time=case_time,
        tolerance=tol_s, customer_path=tuple(plan.ids[i] for i in customer_path),
        case_path=tuple(plan.ids[i] for i in case_path), branches=branches,
        lean=Lean(float(lean_action), float(lean_queue), float(lean_provider)),
        customer_spread=customer_spread, case_spread=case_spread, samples=samples, seed=seed,
    )


def _last_max(values: FloatArray, mask: NDArray[np.bool_]) -> int:
    """Index of the largest value under ``mask``; the latest index on a tie (-1 if none)."""
    best, arg = -1.0, -1
    for i in np.flatnonzero(mask):
        if values[i] >= best:
            best, arg = float(values[i]), int(i)
    return arg


def _walk(setter: list[int], end: int, runs: NDArray[np.bool_]) -> list[int]:
    """The chain of finish-setting predecessors ending at ``end``, first action first; actions
    that do not run on the standard route pass time through and are left out of the listing."""
    out = []
    i = end
    while i >= 0:
        if runs[i]:
            out.append(i)
        i = setter[i]
    return out[::-1]


def _monte_carlo(
    basis: Basis, tolerance_of: list[Duration | None], scenario_tolerance: float | None, samples: int, seed: int
) -> tuple[Spread, Spread, list[float | None]]:
    """Sample whole cases in batches (bounded memory) with one seeded generator."""
    plan = basis.plan
    rng = np.random.default_rng(seed)
    batch = max(1, min(samples, _BATCH_CELLS // max(plan.size, 1)))
    tol = np.asarray([t.mean if t is not None else np.inf for t in tolerance_of])
    has_tol = np.isfinite(tol)
    over = np.zeros(plan.size)
    ran_count = np.zeros(plan.size)
    customer: list[FloatArray] = []
    case: list[FloatArray] = []
    done = 0
    while done < samples:
        k = min(batch, samples - done)
        paths = sample_paths(plan, rng, k)
        customer.append(paths.customer_time)
        case.append(paths.case_time)
        if has_tol.any():
            cols = np.flatnonzero(has_tol)
            took = paths.finish[:, cols] - paths.ready[:, cols]
            ran = paths.ran[:, cols]
            over[cols] += ((took > tol[cols]) & ran).sum(axis=0)
            ran_count[cols] += ran.sum(axis=0)
        done += k
    share: list[float | None] = [
        float(over[i] / ran_count[i]) if has_tol[i] and ran_count[i] else None for i in range(plan.size)
    ]
    return _spread(np.concatenate(customer), scenario_tolerance), _spread(np.concatenate(case), None), share


def _spread(values: FloatArray, tolerance: float | None) -> Spread:
    p50, p90, p95 = (float(x) for x in np.percentile(values, [50, 90, 95]))
    over = float((values > tolerance).mean()) if tolerance is not None else None
    return Spread(float(values.mean()), p50, p90, p95, over)
