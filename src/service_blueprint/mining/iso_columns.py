"""ISO 8601 timestamps of a whole column at once, as integer arithmetic on its bytes.

A log writes its timestamps in one layout (``2024-01-02T09:02:11.305``, perhaps a space for the
``T``, perhaps a zone), so the values of one length have every digit at the same position. The
values of each length are read as a byte matrix, the layout is taken from the first of them, and
every row is checked against it: digits where digits belong, the separators, and the range of
every field (month 1-12, the day within its month with leap years, hour < 24, minute and second
< 60, year >= 1, a zone offset under 24 h). The date becomes a day number by the closed form of
Howard Hinnant's ``days_from_civil`` (public domain). The result is what
:func:`datetime.fromisoformat` gives, to the microsecond (fraction digits past the sixth are
dropped, as it drops them); a row that does not fit is reported as not read, so that the careful
path can parse it or name what is wrong with it.

Layouts read here: ``YYYY-MM-DD``, then optionally ``T`` or a space and ``HH:MM``, ``HH:MM:SS`` or
``HH:MM:SS.f`` (1 to 9 fraction digits), then, after a time, optionally ``Z`` or ``+HH:MM`` /
``-HH:MM``. Everything else (other separators, ``+0100``, week dates...) goes the careful way.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .byte_fields import Fields

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int32]
BoolArray = NDArray[np.bool_]
Int64 = NDArray[np.int64]

#: Value lengths that can hold a layout read here (a date alone up to a 9-digit fraction and a zone).
_SHORTEST, _LONGEST = 10, 35
_DATE_DIGITS = (0, 1, 2, 3, 5, 6, 8, 9)


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where the parts of a value are: ``time`` 0 (date only), 2 (HH:MM) or 3 (HH:MM:SS);
    ``fraction`` digits; ``zone`` is ``""``, ``"Z"`` or ``"offset"``, starting at ``core``."""

    time: int
    fraction: int
    zone: str
    core: int

    def fixed(self) -> dict[int, bytes]:
        """Positions that must hold one given character (the ``T`` position allows two)."""
        out = {4: b"-", 7: b"-"}
        if self.time >= 2:
            out[13] = b":"
        if self.time == 3:
            out[16] = b":"
        if self.fraction:
            out[19] = b"."
        if self.zone == "Z":
            out[self.core] = b"Z"
        elif self.zone:
            out[self.core + 3] = b":"
        return out

    def digits(self) -> list[int]:
        out = list(_DATE_DIGITS)
        out += [11, 12, 14, 15][: 2 * min(self.time, 2)]
        if self.time == 3:
            out += [17, 18]
        out += list(range(20, 20 + self.fraction))
        if self.zone == "offset":
            out += [self.core + 1, self.core + 2, self.core + 4, self.core + 5]
        return out


def _layout(value: bytes) -> _Layout | None:
    """The layout of one value, by its length and the characters that tell the layouts apart."""
    core, zone = len(value), ""
    if value.endswith(b"Z"):
        core, zone = core - 1, "Z"
    elif core >= 22 and value[-6:-5] in (b"+", b"-") and value[-3:-2] == b":":
        core, zone = core - 6, "offset"
    if core == 10 and not zone:
        return _Layout(0, 0, "", core)
    if core == 16:
        return _Layout(2, 0, zone, core)
    if core == 19:
        return _Layout(3, 0, zone, core)
    if 21 <= core <= 29 and value[19:20] == b".":
        return _Layout(3, core - 20, zone, core)
    return None


def parse_iso(fields: Fields) -> tuple[FloatArray, IntArray, BoolArray]:
    """Seconds since 1970-01-01 UTC, the UTC offset in seconds, and whether the row was read,
    for every value of ``fields`` (rows not read hold no meaningful time)."""
    n = len(fields)
    seconds = np.zeros(n)
    offsets = np.zeros(n, dtype=np.int32)
    read = np.zeros(n, dtype=bool)
    lengths = fields.lengths
    if n == 0:
        return seconds, offsets, read
    shortest, longest = int(lengths.min()), int(lengths.max())
    if shortest == longest:
        groups: list[tuple[int, NDArray[np.intp] | None]] = [(shortest, None)]
    else:
        groups = [(int(size), np.flatnonzero(lengths == size)) for size in np.unique(lengths)]
    for size, rows in groups:
        part = fields if rows is None else fields.take(rows)
        layout = _layout(part.value(0)) if _SHORTEST <= size <= _LONGEST else None
        if layout is None:
            continue
        s, o, ok = _parse(part.matrix(size), layout)
        if rows is None:
            seconds, offsets, read = s, o, ok
        else:
            seconds[rows], offsets[rows], read[rows] = s, o, ok
    return seconds, offsets, read


