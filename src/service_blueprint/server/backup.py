"""Backups of a whole instance: every table as one JSON document (gzip-compressed for ``.gz``).

A dump is read in one snapshot transaction, so it is consistent even while the server runs.
It holds password and token *hashes* (so a restored server keeps its accounts and tokens) and
is written with owner-only permissions. Login sessions are left out: after a restore people log
in again. A restore goes into an empty database only (never merged over live data) and keeps
every id, so versions, comments and audit events stay linked.
"""

from __future__ import annotations

import gzip
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, DateTime, Integer, Table, func, insert, select, text
from sqlalchemy.exc import SQLAlchemyError

from .. import __version__
from ..errors import UsageError
from .config import Settings
from .db import Database
from .migrate import migrate
from .models import Base

FORMAT = "service-blueprint-server-dump"
FORMAT_VERSION = 1
SKIPPED = frozenset({"sessions"})


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    rows: dict[str, int]

    def text(self) -> str:
        counts = ", ".join(f"{n} {t}" for t, n in self.rows.items() if n)
        return f"{self.path}: {counts or 'no rows'}"


def _tables() -> list[Table]:
    return [t for t in Base.metadata.sorted_tables if t.name not in SKIPPED]


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _write(path: Path, data: bytes) -> None:
    """Write atomically (temporary file, then rename) with owner-only permissions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(gzip.compress(data, mtime=0) if path.suffix == ".gz" else data)
    os.replace(tmp, path)


def dump(settings: Settings, path: Path) -> BackupSummary:
    """Write every table of the instance to ``path`` (JSON; gzip when it ends in ``.gz``)."""
    db = Database(settings)
    try:
        revision = migrate(db.engine)
        tables: dict[str, list[dict[str, Any]]] = {}
        with db.engine.connect() as conn:
            if db.engine.dialect.name == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                for table in _tables():
                    order = [c for c in table.primary_key.columns]
                    rows = conn.execute(select(table).order_by(*order)).mappings()
                    tables[table.name] = [{k: _plain(v) for k, v in row.items()} for row in rows]
    finally:
        db.dispose()
    doc = {"format": FORMAT, "format_version": FORMAT_VERSION, "schema_revision": revision,
           "written_by": f"service-blueprint {__version__}", "tables": tables}
    _write(path, json.dumps(doc, ensure_ascii=False, sort_keys=True).encode())
    return BackupSummary(path, {t: len(rows) for t, rows in tables.items()})


def read_dump(path: Path) -> dict[str, Any]:
    """The dump document in ``path``, checked for its format; :class:`UsageError` otherwise."""
    try:
        raw = path.read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        doc = json.loads(raw)
    except (OSError, EOFError, gzip.BadGzipFile, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"{path}: not a readable dump ({exc})") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or not isinstance(doc.get("tables"), dict):
        raise UsageError(f"{path}: not a service-blueprint server dump")
    if doc.get("format_version") != FORMAT_VERSION:
        raise UsageError(f"{path}: dump format {doc.get('format_version')} is not supported (this is "
                         f"{FORMAT_VERSION})")
    return doc


def _row(table: Table, row: Any) -> dict[str, Any]:
    if not isinstance(row, dict) or set(row) - set(table.columns.keys()):
        raise UsageError(f"the dump has a malformed row in table '{table.name}'")
    out = dict(row)
    for col in table.columns:
        value = out.get(col.name)
        if isinstance(col.type, DateTime) and isinstance(value, str):
            try:
                out[col.name] = datetime.fromisoformat(value)
            except ValueError:
                raise UsageError(f"the dump has a bad time in {table.name}.{col.name}") from None
    return out


def _reset_sequences(conn: Connection) -> None:
    """PostgreSQL hands out ids from sequences, which explicit inserts do not advance."""
    for table in _tables():
        pk = list(table.primary_key.columns)
        if len(pk) == 1 and isinstance(pk[0].type, Integer):
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', '{pk[0].name}'), "
                              f"COALESCE(MAX({pk[0].name}), 1), MAX({pk[0].name}) IS NOT NULL) FROM {table.name}"))


def restore(settings: Settings, path: Path) -> BackupSummary:
    """Load a dump into the configured database, which must be empty; all or nothing."""
    doc = read_dump(path)
    db = Database(settings)
    try:
        revision = migrate(db.engine)
        if doc.get("schema_revision") != revision:
            raise UsageError(f"the dump is of schema {doc.get('schema_revision')}, this server's is {revision}; "
                             "restore it with the version of service-blueprint that wrote it, then upgrade")
        counts: dict[str, int] = {}
        try:
            _load(db, doc, counts)
        except SQLAlchemyError as exc:
            raise UsageError(f"{path}: the dump does not fit the schema ({type(exc).__name__}); nothing was "
                             "restored") from None
    finally:
        db.dispose()
    return BackupSummary(path, counts)


def _load(db: Database, doc: dict[str, Any], counts: dict[str, int]) -> None:
    with db.engine.begin() as conn:
        for table in _tables():
            if conn.execute(select(func.count()).select_from(table)).scalar():
                raise UsageError(f"the database is not empty (table '{table.name}' has rows); "
                                 "restore into a new data folder or an empty database")
        for table in _tables():
            rows = doc["tables"].get(table.name, [])
            if not isinstance(rows, list):
                raise UsageError(f"the dump's table '{table.name}' is not a list of rows")
            if rows:
                conn.execute(insert(table), [_row(table, r) for r in rows])
            counts[table.name] = len(rows)
        if db.engine.dialect.name == "postgresql":
            _reset_sequences(conn)
