"""The web package's server side, in-process: pages, the live check, what-if runs, assets.

No browser here: these pin what the pages and endpoints answer, including to strangers,
members without rights and hostile input.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")

from fastapi.testclient import TestClient  # noqa: E402

from service_blueprint import loads, template_text  # noqa: E402
from service_blueprint.server import Settings, create_app  # noqa: E402
from service_blueprint.server.app import build_state  # noqa: E402
from service_blueprint.server.seed import ensure_admin  # noqa: E402
from service_blueprint.server.web.live import explicit_ids, preview_data, preview_text  # noqa: E402

PASSWORD = "admin-password-1"
CLINIC = template_text("clinic-visit")


def session(client: TestClient, user: str, password: str = PASSWORD) -> dict[str, str]:
    """Log in through the API as the pages do; the CSRF header every unsafe call needs."""
    r = client.post("/api/session", json={"username": user, "password": password})
    assert r.status_code == 200, r.text
    return {"X-CSRF-Token": r.json()["csrf_token"]}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path / "data", argon2_time_cost=1, argon2_memory_kib=1024)
    st = build_state(settings)
    with TestClient(create_app(settings, st), base_url="https://testserver") as c:
        ensure_admin(st, "admin", PASSWORD)
        csrf = session(c, "admin")
        assert c.post("/api/workspaces", json={"slug": "team", "title": "Team"}, headers=csrf).status_code == 201
        r = c.post("/api/workspaces/team/blueprints", json={"name": "clinic", "text": CLINIC}, headers=csrf)
        assert r.status_code == 201, r.text
        c.headers.update(csrf)
        yield c


# ---- the live check (pure) ---------------------------------------------------------------------


def test_preview_of_text_gives_data_with_every_id_and_the_renderers_drawing() -> None:
    text = "blueprint: 1\ntitle: T\nsteps:\n  - name: Walk in\n    customer:\n      - text: Opens the door\n"
    p = preview_text(text)
    assert p.data is not None
    step = p.data["steps"][0]
    assert list(step)[:2] == ["id", "name"] and step["id"] == "walk_in"
    assert step["customer"][0] == {"id": "opens_the_door", "text": "Opens the door"}
    assert p.svg is not None and 'data-id="opens_the_door"' in p.svg and 'tabindex="0"' in p.svg
    assert p.grid is not None and [c["step"] for c in p.grid["columns"]] == ["walk_in"]
    assert [lane["id"] for lane in p.lanes] == ["customer", "frontstage", "backstage", "support"]


def test_explicit_ids_round_trip_to_an_equal_blueprint() -> None:
    bp = loads(CLINIC)
    data = explicit_ids(bp)
    again = preview_data(data, yaml=True)
    assert again.text is not None and loads(again.text) == bp
    assert preview_text(again.text).data == data
    quick = preview_data(data)  # checked as JSON: the same findings, no text, no data
    assert quick.text is None and quick.data is None
    assert [(f["rule"], f["message"], f["target"]) for f in quick.findings] == \
        [(f["rule"], f["message"], f["target"]) for f in again.findings]
    assert quick.svg == again.svg


def test_findings_point_at_the_action_the_flow_or_nothing() -> None:
    data = preview_text(CLINIC).data
    assert data is not None
    data["flows"].append("examine -> nowhere")
    data["steps"][1]["frontstage"][0]["role"] = "nobody"
    findings = {f["rule"]: f for f in preview_data(data).findings}
    assert findings["E013"]["target"] == {"kind": "flow", "index": len(data["flows"]) - 1,
                                          "edges": [["examine", "nowhere"]]}
    assert findings["E012"]["target"] == {"kind": "action", "id": data["steps"][1]["frontstage"][0]["id"]}


def test_a_value_that_cannot_be_read_still_points_at_its_action() -> None:
    data = preview_text(CLINIC).data
    assert data is not None
    first = data["steps"][0]["customer"][0]
    first["duration"] = "three minutes"
    p = preview_data(data, yaml=True)
    assert p.svg is None  # no model, so nothing to draw: the editor keeps the last picture
    errors = [f for f in p.findings if f["severity"] == "error"]
    assert len(errors) == 1 and errors[0]["target"] == {"kind": "action", "id": first["id"]}
    assert p.text is not None and "three minutes" in p.text  # the YAML tab shows the data as it stands


def test_preview_of_unreadable_text_reports_without_data() -> None:
    p = preview_text("blueprint: 1\ntitle: [unclosed\n")
    assert p.data is None and p.svg is None
    assert p.findings and p.findings[0]["severity"] == "error" and p.findings[0]["target"] is None


# ---- endpoints ---------------------------------------------------------------------------------


def test_check_endpoint_needs_a_login_and_the_csrf_token(client: TestClient) -> None:
    body = {"text": CLINIC}
    assert client.post("/web/api/check", json=body).status_code == 200
    assert client.post("/web/api/check", json=body, headers={"X-CSRF-Token": "wrong"}).status_code == 403
    anonymous = TestClient(client.app, base_url="https://testserver")
    assert anonymous.post("/web/api/check", json=body).status_code == 401


@pytest.mark.parametrize("body", [{}, {"text": "a", "data": {}}, {"text": 5}, {"data": []}, {"other": 1}])
def test_check_endpoint_refuses_malformed_requests(client: TestClient, body: dict[str, Any]) -> None:
    assert client.post("/web/api/check", json=body).status_code == 422


def test_check_endpoint_survives_hostile_data(client: TestClient) -> None:
    for data in ({"blueprint": 1, "title": "x", "steps": "not a list"}, {"blueprint": "1"},
                 {"blueprint": 1, "title": "x", "steps": [{"name": "s", "customer": [{"text": 5}]}]},
                 {"blueprint": 1, "title": "x", "flows": ["a -> ", {"from": 1}]}):
        r = client.post("/web/api/check", json={"data": data})
        assert r.status_code == 200, r.text
        assert any(f["severity"] == "error" for f in r.json()["findings"])


def test_pages_send_strangers_to_the_login_page(client: TestClient) -> None:
    anonymous = TestClient(client.app, base_url="https://testserver")
    for path in ("/web/", "/web/w/team", "/web/w/team/new", "/web/w/team/b/clinic/edit",
                 "/web/w/team/b/clinic/history", "/web/w/team/b/clinic/review", "/web/gallery/hotel-stay.svg"):
        r = anonymous.get(path, follow_redirects=False)
        assert r.status_code == 303, path
        assert r.headers["location"].startswith("/web/login?next=/web/")
    assert anonymous.get("/web/login").status_code == 200


def test_pages_of_a_member(client: TestClient) -> None:
    for path, marker in (("/web/", "Team"), ("/web/w/team", "Orthopaedic outpatient clinic visit"),
                         ("/web/w/team/new", "Blank blueprint"), ("/web/w/team/b/clinic", "view-frame"),
                         ("/web/w/team/b/clinic/edit", 'id="canvas"'), ("/web/w/team/b/clinic/history", "versions"),
                         ("/web/w/team/b/clinic/review", "/render/png")):
        r = client.get(path)
        assert r.status_code == 200, path
        assert marker in r.text, path
        assert "script-src 'self'" in r.headers["content-security-policy"]
        assert "unsafe-inline" not in r.headers["content-security-policy"].split("script-src")[1].split(";")[0]
    assert client.get("/web/w/team/new").text.count('name="template"') == 12  # blank and eleven templates


def test_other_workspaces_and_roles(client: TestClient) -> None:
    assert client.post("/api/users", json={"username": "vera", "password": "viewer-password-1"}).status_code == 201
    assert client.put("/api/workspaces/team/members/vera", json={"role": "viewer"}).status_code == 200
    viewer = TestClient(client.app, base_url="https://testserver")
    viewer.headers.update(session(viewer, "vera", "viewer-password-1"))
    assert viewer.get("/web/w/team/b/clinic").status_code == 200
    assert "Edit</a>" not in viewer.get("/web/w/team/b/clinic").text
    assert viewer.get("/web/w/team/b/clinic/edit").status_code == 403
    assert "editor role" in viewer.get("/web/w/team/b/clinic/edit").text
    assert viewer.get("/web/w/team/new").status_code == 403
    assert viewer.get("/web/w/nope").status_code == 404
    assert viewer.get("/web/w/team/b/nope").status_code == 404
    assert "Not found" in viewer.get("/web/w/team/b/nope").text
    r = viewer.post("/web/api/workspaces/team/blueprints/clinic/whatif", json={})
    assert r.status_code == 403


def test_static_files_by_exact_name_with_revalidation(client: TestClient) -> None:
    page = client.get("/web/w/team/b/clinic/edit").text
    assert "/web/static/editor.js?v=" in page
    r = client.get("/web/static/editor.js")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/javascript")
    assert client.get("/web/static/editor.js", headers={"If-None-Match": r.headers["etag"]}).status_code == 304
    for bad in ("../__init__.py", "nope.js", "%2e%2e%2fpages.py", "bundle"):
        assert client.get(f"/web/static/{bad}").status_code == 404
    assert client.get("/web/static/yaml-editor.js").text.startswith("// Generated by scripts/build_web.py")


def test_gallery_serves_templates_and_refuses_others(client: TestClient) -> None:
    assert client.get("/web/gallery/hotel-stay.yaml").text == template_text("hotel-stay")
    svg = client.get("/web/gallery/hotel-stay.svg")
    assert svg.status_code == 200 and svg.text.startswith("<svg")
    assert client.get("/web/gallery/nope.svg").status_code == 404
    assert client.get("/web/gallery/nope.yaml").status_code == 404


def test_what_if_runs_with_other_staff_in_the_background(client: TestClient) -> None:
    url = "/web/api/workspaces/team/blueprints/clinic/whatif"
    r = client.post(url, json={"staff": {"doctor": 4}, "days": 2, "replications": 2})
    assert r.status_code == 202, r.text
    run_id = r.json()["id"]
    deadline = time.monotonic() + 60
    while (job := client.get(f"/web/api/whatif/{run_id}").json())["status"] in ("queued", "running"):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert job["status"] == "done", job
    doctor = next(x for x in job["result"]["roles"] if x["id"] == "doctor")
    assert doctor["staff"] == "doctor=4"
    assert len(doctor["utilisation_per_hour"]) == 168
    assert client.post(url, json={"staff": {"nobody": 1}}).status_code == 422
    assert client.post(url, json={"staff": {"doctor": -1}}).status_code == 422
    assert client.post(url, json={"replications": 1000}).status_code == 422
    assert client.get("/web/api/whatif/0123abcd").status_code == 404
    other = TestClient(client.app, base_url="https://testserver")
    assert client.post("/api/users", json={"username": "otto", "password": "other-password-1"}).status_code == 201
    other.headers.update(session(other, "otto", "other-password-1"))
    assert other.get(f"/web/api/whatif/{run_id}").status_code == 404  # runs are private to who started them
