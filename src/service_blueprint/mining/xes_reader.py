"""Reading an XES event log (IEEE 1849) as a stream, safe against hostile XML.

The file is fed to expat in blocks, with the protections of defusedxml set on the parser: a
document type declaration is refused as soon as it starts, and so are entity declarations and
external entity references (which only a DTD could bring), so entity bombs ("billion laughs")
and external entities (reading local files or URLs) stop with a clear message before anything
expands. No tree is built: the handlers keep the attributes of the current event and the events
of the current trace, and a finished trace becomes rows; memory holds one trace plus the columns
built so far, so a log of a million events is read in bounded memory. ``.xes.gz`` is read
through gzip. (ElementTree's ``iterparse`` through defusedxml was measured at three times the
time: its safe parser is pure Python.)

What is read: the trace's ``concept:name`` (the case), each event's ``concept:name``
(activity), ``time:timestamp``, ``lifecycle:transition``, ``org:resource``, ``org:role`` or
``org:group`` and ``lane``; other attributes, nested attributes and ``<global>`` defaults are
ignored. The keys can be changed like CSV columns (``columns: {activity: Action}``...).
``start`` and ``complete`` events of the same activity in a trace are paired first-in first-out
into one execution with a start and an end; a ``complete`` without a ``start`` is an execution
with one timestamp; an attribute named as the ``start`` column (e.g. ``start_timestamp``) gives
the start directly. Other transitions (``schedule``, ``assign``, ``suspend``...) and unmatched
starts are left out and counted.
"""

from __future__ import annotations

import os
from collections import deque
from pathlib import Path
from typing import IO
from xml.parsers import expat

from defusedxml import (  # type: ignore[import-untyped]
    DTDForbidden,
    EntitiesForbidden,
    ExternalReferenceForbidden,
)

from .csv_reader import open_binary
from .eventlog import EventLog, LogBuilder
from .mapping import Columns, mapping_error
from .timestamps import BadTimestamp, parse_times

CHUNK_EVENTS = 50_000
#: Element names of XES attributes; everything inside one is a nested attribute (ignored).
_ATTRIBUTE_TAGS = frozenset({"string", "date", "int", "float", "boolean", "id", "list", "container"})
_BLOCK = 1 << 20


class _Keys:
    """The attribute keys that hold each field, from the column mapping (XES names by default)."""

    def __init__(self, columns: Columns) -> None:
        self.case = columns.case or "concept:name"
        self.activity = columns.activity or "concept:name"
        self.end = columns.end or "time:timestamp"
        self.start = columns.start  # only when the log has a start attribute on its events
        self.resource = columns.resource or "org:resource"
        self.roles = (columns.role,) if columns.role else ("org:role", "org:group")
        self.lane = columns.lane or "lane"
        self.format = columns.format


class _Rows:
    """Executions waiting to be interned and parsed, a chunk at a time."""

    def __init__(self) -> None:
        self.case: list[str] = []
        self.activity: list[str] = []
        self.resource: list[str | None] = []
        self.role: list[str | None] = []
        self.lane: list[str | None] = []
        self.start: list[str] = []
        self.end: list[str] = []
        self.trace: list[int] = []  # number of the trace each row came from, for messages

    def __len__(self) -> int:
        return len(self.case)


def read_xes(path: str | os.PathLike[str], columns: Columns | None = None) -> EventLog:
    """Read an XES (or ``.xes.gz``) event log in bounded memory."""
    p = Path(path)
    file = os.fspath(path)
    with open_binary(p) as fh:
        return _Reader(file, _Keys(columns or Columns())).read(fh)


def _refuse_dtd(*_: object) -> None:
    raise DTDForbidden(None, None, None)


def _refuse_entity(name: str | None, *_: object) -> None:
    raise EntitiesForbidden(name, None, None, None, None, None)


def _refuse_external(context: str, base: str | None, sysid: str | None, pubid: str | None) -> int:
    raise ExternalReferenceForbidden(context, base, sysid, pubid)


