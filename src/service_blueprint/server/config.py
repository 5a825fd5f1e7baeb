"""Server settings: where the data lives and the limits every request is held to.

One frozen object built once (from the command line or the environment) and handed to
``create_app``; nothing else reads the environment, so tests build settings directly.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import UsageError

#: Environment variable naming the database; the command line's ``--database`` wins over it.
DATABASE_ENV = "BLUEPRINT_DATABASE_URL"
DB_FILE = "blueprint.db"


@dataclass(frozen=True)
class Settings:
    """Everything ``create_app`` needs. Defaults suit one small team on one machine."""

    data_dir: Path = Path("blueprint-data")
    database_url: str | None = None  # None: SQLite in ``data_dir``
    max_body_bytes: int = 2 * 1024 * 1024  # larger request bodies get 413
    session_hours: float = 12.0
    cookie_secure: bool = True  # browsers treat http://localhost and 127.0.0.1 as secure too
    login_attempts: int = 10  # per client address and user name ...
    login_window_seconds: float = 300.0  # ... in this sliding window, then 429
    job_workers: int = 1  # simulation threads
    max_queued_jobs: int = 8  # queued or running at once; more get 429
    max_sim_replications: int = 30
    max_sim_days: float = 90.0
    # argon2 cost; the defaults are argon2-cffi's (RFC 9106 low-memory profile). Tests lower them.
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    render_cache_entries: int = 256

    def __post_init__(self) -> None:
        if self.max_body_bytes < 1024:
            raise UsageError("the request body limit must be at least 1 KiB")
        if self.job_workers < 1:
            raise UsageError("at least one job worker is needed")

    @property
    def url(self) -> str:
        """The SQLAlchemy URL in force: the configured one, else the SQLite file in the data folder."""
        if self.database_url:
            return normalise_url(self.database_url)
        return f"sqlite:///{(self.data_dir / DB_FILE).resolve()}"

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")


def normalise_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` mean the psycopg 3 driver, the one we ship."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    if not url.startswith(("sqlite", "postgresql+psycopg://")):
        raise UsageError(f"unsupported database URL {redact(url)!r}: use postgresql://... or sqlite:///path")
    return url


def redact(url: str) -> str:
    """The URL with any password replaced, for messages and logs."""
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    creds, host = rest.rsplit("@", 1)
    user = creds.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}" if ":" in creds else url


def database_from_env(given: str | None) -> str | None:
    return given or os.environ.get(DATABASE_ENV) or None
