"""Property-based requests from the OpenAPI spec (schemathesis): no operation answers 5xx.

Requests carry the token of the owner of workspace ``team``, and path parameters are pointed at
that workspace and its blueprint ``clinic`` so the generated requests reach the handlers
(rather than stopping at 404); everything else (query, headers, bodies) is generated.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from _server_kit import ADMIN_PASSWORD, CLINIC, fast_settings
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from service_blueprint.server.app import build_state, create_app, openapi_spec
from service_blueprint.server.seed import ensure_admin

schema = schemathesis.openapi.from_dict(openapi_spec())


@schema.hook
def map_path_parameters(context: Any, path_parameters: dict[str, Any] | None) -> dict[str, Any] | None:
    if path_parameters is None:
        return None
    fixed = dict(path_parameters)
    if "ws" in fixed:
        fixed["ws"] = "team"
    if "name" in fixed:
        fixed["name"] = "clinic"
    return fixed


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FastAPI, dict[str, str]]]:
    """One app for every generated request, with an owner of 'team' and its blueprint 'clinic'."""
    cfg = fast_settings(Path(tmp_path_factory.mktemp("fuzz")) / "data", max_sim_days=1, max_sim_replications=2,
                        max_queued_jobs=10_000)
    st = build_state(cfg)
    app = create_app(cfg, st)
    ensure_admin(st, "admin", ADMIN_PASSWORD)
    client = TestClient(app, base_url="https://testserver")
    token = client.post("/api/auth/token", json={"username": "admin", "password": ADMIN_PASSWORD}).json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    assert client.post("/api/workspaces", json={"slug": "team"}, headers=auth).status_code == 201
    r = client.post("/api/workspaces/team/blueprints", json={"name": "clinic", "text": CLINIC}, headers=auth)
    assert r.status_code == 201
    yield app, auth
    st.jobs.shutdown(wait=True)
    st.db.dispose()


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_operation_answers_5xx(case: Any, server: tuple[FastAPI, dict[str, str]]) -> None:
    app, auth = server
    response = case.call(app=app, headers=auth)
    assert response.status_code < 500, (case.method, case.formatted_path, response.status_code, response.text[:300])
