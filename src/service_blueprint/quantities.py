"""Typed quantities written as short text: durations, arrival rates and hourly costs.

Blueprints are written by people, so these accept the forms practitioners write
(``5..8..15 min``, ``4/h``, ``28/h``) and keep enough to write the same text back.
All times are held in seconds as floats; the unit a person wrote is kept for display.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar, Literal

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

UNITS: dict[str, float] = {
    "s": 1.0, "sec": 1.0, "secs": 1.0, "second": 1.0, "seconds": 1.0,
    "min": 60.0, "mins": 60.0, "minute": 60.0, "minutes": 60.0, "m": 60.0,
    "h": 3600.0, "hr": 3600.0, "hrs": 3600.0, "hour": 3600.0, "hours": 3600.0,
    "d": 86400.0, "day": 86400.0, "days": 86400.0,
    "w": 604800.0, "wk": 604800.0, "week": 604800.0, "weeks": 604800.0,
}
CANONICAL_UNIT = {
    1.0: "s", 60.0: "min", 3600.0: "h", 86400.0: "d", 604800.0: "week",
}
_NUM = r"(?:\d+(?:\.\d*)?|\.\d+)"
_UNIT_RE = "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True))
_DURATION_RE = re.compile(
    rf"^\s*(?P<exp>~)?\s*(?P<a>{_NUM})\s*(?:\.\.\s*(?P<b>{_NUM})\s*)?(?:\.\.\s*(?P<c>{_NUM})\s*)?"
    rf"(?P<unit>{_UNIT_RE})\s*$",
    re.IGNORECASE,
)
_COMPOUND_RE = re.compile(rf"^\s*(?:{_NUM}\s*(?:{_UNIT_RE})\s*)+$", re.IGNORECASE)
_PART_RE = re.compile(rf"({_NUM})\s*({_UNIT_RE})", re.IGNORECASE)

Dist = Literal["fixed", "uniform", "triangular", "exponential", "lognormal", "gamma", "normal", "empirical"]


def fmt_number(x: float) -> str:
    """Shortest faithful decimal: ``5`` not ``5.0``, ``1.5``, ``0.25``."""
    if math.isfinite(x) and x == int(x) and abs(x) < 1e15:
        return str(int(x))
    return repr(round(x, 9)).rstrip("0").rstrip(".") if "e" not in repr(x) else repr(x)


def _unit_of(text: str) -> tuple[str, float]:
    key = text.lower()
    factor = UNITS[key]
    return CANONICAL_UNIT[factor], factor


def _check_non_negative(*values: float) -> None:
    for v in values:
        if not math.isfinite(v) or v < 0:
            raise ValueError("durations must be finite and not negative")


@dataclass(frozen=True, slots=True)
class Duration:
    """A duration, fixed or random. ``params`` are seconds, their meaning set by ``dist``.

    fixed (value), uniform (low, high), triangular (low, mode, high), exponential (mean),
    lognormal / gamma / normal (mean, sd), empirical (the observed values).
    """

    dist: Dist
    params: tuple[float, ...]
    unit: str = "min"

    json_schema_extra: ClassVar[dict[str, Any]] = {}

    # ---- statistics used by analysis -------------------------------------------------
    @property
    def mean(self) -> float:
        p = self.params
        if self.dist == "fixed":
            return p[0]
        if self.dist == "uniform":
            return (p[0] + p[1]) / 2
        if self.dist == "triangular":
            return (p[0] + p[1] + p[2]) / 3
        if self.dist in ("exponential", "lognormal", "gamma", "normal"):
            return p[0]
        return sum(p) / len(p)

    @property
    def variance(self) -> float:
        p = self.params
        if self.dist == "fixed":
            return 0.0
        if self.dist == "uniform":
            return (p[1] - p[0]) ** 2 / 12
        if self.dist == "triangular":
            a, c, b = p
            return (a * a + b * b + c * c - a * b - a * c - b * c) / 18
        if self.dist == "exponential":
            return p[0] ** 2
        if self.dist in ("lognormal", "gamma", "normal"):
            return p[1] ** 2
        m = self.mean
        return sum((v - m) ** 2 for v in p) / len(p)

    @property
    def low(self) -> float:
        """Smallest possible value (0 for unbounded-below shapes)."""
        if self.dist in ("fixed", "uniform", "triangular"):
            return self.params[0]
        if self.dist == "empirical":
            return min(self.params)
        return 0.0

    @property
    def is_random(self) -> bool:
        return self.dist != "fixed" and not (self.dist == "empirical" and len(set(self.params)) == 1)

    # ---- text form ----------------------------------------------------------------------
    def _in_unit(self, seconds: float) -> str:
        factor = UNITS[self.unit]
        return fmt_number(seconds / factor)

    def to_data(self) -> str | dict[str, Any]:
        """The form written in a blueprint file (a string when one exists)."""
        u = self.unit
        p = self.params
        if self.dist == "fixed":
            return f"{self._in_unit(p[0])} {u}"
        if self.dist == "uniform":
            return f"{self._in_unit(p[0])}..{self._in_unit(p[1])} {u}"
        if self.dist == "triangular":
            return f"{self._in_unit(p[0])}..{self._in_unit(p[1])}..{self._in_unit(p[2])} {u}"
        if self.dist == "exponential":
            return f"~{self._in_unit(p[0])} {u}"
        if self.dist == "empirical":
            return {"dist": "empirical", "values": [f"{self._in_unit(v)} {u}" for v in p]}
        return {"dist": self.dist, "mean": f"{self._in_unit(p[0])} {u}", "sd": f"{self._in_unit(p[1])} {u}"}

    def __str__(self) -> str:
        data = self.to_data()
        if isinstance(data, str):
            return data
        if self.dist == "empirical":
            return f"empirical of {len(self.params)} values, mean {fmt_seconds(self.mean)}"
        return f"{self.dist}(mean {data['mean']}, sd {data['sd']})"

    # ---- parsing -------------------------------------------------------------------------
    @classmethod
    def parse(cls, value: object) -> Duration:
        """Parse a duration from a blueprint value; raises ``ValueError`` with a readable reason."""
        if isinstance(value, Duration):
            return value
        if isinstance(value, bool) or value is None:
            raise ValueError("expected a duration such as '5 min', '2..5 min' or '~3 min'")
        if isinstance(value, (int, float)):
            raise ValueError(
                f"a duration needs a unit: write '{fmt_number(float(value))} min' (or s, h, d)"
            )
        if isinstance(value, str):
            return cls._parse_text(value)
        if isinstance(value, Mapping):
            return cls._parse_mapping(value)
        raise ValueError("expected a duration such as '5 min', '2..5 min' or '~3 min'")

    @classmethod
    def _parse_text(cls, text: str) -> Duration:
        return _parse_duration_text(text)

    @classmethod
    def _parse_text_uncached(cls, text: str) -> Duration:
        m = _DURATION_RE.match(text)
        if m:
            unit, factor = _unit_of(m["unit"])
            a = float(m["a"]) * factor
            if m["exp"]:
                if m["b"]:
                    raise ValueError("'~' (exponential) takes one mean, not a range")
                if a <= 0:
                    raise ValueError("an exponential duration needs a mean above zero")
                return cls("exponential", (a,), unit)
            if m["c"]:
                b = float(m["b"]) * factor
                c = float(m["c"]) * factor
                if not a <= b <= c:
                    raise ValueError(f"triangular 'min..mode..max' needs min <= mode <= max, got {text.strip()!r}")
                return cls("triangular", (a, b, c), unit)
            if m["b"]:
                b = float(m["b"]) * factor
                if not a <= b:
                    raise ValueError(f"range 'min..max' needs min <= max, got {text.strip()!r}")
                return cls("uniform", (a, b), unit)
            return cls("fixed", (a,), unit)
        if _COMPOUND_RE.match(text):
            total = 0.0
            smallest = math.inf
            for num, u in _PART_RE.findall(text):
                _, factor = _unit_of(u)
                total += float(num) * factor
                smallest = min(smallest, factor)
            return cls("fixed", (total,), CANONICAL_UNIT[smallest])
        if re.fullmatch(rf"\s*~?\s*{_NUM}(\s*\.\.\s*{_NUM}){{0,2}}\s*", text):
            raise ValueError(f"a duration needs a unit: write '{text.strip()} min' (or s, h, d)")
        raise ValueError(
            f"cannot read {text!r} as a duration; write e.g. '30 s', '5 min', '2..5 min', "
            "'2..4..9 min' or '~5 min'"
        )

    @classmethod
    def _parse_mapping(cls, data: Mapping[Any, Any]) -> Duration:
        dist = data.get("dist")
        allowed: dict[str, Sequence[str]] = {
            "fixed": ("value",), "uniform": ("min", "max"), "triangular": ("min", "mode", "max"),
            "exponential": ("mean",), "lognormal": ("mean", "sd"), "gamma": ("mean", "sd"),
            "normal": ("mean", "sd"), "empirical": ("values", "unit"),
        }
        if dist not in allowed:
            raise ValueError(f"'dist' must be one of {', '.join(allowed)}")
        extra = set(data) - set(allowed[dist]) - {"dist"}
        if extra:
            raise ValueError(f"unknown key(s) for dist {dist}: {', '.join(sorted(map(str, extra)))}")
        if dist == "empirical":
            return cls._parse_empirical(data)
        missing = [k for k in allowed[dist] if k not in data]
        if missing:
            raise ValueError(f"dist {dist} needs {', '.join(missing)}")
        parts = [cls._parse_text(str(data[k])) if not isinstance(data[k], (int, float)) or isinstance(data[k], bool)
                 else cls.parse(data[k]) for k in allowed[dist]]
        unit = min((p.unit for p in parts), key=lambda u: UNITS[u])  # the finest unit written
        vals = tuple(p.mean for p in parts)
        for p in parts:
            if p.dist != "fixed":
                raise ValueError(f"the parameters of dist {dist} must be plain durations like '10 min'")
        if dist == "fixed":
            return cls("fixed", vals, unit)
        if dist == "uniform":
            if vals[0] > vals[1]:
                raise ValueError("uniform needs min <= max")
            return cls("uniform", vals, unit)
        if dist == "triangular":
            if not vals[0] <= vals[1] <= vals[2]:
                raise ValueError("triangular needs min <= mode <= max")
            return cls("triangular", vals, unit)
        if dist == "exponential":
            if vals[0] <= 0:
                raise ValueError("exponential needs a mean above zero")
            return cls("exponential", vals, unit)
        if vals[0] <= 0:
            raise ValueError(f"{dist} needs a mean above zero")
        return cls(dist, vals, unit)

    @classmethod
    def _parse_empirical(cls, data: Mapping[Any, Any]) -> Duration:
        values = data.get("values")
        if not isinstance(values, list) or not values:
            raise ValueError("dist empirical needs a non-empty list 'values'")
        unit_text = data.get("unit")
        if unit_text is not None and (not isinstance(unit_text, str) or unit_text.lower() not in UNITS):
            raise ValueError("'unit' must be s, min, h or d")
        out: list[float] = []
        unit = None
        for v in values:
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                if unit_text is None:
                    raise ValueError("plain numbers in 'values' need 'unit' (e.g. unit: min)")
                u, factor = _unit_of(unit_text)
                _check_non_negative(float(v))
                out.append(float(v) * factor)
                unit = unit or u
            elif isinstance(v, str):
                d = cls._parse_text(v)
                if d.dist != "fixed":
                    raise ValueError("each of 'values' must be a plain duration like '4 min'")
                out.append(d.mean)
                unit = unit or d.unit
            else:
                raise ValueError("each of 'values' must be a duration like '4 min'")
        return cls("empirical", tuple(out), unit or "min")

    # ---- pydantic integration ------------------------------------------------------------
    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse,
            serialization=core_schema.plain_serializer_function_ser_schema(lambda d: d.to_data()),
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        unit = {"type": "string", "description": "a plain duration such as '10 min'"}
        return {
            "title": "Duration",
            "description": "A time: '30 s', '5 min', '1.5 h', '2 d'; '2..5 min' uniform; "
            "'2..4..9 min' triangular; '~5 min' exponential; or a mapping with 'dist'.",
            "anyOf": [
                {"type": "string", "examples": ["5 min", "2..5 min", "5..8..15 min", "~5 min"]},
                {
                    "type": "object",
                    "properties": {
                        "dist": {"enum": ["fixed", "uniform", "triangular", "exponential",
                                          "lognormal", "gamma", "normal", "empirical"]},
                        "value": unit, "min": unit, "mode": unit, "max": unit, "mean": unit, "sd": unit,
                        "values": {"type": "array", "items": {"type": ["string", "number"]}},
                        "unit": {"type": "string"},
                    },
                    "required": ["dist"],
                    "additionalProperties": False,
                },
            ],
        }


@lru_cache(maxsize=4096)
def _parse_duration_text(text: str) -> Duration:
    """Durations repeat a lot in one file ('2 min'); they are immutable, so parse each once."""
    return Duration._parse_text_uncached(text)


def fmt_seconds(seconds: float) -> str:
    """A readable time for messages and reports: ``45 s``, ``12.5 min``, ``3.2 h``, ``2.1 d``."""
    if seconds < 90:
        return f"{fmt_number(round(seconds, 1))} s"
    if seconds < 5400:
        return f"{fmt_number(round(seconds / 60, 1))} min"
    if seconds < 172800:
        return f"{fmt_number(round(seconds / 3600, 2))} h"
    return f"{fmt_number(round(seconds / 86400, 2))} d"


_RATE_RE = re.compile(rf"^\s*(?P<n>{_NUM})\s*(?:/|per\s+)\s*(?P<unit>{_UNIT_RE})\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Rate:
    """A rate of arrivals. ``per_second`` is the mean; ``text`` is how it was written.

    ``30/d`` is counted per calendar day; with opening hours the simulator spreads a day's
    count over that day's open hours.
    """

    count: float
    per: float  # seconds in the period the count refers to
    unit: str
    interarrival: bool = False  # written as '~12 min' between arrivals

    @property
    def per_second(self) -> float:
        return self.count / self.per

    @property
    def per_hour(self) -> float:
        return self.per_second * 3600

    def scaled(self, factor: float) -> Rate:
        return Rate(self.count * factor, self.per, self.unit, self.interarrival and factor == 1)

    def to_data(self) -> str:
        if self.interarrival:
            return f"~{fmt_number(self.per / UNITS[self.unit])} {self.unit}"
        unit = "h" if self.unit == "h" else self.unit
        return f"{fmt_number(self.count)}/{unit}"

    def __str__(self) -> str:
        return self.to_data()

    @classmethod
    def parse(cls, value: object) -> Rate:
        if isinstance(value, Rate):
            return value
        if isinstance(value, str):
            m = _RATE_RE.match(value)
            if m:
                unit, factor = _unit_of(m["unit"])
                count = float(m["n"])
                return cls(count, factor, unit)
            if value.strip().startswith("~"):
                d = Duration._parse_text(value)
                if d.dist != "exponential" or d.mean <= 0:
                    raise ValueError("a time between arrivals is written '~12 min'")
                return cls(1.0, d.mean, d.unit, interarrival=True)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            raise ValueError(f"a rate needs a period: write '{fmt_number(float(value))}/h' (or /min, /d, /week)")
        raise ValueError(f"cannot read {value!r} as a rate; write e.g. '4/h', '30/d' or '~12 min' between arrivals")

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse,
            serialization=core_schema.plain_serializer_function_ser_schema(lambda r: r.to_data()),
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return {
            "title": "Rate",
            "type": "string",
            "description": "Arrivals per period ('4/h', '30/d', '120/week') or the mean time between them ('~12 min').",
            "examples": ["4/h", "30/d", "~12 min"],
        }


_COST_RE = re.compile(rf"^\s*(?P<n>{_NUM})\s*(?:/\s*(?P<unit>{_UNIT_RE}))?\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class CostRate:
    """Money per hour of a role's time; written ``28/h``, ``0.5/min`` or a bare number (per hour)."""

    per_hour: float
    text: str

    def to_data(self) -> str | float | int:
        return self.text

    def __str__(self) -> str:
        return self.text

    @classmethod
    def parse(cls, value: object) -> CostRate:
        if isinstance(value, CostRate):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if value < 0 or not math.isfinite(value):
                raise ValueError("a cost cannot be negative")
            return cls(float(value), f"{fmt_number(float(value))}/h")
        if isinstance(value, str):
            m = _COST_RE.match(value)
            if m:
                n = float(m["n"])
                if m["unit"] is None:
                    return cls(n, f"{fmt_number(n)}/h")
                unit, factor = _unit_of(m["unit"])
                if factor > 3600:
                    raise ValueError("write a role's cost per hour ('28/h') or per minute ('0.5/min')")
                return cls(n * 3600 / factor, f"{fmt_number(n)}/{unit}")
        raise ValueError(f"cannot read {value!r} as a cost; write money per hour such as '28/h'")

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse,
            serialization=core_schema.plain_serializer_function_ser_schema(lambda c: c.to_data()),
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return {
            "title": "CostRate",
            "description": "Money per hour of this role's time: '28/h', '0.5/min' or a number (per hour).",
            "anyOf": [{"type": "string", "examples": ["28/h"]}, {"type": "number", "minimum": 0}],
        }
