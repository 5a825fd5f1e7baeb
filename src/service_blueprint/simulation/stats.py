"""Streaming statistics with bounded memory: log-binned histograms for quantiles, running moments.

A simulation of a year can see millions of cases; keeping every time would make memory grow with
the run. Values are buffered in small batches and folded into a fixed-size histogram (bins
0.5 % wide on a log scale from 1 ms to ~30 years, so quantiles are within 0.25 % of the exact
value) and into running moments (Chan et al.'s pairwise update, exact mean and variance).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
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
    """A value stream: buffered, then folded into a histogram and moments in batches."""

    __slots__ = ("buffer", "hist", "moments")

    def __init__(self) -> None:
        self.buffer: list[float] = []
        self.hist = Histogram()
        self.moments = Moments()

    def flush(self) -> None:
        if self.buffer:
            values = np.asarray(self.buffer, dtype=np.float64)
            self.hist.add_many(values)
            self.moments.add_many(values)
            self.buffer.clear()

    def merge(self, other: Sample) -> None:
        self.flush()
        other.flush()
        self.hist.merge(other.hist)
        self.moments.merge(other.moments)
