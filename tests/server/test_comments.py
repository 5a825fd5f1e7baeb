"""Comment threads anchored to actions; replies; resolving and reopening."""

from __future__ import annotations

from _server_kit import CLINIC, Api

from service_blueprint import loads

BASE = "/api/workspaces/team/blueprints/clinic/comments"
ACTION = next(iter(loads(CLINIC).action_index))


def test_threads_on_actions(team: dict[str, Api]) -> None:
    c, v = team["commenter"], team["viewer"]
    r = c.post(BASE, json={"body": "Is this really 5 minutes?", "action_id": ACTION})
    assert r.status_code == 201
    root = r.json()
    assert root["thread_id"] == root["id"] and root["action_id"] == ACTION and root["version"] == 1
    reply = team["editor"].post(BASE, json={"body": "Measured last week.", "reply_to": root["id"]})
    assert reply.status_code == 201
    assert reply.json()["thread_id"] == root["id"]
    assert reply.json()["action_id"] == ACTION  # replies sit on the thread's action
    general = c.post(BASE, json={"body": "Overall looks right."}).json()
    threads = v.get(BASE).json()
    assert [t["id"] for t in threads] == [root["id"], general["id"]]
    assert [x["body"] for x in threads[0]["comments"]] == ["Is this really 5 minutes?", "Measured last week."]
    assert [x["author"] for x in threads[0]["comments"]] == ["commenter", "editor"]
    assert [t["id"] for t in v.get(BASE, params={"action": ACTION}).json()] == [root["id"]]


def test_resolve_and_reopen(team: dict[str, Api]) -> None:
    c = team["commenter"]
    root = c.post(BASE, json={"body": "Missing evidence here", "action_id": ACTION}).json()
    reply = c.post(BASE, json={"body": "me too", "reply_to": root["id"]}).json()
    assert team["viewer"].post(f"{BASE}/{root['id']}/resolve").status_code == 403
    r = team["editor"].post(f"{BASE}/{root['id']}/resolve")
    assert r.status_code == 200
    assert r.json()["resolved"] is True
    assert r.json()["comments"][0]["resolved_by"] == "editor"
    assert c.get(BASE, params={"resolved": "false"}).json() == []
    assert len(c.get(BASE, params={"resolved": "true"}).json()) == 1
    assert c.post(f"{BASE}/{reply['id']}/resolve").status_code == 404  # a reply is not a thread
    assert c.post(f"{BASE}/{root['id']}/reopen").json()["resolved"] is False
    audit = team["owner"].get("/api/workspaces/team/audit").json()
    assert [e["action"] for e in audit[:2]] == ["comment.reopen", "comment.resolve"]


def test_bad_anchors(team: dict[str, Api]) -> None:
    c = team["commenter"]
    assert c.post(BASE, json={"body": "x", "action_id": "no_such_action"}).status_code == 422
    assert c.post(BASE, json={"body": "x", "reply_to": 99999}).status_code == 404
    assert c.post(BASE, json={"body": ""}).status_code == 422
    assert c.post(BASE, json={"body": "x", "extra": 1}).status_code == 422
    assert c.post(f"{BASE}/99999/resolve").status_code == 404
    assert c.post("/api/workspaces/team/blueprints/nope/comments", json={"body": "x"}).status_code == 404
