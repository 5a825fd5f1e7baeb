"""The demand profile over the week: when customers arrive, and how fast, minute by minute.

A blueprint's ``demand`` says a base rate (``4/h``, ``30/d``, ``120/week`` or ``~12 min``
between arrivals), the opening hours in which it applies, and peaks that set a different rate
(``Sat 10:00-12:00 10/h``) or scale the base (``Mon-Fri 09:00-10:00 x2``). Analysis sizes staff
per *period* of equal demand; the simulator draws arrivals from the rate of each *minute*. Both
read this one profile so they can never disagree about when the Saturday rush is.

Rules, in the order they apply to each minute of the week:

* opening hours (all week when none are given) say when the base rate applies; outside them
  nobody arrives unless a peak says so;
* a base rate per hour or minute holds as written; a count per day is spread evenly over that
  day's opening minutes (a range past midnight belongs to the day it starts), a count per week
  over the week's;
* peaks are read in the order written and the first one that covers a minute sets its rate: a
  rate (a count per day or week is spread over the peak's own minutes of that day or week) or a
  factor times the base rate of that minute.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from .calendar import DAYS, WEEK_MINUTES, Peak, Window
from .model import Blueprint, Demand
from .quantities import Rate, fmt_number

FloatArray = NDArray[np.float64]
DAY_MINUTES = 1440
WEEK_HOURS = WEEK_MINUTES // 60

__all__ = ["DemandPeriod", "DemandProfile", "demand_profile", "describe_minutes", "hour_label", "profile_of"]


@dataclass(frozen=True, slots=True)
class DemandPeriod:
    """A set of minutes of the week with one arrival rate: the base hours or one peak."""

    name: str
    """``base Mon-Sat 09:00-18:00`` or ``peak Sat 10:00-12:00``: what a person would call it."""
    kind: Literal["base", "peak"]
    rate_per_hour: float
    """Arrivals per hour while the period runs."""
    minutes_per_week: int
    """Minutes of the week the period actually governs (minutes won by an earlier peak excluded)."""

    @property
    def label(self) -> str:
        """``Sat 10:00-12:00 peak: 10/h`` style text for reports."""
        return f"{self.name}: {fmt_number(round(self.rate_per_hour, 2))}/h"

    @property
    def arrivals_per_week(self) -> float:
        return self.rate_per_hour * self.minutes_per_week / 60


@dataclass(frozen=True, slots=True)
class DemandProfile:
    """Arrival rate for every minute of the week, and the named periods it is made of."""

    per_minute: FloatArray
    """Arrivals per *hour* in force at each minute of the week (index 0 = Monday 00:00)."""
    periods: tuple[DemandPeriod, ...]
    """Base period(s) first, then peaks in the order written; periods governing no minute are left out."""
    period_of: NDArray[np.int64]
    """Index into ``periods`` of the period governing each minute of the week (-1: none)."""

    def mask(self, period: int) -> NDArray[np.bool_]:
        """The minutes of the week that ``periods[period]`` governs."""
        out: NDArray[np.bool_] = self.period_of == period
        return out

    @property
    def hourly(self) -> tuple[float, ...]:
        """Mean rate per hour in each of the 168 hours of the week (Monday 00-01 first)."""
        return tuple(float(x) for x in self.per_minute.reshape(WEEK_HOURS, 60).mean(axis=1))

    @property
    def arrivals_per_week(self) -> float:
        return float(self.per_minute.sum()) / 60

    @property
    def open_minutes_per_week(self) -> int:
        """Minutes with any demand at all."""
        return int(np.count_nonzero(self.per_minute))

    @property
    def average_per_hour(self) -> float:
        """Arrivals per hour averaged over the minutes with demand (the "average rate")."""
        open_minutes = self.open_minutes_per_week
        return self.arrivals_per_week * 60 / open_minutes if open_minutes else 0.0

    @property
    def peak_per_hour(self) -> float:
        return float(self.per_minute.max()) if self.per_minute.size else 0.0

    def rate_at(self, minute_of_week: float) -> float:
        """Arrivals per hour at a moment (minutes since Monday 00:00, wrapping weekly)."""
        return float(self.per_minute[int(minute_of_week) % WEEK_MINUTES])


def hour_label(hour_of_week: int) -> str:
    """``Sat 10:00`` for hour 130 of the week."""
    return f"{DAYS[hour_of_week // 24 % 7]} {hour_of_week % 24:02d}:00"


def _mask(windows: Sequence[Window]) -> NDArray[np.bool_]:
    mask = np.zeros(WEEK_MINUTES, dtype=bool)
    for w in windows:
        for s, e in w.intervals():
            mask[s:e] = True
    return mask


def _day_masks(windows: Sequence[Window]) -> list[NDArray[np.bool_]]:
    """Minutes belonging to each weekday's ranges, by the day a range starts on."""
    out = []
    for day in range(7):
        parts = [Window((day,), w.ranges, w.text) for w in windows if day in w.days]
        out.append(_mask(parts))
    return out


