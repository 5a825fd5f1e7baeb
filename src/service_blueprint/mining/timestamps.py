"""Timestamps of a log as float seconds since 1970-01-01 UTC, a chunk at a time.

Logs write ISO 8601 in one layout (``2024-01-02T09:02:11.305``, a space for the ``T``, a zone or
none): :mod:`.iso_columns` reads a whole chunk of those with integer arithmetic on its bytes.
What it does not read goes the older ways: NumPy's ISO parser for a chunk without zones (or with
one zone throughout), else :func:`datetime.fromisoformat` / ``strptime`` (a ``format`` given by
the user) one value at a time, which also tells which value is wrong. A value with an offset is
converted to UTC and its offset kept, so the wall-clock hour (for arrival peaks) is still known.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .byte_fields import Fields
from .iso_columns import parse_iso, seconds_of

FloatArray = NDArray[np.float64]
#: A column of text values: ``bytes`` straight from a file, or ``str``.
Texts = Sequence[Any]
IntArray = NDArray[np.int32]
_EPOCH = datetime(1970, 1, 1)


class BadTimestamp(ValueError):
    """Value ``index`` of the chunk is not a timestamp; ``value`` is its text."""

    def __init__(self, index: int, value: str, reason: str) -> None:
        super().__init__(reason)
        self.index = index
        self.value = value
        self.reason = reason


def parse_times(values: Texts | Fields, fmt: str | None = None) -> tuple[FloatArray, IntArray]:
    """Seconds since the epoch (UTC) and the UTC offset of each value; ``BadTimestamp`` names the
    first value that cannot be read."""
    if len(values) == 0:
        return np.zeros(0), np.zeros(0, dtype=np.int32)
    texts = values.values if isinstance(values, Fields) else lambda: values
    if fmt is not None:
        return _one_by_one(texts(), fmt)
    fields = values if isinstance(values, Fields) else Fields.of(values)
    if fields is None:
        return _careful(texts())
    seconds, offsets, read = parse_iso(fields)
    if read.all():
        return seconds, offsets
    if not read.any():
        return _careful(texts())
    rows = np.flatnonzero(~read)
    try:
        seconds[rows], offsets[rows] = _careful(fields.take(rows).values())
    except BadTimestamp as exc:
        raise BadTimestamp(int(rows[exc.index]), exc.value, exc.reason) from None
    return seconds, offsets


def _careful(values: Texts) -> tuple[FloatArray, IntArray]:
    """ISO values :func:`.iso_columns.parse_iso` did not read: NumPy's parser, else one by one."""
    n = len(values)
    if _plain_iso(values[0]):
        suffix, offset = _zone_suffix(values[0])
        if suffix and abs(offset) < 86_400 and all(v.endswith(suffix) for v in values):
            cut = len(suffix)
            fast = _numpy_iso([v[:-cut] for v in values])
            if fast is not None:
                return seconds_of(fast - offset * 1_000_000), np.full(n, offset, dtype=np.int32)
        elif not suffix:
            fast = _numpy_iso(values)
            if fast is not None:
                return seconds_of(fast), np.zeros(n, dtype=np.int32)
    return _one_by_one(values, None)


_ZONE = re.compile(r"(Z|[+-]\d\d:\d\d)$")


def _zone_suffix(value: bytes | str) -> tuple[bytes | str, int]:
    """The UTC offset a value ends with (``+01:00``, ``Z``) and its seconds; ``""`` if none.
    (An offset of a day or more is not one: ``fromisoformat`` says so, one value at a time.)
    Logs usually write one zone throughout, so a chunk that shares it is parsed by NumPy."""
    text = value.decode("ascii", "replace") if isinstance(value, bytes) else value
    m = _ZONE.search(text.strip())
    if not m or len(text) != len(text.rstrip()):
        return "", 0
    zone = m[1]
    offset = 0 if zone == "Z" else (1 if zone[0] == "+" else -1) * (int(zone[1:3]) * 3600 + int(zone[4:6]) * 60)
    return (zone.encode() if isinstance(value, bytes) else zone), offset


def _plain_iso(value: bytes | str) -> bool:
    """Whether a value looks like ``YYYY-MM-DD...`` (so a column of small numbers is never read
    as years by NumPy)."""
    text = value.decode("ascii", "replace") if isinstance(value, bytes) else value
    return len(text) >= 10 and text[4] == "-" and text[7] == "-" and text[:4].isdigit()


def _numpy_iso(values: Texts) -> NDArray[np.int64] | None:
    """Microseconds of the whole chunk through NumPy, or ``None`` if any value needs the careful
    path."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a zone suffix is a warning in NumPy: take the slow path
            # as text: NumPy (2.4) crashes casting a long bytes array with a zone to datetime64
            parsed = np.array(values).astype(str).astype("datetime64[us]")
    except (ValueError, TypeError, Warning):
        return None
    if np.isnat(parsed).any():
        return None
    micro: NDArray[np.int64] = parsed.astype(np.int64)
    return micro


def _one_by_one(values: Texts, fmt: str | None) -> tuple[FloatArray, IntArray]:
    seconds = np.empty(len(values))
    offsets = np.zeros(len(values), dtype=np.int32)
    iso = datetime.fromisoformat
    strptime = datetime.strptime
    for i, raw in enumerate(values):
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
        text = text.strip()
        try:
            if not text:
                raise ValueError("empty timestamp")
            dt = strptime(text, fmt) if fmt else iso(text)
        except ValueError as exc:
            how = f"does not match the format {fmt!r}" if fmt else "is not an ISO 8601 timestamp"
            reason = "empty timestamp" if not text else f"{text!r} {how}"
            raise BadTimestamp(i, text, reason) from exc
        off = dt.utcoffset()
        if off is None:
            seconds[i] = (dt - _EPOCH) / _SECOND
        else:
            offsets[i] = int(off.total_seconds())
            seconds[i] = (dt.replace(tzinfo=None) - off - _EPOCH) / _SECOND
    return seconds, offsets


_SECOND = timedelta(seconds=1)
