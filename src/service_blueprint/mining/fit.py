"""Durations and waits fitted from measured times, written as the format's durations.

Rule, in order:

* no time at all (every value 0, e.g. a log with one timestamp per event): no duration;
* all values equal (within a millisecond): a fixed duration;
* a **lognormal** when the logarithms of the values pass a Lilliefors test of normality at the
  5 % level (a Kolmogorov–Smirnov distance below ``0.886 / sqrt(n)``, the critical value for a
  normal with estimated mean and sd; at most 2,000 evenly spaced order statistics are tested, so
  huge samples do not reject over trivia). It is written as its mean and sd;
* otherwise an **empirical** distribution of at most ``max_values`` values: the quantiles at
  evenly spaced probabilities, so sampling from it reproduces the measured spread.

Values are rounded to three significant figures in the unit chosen for the median (s under
90 s, min under 90 min, h under 48 h, d above): a blueprint is read by people.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..quantities import UNITS, Duration, fmt_seconds

FloatArray = NDArray[np.float64]
MAX_VALUES = 20
_KS_POINTS = 2000
_LILLIEFORS_5 = 0.886


@dataclass(frozen=True, slots=True)
class Summary:
    """Measured times of one action: how many, median and 90th percentile (seconds)."""

    n: int
    median: float
    p90: float
    mean: float

    def metrics(self) -> dict[str, str]:
        return {"median": fmt_seconds(self.median), "p90": fmt_seconds(self.p90)}


def summarise(values: FloatArray) -> Summary:
    if values.size == 0:
        return Summary(0, 0.0, 0.0, 0.0)
    median, p90 = np.quantile(values, [0.5, 0.9])
    return Summary(int(values.size), float(median), float(p90), float(values.mean()))


def unit_for(seconds: float) -> str:
    if seconds < 90:
        return "s"
    if seconds < 5400:
        return "min"
    if seconds < 172800:
        return "h"
    return "d"


def _round(seconds: float, unit: str) -> float:
    """Three significant figures in ``unit``, back in seconds."""
    factor = UNITS[unit]
    x = seconds / factor
    if x == 0 or not math.isfinite(x):
        return 0.0
    digits = 2 - math.floor(math.log10(abs(x)))
    return round(x, max(digits, 0)) * factor


def lognormal_fits(values: FloatArray) -> bool:
    """Lilliefors test (5 %) of normality of ``log(values)``; values must be positive."""
    if values.size < 8 or (values <= 0).any():
        return False
    logs = np.sort(np.log(values))
    if logs.size > _KS_POINTS:
        logs = logs[np.linspace(0, logs.size - 1, _KS_POINTS).round().astype(np.int64)]
    mu = float(logs.mean())
    sigma = float(logs.std(ddof=1))
    if not sigma > 0:
        return False
    m = logs.size
    z = (logs - mu) / (sigma * math.sqrt(2))
    cdf = 0.5 * (1 + np.array([math.erf(v) for v in z]))
    upper = np.arange(1, m + 1) / m - cdf
    lower = cdf - np.arange(0, m) / m
    distance = float(max(upper.max(), lower.max()))
    return distance < _LILLIEFORS_5 / math.sqrt(m)


def fit_duration(values: FloatArray, max_values: int = MAX_VALUES) -> Duration | None:
    """A duration for measured times in seconds (see the module docstring); ``None`` if there is
    nothing to fit."""
    values = values[np.isfinite(values)]
    values = np.maximum(values, 0.0)
    if values.size == 0 or not (values > 0).any():
        return None
    unit = unit_for(float(np.median(values)))
    if float(values.max() - values.min()) <= 1e-3:
        return Duration("fixed", (_round(float(values.mean()), unit),), unit)
    if lognormal_fits(values):
        mean = _round(float(values.mean()), unit)
        sd = _round(float(values.std(ddof=1)), unit)
        if mean > 0 and sd > 0:
            return Duration("lognormal", (mean, sd), unit)
    k = min(max_values, values.size)
    probs = (np.arange(k) + 0.5) / k
    quantiles = np.quantile(values, probs)
    return Duration("empirical", tuple(_round(float(q), unit) for q in quantiles), unit)