def _spread(rate: Rate, windows: Sequence[Window]) -> FloatArray:
    """Arrivals per hour at each minute for ``rate`` holding over ``windows``."""
    out = np.zeros(WEEK_MINUTES)
    if rate.unit in ("d", "week"):
        groups = _day_masks(windows) if rate.unit == "d" else [_mask(windows)]
        count = rate.per_second * (86400 if rate.unit == "d" else 604800)
        for mask in groups:
            minutes = int(mask.sum())
            if minutes:
                out[mask] = count * 60 / minutes
        return out
    out[_mask(windows)] = rate.per_hour
    return out


def profile_of(demand: Demand) -> DemandProfile | None:
    """The weekly profile of ``demand``; ``None`` when it gives no rate at all."""
    if demand.arrivals is None and not any(p.rate is not None for p in demand.peaks):
        return None
    hours = [h.window for h in demand.hours] or [Window(tuple(range(7)), ((0, DAY_MINUTES),), "daily 00:00-24:00")]
    base = _spread(demand.arrivals, hours) if demand.arrivals is not None else np.zeros(WEEK_MINUTES)
    rates = base.copy()
    taken = np.zeros(WEEK_MINUTES, dtype=bool)
    peak_parts: list[tuple[Peak, NDArray[np.bool_]]] = []
    for peak in demand.peaks:
        mask = _mask([peak.window]) & ~taken
        if peak.rate is not None:
            peak_rates = _spread(peak.rate, [peak.window])
        elif peak.factor is not None and demand.arrivals is not None:
            peak_rates = base * peak.factor
        else:
            continue  # a factor with no base rate to scale: nothing to say
        rates[mask] = peak_rates[mask]
        taken |= mask
        peak_parts.append((peak, mask))

    periods: list[DemandPeriod] = []
    period_of = np.full(WEEK_MINUTES, -1, dtype=np.int64)
    base_mask = _mask(hours) & ~taken & (base > 0)
    if base_mask.any():
        # (distinct values first: rounding 10,080 minutes one by one in Python took milliseconds)
        values = sorted({round(float(v), 9) for v in np.unique(base[base_mask])}, reverse=True)
        hours_text = "; ".join(w.canonical() for w in hours)
        for v in values:
            m = base_mask & np.isclose(base, v)
            name = f"base {hours_text}" if len(values) == 1 else f"base {_days_of(m)}"
            period_of[m] = len(periods)
            periods.append(DemandPeriod(name, "base", v, int(m.sum())))
    for peak, mask in peak_parts:
        minutes = int(mask.sum())
        if not minutes:
            continue
        mean = float(rates[mask].mean())
        period_of[mask] = len(periods)
        periods.append(DemandPeriod(f"peak {peak.window.canonical()}", "peak", mean, minutes))
    return DemandProfile(rates, tuple(periods), period_of)


def describe_minutes(mask: NDArray[np.bool_]) -> str:
    """``Sat 13:00-18:00, Sun 09:00-10:30``: the runs of set minutes of the week, as text."""
    parts = []
    padded = np.concatenate(([False], mask, [False]))
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    for start, end in zip(edges[0::2], edges[1::2], strict=True):
        s, e = int(start), int(end)
        last = e - 1
        end_text = "24:00" if e % DAY_MINUTES == 0 else _clock(e % DAY_MINUTES)
        if s // DAY_MINUTES == last // DAY_MINUTES:
            parts.append(f"{DAYS[s // DAY_MINUTES]} {_clock(s % DAY_MINUTES)}-{end_text}")
        else:
            parts.append(f"{DAYS[s // DAY_MINUTES]} {_clock(s % DAY_MINUTES)}-{DAYS[last // DAY_MINUTES]} {end_text}")
    return ", ".join(parts)


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _days_of(mask: NDArray[np.bool_]) -> str:
    """Weekdays a minute mask touches, for naming base periods that differ by day."""
    days = tuple(d for d in range(7) if mask[d * DAY_MINUTES:(d + 1) * DAY_MINUTES].any())
    return Window(days, ((0, 1),), "").canonical().rsplit(" ", 1)[0]


def demand_profile(bp: Blueprint) -> DemandProfile | None:
    """The demand profile of a blueprint; ``None`` when it has no demand with a rate."""
    return profile_of(bp.demand) if bp.demand is not None else None
