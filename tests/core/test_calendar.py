from __future__ import annotations

import pytest

from service_blueprint.calendar import WEEK_MINUTES, Hours, Peak, Shift


def test_shift_with_staff() -> None:
    s = Shift.parse("Sat 09:00-13:00 x1")
    assert s.staff == 1
    assert list(s.window.intervals()) == [(5 * 1440 + 540, 5 * 1440 + 780)]


def test_weekday_shift_hours() -> None:
    s = Shift.parse("Mon-Fri 08:00-17:00")
    assert s.staff is None
    assert s.window.minutes_per_week == 5 * 9 * 60
    assert s.window.contains(8 * 60)  # Monday 08:00
    assert not s.window.contains(17 * 60)  # Monday 17:00 is the end (exclusive)


def test_day_words_and_split_ranges() -> None:
    h = Hours.parse("weekdays 08:00-12:00,13:00-17:00")
    assert h.window.minutes_per_week == 5 * 8 * 60
    assert Hours.parse("daily 00:00-24:00").window.minutes_per_week == WEEK_MINUTES
    assert Hours.parse("Mon,Wed,Fri 10:00-11:00").window.days == (0, 2, 4)
    assert Hours.parse("Sat-Mon 10:00-11:00").window.days == (0, 5, 6)


def test_overnight_wraps_into_next_day_and_week() -> None:
    s = Shift.parse("Sun 22:00-06:00")
    assert list(s.window.intervals()) == [(6 * 1440 + 1320, WEEK_MINUTES), (0, 360)]
    assert s.window.contains(0)


def test_peaks() -> None:
    p = Peak.parse("Sat 10:00-12:00 10/h")
    assert p.rate is not None and p.rate.per_hour == 10
    f = Peak.parse("Mon 09:00-10:00 x2")
    assert f.factor == 2 and p.describe() == "Sat 10:00-12:00 10/h"


@pytest.mark.parametrize(
    ("kind", "text", "words"),
    [
        (Shift, "Mon-Fry 08:00-17:00", "unknown day"),
        (Shift, "Mon 8-17", "write days then times"),
        (Shift, "Mon 08:00-17:00 y2", "staff on duty"),
        (Shift, "Mon 25:00-26:00", "out of range"),
        (Shift, "Mon 08:00-08:00", "empty"),
        (Hours, "Mon 08:00-17:00 x2", "unexpected"),
        (Peak, "Mon 08:00-09:00", "needs a rate"),
        (Shift, 5, "written as text"),
    ],
)
def test_window_errors(kind: type, text: object, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        kind.parse(text)
