"""The multi-user blueprint server (FastAPI + SQLAlchemy): ``create_app(Settings(...))``.

See docs/server.md for setup, the API, the security model and backups.
"""

from __future__ import annotations

from .app import create_app
from .config import Settings

__all__ = ["Settings", "create_app"]
