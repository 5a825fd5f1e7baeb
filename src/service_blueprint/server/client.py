"""The command line's side of the server: log in, push a file as a new version, pull one.

The token and, per blueprint, the ETag last pulled or pushed are kept in a JSON file readable
by its owner only (``$BLUEPRINT_CONFIG``, else ``~/.config/service-blueprint/servers.json``).
Pushing sends that ETag as If-Match, so a push never overwrites someone else's newer version
unknowingly: the server answers 409 and the push says what changed.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from ..errors import UsageError
from .schemas import NAME_MAX

CONFIG_ENV = "BLUEPRINT_CONFIG"
TIMEOUT = httpx.Timeout(30.0, connect=10.0)
SUFFIXES = (".blueprint.yaml", ".blueprint.yml", ".yaml", ".yml")


def config_path() -> Path:
    given = os.environ.get(CONFIG_ENV)
    if given:
        return Path(given)
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "service-blueprint" / "servers.json"


@dataclass
class ClientConfig:
    """Servers this user has logged in to; ``default`` is the last one."""

    path: Path
    default: str | None = None
    servers: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None = None) -> ClientConfig:
        path = path or config_path()
        if not path.exists():
            return cls(path)
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise UsageError(f"{path}: cannot read the client configuration ({exc})") from None
        if not isinstance(data, dict) or not isinstance(data.get("servers", {}), dict):
            raise UsageError(f"{path}: not a service-blueprint client configuration")
        return cls(path, data.get("default"), data.get("servers", {}))

    def save(self) -> None:
        """Write atomically with mode 0600 (the file holds tokens), its folder 0700."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = self.path.with_name(self.path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"default": self.default, "servers": self.servers}, f, indent=2, sort_keys=True)
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.path)

    def server(self, url: str | None) -> tuple[str, dict[str, Any]]:
        key = normalise(url) if url else self.default
        if key is None or key not in self.servers:
            raise UsageError("not logged in" + (f" to {key}" if key else "") + "; run 'blueprint login URL' first")
        return key, self.servers[key]


