"""Helpers shared by the server tests (kept out of conftest.py, whose module name every test
folder shares): the texts, settings, a per-user API wrapper, and starting an app."""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

# Starlette asks for its own httpx fork in its test client; the pinned httpx works.
warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")

from fastapi.testclient import TestClient  # noqa: E402

from service_blueprint.server import Settings, create_app  # noqa: E402
from service_blueprint.server.app import build_state  # noqa: E402
from service_blueprint.server.state import ServerState  # noqa: E402
from service_blueprint.templates import template_text  # noqa: E402

PG_BASE = os.environ.get("BLUEPRINT_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
ADMIN_PASSWORD = "admin-password-1"
PASSWORD = "member-password-1"
CLINIC = template_text("clinic-visit")
HOTEL = template_text("hotel-stay")


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


