"""Streaming statistics with bounded memory: log-binned histograms for quantiles, running moments,
and per-role, per-hour-of-week time (busy, queueing) folded from execution records in batches.

A simulation of a year can see millions of cases; keeping every time would make memory grow with
the run. Values are buffered in batches (by the engine) and folded into a fixed-size histogram (bins
0.5 % wide on a log scale from 1 ms to ~30 years, so quantiles are within 0.25 % of the exact
value) and into running moments (Chan et al.'s pairwise update, exact mean and variance).
"""

from __future__ import annotations

import math
from array import array
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from .shifts import HOURS_OF_WEEK

if TYPE_CHECKING:
    from .model import SimModel

FloatArray = NDArray[np.float64]
_HOUR = 3600.0
_LO = 1e-3  # seconds; smaller values (including 0) fall in the first bin
_RATIO = 1.005
_LOG_RATIO = math.log(_RATIO)
_BINS = math.ceil(math.log(1e9 / _LO) / _LOG_RATIO) + 2


@dataclass(slots=True)
class Moments:
    """Count, mean and sum of squared deviations, merged exactly batch by batch."""

    n: int = 0
    mean: float = 0.0
    m2: float = 0.0
    max: float = 0.0

    def add_many(self, values: FloatArray) -> None:
        k = int(values.size)
        if not k:
            return
        bmean = float(values.mean())
        bm2 = float(((values - bmean) ** 2).sum())
        self.merge(Moments(k, bmean, bm2, float(values.max())))

    def merge(self, other: Moments) -> None:
        if not other.n:
            return
        n = self.n + other.n
        delta = other.mean - self.mean
        self.mean += delta * other.n / n
        self.m2 += other.m2 + delta * delta * self.n * other.n / n
        self.max = max(self.max, other.max) if self.n else other.max
        self.n = n

    @property
    def variance(self) -> float:
        return self.m2 / (self.n - 1) if self.n > 1 else 0.0


@dataclass(slots=True)
class Histogram:
    """Counts in log-spaced bins; ``quantile`` interpolates within a bin."""

    counts: NDArray[np.int64] = field(default_factory=lambda: np.zeros(_BINS, dtype=np.int64))

    def add_many(self, values: FloatArray) -> None:
        if not values.size:
            return
        with np.errstate(divide="ignore"):
            idx = np.floor(np.log(np.maximum(values, _LO * 0.5) / _LO) / _LOG_RATIO).astype(np.int64) + 1
        idx = np.clip(idx, 0, _BINS - 1)
        self.counts += np.bincount(idx, minlength=_BINS)

    def merge(self, other: Histogram) -> None:
        self.counts += other.counts

    @property
    def n(self) -> int:
        return int(self.counts.sum())

    def quantile(self, q: float) -> float:
        n = self.n
        if not n:
            return math.nan
        cum = np.cumsum(self.counts)
        target = q * n
        k = int(np.searchsorted(cum, target, side="left"))
        k = min(k, _BINS - 1)
        if k == 0:
            return 0.0
        below = float(cum[k - 1])
        frac = (target - below) / float(self.counts[k]) if self.counts[k] else 0.0
        lo = _LO * _RATIO ** (k - 1)
        return float(lo * _RATIO ** min(max(frac, 0.0), 1.0))

    def share_at_most(self, x: float) -> float:
        """Share of values ≤ ``x`` (to the bin), for reading a tolerance off the histogram."""
        n = self.n
        if not n:
            return math.nan
        k = 0 if x < _LO else math.floor(math.log(x / _LO) / _LOG_RATIO) + 1
        return float(self.counts[: min(k, _BINS - 1) + 1].sum()) / n


class Sample:
    """A value stream, folded batch by batch into a histogram and moments."""

    __slots__ = ("hist", "moments")

    def __init__(self) -> None:
        self.hist = Histogram()
        self.moments = Moments()

    def add_many(self, values: FloatArray) -> None:
        self.hist.add_many(values)
        self.moments.add_many(values)

    def merge(self, other: Sample) -> None:
        self.hist.merge(other.hist)
        self.moments.merge(other.moments)


@dataclass(slots=True)
class RunStats:
    """What one replication measured inside its window ``[warmup, end)``."""

    window: float
    arrivals: int = 0
    completed: int = 0
    abandoned: int = 0
    unfinished: int = 0
    within: int = 0  # completed cases whose customer time is within the scenario tolerance
    finished_in_window: int = 0
    in_system: float = 0.0  # ∫ cases in system dt over the window (Little's L × window)
    customer: Sample = field(default_factory=Sample)
    case: Sample = field(default_factory=Sample)
    runs: FloatArray = field(default_factory=lambda: np.zeros(0))  # per action, measured cases
    executions: FloatArray = field(default_factory=lambda: np.zeros(0))
    waited: FloatArray = field(default_factory=lambda: np.zeros(0))  # runs that queued > 0
    wait_sum: FloatArray = field(default_factory=lambda: np.zeros(0))
    wait_max: FloatArray = field(default_factory=lambda: np.zeros(0))
    delay_sum: FloatArray = field(default_factory=lambda: np.zeros(0))
    busy: FloatArray = field(default_factory=lambda: np.zeros((0, HOURS_OF_WEEK)))  # role × hour
    on_duty: FloatArray = field(default_factory=lambda: np.zeros((0, HOURS_OF_WEEK)))
    queue: FloatArray = field(default_factory=lambda: np.zeros((0, HOURS_OF_WEEK)))  # ∫ queue length
    hour_seconds: FloatArray = field(default_factory=lambda: np.zeros(HOURS_OF_WEEK))
    max_queue: FloatArray = field(default_factory=lambda: np.zeros(0))
    overtime: FloatArray = field(default_factory=lambda: np.zeros(0))  # role-seconds past shifts
    fixed_cost: float = 0.0


