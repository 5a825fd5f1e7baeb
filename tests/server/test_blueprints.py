"""The blueprint API: create, read, save with If-Match, history, diff, restore; on SQLite and PostgreSQL."""

from __future__ import annotations

from _server_kit import CLINIC, HOTEL, Api

BASE = "/api/workspaces/team/blueprints"


def test_create_returns_findings_and_etag(team: dict[str, Api]) -> None:
    r = team["editor"].post(BASE, json={"name": "hotel", "text": HOTEL, "message": "import the hotel"})
    assert r.status_code == 201
    body = r.json()
    assert body["version"]["number"] == 1
    assert body["version"]["author"] == "editor"
    assert body["version"]["message"] == "import the hotel"
    assert r.headers["ETag"] == body["etag"]
    assert isinstance(body["findings"], list)
    assert r.headers["Location"] == f"{BASE}/hotel"


def test_read_back_is_the_same_text(team: dict[str, Api]) -> None:
    r = team["viewer"].get(f"{BASE}/clinic")
    assert r.status_code == 200
    assert r.json()["text"] == CLINIC
    assert r.json()["version"] == 1
    t = team["viewer"].get(f"{BASE}/clinic/text")
    assert t.text == CLINIC
    assert t.headers["ETag"] == r.headers["ETag"]
    assert team["viewer"].get(f"{BASE}/clinic", headers={"If-None-Match": r.headers["ETag"]}).status_code == 304


def test_save_needs_if_match_and_refuses_stale(team: dict[str, Api]) -> None:
    ed = team["editor"]
    tag = ed.get(f"{BASE}/clinic").headers["ETag"]
    new_text = CLINIC.replace("title:", "title: Revised", 1)
    assert ed.put(f"{BASE}/clinic", json={"text": new_text}).status_code == 428
    r = ed.put(f"{BASE}/clinic", json={"text": new_text, "message": "retitle"}, headers={"If-Match": tag})
    assert r.status_code == 200, r.text
    assert r.json()["version"]["number"] == 2
    stale = ed.put(f"{BASE}/clinic", json={"text": CLINIC, "message": "late"}, headers={"If-Match": tag})
    assert stale.status_code == 409
    body = stale.json()
    assert body["your_version"] == 1 and body["current_version"] == 2
    assert [v["message"] for v in body["versions_since"]] == ["retitle"]
    assert "+title: Revised" in body["diff"]
    assert stale.headers["ETag"] == body["etag"]
    # saving with the new ETag works
    assert ed.put(f"{BASE}/clinic", json={"text": CLINIC}, headers={"If-Match": body["etag"]}).status_code == 200


def test_history_diff_and_restore(team: dict[str, Api]) -> None:
    ed = team["editor"]
    tag = ed.get(f"{BASE}/clinic").headers["ETag"]
    changed = CLINIC.replace("title:", "title: Changed", 1)
    tag = ed.put(f"{BASE}/clinic", json={"text": changed, "message": "two"}, headers={"If-Match": tag}).headers["ETag"]
    hist = ed.get(f"{BASE}/clinic/versions").json()
    assert [v["number"] for v in hist] == [2, 1]
    assert [v["message"] for v in hist] == ["two", "first"]
    assert all(v["author"] == "editor" for v in hist)
    d = ed.get(f"{BASE}/clinic/diff", params={"from": 1, "to": 2, "samples": 0})
    assert d.status_code == 200
    assert d.json()["old_title"] != d.json()["new_title"]
    u = ed.get(f"{BASE}/clinic/diff", params={"from": 1, "format": "unified"})
    assert u.text.startswith("--- v1\n+++ v2\n")
    text = ed.get(f"{BASE}/clinic/diff", params={"from": 1, "format": "text", "samples": 0})
    assert text.headers["content-type"].startswith("text/plain")
    r = ed.post(f"{BASE}/clinic/restore", json={"version": 1}, headers={"If-Match": tag})
    assert r.status_code == 200, r.text
    assert r.json()["version"]["number"] == 3
    assert r.json()["version"]["restored_from"] == 1
    assert ed.get(f"{BASE}/clinic").json()["text"] == CLINIC
    assert ed.get(f"{BASE}/clinic", params={"version": 2}).json()["text"] == changed


def test_text_with_rule_errors_is_saved_with_its_findings(team: dict[str, Api]) -> None:
    broken = CLINIC.replace("blueprint: 1", "blueprint: 1\nsate: current", 1)
    r = team["editor"].post(BASE, json={"name": "draft", "text": broken})
    assert r.status_code == 201
    assert any(f["severity"] == "error" for f in r.json()["findings"])
    assert r.json()["version"]["errors"] >= 1


def test_unreadable_yaml_is_refused_with_findings(team: dict[str, Api]) -> None:
    r = team["editor"].post(BASE, json={"name": "bad", "text": "blueprint: [1\n  :::"})
    assert r.status_code == 422
    assert r.json()["detail"]["findings"][0]["rule"].startswith("E0")
    assert team["editor"].get(f"{BASE}/bad").status_code == 404


def test_list_and_delete(team: dict[str, Api]) -> None:
    names = [b["name"] for b in team["viewer"].get(BASE).json()]
    assert names == ["clinic"]
    assert team["editor"].delete(f"{BASE}/clinic").status_code == 403
    assert team["owner"].delete(f"{BASE}/clinic").status_code == 204
    assert team["viewer"].get(f"{BASE}/clinic").status_code == 404


def test_duplicate_name_is_409(team: dict[str, Api]) -> None:
    r = team["editor"].post(BASE, json={"name": "clinic", "text": CLINIC})
    assert r.status_code == 409
