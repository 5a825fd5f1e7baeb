"""Reading a CSV event log in bounded memory, fast.

The file is read in chunks of whole lines (a few MiB). In a chunk without quotes NumPy finds
every delimiter and line end; when each line has the header's number of fields, a column is a
pair of offset arrays into the chunk (:class:`.byte_fields.Fields`), its timestamps are parsed
from the bytes (:mod:`.iso_columns`) and its names interned by key (:mod:`.field_index`): no
Python object per row at all. Lines with another number of fields go value by value (and stop
with the line number). From the first quote on, the rest of the file goes through the :mod:`csv`
module, which handles quoting and embedded newlines. Either way rows are interned into a
:class:`~.eventlog.LogBuilder` chunk by chunk. The delimiter (comma, semicolon or tab) is taken
from the header line; ``.csv.gz`` files are read through gzip.

Mistakes stop with the line number: a row with the wrong number of fields, a timestamp that
cannot be read, a row that ends before it starts. Rows without a case or an activity are left
out and counted.
"""

from __future__ import annotations

import csv
import gzip
import io
import itertools
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import numpy as np

from .byte_fields import ByteBuffer, Fields
from .eventlog import NONE, EventLog, FloatArray, IntArray, LogBuilder
from .mapping import Columns, Resolved, mapping_error, resolve_columns
from .timestamps import BadTimestamp, Texts, parse_times

CHUNK_BYTES = 4 << 20
CHUNK_ROWS = 50_000
_DELIMITERS = (b",", b";", b"\t")
#: Whether a byte is one ``bytes.strip`` removes.
_SPACE = np.zeros(256, dtype=bool)
_SPACE[list(b" \t\n\r\x0b\x0c")] = True


def open_binary(path: Path) -> IO[bytes]:
    """The file's bytes, decompressed when its name ends in ``.gz``; a clear error if it cannot
    be opened."""
    file = os.fspath(path)
    try:
        if path.is_dir():
            raise mapping_error(file, "is a directory, not an event log")
        raw: IO[bytes] = path.open("rb")
    except FileNotFoundError:
        raise mapping_error(file, "no such file") from None
    except OSError as exc:
        raise mapping_error(file, f"cannot read the file: {exc.strerror or exc}") from None
    if path.name.lower().endswith(".gz"):
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    return raw


def read_csv(path: str | os.PathLike[str], columns: Columns | None = None) -> EventLog:
    """Read a CSV event log; ``columns`` names the columns the usual names do not find."""
    p = Path(path)
    file = os.fspath(path)
    with open_binary(p) as fh:
        try:
            return _read(fh, file, columns or Columns())
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            raise mapping_error(file, f"cannot read the file: {exc}") from None


def _read(fh: IO[bytes], file: str, columns: Columns) -> EventLog:
    head = fh.readline()
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    if not head.strip():
        raise mapping_error(file, "the log is empty (no header line)", "the first line must name the columns")
    if b"\x00" in head:
        raise mapping_error(file, "binary file (contains NUL bytes), not a CSV event log")
    delim = max(_DELIMITERS, key=head.count)
    header = tuple(next(csv.reader([head.decode("utf-8", "replace")], delimiter=delim.decode())))
    cols = resolve_columns(tuple(h.strip() for h in header), columns, file)
    builder = LogBuilder(file)
    reader = _Chunks(fh, cols, delim, file, builder)
    reader.run()
    if builder.rows == 0:
        raise mapping_error(file, "the log has no events (only a header)" if not builder.dropped else
                            "the log has no usable events (every row lacks a case or an activity)")
    return builder.build()


