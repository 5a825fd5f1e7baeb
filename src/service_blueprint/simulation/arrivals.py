"""Arrival times of a non-homogeneous Poisson process with a weekly piecewise-constant rate.

The rate comes from the blueprint's demand profile (``demand.py``): one value per minute of the
week, merged here into segments of equal rate. Times are drawn exactly, by inverting the
cumulative rate: unit-rate exponential gaps are summed and mapped back through the piecewise
linear cumulative intensity, a batch at a time with NumPy (no thinning, so no rejected draws).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..calendar import WEEK_MINUTES
from ..demand import DemandProfile

WEEK = WEEK_MINUTES * 60.0
FloatArray = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class WeeklyRate:
    """Segments ``[starts[k], starts[k] + lengths[k])`` (seconds of week) with rate ``rates[k]``
    per second; only segments with a positive rate are kept."""

    starts: FloatArray
    lengths: FloatArray
    rates: FloatArray

    @property
    def per_week(self) -> float:
        """Expected arrivals in one week."""
        return float((self.lengths * self.rates).sum())

    @classmethod
    def constant(cls, per_second: float) -> WeeklyRate:
        return cls(np.array([0.0]), np.array([WEEK]), np.array([per_second]))

    @classmethod
    def from_profile(cls, profile: DemandProfile, factor: float = 1.0) -> WeeklyRate:
        per_minute = profile.per_minute * factor / 3600.0  # arrivals per second at each minute
        change = np.flatnonzero(np.diff(per_minute, prepend=np.nan) != 0)
        ends = np.append(change[1:], WEEK_MINUTES)
        rates = per_minute[change]
        keep = rates > 0
        return cls((change[keep] * 60.0).astype(np.float64), ((ends - change)[keep] * 60.0).astype(np.float64),
                   rates[keep].astype(np.float64))

    def rate_at(self, t: float) -> float:
        """Arrivals per second at time ``t`` (seconds from Monday 00:00)."""
        s = t % WEEK
        k = int(np.searchsorted(self.starts, s, side="right")) - 1
        if k >= 0 and s < self.starts[k] + self.lengths[k]:
            return float(self.rates[k])
        return 0.0


def arrival_batches(rate: WeeklyRate, rng: np.random.Generator, end: float, batch: int = 4096,
                    start: float = 0.0) -> Iterator[list[float]]:
    """Arrival times in ``[start, end)``, in order, as lists of up to ``batch`` times (drawn
    lazily, so memory stays bounded)."""
    per_week = rate.per_week
    if per_week <= 0 or end <= start:
        return
    mass = rate.lengths * rate.rates
    cum = np.concatenate(([0.0], np.cumsum(mass)))  # cumulative intensity at each segment start
    cum[-1] = per_week
    # cumulative intensity reached so far: that of the start time
    full_weeks, within_week = divmod(start, WEEK)
    k0 = int(np.searchsorted(rate.starts, within_week, side="right")) - 1
    s = full_weeks * per_week
    if k0 >= 0:
        s += float(cum[k0]) + float(rate.rates[k0]) * min(within_week - float(rate.starts[k0]), float(rate.lengths[k0]))
    while True:
        points = s + np.cumsum(rng.exponential(1.0, batch))
        s = float(points[-1])
        weeks = np.floor(points / per_week)
        within = points - weeks * per_week
        k = np.clip(np.searchsorted(cum, within, side="right") - 1, 0, len(mass) - 1)
        times = weeks * WEEK + rate.starts[k] + (within - cum[k]) / rate.rates[k]
        if times[-1] >= end:
            yield times[times < end].tolist()
            return
        yield times.tolist()


def arrival_times(rate: WeeklyRate, rng: np.random.Generator, end: float, start: float = 0.0) -> Iterator[float]:
    """The arrival times of :func:`arrival_batches` one by one."""
    for times in arrival_batches(rate, rng, end, start=start):
        yield from times
