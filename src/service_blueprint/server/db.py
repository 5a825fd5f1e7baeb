"""The database engine and transactions, for SQLite (the default) and PostgreSQL.

SQLite is tuned for a small multi-user server: write-ahead logging (readers never block the
writer), a busy timeout (writers queue instead of failing), foreign keys on, and write
transactions that take the write lock when they begin (``BEGIN IMMEDIATE``), so two saves can
never both read a version and then deadlock upgrading their locks.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from .config import Settings

BUSY_TIMEOUT_MS = 30_000


def make_engine(settings: Settings) -> Engine:
    """An engine for the configured database; creates the SQLite data folder if needed."""
    url = settings.url
    if url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
                               pool_size=16, max_overflow=32, pool_timeout=60)
        _tune_sqlite(engine)
        return engine
    # As many kept connections as request threads (anyio's default 40): a PostgreSQL connection
    # costs a process on the server, so connections opened and closed per request would dominate.
    return create_engine(url, pool_size=40, max_overflow=10, pool_pre_ping=True, pool_timeout=60,
                         pool_recycle=3600)


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (below)
        cur = dbapi_conn.cursor()
        if engine.url.database not in (None, "", ":memory:"):
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        if mode:  # None: no transaction, each statement on its own (Database.rows)
            # Straight to the driver: through SQLAlchemy this one statement cost a third of a small query.
            conn.connection.driver_connection.execute(f"BEGIN {mode}")


class Database:
    """The engine and two session factories: one for reads, one for writes."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.engine = make_engine(settings)
        self._writer = self.engine.execution_options(sqlite_begin="IMMEDIATE") if settings.is_sqlite else self.engine
        # Reads on plain connections run each statement on its own, without BEGIN and ROLLBACK
        # around it: on PostgreSQL those are two more round trips to the server per request.
        self._rows = (self.engine.execution_options(sqlite_begin=None) if settings.is_sqlite
                      else self.engine.execution_options(isolation_level="AUTOCOMMIT"))
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self._writer, expire_on_commit=False)
        # SQLite lets one writer in at a time and makes the others poll with growing sleeps (up to
        # 100 ms each); queueing this process's writers on a lock instead wakes the next one as
        # soon as the previous commits. Other processes (a dump, a second server) still meet the
        # busy timeout.
        self._write_lock = threading.Lock() if settings.is_sqlite else nullcontext()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads; closing it ends its transaction (rolled back: nothing is kept), and
        the objects it loaded stay readable afterwards."""
        with self._read() as session:
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """One transaction: committed if the block ends normally, rolled back on any exception."""
        with self._write_lock, self._write() as session, session.begin():
            yield session

    @contextmanager
    def rows(self) -> Iterator[Connection]:
        """A plain connection for reads, for the paths every request takes: without an ORM session
        around it one small query costs a third as much. No transaction: each statement sees the
        database as it is when it runs, so use it where one statement (or independent ones) will do."""
        with self._rows.connect() as conn:
            yield conn

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """What :meth:`writing` is, on a plain connection: for saving a version, the hot write path."""
        with self._write_lock, self._writer.begin() as conn:
            yield conn

    def dispose(self) -> None:
        self.engine.dispose()
