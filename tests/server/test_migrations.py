"""The Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from service_blueprint.server import Settings
from service_blueprint.server.db import Database
from service_blueprint.server.migrate import current_revision, head_revision, migrate
from service_blueprint.server.models import Base


def test_migrations_match_the_models(settings: Settings) -> None:
    db = Database(settings)
    try:
        assert current_revision(db.engine) is None
        assert migrate(db.engine) == head_revision()
        assert current_revision(db.engine) == head_revision()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
        assert diff == []
        assert migrate(db.engine) == head_revision()  # running again changes nothing
        assert set(inspect(db.engine).get_table_names()) == set(Base.metadata.tables) | {"alembic_version"}
    finally:
        db.dispose()