def normalise(url: str, *, allow_http: bool = True) -> str:
    """``https://host[:port][/prefix]`` without a trailing slash; plain HTTP only to this machine
    unless allowed (a token sent over plain HTTP can be read on the way)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"'{url}' is not a server address; give e.g. https://blueprints.example.org")
    local = parts.hostname in ("localhost", "127.0.0.1", "::1") or parts.hostname.startswith("127.")
    if parts.scheme == "http" and not local and not allow_http:
        raise UsageError(f"refusing to send a token over plain HTTP to {parts.hostname}; use https:// "
                         "(or --allow-http on a network you trust)")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def blueprint_name(path: Path) -> str:
    """The server-side name of a file: its name without the blueprint suffix, lower-case."""
    name = path.name
    for suffix in SUFFIXES:
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    name = name.lower().replace(" ", "-")
    if not name or len(name) > NAME_MAX:
        raise UsageError(f"cannot make a blueprint name from '{path.name}'; pass --name")
    return name


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class Remote:
    """Requests to one server with one token; every failure becomes a one-line UsageError."""

    def __init__(self, url: str, token: str | None = None, http: httpx.Client | None = None) -> None:
        self.url = url
        self.http = http or httpx.Client(timeout=TIMEOUT, follow_redirects=False)
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def call(self, method: str, path: str, *, expect: tuple[int, ...] = (200,), **kw: Any) -> httpx.Response:
        headers = {**self.headers, **kw.pop("headers", {})}
        try:
            r = self.http.request(method, self.url + path, headers=headers, **kw)
        except httpx.HTTPError as exc:
            raise UsageError(f"cannot reach {self.url}: {exc}") from None
        if r.status_code in expect:
            return r
        if r.status_code == 401:
            raise UsageError(f"{self.url} refused the credentials; run 'blueprint login {self.url}' again")
        raise UsageError(f"{self.url}: {r.status_code} {describe(r)}")


def describe(r: httpx.Response) -> str:
    try:
        detail = r.json().get("detail")
    except (ValueError, AttributeError):
        return r.text[:200]
    if isinstance(detail, dict):
        return str(detail.get("message", detail))
    if isinstance(detail, list):
        return "; ".join(f"{'.'.join(str(x) for x in e.get('loc', []))}: {e.get('msg')}" for e in detail[:3])
    return str(detail)


@dataclass(frozen=True)
class LoginResult:
    url: str
    username: str
    workspace: str | None
    workspaces: list[str]


def login(url: str, username: str, password: str, *, workspace: str | None = None, token: str | None = None,
          allow_http: bool = False, config: ClientConfig | None = None,
          http: httpx.Client | None = None) -> LoginResult:
    """Get a personal API token for this machine (or check a given one) and remember it."""
    base = normalise(url, allow_http=allow_http)
    if token is None:
        r = Remote(base, http=http).call("POST", "/api/auth/token", expect=(201,), json={
            "username": username, "password": password, "token_name": f"cli on {os.uname().nodename}"[:100]})
        token = str(r.json()["token"])
    remote = Remote(base, token, http)
    me = remote.call("GET", "/api/me").json()
    spaces = [w["slug"] for w in remote.call("GET", "/api/workspaces").json()]
    if workspace is not None and workspace not in spaces:
        raise UsageError(f"you are not a member of workspace '{workspace}' on {base}; yours: "
                         f"{', '.join(spaces) or 'none'}")
    chosen = workspace or (spaces[0] if len(spaces) == 1 else None)
    cfg = config or ClientConfig.load()
    old = cfg.servers.get(base, {})
    cfg.servers[base] = {"token": token, "username": me["username"], "workspace": chosen,
                         "etags": old.get("etags", {}) if old.get("username") == me["username"] else {}}
    cfg.default = base
    cfg.save()
    return LoginResult(base, me["username"], chosen, spaces)


def _target(cfg: ClientConfig, url: str | None, workspace: str | None,
            http: httpx.Client | None) -> tuple[Remote, dict[str, Any], str]:
    base, entry = cfg.server(url)
    ws = workspace or entry.get("workspace")
    if not ws:
        raise UsageError("say which workspace with --workspace (you are in several, or none was chosen at login)")
    return Remote(base, entry.get("token"), http), entry, str(ws)


@dataclass(frozen=True)
class PushResult:
    name: str
    workspace: str
    version: int | None  # None: nothing to push
    created: bool
    findings: list[dict[str, Any]]


def push(path: Path, *, name: str | None = None, workspace: str | None = None, message: str = "",
         force: bool = False, url: str | None = None, config: ClientConfig | None = None,
         http: httpx.Client | None = None) -> PushResult:
    """Save a local file as the next version on the server (or create the blueprint)."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {path}: {exc}") from None
    name = name or blueprint_name(path)
    cfg = config or ClientConfig.load()
    remote, entry, ws = _target(cfg, url, workspace, http)
    base = f"/api/workspaces/{quote(ws)}/blueprints"
    key = f"{ws}/{name}"
    etags: dict[str, Any] = entry.setdefault("etags", {})
    current = remote.call("GET", f"{base}/{quote(name)}", expect=(200, 404))
    if current.status_code == 404:
        r = remote.call("POST", base, expect=(201, 422), json={"name": name, "text": text, "message": message})
        created = True
    else:
        if sha256(current.json()["text"]) == sha256(text):
            etags[key] = {"etag": current.headers["ETag"], "sha256": sha256(text)}
            cfg.save()
            return PushResult(name, ws, None, False, [])
        known = etags.get(key, {}).get("etag")
        if known is None and not force:
            raise UsageError(f"'{name}' exists on the server and this machine never pulled it; "
                             f"'blueprint pull {name}' first, merge, then push (or --force to save over it)")
        r = remote.call("PUT", f"{base}/{quote(name)}", expect=(200, 409, 422),
                        json={"text": text, "message": message}, headers={"If-Match": "*" if force else known})
        created = False
        if r.status_code == 409:
            body = r.json()
            since = ", ".join(f"v{v['number']} by {v['author']}: {v['message'] or '(no message)'}"
                              for v in body.get("versions_since", [])[:5])
            raise UsageError(f"'{name}' changed on the server since you pulled it ({since}); "
                             f"pull it, merge your changes, and push again")
    if r.status_code == 422:
        raise UsageError(f"{path}: the server refused it: {describe(r)}")
    body = r.json()
    etags[key] = {"etag": body["etag"], "sha256": sha256(text)}
    cfg.save()
    return PushResult(name, ws, int(body["version"]["number"]), created, list(body["findings"]))


@dataclass(frozen=True)
class PullResult:
    name: str
    workspace: str
    version: int
    path: Path


def pull(name: str, *, output: Path | None = None, workspace: str | None = None, version: int | None = None,
         force: bool = False, url: str | None = None, config: ClientConfig | None = None,
         http: httpx.Client | None = None) -> PullResult:
    """Write a version of a blueprint (default the newest) to a file, remembering its ETag."""
    cfg = config or ClientConfig.load()
    remote, entry, ws = _target(cfg, url, workspace, http)
    params = {"version": version} if version is not None else {}
    r = remote.call("GET", f"/api/workspaces/{quote(ws)}/blueprints/{quote(name)}", params=params)
    body = r.json()
    target = output or Path(f"{body['name']}.blueprint.yaml")
    key = f"{ws}/{body['name']}"
    etags: dict[str, Any] = entry.setdefault("etags", {})
    if target.exists() and not force:
        local = sha256(target.read_text("utf-8", errors="replace"))
        if local not in (etags.get(key, {}).get("sha256"), sha256(body["text"])):
            raise UsageError(f"{target} has changes that were never pushed; push them, move the file, "
                             "or pull with --force to overwrite it")
    target.write_text(body["text"], encoding="utf-8")
    if version is None:  # only the newest version is a base to push on
        etags[key] = {"etag": r.headers["ETag"], "sha256": sha256(body["text"])}
        cfg.save()
    return PullResult(body["name"], ws, int(body["version"]), target)
