"""Weekly time windows: opening hours, shifts (``Mon-Fri 08:00-17:00 x2``) and demand peaks.

Services run on a weekly rhythm, so every window is a set of weekdays and minute ranges
within the day; a range that ends before it starts runs past midnight.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from .quantities import Rate, fmt_number

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_DAY_INDEX = {d.lower(): i for i, d in enumerate(DAYS)}
_DAY_INDEX.update({
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
    "tues": 1, "wed": 2, "thur": 3, "thurs": 3,
})
_DAY_WORDS = {
    "daily": tuple(range(7)), "everyday": tuple(range(7)), "weekdays": tuple(range(5)),
    "weekends": (5, 6), "weekend": (5, 6),
}
_TIME_RANGE = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")
_WINDOW_RE = re.compile(
    r"^\s*(?P<days>[A-Za-z][A-Za-z,\-\s]*?)\s+(?P<times>\d{1,2}:\d{2}\s*-\s*\d{1,2}:\d{2}"
    r"(?:\s*,\s*\d{1,2}:\d{2}\s*-\s*\d{1,2}:\d{2})*)\s*(?P<rest>.*?)\s*$"
)

WEEK_MINUTES = 7 * 24 * 60


def _parse_days(text: str) -> tuple[int, ...]:
    days: list[int] = []
    for part in re.split(r"\s*,\s*", text.strip()):
        low = part.lower()
        if low in _DAY_WORDS:
            days.extend(_DAY_WORDS[low])
            continue
        if "-" in low:
            a, _, b = (s.strip() for s in low.partition("-"))
            if a not in _DAY_INDEX or b not in _DAY_INDEX:
                raise ValueError(f"unknown day range {part!r}; use e.g. Mon-Fri")
            i, j = _DAY_INDEX[a], _DAY_INDEX[b]
            days.extend(((i + k) % 7) for k in range(((j - i) % 7) + 1))
            continue
        if low not in _DAY_INDEX:
            raise ValueError(f"unknown day {part!r}; use Mon, Tue, Wed, Thu, Fri, Sat, Sun, daily or weekdays")
        days.append(_DAY_INDEX[low])
    return tuple(sorted(set(days)))


def _parse_ranges(text: str) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    for part in re.split(r"\s*,\s*", text.strip()):
        m = _TIME_RANGE.match(part)
        if not m:
            raise ValueError(f"cannot read time range {part!r}; write HH:MM-HH:MM")
        h1, m1, h2, m2 = (int(g) for g in m.groups())
        if h1 > 24 or h2 > 24 or m1 > 59 or m2 > 59 or (h1 == 24 and m1) or (h2 == 24 and m2):
            raise ValueError(f"time out of range in {part!r}")
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if start == end:
            raise ValueError(f"empty time range {part!r}")
        out.append((start, end))
    return tuple(out)


def _fmt_days(days: tuple[int, ...]) -> str:
    if days == tuple(range(7)):
        return "daily"
    # compress consecutive runs: Mon-Fri, Sat
    runs: list[list[int]] = []
    for d in days:
        if runs and d == runs[-1][-1] + 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    parts = [DAYS[r[0]] if len(r) == 1 else f"{DAYS[r[0]]}-{DAYS[r[-1]]}" for r in runs]
    return ",".join(parts)


def _fmt_time(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


@dataclass(frozen=True, slots=True)
class Window:
    """Weekdays (0 = Monday) and minute ranges within each day; ``text`` is kept as written."""

    days: tuple[int, ...]
    ranges: tuple[tuple[int, int], ...]
    text: str

    def intervals(self) -> Iterator[tuple[int, int]]:
        """Minute-of-week intervals ``[start, end)``; overnight ranges run into the next day."""
        for d in self.days:
            for start, end in self.ranges:
                s = d * 1440 + start
                e = d * 1440 + (end if end > start else end + 1440)
                if e <= WEEK_MINUTES:
                    yield s, e
                else:
                    yield s, WEEK_MINUTES
                    yield 0, e - WEEK_MINUTES

    def contains(self, minute_of_week: float) -> bool:
        m = minute_of_week % WEEK_MINUTES
        return any(s <= m < e for s, e in self.intervals())

    @property
    def minutes_per_week(self) -> int:
        return sum(e - s for s, e in self.intervals())

    def canonical(self) -> str:
        return f"{_fmt_days(self.days)} " + ",".join(f"{_fmt_time(s)}-{_fmt_time(e)}" for s, e in self.ranges)


def _split_window(text: str, what: str) -> tuple[tuple[int, ...], tuple[tuple[int, int], ...], str]:
    if not isinstance(text, str):
        raise ValueError(f"a {what} is written as text such as 'Mon-Fri 08:00-17:00'")
    m = _WINDOW_RE.match(text)
    if not m:
        raise ValueError(f"cannot read {what} {text!r}; write days then times, e.g. 'Mon-Fri 08:00-17:00'")
    return _parse_days(m["days"]), _parse_ranges(m["times"]), m["rest"]


class _TextType:
    """Shared pydantic hooks for the window types, which are written as single strings."""

    schema_description = ""
    schema_examples: tuple[str, ...] = ()

    text: str

    @classmethod
    def parse(cls, value: object) -> Any:
        raise NotImplementedError

    def to_data(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse,
            serialization=core_schema.plain_serializer_function_ser_schema(lambda v: v.text),
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return {"title": cls.__name__, "type": "string", "description": cls.schema_description,
                "examples": list(cls.schema_examples)}


@dataclass(frozen=True, slots=True)
class Hours(_TextType):
    """Opening hours: when customers can arrive."""

    window: Window
    text: str

    schema_description = "Days and times, e.g. 'Mon-Sat 09:00-18:00' or 'weekdays 08:00-12:00,13:00-17:00'."
    schema_examples = ("Mon-Sat 09:00-18:00",)

    @classmethod
    def parse(cls, value: object) -> Hours:
        if isinstance(value, Hours):
            return value
        days, ranges, rest = _split_window(value, "opening hours")  # type: ignore[arg-type]
        if rest:
            raise ValueError(f"unexpected {rest!r} after the times in opening hours")
        return cls(Window(days, ranges, str(value).strip()), str(value).strip())


@dataclass(frozen=True, slots=True)
class Shift(_TextType):
    """A role's shift; ``staff`` overrides the role's head count while it runs (``x2``)."""

    window: Window
    staff: int | None
    text: str

    schema_description = "Days, times and optionally the staff on duty: 'Mon-Fri 08:00-17:00', 'Sat 09:00-13:00 x1'."
    schema_examples = ("Mon-Fri 08:00-17:00", "Sat 09:00-13:00 x1")

    @classmethod
    def parse(cls, value: object) -> Shift:
        if isinstance(value, Shift):
            return value
        days, ranges, rest = _split_window(value, "shift")  # type: ignore[arg-type]
        staff = None
        if rest:
            m = re.fullmatch(r"[x×]\s*(\d+)", rest)
            if not m:
                raise ValueError(f"unexpected {rest!r} in shift; staff on duty is written 'x2'")
            staff = int(m[1])
        return cls(Window(days, ranges, str(value).strip()), staff, str(value).strip())


@dataclass(frozen=True, slots=True)
class Peak(_TextType):
    """A period of higher (or lower) demand: a rate (``10/h``) or a factor on the base (``x2``)."""

    window: Window
    rate: Rate | None
    factor: float | None
    text: str

    schema_description = "Days, times and a rate or factor: 'Sat 10:00-12:00 10/h', 'Mon 09:00-10:00 x2'."
    schema_examples = ("Sat 10:00-12:00 10/h", "Mon 09:00-10:00 x2")

    def rate_given(self, base: Rate | None) -> Rate | None:
        if self.rate is not None:
            return self.rate
        if base is None or self.factor is None:
            return None
        return base.scaled(self.factor)

    @classmethod
    def parse(cls, value: object) -> Peak:
        if isinstance(value, Peak):
            return value
        days, ranges, rest = _split_window(value, "peak")  # type: ignore[arg-type]
        text = str(value).strip()
        m = re.fullmatch(r"[x×]\s*(\d+(?:\.\d*)?|\.\d+)", rest)
        if m:
            return cls(Window(days, ranges, text), None, float(m[1]), text)
        if not rest:
            raise ValueError(f"peak {text!r} needs a rate ('10/h') or a factor ('x2') after the times")
        return cls(Window(days, ranges, text), Rate.parse(rest), None, text)

    def describe(self) -> str:
        what = str(self.rate) if self.rate else f"x{fmt_number(self.factor or 1)}"
        return f"{self.window.canonical()} {what}"
