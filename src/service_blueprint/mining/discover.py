"""Discovery: the directly-follows graph, and the flows of a blueprint from it.

**Directly-follows graph** (:func:`directly_follows`). Within each case, executions are ordered by
start, then end (ties keep file order); ``b`` directly follows ``a`` when it is the next one. Each
pair has a count and a mean time, ``start(b) - end(a)`` (negative when ``b`` starts before ``a``
ends); with one timestamp per event that is the time between the two events. These are pm4py's
definitions (``discover_dfg``/``discover_performance_dfg``), so the numbers can be compared.
Computed with NumPy over the whole log at once.

**Flows** (:func:`discover_flows`). A sequence-based graph joins parallel work in whichever order it
happened to be done, so flows are read from the same idea on the order that holds in every case:

1. *Activities* done in fewer than ``threshold`` of the cases are dropped (reported as filtered).
2. *Precedence*: ``a`` precedes ``b`` when, in at least ``1 - noise`` of the cases that have both,
   ``a`` (its last execution) ends no later than ``b`` (its first) starts. Two activities seen in
   both orders, or overlapping in time, are **parallel**: neither precedes the other.
3. *Directly follows in the case's order*: in one case, ``b`` directly follows ``a`` when ``a``
   precedes ``b`` and no activity of that case lies between them (precedes ``b`` and is preceded
   by ``a``). Without parallel work this is exactly the directly-follows relation above.
4. A flow ``a -> b`` is kept when ``b`` directly follows ``a`` in at least ``threshold`` of the
   cases; the others are reported as filtered.
5. *Choices*: targets of one source that (almost) never occur together after it (in at most
   ``noise`` of the cases of the rarer one) and that between them follow it in at least
   ``1 - noise`` of its cases form an **exclusive choice**, with probabilities measured as the
   share of the source's cases that took each branch. Other targets of the source are parallel
   branches (flows without ``p``); whether they happen at all is the target's own ``p``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .eventlog import EventLog

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

#: Cases handled at once when building per-case matrices (bounds memory on big logs).
CASE_CHUNK = 20_000


@dataclass(frozen=True, slots=True, eq=False)
class DirectlyFollows:
    """Counts and mean times of directly-follows pairs, indexed by the log's activity indices."""

    activities: tuple[str, ...]
    counts: IntArray  # (A, A)
    mean_times: FloatArray  # (A, A), NaN where the pair never occurs
    start_counts: IntArray  # (A,) cases that begin with the activity
    end_counts: IntArray  # (A,) cases that end with it

    def pairs(self) -> Iterator[tuple[str, str, int, float]]:
        """``(a, b, count, mean seconds)`` of every pair that occurs, in index order."""
        for i, j in zip(*np.nonzero(self.counts), strict=True):
            yield self.activities[i], self.activities[j], int(self.counts[i, j]), float(self.mean_times[i, j])

    def as_dicts(self) -> tuple[dict[tuple[str, str], int], dict[tuple[str, str], float]]:
        """Counts and mean times keyed by activity names, as pm4py returns them."""
        counts: dict[tuple[str, str], int] = {}
        means: dict[tuple[str, str], float] = {}
        for a, b, n, t in self.pairs():
            counts[a, b] = n
            means[a, b] = t
        return counts, means


def directly_follows(log: EventLog) -> DirectlyFollows:
    """The directly-follows graph of ``log`` (see the module docstring)."""
    a = len(log.activities)
    same = log.case[1:] == log.case[:-1]
    src = log.activity[:-1][same].astype(np.int64)
    dst = log.activity[1:][same].astype(np.int64)
    gap = log.start[1:][same] - log.end[:-1][same]
    key = src * a + dst
    counts = np.bincount(key, minlength=a * a).reshape(a, a)
    sums = np.bincount(key, weights=gap, minlength=a * a).reshape(a, a)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    bounds = log.case_bounds
    nonempty = bounds[1:] > bounds[:-1]
    firsts = log.activity[bounds[:-1][nonempty]]
    lasts = log.activity[bounds[1:][nonempty] - 1]
    return DirectlyFollows(
        activities=log.activities,
        counts=counts.astype(np.int64),
        mean_times=means,
        start_counts=np.bincount(firsts, minlength=a).astype(np.int64),
        end_counts=np.bincount(lasts, minlength=a).astype(np.int64),
    )