class _Reader:
    """Expat handlers that turn the element stream into rows, a trace at a time."""

    def __init__(self, file: str, keys: _Keys) -> None:
        self.file = file
        self.keys = keys
        self.builder = LogBuilder(file)
        self.rows = _Rows()
        self.traces = 0
        self.depth = 0  # > 0 inside an attribute element (its children are nested attributes)
        self.event: dict[str, str] | None = None
        self.trace_events: list[dict[str, str]] | None = None
        self.case = ""
        self.root: str | None = None
        self.prefix = ""

    def read(self, fh: IO[bytes]) -> EventLog:
        parser = expat.ParserCreate()
        parser.ordered_attributes = True
        parser.buffer_text = False
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartDoctypeDeclHandler = _refuse_dtd
        parser.EntityDeclHandler = _refuse_entity
        parser.UnparsedEntityDeclHandler = _refuse_entity
        parser.ExternalEntityRefHandler = _refuse_external
        parser.StartElementHandler = self._first
        parser.EndElementHandler = self._end
        self.parser = parser
        file = self.file
        try:
            while block := fh.read(_BLOCK):
                parser.Parse(block, False)
            parser.Parse(b"", True)
        except DTDForbidden:
            raise mapping_error(file, "XML document type declarations (<!DOCTYPE>) are refused: they can "
                                "declare entities that exhaust memory or read local files",
                                "remove the <!DOCTYPE ...> block; XES needs none",
                                line=parser.CurrentLineNumber) from None
        except (EntitiesForbidden, ExternalReferenceForbidden):  # pragma: no cover - a DTD comes first
            raise mapping_error(file, "XML entities are refused (entity expansion can exhaust memory, "
                                "external entities can read local files)", line=parser.CurrentLineNumber) from None
        except expat.ExpatError as exc:
            reason = expat.errors.messages[exc.code] if exc.code else str(exc)
            raise mapping_error(file, f"malformed XML at line {exc.lineno}, column {exc.offset + 1}: {reason}",
                                line=exc.lineno) from None
        except (OSError, EOFError) as exc:
            raise mapping_error(file, f"cannot read the file: {exc}") from None
        _flush(self.rows, self.builder, self.keys, file)
        if self.root is None:
            raise mapping_error(file, "the file is empty, not an XES log")
        if self.builder.rows == 0:
            raise mapping_error(file, "the log has no events" if self.traces == 0 else
                                f"the log has {self.traces} trace{'s' if self.traces != 1 else ''} but no usable "
                                "events (events need a concept:name and a time:timestamp)")
        return self.builder.build()

    def _first(self, tag: str, attrs: list[str]) -> None:
        """The root element: check it is ``<log>`` and learn its namespace prefix, if any."""
        prefix, _, local = tag.rpartition(":")
        if local != "log":
            raise mapping_error(self.file, f"not an XES log: the root element is <{tag}>, not <log>")
        self.root = tag
        if prefix:
            self.prefix = prefix + ":"
            self.parser.StartElementHandler = self._start_prefixed
            self.parser.EndElementHandler = self._end_prefixed
        else:
            self.parser.StartElementHandler = self._start

    def _start_prefixed(self, tag: str, attrs: list[str]) -> None:
        self._start(tag.removeprefix(self.prefix), attrs)

    def _end_prefixed(self, tag: str) -> None:
        self._end(tag.removeprefix(self.prefix))

    def _start(self, tag: str, attrs: list[str]) -> None:
        if self.depth:
            self.depth += 1
            return
        if tag in _ATTRIBUTE_TAGS:
            self.depth = 1
            event = self.event
            if event is not None:
                if len(attrs) == 4 and attrs[0] == "key":
                    event[attrs[1]] = attrs[3]
                else:
                    named = dict(zip(attrs[::2], attrs[1::2], strict=True))
                    if "key" in named:
                        event[named["key"]] = named.get("value", "")
            elif self.trace_events is not None:
                named = dict(zip(attrs[::2], attrs[1::2], strict=True))
                if named.get("key") == self.keys.case:
                    self.case = named.get("value", "")
        elif tag == "event":
            if self.trace_events is not None:
                self.event = {}
        elif tag == "trace":
            self.trace_events = []
            self.case = ""

    def _end(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1
            return
        if tag == "event":
            if self.event is not None and self.trace_events is not None:
                self.trace_events.append(self.event)
            self.event = None
        elif tag == "trace" and self.trace_events is not None:
            self.traces += 1
            _trace(self.trace_events, self.case or f"trace {self.traces}", self.traces, self.keys,
                   self.rows, self.builder)
            self.trace_events = None
            if len(self.rows) >= CHUNK_EVENTS:
                _flush(self.rows, self.builder, self.keys, self.file)
                self.rows = _Rows()


def _trace(events: list[dict[str, str]], case: str, number: int, keys: _Keys, rows: _Rows,
           builder: LogBuilder) -> None:
    """Turn one trace's events into executions (pairing start and complete)."""
    open_starts: dict[str, deque[dict[str, str]]] = {}
    for ev in events:
        activity = ev.get(keys.activity)
        end = ev.get(keys.end)
        if not activity or not end:
            builder.drop("events without an activity or a timestamp")
            continue
        transition = ev.get("lifecycle:transition", "complete").lower()
        if transition == "start":
            open_starts.setdefault(activity, deque()).append(ev)
            continue
        if transition != "complete":
            builder.drop(f"'{transition}' lifecycle events")
            continue
        started = open_starts.get(activity)
        begin = started.popleft() if started else None
        start = begin[keys.end] if begin is not None else (ev.get(keys.start, "") if keys.start else "")
        rows.case.append(case)
        rows.activity.append(activity)
        rows.resource.append(ev.get(keys.resource) or (begin.get(keys.resource) if begin else None))
        rows.role.append(next((ev[k] for k in keys.roles if ev.get(k)), None)
                         or (next((begin[k] for k in keys.roles if begin.get(k)), None) if begin else None))
        rows.lane.append(ev.get(keys.lane))
        rows.start.append(start or end)
        rows.end.append(end)
        rows.trace.append(number)
    unmatched = sum(len(q) for q in open_starts.values())
    if unmatched:
        builder.drop("start events without a complete", unmatched)


def _flush(rows: _Rows, builder: LogBuilder, keys: _Keys, file: str) -> None:
    if not rows:
        return
    times = []
    for which, values in (("end", rows.end), ("start", rows.start)):
        try:
            times.append(parse_times(values, keys.format))
        except BadTimestamp as exc:
            raise mapping_error(file, f"trace {rows.trace[exc.index]}: cannot read the {which} time of event "
                                f"'{rows.activity[exc.index]}': {exc.reason}",
                                "XES dates are ISO 8601 (2024-01-31T09:30:00.000+01:00)") from None
    (end, offset), (start, _) = times
    bad = (start > end).nonzero()[0]
    if bad.size:
        k = int(bad[0])
        raise mapping_error(file, f"trace {rows.trace[k]}: event '{rows.activity[k]}' ends before it starts")
    builder.add_chunk(
        builder.intern("case", rows.case), builder.intern("activity", rows.activity),
        builder.intern("resource", rows.resource), builder.intern("role", rows.role),
        builder.intern("lane", rows.lane), start, end, offset,
    )
