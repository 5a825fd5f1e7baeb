"""Security: every endpoint checks who asks and in which workspace; roles; tokens; CSRF; limits."""

from __future__ import annotations

import re
from collections.abc import Iterator

from _server_kit import ADMIN_PASSWORD, CLINIC, PASSWORD, Api, World
from sqlalchemy import select

from service_blueprint.server.models import ApiToken, LoginSession, User

PUBLIC = {("POST", "/api/session"), ("POST", "/api/auth/token")}
FILL = {"ws": "team", "name": "clinic", "token_id": "1", "username": "viewer", "thread": "1", "job_id": "ab12"}
OWNER_ONLY = {("DELETE", "/api/workspaces/{ws}/blueprints/{name}"), ("PUT", "/api/workspaces/{ws}/members/{username}"),
              ("DELETE", "/api/workspaces/{ws}/members/{username}"), ("GET", "/api/workspaces/{ws}/audit")}


def endpoints(world: World) -> Iterator[tuple[str, str, str]]:
    """(method, route template, concrete URL) of every API operation in the OpenAPI spec."""
    spec = world.client.get("/openapi.json").json()
    for path, operations in sorted(spec["paths"].items()):
        if not path.startswith("/api"):
            continue
        for method in sorted(operations):
            fill = {**FILL, "fmt": "json" if "/export/" in path else "svg"}
            url = re.sub(r"\{(\w+)\}", lambda m, fill=fill: fill.get(m[1], "x"), path)
            yield method.upper(), path, url


def test_route_table_is_covered(world: World) -> None:
    assert len(list(endpoints(world))) >= 35


def test_every_endpoint_refuses_anonymous(world: World) -> None:
    for method, path, url in endpoints(world):
        if (method, path) in PUBLIC:
            continue
        r = world.client.request(method, url)
        assert r.status_code == 401, (method, url, r.status_code, r.text)
        assert "Traceback" not in r.text


def test_every_workspace_endpoint_refuses_non_members(world: World, team: dict[str, Api]) -> None:
    seen = 0
    for method, path, url in endpoints(world):
        if "{ws}" not in path:
            continue
        r = team["outsider"].request(method, url, json={})
        assert r.status_code == 404, (method, url, r.status_code, r.text)
        seen += 1
        # and a member of 'team' cannot reach the outsider's workspace
        r = team["owner"].request(method, url.replace("/team", "/other", 1), json={})
        assert r.status_code == 404, (method, url, r.status_code)
    assert seen >= 25


def test_viewer_cannot_write_and_editor_cannot_administer(world: World, team: dict[str, Api]) -> None:
    for method, path, url in endpoints(world):
        if "{ws}" not in path:
            continue
        if method != "GET":
            r = team["viewer"].request(method, url, json={})
            assert r.status_code == 403, (method, url, r.status_code, r.text)
        if (method, path) in OWNER_ONLY:
            r = team["editor"].request(method, url, json={"role": "viewer"})
            assert r.status_code == 403, (method, url, r.status_code, r.text)


def test_commenter_may_comment_but_not_save(team: dict[str, Api]) -> None:
    base = "/api/workspaces/team/blueprints/clinic"
    assert team["commenter"].post(f"{base}/comments", json={"body": "ok"}).status_code == 201
    tag = team["commenter"].get(base).headers["ETag"]
    assert team["commenter"].put(base, json={"text": CLINIC}, headers={"If-Match": tag}).status_code == 403


def test_admin_endpoints_need_an_admin(world: World, team: dict[str, Api]) -> None:
    assert team["owner"].get("/api/users").status_code == 403
    assert team["owner"].post("/api/users", json={"username": "x", "password": PASSWORD}).status_code == 403
    assert team["owner"].patch("/api/users/viewer", json={"disabled": True}).status_code == 403
    assert world.admin.get("/api/users").status_code == 200


def test_revoked_token_stops_working(world: World) -> None:
    u = world.user("alice")
    assert u.get("/api/me").status_code == 200
    made = u.post("/api/tokens", json={"name": "laptop"})
    assert made.status_code == 201
    second = Api(world.client, "alice", made.json()["token"])
    assert second.get("/api/me").json()["username"] == "alice"
    listed = u.get("/api/tokens").json()
    assert all("token" not in t for t in listed)
    assert u.delete(f"/api/tokens/{made.json()['id']}").status_code == 204
    assert second.get("/api/me").status_code == 401
    assert u.get("/api/me").status_code == 200  # the other token is untouched
    # a user cannot revoke someone else's token
    other = world.user("bob")
    mine = u.get("/api/tokens").json()[0]["id"]
    assert other.delete(f"/api/tokens/{mine}").status_code == 404


