"""Hostile requests: huge bodies, malformed JSON and YAML, wrong types, unknown ids. None gets a
500 or a traceback, and none changes stored data."""

from __future__ import annotations

from collections.abc import Iterator

from _server_kit import CLINIC, Api, World

BASE = "/api/workspaces/team/blueprints"


def stored(team: dict[str, Api]) -> tuple[str, list[int]]:
    ed = team["editor"]
    return ed.get(f"{BASE}/clinic").json()["text"], [v["number"] for v in ed.get(f"{BASE}/clinic/versions").json()]


def test_huge_bodies_get_413(world: World, team: dict[str, Api]) -> None:
    before = stored(team)
    limit = world.state.settings.max_body_bytes
    ed = team["editor"]
    big = "x" * (limit + 10)
    r = ed.post(BASE, json={"name": "big", "text": big})
    assert r.status_code == 413
    tag = ed.get(f"{BASE}/clinic").headers["ETag"]
    assert ed.put(f"{BASE}/clinic", json={"text": big}, headers={"If-Match": tag}).status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: the server must count
        for _ in range(limit // 65536 + 2):
            yield b"a" * 65536

    r = ed.post(f"{BASE}/clinic/import", content=chunks(), headers={"Content-Type": "application/octet-stream"})
    assert r.status_code == 413
    assert stored(team) == before


def test_malformed_json_and_wrong_types_get_422(team: dict[str, Api]) -> None:
    before = stored(team)
    ed = team["editor"]
    tag = ed.get(f"{BASE}/clinic").headers["ETag"]
    bodies: list[dict[str, object]] = [
        {"content": b"{not json", "headers": {"Content-Type": "application/json"}},
        {"content": b"[]", "headers": {"Content-Type": "application/json"}},
        {"json": {"text": 12}}, {"json": {"text": None}}, {"json": {"text": ["a"]}}, {"json": {}},
        {"json": {"text": CLINIC, "message": {"a": 1}}}, {"json": {"text": CLINIC, "unknown": 1}},
        {"content": b"text=abc", "headers": {"Content-Type": "application/x-www-form-urlencoded"}},
    ]
    for kw in bodies:
        headers = {"If-Match": tag, **kw.pop("headers", {})}  # type: ignore[dict-item]
        r = ed.put(f"{BASE}/clinic", headers=headers, **kw)  # type: ignore[arg-type]
        assert r.status_code == 422, (kw, r.status_code, r.text)
        assert "Traceback" not in r.text
    assert stored(team) == before


def test_malformed_yaml_gets_422_with_findings(team: dict[str, Api]) -> None:
    before = stored(team)
    ed = team["editor"]
    tag = ed.get(f"{BASE}/clinic").headers["ETag"]
    texts = ["", "blueprint: [", "- just\n- a list\n", "a: &a [*a, *a]\n", "\x00\x01", "title: no version\n",
             "blueprint: 1\nsteps: 12\n", "blueprint: 1\n\tsteps: []\n",
             "a: &a ['x','x','x','x','x','x','x','x','x']\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
             "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
             "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
             "g: [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"]
    for text in texts:
        r = ed.put(f"{BASE}/clinic", json={"text": text}, headers={"If-Match": tag})
        assert r.status_code == 422, (text, r.status_code, r.text)
        detail = r.json()["detail"]
        assert isinstance(detail, dict) and detail["findings"], (text, detail)
    assert stored(team) == before


def test_unknown_ids_get_404(team: dict[str, Api]) -> None:
    v = team["viewer"]
    for url in (f"{BASE}/nope", f"{BASE}/nope/versions", f"{BASE}/clinic?version=99", f"{BASE}/clinic/text?version=5",
                f"{BASE}/clinic/diff?from=1&to=42", f"{BASE}/nope/render/svg", f"{BASE}/nope/analysis",
                f"{BASE}/nope/export/json", f"{BASE}/nope/comments", "/api/workspaces/nope",
                "/api/workspaces/team/jobs/ffff"):
        r = v.get(url)
        assert r.status_code == 404, (url, r.status_code)
    assert team["owner"].put("/api/workspaces/team/members/ghost", json={"role": "viewer"}).status_code == 404
    assert team["owner"].delete("/api/tokens/2147483647").status_code == 404


def test_out_of_range_numbers_get_422(team: dict[str, Api]) -> None:
    v = team["viewer"]
    for url in (f"{BASE}/clinic?version=99999999999999999999", f"{BASE}/clinic?version=-1",
                f"{BASE}/clinic?version=abc", f"{BASE}/clinic/diff?from=0", f"{BASE}/clinic/comments/99999999999/resolve",
                "/api/tokens/99999999999999999999"):
        method = "POST" if url.endswith("resolve") else "DELETE" if "tokens" in url else "GET"
        r = v.request(method, url)
        assert r.status_code in (403, 422), (url, r.status_code)


def test_if_match_garbage(team: dict[str, Api]) -> None:
    before = stored(team)
    ed = team["editor"]
    for tag in ('"nonsense"', "W/", '"b999v1"', '"b1v-1"', ",,,", "\u00e9"):
        r = ed.put(f"{BASE}/clinic", json={"text": CLINIC + "\n"}, headers={"If-Match": tag.encode("utf-8")})  # type: ignore[dict-item]
        assert r.status_code == 409, (tag, r.status_code)
        assert r.json()["your_version"] is None
    assert stored(team) == before
