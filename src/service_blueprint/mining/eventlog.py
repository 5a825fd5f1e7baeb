"""The in-memory event log: one row per activity execution, held as NumPy columns.

Real logs have hundreds of thousands of events, so nothing here is a Python object per event.
Text values (case ids, activity names, resources, roles) are interned into tables once and the
rows hold small integer indices; times are float seconds since 1970-01-01 UTC. A reader streams
its file in chunks into a :class:`LogBuilder`, whose memory is the columns themselves plus one
chunk; :meth:`LogBuilder.build` sorts the rows by case, then start, then end (stable, so ties
keep file order, as pm4py's sort does) and returns the immutable :class:`EventLog`.

An execution with one timestamp (a log of ``complete`` events) has ``start == end``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .byte_fields import Fields
from .field_index import FieldIndex

IntArray = NDArray[np.int32]
FloatArray = NDArray[np.float64]

#: Index stored where a row has no resource, role or lane.
NONE = -1


@dataclass(frozen=True, slots=True, eq=False)
class EventLog:
    """Activity executions sorted by case, start and end; per-row columns are aligned arrays."""

    cases: tuple[str, ...]
    """Case ids, by case index (first appearance in the file)."""
    activities: tuple[str, ...]
    resources: tuple[str, ...]
    roles: tuple[str, ...]
    """Groups or roles named by the log itself (XES ``org:group``/``org:role``, a role column)."""
    lanes: tuple[str, ...]
    """Lanes named by the log itself (a ``lane`` column, as simulated logs have)."""
    case: IntArray
    activity: IntArray
    resource: IntArray
    role: IntArray
    lane: IntArray
    start: FloatArray
    end: FloatArray
    offset: IntArray
    """UTC offset in seconds each timestamp was written with (0 for times without one); the
    wall clock (``start + offset``) gives the hour of the week a case arrived."""
    source: str = "<log>"
    dropped: dict[str, int] = field(default_factory=dict)
    """Rows left out while reading, by reason (e.g. lifecycle transitions other than
    start/complete), so the summary can say what was not used."""

    def __len__(self) -> int:
        return int(self.case.size)

    @property
    def n_cases(self) -> int:
        return len(self.cases)

    @property
    def case_bounds(self) -> IntArray:
        """Row offsets where each case's rows begin, plus the end: case ``c`` is rows
        ``bounds[c]:bounds[c + 1]`` (rows are sorted by case index)."""
        counts = np.bincount(self.case, minlength=self.n_cases)
        bounds = np.zeros(self.n_cases + 1, dtype=np.int32)
        np.cumsum(counts, out=bounds[1:])
        return bounds


class LogBuilder:
    """Collects rows chunk by chunk into compact typed arrays; :meth:`build` makes the log."""

    def __init__(self, source: str = "<log>") -> None:
        self.source = source
        kinds = ("case", "activity", "resource", "role", "lane")
        self._names: dict[str, dict[str, int]] = {k: {} for k in kinds}
        self._raw: dict[str, dict[bytes | str | None, int]] = {k: {} for k in kinds}
        self._index = {k: FieldIndex() for k in kinds}
        self._chunks: dict[str, list[NDArray[Any]]] = {k: [] for k in (*kinds, "start", "end", "offset")}
        self._rows = 0
        self.dropped: dict[str, int] = {}

    def intern(self, kind: str, values: Sequence[bytes | str | None] | Fields | None, n: int = 0) -> IntArray:
        """Indices of ``values`` (text, or UTF-8 bytes straight from a file) in the table of
        ``kind``; empty values are ``NONE``, and ``values=None`` gives ``n`` times ``NONE``.
        New values are found among the distinct ones (in order of appearance, so indices do not
        depend on hashing) and decoded once; a column of :class:`.byte_fields.Fields` is looked
        up with NumPy (:mod:`.field_index`), a list at C speed through ``map``."""
        if values is None:
            return np.full(n, NONE, dtype=np.int32)
        raw = self._raw[kind]
        if isinstance(values, Fields):
            found = self._index[kind].lookup(values, lambda new: self._add(kind, new))
            if found is not None:
                return found
            values = values.values()
        self._add(kind, dict.fromkeys(values))
        return np.fromiter(map(raw.__getitem__, values), dtype=np.int32, count=len(values))

    def _add(self, kind: str, values: Iterable[bytes | str | None]) -> list[int]:
        """The indices of ``values``, giving the new ones the next indices in order (a value is
        decoded and stripped; an empty one is ``NONE``)."""
        values = list(values)
        raw = self._raw[kind]
        names = self._names[kind]
        fresh = [v for v in dict.fromkeys(values) if v not in raw]
        for value, text in zip(fresh, _texts(fresh), strict=True):
            raw[value] = names.setdefault(text, len(names)) if text else NONE
        return list(map(raw.__getitem__, values))

    def add_chunk(
        self,
        case: IntArray,
        activity: IntArray,
        resource: IntArray,
        role: IntArray,
        lane: IntArray,
        start: FloatArray,
        end: FloatArray,
        offset: IntArray,
    ) -> None:
        """Append rows already interned with :meth:`intern` (all sequences of one length)."""
        for kind, values in (("case", case), ("activity", activity), ("resource", resource),
                             ("role", role), ("lane", lane), ("offset", offset)):
            self._chunks[kind].append(np.asarray(values, dtype=np.int32))
        self._chunks["start"].append(np.asarray(start, dtype=np.float64))
        self._chunks["end"].append(np.asarray(end, dtype=np.float64))
        self._rows += len(case)

    def drop(self, reason: str, n: int = 1) -> None:
        self.dropped[reason] = self.dropped.get(reason, 0) + n

    @property
    def rows(self) -> int:
        return self._rows

    def _column(self, kind: str) -> NDArray[Any]:
        chunks = self._chunks.pop(kind)
        dtype = np.float64 if kind in ("start", "end") else np.int32
        return np.concatenate(chunks) if chunks else np.zeros(0, dtype=dtype)

    def build(self) -> EventLog:
        """The log, sorted; the builder's chunks are released as they are joined. Most logs are
        written in this order already: then no row moves (a stable sort would not move one)."""
        case = self._column("case")
        start = self._column("start")
        end = self._column("end")
        if _in_order(case, start, end):
            cols = {k: self._column(k) for k in ("activity", "resource", "role", "lane", "offset")}
        else:
            order = np.lexsort((end, start, case))  # stable: ties keep file order
            case, start, end = case[order], start[order], end[order]
            cols = {k: self._column(k)[order] for k in ("activity", "resource", "role", "lane", "offset")}
        return EventLog(
            cases=tuple(self._names["case"]),
            activities=tuple(self._names["activity"]),
            resources=tuple(self._names["resource"]),
            roles=tuple(self._names["role"]),
            lanes=tuple(self._names["lane"]),
            case=case,
            activity=cols["activity"],
            resource=cols["resource"],
            role=cols["role"],
            lane=cols["lane"],
            start=start,
            end=end,
            offset=cols["offset"],
            source=self.source,
            dropped=dict(self.dropped),
        )


def _texts(values: list[bytes | str | None]) -> list[str]:
    """The values decoded and stripped (ASCII bytes, the usual case, decoded in one call)."""
    if all(type(v) is bytes for v in values):
        joined = b"\n".join(values)  # type: ignore[arg-type]
        if joined.isascii() and joined.count(b"\n") == len(values) - 1:
            return [t.strip() for t in joined.decode("ascii").split("\n")] if values else []
    return [(v.decode("utf-8", "replace") if isinstance(v, bytes) else v or "").strip() for v in values]


def _in_order(case: IntArray, start: FloatArray, end: FloatArray) -> bool:
    """Whether the rows are sorted by case, then start, then end."""
    dc, ds, de = np.diff(case), np.diff(start), np.diff(end)
    return bool(((dc > 0) | ((dc == 0) & ((ds > 0) | ((ds == 0) & (de >= 0))))).all())
