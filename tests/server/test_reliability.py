"""Reliability: concurrent saves lose nothing, a failed save leaves nothing, a restart keeps everything."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest
from _server_kit import ADMIN_PASSWORD, CLINIC, Api, World, fast_settings, start
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from service_blueprint.server import Settings, store
from service_blueprint.server.models import AuditEvent, StoredBlueprint, Version

BASE = "/api/workspaces/team/blueprints/clinic"
WRITERS = 12


def test_concurrent_saves_one_wins_the_rest_get_409(world: World, team: dict[str, Api]) -> None:
    """Many clients read version 1 and save at once: exactly one succeeds, the others get 409 and
    nothing is lost; then each loser merges (re-reads) and saves until it gets in."""
    ed = team["editor"]
    tag = ed.get(BASE).headers["ETag"]
    barrier = threading.Barrier(WRITERS)
    first: dict[int, int] = {}
    final: dict[int, int] = {}

    def writer(k: int) -> None:
        text = CLINIC.replace("title:", f"title: Writer {k}", 1)
        barrier.wait()
        r = ed.put(BASE, json={"text": text, "message": f"writer {k}"}, headers={"If-Match": tag})
        first[k] = r.status_code
        etag = r.json()["etag"]
        while r.status_code == 409:
            r = ed.put(BASE, json={"text": text, "message": f"writer {k}"}, headers={"If-Match": etag})
            etag = r.json().get("etag", etag)
        final[k] = r.status_code

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(first.values()) == [200] + [409] * (WRITERS - 1)
    assert set(final.values()) == {200}
    history = ed.get(f"{BASE}/versions").json()
    assert [v["number"] for v in history] == list(range(WRITERS + 1, 0, -1))
    assert sorted(v["message"] for v in history[:-1]) == sorted(f"writer {k}" for k in range(WRITERS))
    for v in history[:-1]:
        k = int(v["message"].split()[1])
        assert ed.get(BASE, params={"version": v["number"]}).json()["text"].startswith(
            CLINIC.replace("title:", f"title: Writer {k}", 1)[:200])


def test_failure_inside_the_save_leaves_no_partial_version(world: World, team: dict[str, Api],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The version row is written, then the audit write fails: the transaction rolls back whole."""
    ed = team["editor"]
    tag = ed.get(BASE).headers["ETag"]
    real = store.audit

    def crash(s: Any, action: str, **kw: object) -> None:
        if action == "version.save":
            # the version and the head move are in the database (in this transaction) by now
            assert s.scalar(select(func.count()).select_from(Version)) == 2
            assert s.scalar(select(StoredBlueprint.head)) == 2
            raise RuntimeError("power cut")
        real(s, action, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "audit", crash)
    quiet = TestClient(world.client.app, base_url="https://testserver", raise_server_exceptions=False)
    r = Api(quiet, "editor", ed.token).put(BASE, json={"text": CLINIC.replace("title:", "title: Lost", 1)}, headers={"If-Match": tag})
    assert r.status_code == 500
    assert "power cut" not in r.text and "Traceback" not in r.text
    monkeypatch.setattr(store, "audit", real)
    with world.state.db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Version)) == 1
        assert s.scalar(select(StoredBlueprint.head)) == 1
        assert s.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "version.save")) == 0
    assert ed.get(BASE).headers["ETag"] == tag
    # and the same save goes through afterwards
    assert ed.put(BASE, json={"text": CLINIC}, headers={"If-Match": tag}).status_code == 200


def test_restart_keeps_everything(tmp_path: Path) -> None:
    from service_blueprint.server.seed import ensure_admin

    settings: Settings = fast_settings(tmp_path / "data")
    client, st = start(settings)
    with client:
        ensure_admin(st, "admin", ADMIN_PASSWORD)
        token = client.post("/api/auth/token", json={"username": "admin", "password": ADMIN_PASSWORD}).json()["token"]
        admin = Api(client, "admin", token)
        admin.post("/api/workspaces", json={"slug": "team"})
        tag = admin.post("/api/workspaces/team/blueprints", json={"name": "clinic", "text": CLINIC}).headers["ETag"]
        admin.put(BASE, json={"text": CLINIC + "\n", "message": "two"}, headers={"If-Match": tag})
        admin.post(f"{BASE}/comments", json={"body": "check the wait", "action_id": None})
    # a new process on the same data folder
    client, st = start(settings)
    with client:
        admin = Api(client, "admin", token)
        assert admin.get("/api/me").json()["username"] == "admin"
        assert [v["message"] for v in admin.get(f"{BASE}/versions").json()] == ["two", ""]
        assert admin.get(BASE).json()["text"] == CLINIC + "\n"
        assert admin.get(f"{BASE}/comments").json()[0]["comments"][0]["body"] == "check the wait"
        assert [e["action"] for e in admin.get("/api/workspaces/team/audit").json()][:3] == [
            "comment.add", "version.save", "blueprint.create"]


SERVER = """
import sys
from pathlib import Path
from service_blueprint.server.config import Settings
from service_blueprint.server.serve import address, bind, prepare, run
settings = Settings(data_dir=Path(sys.argv[1]), argon2_time_cost=1, argon2_memory_kib=1024)
prepared = prepare(settings, admin="admin", admin_password=sys.argv[2], seed=False)
sock = bind("127.0.0.1", 0)
print(address(sock), flush=True)
run(prepared, sock, log_level="warning")
"""


def test_a_killed_server_keeps_every_save_it_answered(tmp_path: Path) -> None:
    """SIGKILL right after the answers (no shutdown, no checkpoint): every version the server said it
    saved is there when the data folder is opened again. SQLite runs in WAL mode with
    synchronous=NORMAL, which keeps committed transactions through a crash of the process."""
    data = tmp_path / "data"
    proc = subprocess.Popen([sys.executable, "-c", SERVER, str(data), ADMIN_PASSWORD], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        base = proc.stdout.readline().strip()
        assert base.startswith("http://"), base
        with httpx.Client(base_url=base, timeout=30) as c:
            token = c.post("/api/auth/token", json={"username": "admin", "password": ADMIN_PASSWORD}).json()["token"]
            c.headers["Authorization"] = f"Bearer {token}"
            assert c.post("/api/workspaces", json={"slug": "team"}).status_code == 201
            tag = c.post("/api/workspaces/team/blueprints", json={"name": "clinic", "text": CLINIC}).headers["ETag"]
            for n in range(2, 7):
                r = c.put(BASE, json={"text": CLINIC + f"# {n}\n", "message": f"save {n}"}, headers={"If-Match": tag})
                assert r.status_code == 200, r.text
                tag = r.headers["ETag"]
        proc.kill()
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
    assert list(data.glob("*-wal")), "the server left its write-ahead log (it had no chance to checkpoint)"
    client, st = start(fast_settings(data))
    with client:
        token = client.post("/api/auth/token", json={"username": "admin", "password": ADMIN_PASSWORD}).json()["token"]
        admin = Api(client, "admin", token)
        assert [v["message"] for v in admin.get(f"{BASE}/versions").json()] == [f"save {n}" for n in range(6, 1, -1)] + [""]
        assert admin.get(BASE).json()["text"] == CLINIC + "# 6\n"
        assert admin.get(BASE).headers["ETag"] == tag
    st.db.dispose()
