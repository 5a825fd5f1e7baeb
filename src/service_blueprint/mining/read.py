"""Reading an event log of either format, chosen by the file name."""

from __future__ import annotations

import os

from ..errors import UsageError
from .csv_reader import read_csv
from .eventlog import EventLog
from .mapping import Columns
from .xes_reader import read_xes

SUFFIXES = (".csv", ".csv.gz", ".xes", ".xes.gz")


def read_log(path: str | os.PathLike[str], columns: Columns | None = None) -> EventLog:
    """Read a CSV or XES event log (``.gz`` compressed too), streaming, into an :class:`EventLog`."""
    name = os.fspath(path).lower()
    if name.endswith((".xes", ".xes.gz")):
        return read_xes(path, columns)
    if name.endswith((".csv", ".csv.gz", ".tsv", ".txt")):
        return read_csv(path, columns)
    raise UsageError(f"cannot tell the format of {os.path.basename(name)!r}: event logs are "
                     f"{', '.join(SUFFIXES)} files")