@dataclass(frozen=True, slots=True, eq=False)
class Spans:
    """Per case and kept activity: executions, first start and last end (NaN when absent)."""

    count: NDArray[np.int32]  # (cases, K)
    first_start: FloatArray
    last_end: FloatArray

    @property
    def present(self) -> BoolArray:
        return self.count > 0


def case_spans(log: EventLog, kept: IntArray, cases: slice | None = None) -> Spans:
    """Spans of the activities ``kept`` (log activity indices) for a range of cases."""
    lo, hi = (0, log.n_cases) if cases is None else (cases.start, cases.stop)
    bounds = log.case_bounds
    rows = slice(int(bounds[lo]), int(bounds[hi]))
    column = np.full(len(log.activities), -1, dtype=np.int64)
    column[kept] = np.arange(kept.size)
    col = column[log.activity[rows]]
    use = col >= 0
    case = log.case[rows][use].astype(np.int64) - lo
    flat = case * kept.size + col[use]
    n = (hi - lo) * kept.size
    count = np.bincount(flat, minlength=n).astype(np.int32).reshape(hi - lo, kept.size)
    first = np.full(n, np.inf)
    np.minimum.at(first, flat, log.start[rows][use])
    last = np.full(n, -np.inf)
    np.maximum.at(last, flat, log.end[rows][use])
    absent = count.reshape(-1) == 0
    first[absent] = np.nan
    last[absent] = np.nan
    return Spans(count, first.reshape(hi - lo, kept.size), last.reshape(hi - lo, kept.size))


def _chunks(n: int) -> Iterator[slice]:
    for lo in range(0, n, CASE_CHUNK):
        yield slice(lo, min(n, lo + CASE_CHUNK))


@dataclass(frozen=True, slots=True)
class Choice:
    """An exclusive choice: after ``source`` exactly one of ``targets`` follows."""

    source: int
    targets: tuple[int, ...]
    probabilities: tuple[float, ...]


@dataclass(frozen=True, slots=True, eq=False)
class Flows:
    """Flows among the kept activities (indices into ``kept``) and what was filtered out."""

    kept: IntArray  # log activity indices of kept activities
    cases_with: IntArray  # (K,) cases in which each kept activity occurs
    executions: IntArray  # (K,) executions of each kept activity
    precedes: BoolArray  # (K, K)
    direct: IntArray  # (K, K) cases where b directly follows a in the case's order
    flows: tuple[tuple[int, int], ...]  # kept flows (a, b), sorted
    choices: tuple[Choice, ...]
    dropped_activities: tuple[tuple[int, int], ...]  # (log activity index, cases)
    dropped_flows: tuple[tuple[int, int, int], ...]  # (a, b, cases) below the threshold


