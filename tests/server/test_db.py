"""The database connection settings the server relies on (SQLite)."""

from __future__ import annotations

from pathlib import Path

from _server_kit import fast_settings

from service_blueprint.server.db import BUSY_TIMEOUT_MS, Database


def test_sqlite_connections_are_tuned_for_a_server(tmp_path: Path) -> None:
    """Write-ahead logging (readers never wait for the writer), synchronous=NORMAL (a commit does
    not wait for the disk; committed data survives a crash of the process, see test_reliability),
    foreign keys enforced, and a busy timeout for writers from other processes."""
    db = Database(fast_settings(tmp_path / "data"))
    try:
        with db.engine.connect() as conn:
            pragma = {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                      for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")}
    finally:
        db.dispose()
    assert pragma == {"journal_mode": "wal", "synchronous": 1, "foreign_keys": 1, "busy_timeout": BUSY_TIMEOUT_MS}
