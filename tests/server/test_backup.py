"""Dump and restore a whole instance, across SQLite and PostgreSQL; refusals leave data untouched."""

from __future__ import annotations

import gzip
import json
import stat
from pathlib import Path

import pytest
from _server_kit import CLINIC, Api, World, fast_settings, start

from service_blueprint.errors import UsageError
from service_blueprint.server import Settings
from service_blueprint.server.backup import dump, restore

BASE = "/api/workspaces/team/blueprints/clinic"


def fill(team: dict[str, Api]) -> None:
    ed = team["editor"]
    tag = ed.get(BASE).headers["ETag"]
    ed.put(BASE, json={"text": CLINIC + "\n", "message": "second"}, headers={"If-Match": tag})
    team["commenter"].post(f"{BASE}/comments", json={"body": "a note"})


def snapshot(api: Api) -> dict[str, object]:
    return {
        "versions": api.get(f"{BASE}/versions").json(),
        "text": api.get(BASE).json()["text"],
        "comments": api.get(f"{BASE}/comments").json(),
        "members": api.get("/api/workspaces/team/members").json(),
        "audit": api.get("/api/workspaces/team/audit").json(),
    }


@pytest.mark.parametrize("target", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_dump_and_restore_keep_everything(world: World, team: dict[str, Api], tmp_path: Path, target: str,
                                          request: pytest.FixtureRequest) -> None:
    """From the parametrised backend to SQLite and to PostgreSQL: same data, same ids, tokens work."""
    fill(team)
    before = snapshot(team["owner"])
    path = tmp_path / "backup.json.gz"
    summary = dump(world.state.settings, path)
    assert summary.rows["versions"] == 2 and summary.rows["comments"] == 1
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(gzip.decompress(path.read_bytes()))["format"] == "service-blueprint-server-dump"
    if target == "postgres":
        new: Settings = fast_settings(tmp_path / "pgdata", database_url=request.getfixturevalue("pg_schemas")())
    else:
        new = fast_settings(tmp_path / "restored")
    restore(new, path)
    client, _ = start(new)
    with client:
        owner = Api(client, "owner", team["owner"].token)  # the same token works after the restore
        assert snapshot(owner) == before
        # ids continue after the restored ones
        tag = owner.get(BASE).headers["ETag"]
        r = Api(client, "editor", team["editor"].token).put(BASE, json={"text": CLINIC}, headers={"If-Match": tag})
        assert r.status_code == 200 and r.json()["version"]["number"] == 3
        assert owner.post("/api/workspaces", json={"slug": "fresh"}).status_code == 201


def test_restore_refuses_a_database_with_data(world: World, team: dict[str, Api], tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    dump(world.state.settings, path)
    before = snapshot(team["owner"])
    with pytest.raises(UsageError, match="not empty"):
        restore(world.state.settings, path)
    assert snapshot(team["owner"]) == before


@pytest.mark.parametrize("content", [b"", b"not json", b'{"format": "other"}', b"[1,2]",
                                     b'{"format": "service-blueprint-server-dump", "format_version": 99, "tables": {}}',
                                     gzip.compress(b"{"), b"\x1f\x8b broken gzip"])
def test_unreadable_dumps_are_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(content)
    with pytest.raises(UsageError):
        restore(fast_settings(tmp_path / "d"), path)


def test_a_dump_that_does_not_fit_restores_nothing(sqlite_settings: Settings, tmp_path: Path) -> None:
    client, _st = start(sqlite_settings)
    with client:
        pass
    path = tmp_path / "b.json"
    dump(sqlite_settings, path)
    doc = json.loads(path.read_text())
    doc["tables"]["users"] = [{"id": 1, "username": "a", "password_hash": "x", "is_admin": True, "disabled": False,
                               "created_at": "2024-01-01T00:00:00"}]
    doc["tables"]["memberships"] = [{"workspace_id": 42, "user_id": 1, "role": "owner"}]  # no such workspace
    path.write_text(json.dumps(doc))
    target = fast_settings(tmp_path / "t")
    with pytest.raises(UsageError, match="nothing was restored"):
        restore(target, path)
    client, _st = start(target)
    with client:
        assert client.get("/", follow_redirects=False).headers["location"] == "/setup"  # still empty
