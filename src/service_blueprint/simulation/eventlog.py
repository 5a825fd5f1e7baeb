"""Simulated event logs, streamed to CSV or XES, so simulated cases can feed process mining.

One row (CSV) or one start/complete event pair (XES) per action execution: case, action, role,
lane, start, end. Timestamps are ISO 8601 from a fixed Monday (``2024-01-01``, the simulator's
time zero), so the same run writes the same bytes. CSV rows are written as executions start;
XES needs the events of a case together, so they are held until the case ends and then written
as one trace (memory bounded by the cases in the system at once).
"""

from __future__ import annotations

import types
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO
from xml.sax.saxutils import quoteattr

from ..errors import UsageError
from ..model import Blueprint
from ..semantics import compile_plan

EPOCH = datetime(2024, 1, 1)  # a Monday: simulated time 0


def timestamp(seconds: float) -> str:
    return (EPOCH + timedelta(seconds=round(seconds, 3))).isoformat(timespec="milliseconds")


class EventLog:
    """A streaming writer; use as a context manager and pass it as ``sink`` to ``simulate``."""

    def __init__(self, path: Path, bp: Blueprint) -> None:
        suffix = path.suffix.lower()
        if suffix not in (".csv", ".xes"):
            raise UsageError(f"cannot write an event log to {path.name!r}: use a .csv or .xes file name")
        plan = compile_plan(bp)
        self.path = path
        self.xes = suffix == ".xes"
        self.ids = plan.ids
        self.roles = tuple(r or "" for r in plan.roles)
        self.lanes = plan.lanes
        self.pending: dict[int, list[str]] = {}
        self.rows = 0
        self._file: IO[str] | None = None

    def __enter__(self) -> EventLog:
        try:
            self._file = self.path.open("w", encoding="utf-8", newline="")
        except OSError as exc:
            raise UsageError(f"cannot write {self.path}: {exc.strerror}") from exc
        if self.xes:
            self._file.write(_XES_HEAD)
        else:
            self._file.write("case,action,role,lane,start,end\n")
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: types.TracebackType | None) -> None:
        assert self._file is not None
        if self.xes:
            for case in sorted(self.pending):
                self.case_end(case)
            self._file.write("</log>\n")
        self._file.close()

    def execution(self, case: int, action: int, start: float, end: float) -> None:
        assert self._file is not None
        self.rows += 1
        if not self.xes:
            self._file.write(f"{case},{self.ids[action]},{self.roles[action]},{self.lanes[action]},"
                             f"{timestamp(start)},{timestamp(end)}\n")
            return
        attrs = (f'<string key="concept:name" value={quoteattr(self.ids[action])}/>'
                 + (f'<string key="org:role" value={quoteattr(self.roles[action])}/>' if self.roles[action] else "")
                 + f'<string key="lane" value={quoteattr(self.lanes[action])}/>')
        events = self.pending.setdefault(case, [])
        for what, at in (("start", start), ("complete", end)):
            events.append(f'<event>{attrs}<string key="lifecycle:transition" value="{what}"/>'
                          f'<date key="time:timestamp" value="{timestamp(at)}+00:00"/></event>')

    def case_end(self, case: int) -> None:
        if not self.xes:
            return
        assert self._file is not None
        events = self.pending.pop(case, None)
        if events:
            self._file.write(f'<trace><string key="concept:name" value="{case}"/>\n'
                             + "\n".join(events) + "\n</trace>\n")


_XES_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1.0" xes.features="nested-attributes" xmlns="http://www.xes-standard.org/">
<extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>
<extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>
<extension name="Lifecycle" prefix="lifecycle" uri="http://www.xes-standard.org/lifecycle.xesext"/>
<extension name="Organizational" prefix="org" uri="http://www.xes-standard.org/org.xesext"/>
<global scope="trace"><string key="concept:name" value="UNKNOWN"/></global>
<global scope="event"><string key="concept:name" value="UNKNOWN"/><string key="lifecycle:transition" value="complete"/></global>
<classifier name="Activity" keys="concept:name"/>
"""