def discover_flows(log: EventLog, threshold: float = 0.05, noise: float = 0.05) -> Flows:
    """Flows, choices and what was filtered, by the rule in the module docstring."""
    n = log.n_cases
    a = len(log.activities)
    pairs = np.unique(log.case.astype(np.int64) * a + log.activity)
    per_activity = np.bincount(pairs % a, minlength=a)
    executions_all = np.bincount(log.activity, minlength=a)
    need = max(1, int(np.ceil(threshold * n - 1e-9)))
    keep_mask = per_activity >= need
    kept = np.flatnonzero(keep_mask).astype(np.int64)
    dropped_activities = tuple((int(i), int(per_activity[i])) for i in np.flatnonzero(~keep_mask & (per_activity > 0)))
    k = kept.size
    before = np.zeros((k, k), dtype=np.int64)
    both = np.zeros((k, k), dtype=np.int64)
    for part in _chunks(n):
        sp = case_spans(log, kept, part)
        present = sp.present
        pf = present.astype(np.int64)
        both += pf.T @ pf
        for i in range(k):
            rows = present[:, i]
            if not rows.any():
                continue
            end_i = sp.last_end[rows, i][:, None]
            start_i = sp.first_start[rows, i][:, None]
            ok = present[rows] & (end_i <= sp.first_start[rows]) & (start_i < sp.first_start[rows])
            before[i] += ok.sum(axis=0)
    np.fill_diagonal(before, 0)
    precedes = (both > 0) & (before >= (1 - noise) * both) & (before > before.T)
    np.fill_diagonal(precedes, False)
    between = [[np.flatnonzero(precedes[i] & precedes[:, j]) for j in range(k)] for i in range(k)]
    def direct_in(present: BoolArray, i: int, j: int) -> BoolArray:
        mid = between[i][j]
        d = present[:, i] & present[:, j]
        return d & ~present[:, mid].any(axis=1) if mid.size else d

    direct = np.zeros((k, k), dtype=np.int64)
    pair_list = [(int(i), int(j)) for i, j in zip(*np.nonzero(precedes), strict=True)]
    for part in _chunks(n):
        present = case_spans(log, kept, part).present
        for i, j in pair_list:
            direct[i, j] += int(direct_in(present, i, j).sum())
    flows_mask = precedes & (direct >= need)
    flows = tuple((int(i), int(j)) for i, j in zip(*np.nonzero(flows_mask), strict=True))
    dropped_flows = tuple((int(i), int(j), int(direct[i, j]))
                          for i, j in zip(*np.nonzero(precedes & ~flows_mask & (direct > 0)), strict=True))
    # How often two targets of one source both directly follow it (to tell choices from splits).
    fan = {i: [j for s_, j in flows if s_ == i] for i in {s_ for s_, _ in flows}}
    fan = {i: ts for i, ts in fan.items() if len(ts) >= 2}
    co_direct: dict[tuple[int, int, int], int] = {}
    if fan:
        for part in _chunks(n):
            present = case_spans(log, kept, part).present
            for i, ts in fan.items():
                hits = {t: direct_in(present, i, t) for t in ts}
                for x, b_ in enumerate(ts):
                    for c_ in ts[x + 1:]:
                        key = (i, min(b_, c_), max(b_, c_))
                        co_direct[key] = co_direct.get(key, 0) + int((hits[b_] & hits[c_]).sum())
    cases_with = per_activity[kept]
    choices = _choices(flows, direct, co_direct, cases_with, noise)
    return Flows(kept, cases_with, executions_all[kept], precedes, direct, flows, choices,
                 dropped_activities, dropped_flows)


def _choices(flows: tuple[tuple[int, int], ...], direct: IntArray, co_direct: dict[tuple[int, int, int], int],
             cases_with: IntArray, noise: float) -> tuple[Choice, ...]:
    """Group each source's targets into at most one exclusive choice (greedy, most taken first)."""
    out: list[Choice] = []
    by_source: dict[int, list[int]] = {}
    for i, j in flows:
        by_source.setdefault(i, []).append(j)
    for src in sorted(by_source):
        targets = sorted(by_source[src], key=lambda t: (-direct[src, t], t))
        if len(targets) < 2:
            continue
        group: list[int] = []
        for t in targets:
            if all(_exclusive(src, t, g, direct, co_direct, noise) for g in group):
                group.append(t)
        taken = sum(int(direct[src, t]) for t in group)
        if len(group) >= 2 and taken >= (1 - noise) * cases_with[src]:
            group.sort()
            out.append(Choice(src, tuple(group), tuple(float(direct[src, t]) / taken for t in group)))
    return tuple(out)


def _exclusive(src: int, b: int, c: int, direct: IntArray, co_direct: dict[tuple[int, int, int], int],
               noise: float) -> bool:
    together = co_direct.get((src, min(b, c), max(b, c)), 0)
    return bool(together <= noise * min(direct[src, b], direct[src, c]))