def _parse(text: NDArray[np.uint8], layout: _Layout) -> tuple[FloatArray, IntArray, BoolArray]:
    """Rows of ``text`` (one value per row, all of one length) in ``layout``."""
    n = len(text)
    fixed = layout.fixed()
    expected = np.frombuffer(b"".join(fixed.values()), dtype=np.uint8)
    positions = layout.digits()
    # one row per character position, contiguous: the arithmetic below runs on whole rows
    chars = np.ascontiguousarray(text[:, [*fixed, *positions]].T)
    digits = chars[len(fixed):] - np.uint8(ord("0"))  # anything but a digit wraps above 9
    row = {p: digits[k].astype(np.int32) for k, p in enumerate(positions)}

    def number(first: int, count: int) -> NDArray[np.int32]:
        value: NDArray[np.int32] = row[first]
        for p in range(first + 1, first + count):
            value = value * 10 + row[p]
        return value

    year, month, day = number(0, 4), number(5, 2), number(8, 2)
    first_day, month_days = _months(year, month)
    bad = [(chars[:len(fixed)] != expected[:, None]).any(axis=0), (digits > 9).any(axis=0),
           (year < 1) | (month < 1) | (month > 12) | (day < 1) | (day > month_days)]
    clock = np.zeros(n, dtype=np.int64)
    if layout.time:
        t = text[:, 10]
        hour, minute = number(11, 2), number(14, 2)
        second = number(17, 2) if layout.time == 3 else np.zeros(n, dtype=np.int32)
        bad += [(t != ord("T")) & (t != ord(" ")), (hour > 23) | (minute > 59) | (second > 59)]
        clock = hour * np.int64(3600) + minute * 60 + second
    micro = np.zeros(n, dtype=np.int64)
    if layout.fraction:
        used = min(layout.fraction, 6)
        micro = number(20, used).astype(np.int64) * 10 ** (6 - used)
    offset = np.zeros(n, dtype=np.int32)
    if layout.zone == "offset":
        sign = text[:, layout.core]
        hours, minutes = number(layout.core + 1, 2), number(layout.core + 4, 2)
        bad += [(sign != ord("+")) & (sign != ord("-")), (hours > 23) | (minutes > 59)]
        offset = np.where(sign == ord("-"), -1, 1) * (hours * 3600 + minutes * 60)
    wrong = np.logical_or.reduce(bad)
    total = ((first_day + day - 1) * 86_400 + clock - offset) * 1_000_000 + micro
    return seconds_of(total), offset.astype(np.int32), ~wrong


def seconds_of(micro: Int64) -> FloatArray:
    """Seconds from microseconds, rounded once, as Python's ``timedelta`` division rounds: a
    float holds every count below 2 ** 53 (285 years either side of 1970), so NumPy's division is
    exact there; further out, Python's."""
    seconds: FloatArray = micro / 1e6
    far = np.flatnonzero(np.abs(micro) >= 2**53)
    seconds[far] = [us / 10**6 for us in micro[far].tolist()]
    return seconds


def _months(year: NDArray[np.int32], month: NDArray[np.int32]) -> tuple[Int64, Int64]:
    """The day number of the first of each row's month, and the month's length, looked up in a
    table of the column's years (at most 9999 of them; a row whose year is outside 1-9999 is not
    a date, and gets some number)."""
    lo, hi = max(1, int(year.min())), min(9999, int(year.max()))
    hi = max(lo, hi)
    years = np.repeat(np.arange(lo, hi + 2, dtype=np.int64), 12)
    months = np.tile(np.arange(1, 13, dtype=np.int64), hi - lo + 2)
    firsts = days_from_civil(years, months, np.ones_like(years))  # one year more: the next first
    row = (np.clip(year, lo, hi) - lo) * 12 + np.clip(month, 1, 12) - 1
    return firsts[row], firsts[row + 1] - firsts[row]


def days_from_civil(year: Int64, month: Int64, day: Int64) -> Int64:
    """Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm: years
    counted from March, so the leap day is the last day of the year, in 400-year eras)."""
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * np.where(month > 2, month - 3, month + 9) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    result: Int64 = era * 146_097 + doe - 719_468
    return result
