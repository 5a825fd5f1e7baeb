"""Fixtures: a server app on SQLite (and on PostgreSQL where it runs), users with tokens.

The PostgreSQL runs use the local server at 127.0.0.1:5432 (database ``test``, user
``postgres``): every test gets a schema of its own, created for it and dropped after, so no
data the tests did not make is touched. Without that server the PostgreSQL runs are skipped
with a message saying so.
"""

from __future__ import annotations

import os
import secrets
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

# Starlette asks for its own httpx fork in its test client; the pinned httpx works.
warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")

from fastapi.testclient import TestClient  # noqa: E402

from service_blueprint.server import Settings, create_app  # noqa: E402
from service_blueprint.server.app import build_state  # noqa: E402
from service_blueprint.server.seed import ensure_admin  # noqa: E402
from service_blueprint.server.state import ServerState  # noqa: E402
from service_blueprint.templates import template_text  # noqa: E402

PG_BASE = os.environ.get("BLUEPRINT_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
ADMIN_PASSWORD = "admin-password-1"
PASSWORD = "member-password-1"
CLINIC = template_text("clinic-visit")
HOTEL = template_text("hotel-stay")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgres: runs against the local PostgreSQL server (skipped without it)")
    config.addinivalue_line("filterwarnings", "ignore:Using `httpx` with `starlette.testclient`")


def fast_settings(data_dir: Path, **kw: Any) -> Settings:
    """Settings with a cheap argon2 cost, so tests that log in many times stay quick."""
    return Settings(data_dir=data_dir, argon2_time_cost=1, argon2_memory_kib=1024, **kw)


_pg_checked: dict[str, str | None] = {}


def postgres_problem() -> str | None:
    """Why PostgreSQL cannot be used here, or None when it can."""
    if "result" not in _pg_checked:
        try:
            import sqlalchemy

            engine = sqlalchemy.create_engine(PG_BASE, connect_args={"connect_timeout": 3})
            with engine.connect() as conn:
                conn.execute(sqlalchemy.text("SELECT 1"))
            engine.dispose()
            _pg_checked["result"] = None
        except Exception as exc:
            _pg_checked["result"] = f"PostgreSQL at {PG_BASE} is not reachable ({type(exc).__name__}); skipped"
    return _pg_checked["result"]


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


@dataclass
class Api:
    """One user's view of the server: every request carries their token."""

    client: TestClient
    username: str
    token: str
    headers: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, url: str, **kw: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}", **self.headers, **kw.pop("headers", {})}
        return self.client.request(method, url, headers=headers, **kw)

    def get(self, url: str, **kw: Any) -> httpx.Response:
        return self.request("GET", url, **kw)

    def post(self, url: str, **kw: Any) -> httpx.Response:
        return self.request("POST", url, **kw)

    def put(self, url: str, **kw: Any) -> httpx.Response:
        return self.request("PUT", url, **kw)

    def patch(self, url: str, **kw: Any) -> httpx.Response:
        return self.request("PATCH", url, **kw)

    def delete(self, url: str, **kw: Any) -> httpx.Response:
        return self.request("DELETE", url, **kw)


@dataclass
class World:
    """A running app with an administrator; makes more users and workspaces on request."""

    client: TestClient
    state: ServerState
    admin: Api

    def user(self, name: str) -> Api:
        r = self.admin.post("/api/users", json={"username": name, "password": PASSWORD})
        assert r.status_code == 201, r.text
        return self.login(name)

    def login(self, name: str, password: str = PASSWORD) -> Api:
        r = self.client.post("/api/auth/token", json={"username": name, "password": password, "token_name": "t"})
        assert r.status_code == 201, r.text
        return Api(self.client, name, r.json()["token"])

    def workspace(self, owner: Api, slug: str, **members: str) -> str:
        r = owner.post("/api/workspaces", json={"slug": slug, "title": slug.title()})
        assert r.status_code == 201, r.text
        for user, role in members.items():
            r = owner.put(f"/api/workspaces/{slug}/members/{user}", json={"role": role})
            assert r.status_code == 200, r.text
        return slug


def start(settings: Settings) -> tuple[TestClient, ServerState]:
    st = build_state(settings)
    client = TestClient(create_app(settings, st), base_url="https://testserver")
    return client, st


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