class _Chunks:
    """Feeds the file to the builder chunk by chunk; ``line`` is the last line number read."""

    def __init__(self, fh: IO[bytes], cols: Resolved, delim: bytes, file: str, builder: LogBuilder) -> None:
        self.fh = fh
        self.cols = cols
        self.delim = delim
        self.file = file
        self.builder = builder
        self.width = len(cols.names)
        self.line = 1

    def run(self) -> None:
        while True:
            data = self.fh.read(CHUNK_BYTES)
            if not data:
                return
            if not data.endswith(b"\n"):
                data += self.fh.readline()  # whole lines only
            if b'"' in data:
                self._quoted(data.splitlines(keepends=True))
                return
            self._fast(data)

    # ---- the fast path: no quotes, so a delimiter always separates fields ---------------------
    def _fast(self, data: bytes) -> None:
        """Find every delimiter and line end with NumPy; when each line has the header's number
        of fields, the columns are offsets into the chunk (:class:`.byte_fields.Fields`)."""
        if b"\r" in data:
            data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        if not data.endswith(b"\n"):
            data += b"\n"
        buf = ByteBuffer(data)
        text = buf.bytes[:len(data)]
        newline = text == ord("\n")
        ends = np.flatnonzero(newline | (text == self.delim[0]))
        rows = int(np.count_nonzero(newline))
        first = self.line + 1
        self.line += rows
        # every line has the header's fields: as many ends as that, and each width-th is one of the
        # newlines; with one column, a blank line (not a row) looks like an empty field
        if (ends.size != rows * self.width or not newline[ends[self.width - 1::self.width]].all()
                or (self.width == 1 and (data.startswith(b"\n") or b"\n\n" in data))):
            lines = data.split(b"\n")[:-1]
            self._rows([ln.split(self.delim) for ln in lines], list(range(first, first + len(lines))))
            return
        starts = np.empty_like(ends)
        starts[0] = 0
        starts[1:] = ends[:-1] + 1
        self._columns([Fields(buf, starts[i::self.width].copy(), ends[i::self.width].copy()) if i >= 0 else None
                       for i in self._wanted()], lambda k: first + k)

    def _wanted(self) -> tuple[int, ...]:
        c = self.cols
        return (c.case, c.activity, c.resource, c.role, c.lane, c.start, c.end)

    def _rows(self, rows: Sequence[Texts], numbers: list[int]) -> None:
        """Rows of fields (the slow paths): skip blank lines, check widths, then as columns."""
        kept: list[Texts] = []
        lines: list[int] = []
        for row, line in zip(rows, numbers, strict=True):
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if len(row) != self.width:
                raise mapping_error(self.file, f"line {line} has {len(row)} fields; the header has "
                                    f"{self.width}", "check the delimiter and quoting of that line", line=line)
            kept.append(row)
            lines.append(line)
        cols: list[Any] = [[r[i] for r in kept] if i >= 0 else None for i in self._wanted()]
        self._columns(cols, lines.__getitem__)

    def _columns(self, cols: list[Any], line_of: Callable[[int], int]) -> None:
        """Intern, parse and append one chunk given as columns (:class:`.byte_fields.Fields`, or
        lists of bytes or str)."""
        case_c, act_c, res_c, role_c, lane_c, start_c, end_c = cols
        rows = len(case_c)
        if rows == 0:
            return
        b = self.builder
        case = b.intern("case", case_c)
        activity = b.intern("activity", act_c)
        resource = b.intern("resource", res_c, rows)
        role = b.intern("role", role_c, rows)
        lane = b.intern("lane", lane_c, rows)
        end, offset = self._times(end_c, "end", line_of)
        start = end
        if start_c is not None:
            start = self._start(start_c, end, line_of)
            bad = np.flatnonzero(start > end)
            if bad.size:
                line = line_of(int(bad[0]))
                raise mapping_error(self.file, f"line {line}: the event ends before it starts",
                                    "check which column is the start and which the end", line=line)
        missing = (case == NONE) | (activity == NONE)
        if missing.any():
            b.drop("rows without a case or an activity", int(missing.sum()))
            keep = ~missing
            case, activity, resource, role, lane = (col[keep] for col in (case, activity, resource, role, lane))
            start, end, offset = start[keep], end[keep], offset[keep]
        b.add_chunk(case, activity, resource, role, lane, start, end, offset)

    def _times(self, values: Texts | Fields, which: str,
               line_of: Callable[[int], int]) -> tuple[FloatArray, IntArray]:
        try:
            return parse_times(values, self.cols.format)
        except BadTimestamp as exc:
            line = line_of(exc.index)
            raise mapping_error(self.file, f"line {line}: cannot read the {which} time: {exc.reason}",
                                "write ISO 8601 (2024-01-31T09:30:00) or give the format in the mapping "
                                "file (columns: {format: '%d/%m/%Y %H:%M'})", line=line) from None

    def _start(self, values: Texts | Fields, end: FloatArray,
               line_of: Callable[[int], int]) -> FloatArray:
        """Start times; an empty start (or only spaces) means the event has one timestamp
        (start = end)."""
        if isinstance(values, Fields):
            present = values.lengths > 0
            # a value starting with a space may be only spaces; timestamps never start with one
            spaced = np.flatnonzero(present & _SPACE[values.buffer.bytes[values.start]])
            present[spaced] = [bool(values.value(int(k)).strip()) for k in spaced]
            given = np.flatnonzero(present)
        else:
            given = np.array([k for k, v in enumerate(values) if v.strip()], dtype=np.intp)
        if given.size == len(values):
            return self._times(values, "start", line_of)[0]
        start = end.copy()
        if given.size:
            subset = values.take(given) if isinstance(values, Fields) else [values[k] for k in given.tolist()]
            start[given] = self._times(subset, "start", lambda k: line_of(int(given[k])))[0]
        return start

    # ---- the careful path: the csv module, from the first quote to the end ------------------
    def _quoted(self, lines: list[bytes]) -> None:
        text = io.TextIOWrapper(self.fh, encoding="utf-8", errors="replace", newline="")
        source: Iterator[str] = itertools.chain((ln.decode("utf-8", "replace") for ln in lines), text)
        reader = csv.reader(source, delimiter=self.delim.decode())
        base = self.line
        rows: list[list[str]] = []
        numbers: list[int] = []
        before = 0
        for row in reader:
            rows.append(row)
            numbers.append(base + before + 1)  # the line the row starts on
            before = reader.line_num
            if len(rows) >= CHUNK_ROWS:
                self._rows(rows, numbers)
                rows, numbers = [], []
        self._rows(rows, numbers)
        self.line = base + before
