"""The column-at-once ISO 8601 parser: what it reads equals ``datetime.fromisoformat``; what it
does not read (invalid dates, other layouts) goes the careful way with today's message."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service_blueprint.mining import timestamps
from service_blueprint.mining.byte_fields import Fields
from service_blueprint.mining.iso_columns import days_from_civil, parse_iso
from service_blueprint.mining.timestamps import BadTimestamp, parse_times

EPOCH = datetime(1970, 1, 1)
SECOND = timedelta(seconds=1)


def reference(value: str) -> tuple[float, int]:
    """Seconds since the epoch (UTC) and UTC offset, by the standard library."""
    dt = datetime.fromisoformat(value)
    off = dt.utcoffset()
    if off is None:
        return (dt - EPOCH) / SECOND, 0
    return (dt.replace(tzinfo=None) - off - EPOCH) / SECOND, int(off.total_seconds())


@st.composite
def layouts(draw: st.DrawFn) -> tuple[str, int, str]:
    """(date/time separator, time precision, zone): precision 0 date only, 1 minutes,
    2 seconds, 3.. a fraction of ``precision - 2`` digits; zone '', 'Z' or an offset."""
    precision = draw(st.integers(0, 11))
    zone = "" if precision == 0 else draw(st.sampled_from(["", "Z", "offset"]))
    if zone == "offset":
        minutes = draw(st.integers(-(23 * 60 + 59), 23 * 60 + 59))
        zone = f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return draw(st.sampled_from(["T", " "])), precision, zone


def render(dt: datetime, layout: tuple[str, int, str], extra: str = "") -> str:
    """``dt`` written in ``layout``; ``extra`` digits go past the sixth of a long fraction."""
    sep, precision, zone = layout
    text = f"{dt.year:04d}-{dt.month:02d}-{dt.day:02d}"
    if precision == 0:
        return text
    text += f"{sep}{dt.hour:02d}:{dt.minute:02d}"
    if precision >= 2:
        text += f":{dt.second:02d}"
    if precision >= 3:
        digits = precision - 2
        text += "." + (f"{dt.microsecond:06d}" + extra.ljust(3, "0"))[:digits]
    return text + zone


dates = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59, 999_999))
# the days around year ends and leap days, where a day-number formula goes wrong first
edges = st.builds(lambda y, d, s: datetime(y, 1, 1) + timedelta(days=d, seconds=s),
                  st.sampled_from([3, 1600, 1900, 1969, 1970, 2000, 2023, 2024, 2100, 9998]),
                  st.integers(-400, 400), st.integers(0, 86_399))
moments = st.one_of(dates, edges)
extras = st.text("0123456789", max_size=3)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(moments, extras), min_size=1, max_size=30), layouts())
def test_one_layout_is_read_as_fromisoformat_reads_it(rows: list[tuple[datetime, str]],
                                                     layout: tuple[str, int, str]) -> None:
    values = [render(dt, layout, extra) for dt, extra in rows]
    seconds, offsets, read = parse_iso(Fields.of(values))  # type: ignore[arg-type]
    assert read.all(), values
    expected = [reference(v) for v in values]
    assert seconds.tolist() == [s for s, _ in expected]
    assert offsets.tolist() == [o for _, o in expected]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(moments, extras, layouts()), min_size=1, max_size=30), st.booleans())
def test_mixed_layouts_read_row_by_row_or_handed_on(rows: list[tuple[datetime, str, tuple[str, int, str]]],
                                                   as_bytes: bool) -> None:
    """Values of one length share a layout; a row in another layout of the same length is not
    read here, and the whole column still comes out as fromisoformat reads it."""
    texts = [render(dt, layout, extra) for dt, extra, layout in rows]
    values: list[str] | list[bytes] = [t.encode() for t in texts] if as_bytes else texts
    expected = [reference(v) for v in texts]
    seconds, offsets, read = parse_iso(Fields.of(values))  # type: ignore[arg-type]
    for k in np.flatnonzero(read):
        assert (seconds[k], offsets[k]) == expected[k], texts[k]
    got, got_offsets = parse_times(values)
    assert got.tolist() == [s for s, _ in expected]
    assert got_offsets.tolist() == [o for _, o in expected]


def _invalid(dt: datetime, layout: tuple[str, int, str], kind: str) -> str:
    text = render(dt, (layout[0], max(layout[1], 2), layout[2]))
    date, time = text[:10], text[10:]
    y = f"{dt.year:04d}"
    broken = {
        "feb30": f"{y}-02-30", "feb29": "2023-02-29", "apr31": f"{y}-04-31", "day0": f"{y}-01-00",
        "month13": f"{y}-13-01", "month0": f"{y}-00-10", "year0": "0000-01-01",
    }
    if kind in broken:
        return broken[kind] + time
    if kind == "hour24":
        return date + time[0] + "24" + time[3:]
    if kind == "minute60":
        return date + time[:4] + "60" + time[6:]
    if kind == "second60":
        return date + time[:7] + "60" + time[9:]
    if kind == "offset24":
        return date + time[:9] + "+24:00"
    if kind == "letter":
        return text[:2] + "x" + text[3:]
    return text[:7] + "/" + text[8:]  # "separator"


KINDS = ["feb30", "feb29", "apr31", "day0", "month13", "month0", "year0", "hour24", "minute60",
         "second60", "offset24", "letter", "separator"]


@settings(max_examples=300, deadline=None)
@given(st.lists(moments, min_size=1, max_size=20), layouts(), st.sampled_from(KINDS), st.data())
def test_invalid_values_go_the_careful_way(good: list[datetime], layout: tuple[str, int, str], kind: str,
                                           data: st.DataObject) -> None:
    """An invalid value is never read here; the column then gives exactly what the careful path
    gives (today's parser): the same error naming the same row, or (NumPy reads year 0) the
    same times."""
    values = [render(dt, (layout[0], max(layout[1], 2), layout[2])) for dt in good]
    at = data.draw(st.integers(0, len(values)))
    bad = _invalid(good[0], layout, kind)
    values.insert(at, bad)
    _, _, read = parse_iso(Fields.of(values))  # type: ignore[arg-type]
    assert not read[at]
    error = same_as_today(values)
    if kind != "year0":  # NumPy reads year 0; fromisoformat does not
        assert error is not None and (error.index, error.reason) == (at, f"{bad!r} is not an ISO 8601 timestamp")


def same_as_today(values: list[str]) -> BadTimestamp | None:
    """Check that ``parse_times`` gives what the careful path alone (today's parser) gives: the
    same error for the same row (returned), or the same times."""
    try:
        today = timestamps._careful(values)
    except BadTimestamp as exc:
        with pytest.raises(BadTimestamp) as got:
            parse_times(values)
        assert (got.value.index, got.value.reason) == (exc.index, exc.reason)
        return got.value
    seconds, offsets = parse_times(values)
    assert seconds.tolist() == today[0].tolist() and offsets.tolist() == today[1].tolist()
    return None


def test_days_from_civil_matches_the_calendar() -> None:
    days = np.arange(-800_000, 3_000_000, 997)
    dates = [datetime(1970, 1, 1) + timedelta(days=int(d)) for d in days if -719_162 <= d <= 2_932_896]
    got = days_from_civil(np.array([d.year for d in dates]), np.array([d.month for d in dates]),
                          np.array([d.day for d in dates]))
    assert got.tolist() == [(d - EPOCH).days for d in dates]


@pytest.mark.parametrize("value", ["2024-01-02T09", "2024-01-02T09:02:11,5", "2024-01-02x09:02", "20240102T0902",
                                   "2024-01-02T09:02:11+0100", "2024-01-02T09:02:11.", " 2024-01-02T09:02",
                                   "2024-01-02T09:02:11.305z", "2024-01-02Z", "2024-01-02-05:00"])
def test_other_layouts_are_handed_on(value: str) -> None:
    """Layouts not read here go the careful way, whatever it makes of them."""
    values = [value, value]
    _, _, read = parse_iso(Fields.of(values))  # type: ignore[arg-type]
    assert not read.any()
    same_as_today(values)


def test_a_format_is_never_read_as_iso() -> None:
    seconds, _ = parse_times(["2024-02-01"], "%Y-%d-%m")
    assert seconds[0] == (datetime(2024, 1, 2) - EPOCH) / SECOND


def test_a_long_bytes_column_with_a_zone_on_the_numpy_path() -> None:
    """NumPy 2.4 crashed (segmentation fault) casting such a bytes column to datetime64."""
    values = [b"2024-01-01T00:00:00,5"] * 1500 + [b"2024-01-01T00:00:00,5Z", b"2024-01-01T00:00:00,5+01:00"]
    seconds, offsets = parse_times(values)
    assert (seconds[-3:].tolist(), offsets[-3:].tolist()) == (
        [reference(v.decode())[0] for v in values[-3:]], [0, 0, 3600])
