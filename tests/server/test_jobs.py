"""Simulation jobs: run in the background with progress, give the library's result, survive a restart."""

from __future__ import annotations

import json
import time
from pathlib import Path

from _server_kit import ADMIN_PASSWORD, CLINIC, Api, World, fast_settings, start
from sqlalchemy import update

from service_blueprint import SimOptions, loads, simulate
from service_blueprint.server.models import Job
from service_blueprint.simulation.report import json_report

BASE = "/api/workspaces/team"
OPTIONS = {"days": 2, "warmup_hours": 1, "replications": 3, "seed": 4}


def wait_done(api: Api, url: str, polls: int = 600) -> dict[str, object]:
    """Poll a job until it finishes (bounded: a stuck job fails the test rather than hanging it)."""
    for _ in range(polls):
        job: dict[str, object] = api.get(url).json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job still {job['status']} after {polls} polls")


def test_simulation_job_matches_the_library(team: dict[str, Api]) -> None:
    r = team["editor"].post(f"{BASE}/blueprints/clinic/simulations", json=OPTIONS)
    assert r.status_code == 202, r.text
    job = r.json()
    assert job["status"] in ("queued", "running", "done") and 0 <= job["progress"] <= 1
    url = r.headers["Location"]
    done = wait_done(team["viewer"], url)
    assert done["status"] == "done", done
    assert done["progress"] == 1.0
    expected = simulate(loads(CLINIC), SimOptions(days=2, warmup=3600, replications=3, seed=4))
    assert done["result"] == json.loads(json_report(expected))
    report = team["viewer"].get(f"{url}/report")
    assert report.status_code == 200 and "<html" in report.text
    listed = team["viewer"].get(f"{BASE}/jobs").json()
    assert [j["id"] for j in listed] == [job["id"]] and listed[0]["result"] is None


def test_job_refusals(team: dict[str, Api]) -> None:
    ed = team["editor"]
    assert team["viewer"].post(f"{BASE}/blueprints/clinic/simulations", json=OPTIONS).status_code == 403
    assert ed.post(f"{BASE}/blueprints/clinic/simulations", json={**OPTIONS, "replications": 10_000}).status_code == 422
    assert ed.post(f"{BASE}/blueprints/clinic/simulations", json={**OPTIONS, "days": -1}).status_code == 422
    assert ed.post(f"{BASE}/blueprints/clinic/simulations", json={**OPTIONS, "version": 7}).status_code == 404
    assert ed.get(f"{BASE}/jobs/abcdef").status_code == 404
    assert ed.get(f"{BASE}/jobs/not-hex").status_code == 422
    r = ed.post(f"{BASE}/blueprints", json={"name": "nodemand", "text": _without_demand()})
    assert r.status_code == 201, r.text
    job = ed.post(f"{BASE}/blueprints/nodemand/simulations", json=OPTIONS)
    assert job.status_code == 202
    done = wait_done(ed, job.headers["Location"])
    assert done["status"] == "failed" and "demand" in str(done["error"])


def _without_demand() -> str:
    lines = CLINIC.splitlines(keepends=True)
    out: list[str] = []
    skipping = False
    for line in lines:
        if line.startswith("demand:"):
            skipping = True
            continue
        if skipping and (line.startswith(" ") or not line.strip()):
            continue
        skipping = False
        out.append(line)
    return "".join(out)


def test_unfinished_jobs_run_again_after_a_restart(tmp_path: Path) -> None:
    settings = fast_settings(tmp_path / "data")
    client, st = start(settings)
    with client:
        from service_blueprint.server.seed import ensure_admin

        ensure_admin(st, "admin", ADMIN_PASSWORD)
        token = client.post("/api/auth/token", json={"username": "admin", "password": ADMIN_PASSWORD}).json()["token"]
        admin = Api(client, "admin", token)
        admin.post("/api/workspaces", json={"slug": "team"})
        admin.post(f"{BASE}/blueprints", json={"name": "clinic", "text": CLINIC})
        job = admin.post(f"{BASE}/blueprints/clinic/simulations", json=OPTIONS)
        url = job.headers["Location"]
        wait_done(admin, url)
        # pretend the server died while the job ran
        with st.db.writing() as s:
            s.execute(update(Job).values(status="running", progress=0.5, result=None, report=None))
    client, st = start(settings)
    with client:
        admin = Api(client, "admin", token)
        done = wait_done(admin, url)
        assert done["status"] == "done" and done["result"]


def test_job_limit(world: World, team: dict[str, Api]) -> None:
    ed = team["editor"]
    with world.state.db.writing() as s:
        for k in range(world.state.settings.max_queued_jobs):
            s.add(Job(id=f"{k:04x}", workspace_id=1, blueprint_id=1, version=1, kind="simulation",
                      options="{}", status="queued", progress=0.0))
    r = ed.post(f"{BASE}/blueprints/clinic/simulations", json=OPTIONS)
    assert r.status_code == 429
    assert r.headers["Retry-After"]
