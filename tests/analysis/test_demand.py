"""The weekly demand profile: base rate in opening hours, peaks by rate or factor, per-day counts."""

from __future__ import annotations

import pytest

from service_blueprint import loads
from service_blueprint.demand import DemandProfile, demand_profile, hour_label, profile_of
from service_blueprint.model import Demand

HEAD = "blueprint: 1\ntitle: T\n"


def profile(demand: str) -> DemandProfile:
    result = demand_profile(loads(HEAD + "demand: " + demand + "\n"))
    assert result is not None
    return result


def minute(day: int, hh: int, mm: int = 0) -> int:
    return day * 1440 + hh * 60 + mm


def test_base_and_peaks_as_rate_and_factor() -> None:
    p = profile("{arrivals: 4/h, hours: Mon-Sat 09:00-18:00, peaks: [Sat 10:00-12:00 10/h, Mon-Fri 09:00-10:00 x2]}")
    assert [x.label for x in p.periods] == [
        "base Mon-Sat 09:00-18:00: 4/h",
        "peak Sat 10:00-12:00: 10/h",
        "peak Mon-Fri 09:00-10:00: 8/h",
    ]
    # 6 days × 9 h, less 2 h of Saturday peak and 5 × 1 h of weekday peak.
    assert [x.minutes_per_week for x in p.periods] == [(54 - 2 - 5) * 60, 120, 300]
    assert p.arrivals_per_week == pytest.approx(47 * 4 + 2 * 10 + 5 * 8)
    assert p.average_per_hour == pytest.approx(248 / 54)
    assert p.peak_per_hour == 10
    assert p.rate_at(minute(5, 10, 30)) == 10
    assert p.rate_at(minute(0, 9, 59)) == 8
    assert p.rate_at(minute(0, 10)) == 4
    assert p.rate_at(minute(6, 12)) == 0  # Sunday: closed
    assert p.rate_at(minute(7, 9, 30)) == 8  # wraps to next Monday
    assert len(p.hourly) == 168
    assert p.hourly[5 * 24 + 10] == 10 and p.hourly[0] == 0
    assert p.open_minutes_per_week == 54 * 60


def test_overlapping_peaks_first_written_wins_and_half_hours_average() -> None:
    p = profile("{arrivals: 2/h, hours: Mon 09:00-12:00, peaks: [Mon 10:00-11:30 6/h, Mon 09:00-11:00 x3]}")
    assert p.rate_at(minute(0, 10, 15)) == 6  # first peak
    assert p.rate_at(minute(0, 9, 15)) == 6  # second peak: 2 × 3
    assert [(x.name, x.minutes_per_week) for x in p.periods] == [
        ("base Mon 09:00-12:00", 30), ("peak Mon 10:00-11:30", 90), ("peak Mon 09:00-11:00", 60)]
    assert p.hourly[11] == pytest.approx((30 * 6 + 30 * 2) / 60)


def test_no_hours_means_all_week_and_interarrival_time() -> None:
    p = profile("{arrivals: ~12 min}")
    assert p.rate_at(minute(6, 3)) == pytest.approx(5)
    assert p.open_minutes_per_week == 7 * 1440
    assert p.periods[0].name == "base daily 00:00-24:00"


def test_count_per_day_is_spread_over_each_days_hours() -> None:
    p = profile("{arrivals: 30/d, hours: [Mon-Fri 09:00-19:00, Sat 09:00-12:00]}")
    assert p.rate_at(minute(1, 10)) == pytest.approx(3)  # 30 over 10 h
    assert p.rate_at(minute(5, 10)) == pytest.approx(10)  # 30 over 3 h
    assert p.arrivals_per_week == pytest.approx(6 * 30)
    assert [x.label for x in p.periods] == ["base Sat: 10/h", "base Mon-Fri: 3/h"]


def test_count_per_week_and_overnight_hours() -> None:
    p = profile("{arrivals: 140/week, hours: Fri 22:00-02:00}")
    assert p.rate_at(minute(4, 23)) == pytest.approx(35)
    assert p.rate_at(minute(5, 1)) == pytest.approx(35)
    assert p.arrivals_per_week == pytest.approx(140)


def test_peak_outside_hours_still_counts_and_factor_without_base_is_ignored() -> None:
    p = profile("{arrivals: 1/h, hours: Mon 09:00-10:00, peaks: [Sun 20:00-21:00 3/h]}")
    assert p.rate_at(minute(6, 20, 30)) == 3
    assert demand_profile(loads(HEAD + "demand: {peaks: [Mon 09:00-10:00 x2]}\n")) is None
    only_peak = profile_of(Demand.model_validate({"peaks": ["Mon 09:00-10:00 5/h", "Tue 09:00-10:00 x2"]}))
    assert only_peak is not None and [x.name for x in only_peak.periods] == ["peak Mon 09:00-10:00"]


def test_no_demand() -> None:
    assert demand_profile(loads(HEAD)) is None


def test_hour_label() -> None:
    assert hour_label(130) == "Sat 10:00"
    assert hour_label(0) == "Mon 00:00"
