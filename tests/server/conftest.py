"""Fixtures: a server app on SQLite (and on PostgreSQL where it runs), users with tokens.

The PostgreSQL runs use the local server at 127.0.0.1:5432 (database ``test``, user
``postgres``): every test gets a schema of its own, created for it and dropped after, so no
data the tests did not make is touched. Without that server the PostgreSQL runs are skipped
with a message saying so.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from _server_kit import (
    ADMIN_PASSWORD,
    CLINIC,
    PG_BASE,
    Api,
    World,
    fast_settings,
    postgres_problem,
    start,
)

from service_blueprint.server import Settings
from service_blueprint.server.seed import ensure_admin


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("filterwarnings", "ignore:Using `httpx` with `starlette.testclient`")


@pytest.fixture
def pg_schemas() -> Iterator[Callable[[], str]]:
    """Makes URLs whose connections use a fresh schema each; every schema made is dropped afterwards."""
    problem = postgres_problem()
    if problem:
        pytest.skip(problem)
    import sqlalchemy

    made: list[str] = []
    admin = sqlalchemy.create_engine(PG_BASE, isolation_level="AUTOCOMMIT")

    def new() -> str:
        schema = f"sbtest_{secrets.token_hex(6)}"
        with admin.connect() as conn:
            conn.execute(sqlalchemy.text(f'CREATE SCHEMA "{schema}"'))
        made.append(schema)
        return f"{PG_BASE}?options=-csearch_path%3D{schema}"

    try:
        yield new
    finally:
        with admin.connect() as conn:
            for schema in made:
                conn.execute(sqlalchemy.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def pg_url(pg_schemas: Callable[[], str]) -> str:
    return pg_schemas()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    if request.param == "postgres":
        url = request.getfixturevalue("pg_url")
        return fast_settings(tmp_path / "data", database_url=url)
    return fast_settings(tmp_path / "data")


@pytest.fixture
def sqlite_settings(tmp_path: Path) -> Settings:
    return fast_settings(tmp_path / "data")


@pytest.fixture
def world(settings: Settings) -> Iterator[World]:
    client, st = start(settings)
    with client:
        ensure_admin(st, "admin", ADMIN_PASSWORD)
        r = client.post("/api/auth/token", json={"username": "admin", "password": ADMIN_PASSWORD})
        assert r.status_code == 201, r.text
        yield World(client, st, Api(client, "admin", r.json()["token"]))


@pytest.fixture
def team(world: World) -> dict[str, Api]:
    """Workspace ``team`` with an owner, editor, commenter and viewer, and ``other`` owned by an outsider."""
    users = {role: world.user(role) for role in ("owner", "editor", "commenter", "viewer", "outsider")}
    world.workspace(users["owner"], "team", editor="editor", commenter="commenter", viewer="viewer")
    world.workspace(users["outsider"], "other")
    r = users["editor"].post("/api/workspaces/team/blueprints",
                             json={"name": "clinic", "text": CLINIC, "message": "first"})
    assert r.status_code == 201, r.text
    return users