def test_disabled_user_is_locked_out(world: World) -> None:
    u = world.user("carol")
    assert world.admin.patch("/api/users/carol", json={"disabled": True}).status_code == 200
    assert u.get("/api/me").status_code == 401
    r = world.client.post("/api/auth/token", json={"username": "carol", "password": PASSWORD})
    assert r.status_code == 401


def test_secrets_are_stored_hashed(world: World) -> None:
    u = world.user("dave")
    with world.state.db.reading() as s:
        user = s.scalar(select(User).where(User.username == "dave"))
        assert user is not None and user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash
        hashes = list(s.scalars(select(ApiToken.token_hash).where(ApiToken.user_id == user.id)))
    assert hashes and u.token not in hashes


def test_bad_authorization_headers(world: World) -> None:
    for value in ("Basic YWRtaW46eA==", "Bearer", "Bearer nope", "Bearer " + "x" * 5000, "Token abc"):
        r = world.client.get("/api/me", headers={"Authorization": value})
        assert r.status_code == 401, value


def session_login(world: World, user: str = "admin", password: str = ADMIN_PASSWORD) -> str:
    r = world.client.post("/api/session", json={"username": user, "password": password})
    assert r.status_code == 200, r.text
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=lax" in cookie
    return str(r.json()["csrf_token"])