def hour_seconds(start: float, end: float) -> FloatArray:
    """Seconds of each hour of the week inside ``[start, end)``."""
    out = np.zeros(HOURS_OF_WEEK)
    bin_intervals(out, np.zeros(1, dtype=np.int64), np.array([start]), np.array([end]), start, end)
    return out


def bin_intervals(bins: FloatArray, rows: NDArray[np.int64], s: FloatArray, e: FloatArray,
                   lo: float, hi: float) -> None:
    """Add the parts of intervals ``[s, e)`` inside ``[lo, hi)`` to ``bins`` (flat, row × hour
    of week), splitting each interval at hour boundaries."""
    s = np.maximum(s, lo)
    e = np.minimum(e, hi)
    keep = s < e
    if not keep.all():
        rows, s, e = rows[keep], s[keep], e[keep]
    if not s.size:
        return
    h0 = np.floor(s / _HOUR).astype(np.int64)
    one = h0 == np.floor(e / _HOUR)  # most intervals stay inside one hour: bin those directly
    if one.all():
        bins += np.bincount(rows * HOURS_OF_WEEK + h0 % HOURS_OF_WEEK, weights=e - s, minlength=bins.size)
        return
    if one.any():
        bins += np.bincount(rows[one] * HOURS_OF_WEEK + h0[one] % HOURS_OF_WEEK, weights=(e - s)[one],
                            minlength=bins.size)
        rows, s, e, h0 = rows[~one], s[~one], e[~one], h0[~one]
        if not s.size:
            return
    spans = np.maximum(np.ceil(e / _HOUR).astype(np.int64) - h0, 1)
    idx = np.repeat(np.arange(s.size), spans)
    hour = h0[idx] + (np.arange(idx.size) - np.repeat(np.cumsum(spans) - spans, spans))
    part = np.minimum(hour * _HOUR + _HOUR, e[idx]) - np.maximum(hour * _HOUR, s[idx])
    bins += np.bincount(rows[idx] * HOURS_OF_WEEK + hour % HOURS_OF_WEEK,
                        weights=np.maximum(part, 0.0), minlength=bins.size)


class Ledger:
    """Per-execution records folded into statistics in NumPy batches, so the event loop only
    appends three or four numbers per execution.

    Two fixed buffers the engine writes into: ``now`` holds ``(code, start, end)`` of executions
    that started the moment they were ready (most of them), ``late`` holds ``(code, ready, start,
    end)`` of the others (queued or delayed). ``code`` is the action index, plus the number of
    actions when the case arrived during the warm-up (not measured). The engine calls ``fold``
    with the number of records written when a buffer is full and at the end."""

    def __init__(self, model: SimModel, records: int = 16384) -> None:
        n_act, n_roles = model.plan.size, len(model.rosters)
        self.warm, self.end = model.warmup, model.end
        self.role_of = np.asarray(model.role_of, dtype=np.int64)
        self.queued = np.asarray(model.queued, dtype=bool)
        self.fixed = np.asarray(model.fixed_cost, dtype=np.float64)
        self.runs = np.zeros(n_act)
        self.waited = np.zeros(n_act)
        self.wait_sum = np.zeros(n_act)
        self.wait_max = np.zeros(n_act)
        self.delay_sum = np.zeros(n_act)
        self.busy = np.zeros(n_roles * HOURS_OF_WEEK)
        self.queue = np.zeros(n_roles * HOURS_OF_WEEK)
        self.now: array[float] = array("d", bytes(8 * 3 * records))
        self.late: array[float] = array("d", bytes(8 * 4 * records))

    def fold(self, n_now: int, n_late: int) -> None:
        """Fold the first ``n_now`` and ``n_late`` records of the buffers (which are then free)."""
        n_act = self.runs.size
        if n_now:
            a = np.frombuffer(self.now, dtype=np.float64, count=3 * n_now).reshape(-1, 3)
            code = a[:, 0].astype(np.int64)
            meas = code < n_act
            self._busy(np.where(meas, code, code - n_act), a[:, 1], a[:, 2])
            self.runs += np.bincount(code[meas] if not meas.all() else code, minlength=n_act)
        if n_late:
            a = np.frombuffer(self.late, dtype=np.float64, count=4 * n_late).reshape(-1, 4)
            code = a[:, 0].astype(np.int64)
            meas = code < n_act
            j = np.where(meas, code, code - n_act)
            ready, s, e = a[:, 1], a[:, 2], a[:, 3]
            self._busy(j, s, e)
            q = self.queued[j] & (s > ready)
            r = self.role_of[j]
            bin_intervals(self.queue, r[q], ready[q], s[q], self.warm, self.end)
            jm, w, qm = j[meas], (s - ready)[meas], self.queued[j][meas]
            self.runs += np.bincount(jm, minlength=n_act)
            self.wait_sum += np.bincount(jm[qm], weights=w[qm], minlength=n_act)
            self.waited += np.bincount(jm[qm & (w > 0)], minlength=n_act)
            np.maximum.at(self.wait_max, jm[qm], w[qm])
            self.delay_sum += np.bincount(jm[~qm], weights=w[~qm], minlength=n_act)

    def _busy(self, j: NDArray[np.int64], s: FloatArray, e: FloatArray) -> None:
        r = self.role_of[j]
        held = r >= 0
        if not held.all():
            r, s, e = r[held], s[held], e[held]
        bin_intervals(self.busy, r, s, e, self.warm, self.end)

    def add_queue(self, r: int, s: float, e: float) -> None:
        """Queue time that did not end in a start (the customer left, or the run ended)."""
        bin_intervals(self.queue, np.array([r]), np.array([s]), np.array([e]), self.warm, self.end)
