"""Random draws from the model's duration distributions, vectorised with NumPy.

Analysis (Monte Carlo of end-to-end time) and the simulator draw from the same code, so the two
can never disagree about what ``5..8..15 min`` or ``{dist: lognormal, mean: 10 min, sd: 4 min}``
means. All values are seconds.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from .quantities import Duration

FloatArray = NDArray[np.float64]


def lognormal_params(mean: float, sd: float) -> tuple[float, float]:
    """(mu, sigma) of the underlying normal for a lognormal given by its own mean and sd."""
    sigma2 = math.log1p((sd / mean) ** 2)
    return math.log(mean) - sigma2 / 2, math.sqrt(sigma2)


def sample(duration: Duration, rng: np.random.Generator, n: int) -> FloatArray:
    """``n`` independent draws of ``duration``, in seconds (never negative)."""
    p = duration.params
    dist = duration.dist
    if dist == "fixed":
        return np.full(n, p[0], dtype=np.float64)
    if dist == "uniform":
        return rng.uniform(p[0], p[1], n)
    if dist == "triangular":
        low, mode, high = p
        if high <= low:
            return np.full(n, low, dtype=np.float64)
        return rng.triangular(low, mode, high, n)
    if dist == "exponential":
        return rng.exponential(p[0], n) if p[0] > 0 else np.zeros(n)
    mean, sd = (p[0], p[1]) if len(p) > 1 else (p[0], 0.0)
    if dist in ("lognormal", "gamma", "normal") and (sd <= 0 or mean <= 0):
        return np.full(n, max(mean, 0.0), dtype=np.float64)
    if dist == "lognormal":
        mu, sigma = lognormal_params(mean, sd)
        return rng.lognormal(mu, sigma, n)
    if dist == "gamma":
        shape = (mean / sd) ** 2
        return rng.gamma(shape, sd * sd / mean, n)
    if dist == "normal":
        # Truncated at zero by redrawing, so a wide normal never yields negative time.
        out = rng.normal(mean, sd, n)
        bad = out < 0
        while bad.any():
            out[bad] = rng.normal(mean, sd, int(bad.sum()))
            bad = out < 0
        return out
    values = np.asarray(p, dtype=np.float64)
    return values[rng.integers(0, len(values), n)]


def sample_repeated(
    duration: Duration | None, repeat: float, rng: np.random.Generator, n: int
) -> FloatArray:
    """Total time of an action that must be redone with probability ``repeat`` each time.

    The number of executions is geometric (1, 2, … with mean ``1 / (1 - repeat)``); each
    execution takes an independent draw.
    """
    if duration is None:
        return np.zeros(n)
    total = sample(duration, rng, n)
    if repeat <= 0:
        return total
    again = rng.random(n) < repeat
    while again.any():
        k = int(again.sum())
        total[again] += sample(duration, rng, k)
        nxt = rng.random(k) < repeat
        again[again] = nxt
    return total


def expected_executions(repeat: float | None) -> float:
    """Mean number of executions of an action with rework probability ``repeat``."""
    r = repeat or 0.0
    return math.inf if r >= 1 else 1.0 / (1.0 - r)