def test_csrf_is_enforced_for_cookie_sessions(world: World) -> None:
    csrf = session_login(world)
    c = world.client
    assert c.get("/api/me").json()["username"] == "admin"  # safe methods need no token
    assert c.post("/api/workspaces", json={"slug": "w1"}).status_code == 403
    assert c.post("/api/workspaces", json={"slug": "w1"}, headers={"X-CSRF-Token": "wrong"}).status_code == 403
    assert c.post("/api/workspaces", json={"slug": "w1"}, headers={"X-CSRF-Token": csrf}).status_code == 201
    assert c.delete("/api/session").status_code == 403
    assert c.delete("/api/session", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert c.get("/api/me").status_code == 401  # the session is gone


def test_login_form_needs_its_csrf_cookie(world: World) -> None:
    c = world.client
    page = c.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    # a cross-site post carries no form cookie (SameSite=Strict) and is refused
    c.cookies.clear()
    r = c.post("/login", data={"username": "admin", "password": ADMIN_PASSWORD, "csrf_token": token[1]},
               follow_redirects=False)
    assert r.status_code == 403
    page = c.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    r = c.post("/login", data={"username": "admin", "password": ADMIN_PASSWORD, "csrf_token": token[1]},
               follow_redirects=False)
    assert r.status_code == 303
    home = c.get("/")
    assert "Logged in as <b>admin</b>" in home.text
    csrf = re.search(r'action="/logout"><input type="hidden" name="csrf_token" value="([^"]+)"', home.text)
    assert csrf is not None
    assert c.post("/logout", data={"csrf_token": "forged"}, follow_redirects=False).status_code == 403
    assert c.post("/logout", data={"csrf_token": csrf[1]}, follow_redirects=False).status_code == 303
    assert c.get("/api/me").status_code == 401


def test_login_is_rate_limited(world: World) -> None:
    world.user("erin")
    limit = world.state.settings.login_attempts
    for _ in range(limit):
        r = world.client.post("/api/auth/token", json={"username": "erin", "password": "wrong-password"})
        assert r.status_code == 401
    r = world.client.post("/api/auth/token", json={"username": "erin", "password": PASSWORD})
    assert r.status_code == 429
    assert int(r.headers["Retry-After"]) >= 1
    # other names are counted apart (until the per-address limit)
    assert world.client.post("/api/auth/token", json={"username": "admin", "password": ADMIN_PASSWORD}).status_code == 201


def test_login_limit_frees_up_after_the_window(world: World) -> None:
    clock = [0.0]
    for limiter in (world.state.login_limiter, world.state.address_limiter):
        limiter.clock = lambda: clock[0]
    for _ in range(world.state.settings.login_attempts):
        world.client.post("/api/session", json={"username": "admin", "password": "nope-nope"})
    assert world.client.post("/api/session", json={"username": "admin", "password": ADMIN_PASSWORD}).status_code == 429
    clock[0] += world.state.settings.login_window_seconds + 1
    assert world.client.post("/api/session", json={"username": "admin", "password": ADMIN_PASSWORD}).status_code == 200


def test_setup_page_is_one_time(sqlite_settings: object) -> None:
    from _server_kit import start

    client, _st = start(sqlite_settings)  # type: ignore[arg-type]
    with client:
        assert client.get("/", follow_redirects=False).headers["location"] == "/setup"
        assert client.get("/api/me").status_code == 401
        page = client.get("/setup")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token is not None
        form = {"username": "root", "password": "short", "confirm": "short", "csrf_token": token[1]}
        assert client.post("/setup", data=form, follow_redirects=False).status_code == 422
        page = client.get("/setup")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token is not None
        form = {"username": "root", "password": "long-enough-1", "confirm": "long-enough-1", "csrf_token": token[1]}
        r = client.post("/setup", data=form, follow_redirects=False)
        assert r.status_code == 303
        assert client.get("/api/me").json() == {**client.get("/api/me").json(), "username": "root", "admin": True}
        assert client.get("/setup").status_code == 404
        form["username"] = "intruder"
        assert client.post("/setup", data=form, follow_redirects=False).status_code in (403, 409)


def test_password_change_ends_sessions(world: World) -> None:
    u = world.user("frank")
    world.client.post("/api/session", json={"username": "frank", "password": PASSWORD})
    assert u.post("/api/me/password", json={"old_password": "wrong", "new_password": "new-password-1"}).status_code == 403
    assert u.post("/api/me/password", json={"old_password": PASSWORD, "new_password": "short"}).status_code == 422
    assert u.post("/api/me/password", json={"old_password": PASSWORD, "new_password": "new-password-1"}).status_code == 204
    with world.state.db.reading() as s:
        user = s.scalar(select(User).where(User.username == "frank"))
        assert user is not None
        assert s.scalar(select(LoginSession).where(LoginSession.user_id == user.id)) is None
    world.login("frank", "new-password-1")


def test_drawn_pages_are_sandboxed(team: dict[str, Api]) -> None:
    base = "/api/workspaces/team/blueprints/clinic"
    for url in (f"{base}/render/html", f"{base}/render/svg", f"{base}/analysis?format=html&samples=0",
                f"{base}/diff?from=1&format=html&samples=0", f"{base}/diff?from=1&format=svg&samples=0"):
        r = team["viewer"].get(url)
        assert r.status_code == 200, url
        assert r.headers["content-security-policy"].startswith("sandbox allow-scripts"), url


def test_last_owner_stays(world: World, team: dict[str, Api]) -> None:
    r = team["owner"].put("/api/workspaces/team/members/owner", json={"role": "editor"})
    assert r.status_code == 422
    assert team["owner"].delete("/api/workspaces/team/members/owner").status_code == 422
    assert team["owner"].put("/api/workspaces/team/members/editor", json={"role": "owner"}).status_code == 200
    assert team["owner"].delete("/api/workspaces/team/members/owner").status_code == 204
    assert team["owner"].get("/api/workspaces/team").status_code == 404


BAD_NAMES = ["..", "..%2F..%2Fetc%2Fpasswd", "%2e%2e", "a%00b", "A" * 65, "UPPER", "a..b", ".x", "a%2Fb", "~root"]


def test_path_traversal_in_names_is_refused(team: dict[str, Api]) -> None:
    for bad in BAD_NAMES:
        r = team["editor"].get(f"/api/workspaces/team/blueprints/{bad}")
        if bad != "..":  # the client itself resolves a bare '..' (to the workspace, which is fine)
            assert 400 <= r.status_code < 500, (bad, r.status_code)
        r = team["editor"].get(f"/api/workspaces/team/blueprints/{bad}/text")
        assert 400 <= r.status_code < 500 or "blueprint:" not in r.text
        r = team["editor"].post("/api/workspaces/team/blueprints", json={"name": bad, "text": CLINIC})
        assert r.status_code == 422, bad
        r = team["owner"].post("/api/workspaces", json={"slug": bad})
        assert r.status_code == 422, bad
