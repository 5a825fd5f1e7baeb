"""Alembic migrations of the server's schema, applied programmatically on start (see ``migrate``)."""
