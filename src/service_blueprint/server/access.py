"""Who is asking and what they may do: API tokens, session cookies, CSRF, workspace roles.

Every API route depends on :func:`actor` (401 without valid credentials) and every workspace
route on :func:`access` with the least role it needs. A workspace the caller is not a member
of answers 404, exactly like one that does not exist, so names do not leak; a member whose
role is too low gets 403. Requests authenticated by the session cookie must carry the
session's CSRF token in ``X-CSRF-Token`` for every method that changes something; requests
with a bearer token need none (a browser never adds that header by itself).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Path, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Select, and_, bindparam, null, select, update
from starlette.concurrency import run_in_threadpool

from .models import ApiToken, LoginSession, Membership, Role, User, Workspace, now
from .schemas import NAME_MAX, NAME_PATTERN
from .security import same, token_hash
from .state import ServerState

SESSION_COOKIE = "sb_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
TOKEN_TOUCH = timedelta(minutes=10)  # how stale a token's last-used time may get before we write it

bearer_scheme = HTTPBearer(auto_error=False, description="A personal API token (POST /api/tokens).")
cookie_scheme = APIKeyCookie(name=SESSION_COOKIE, auto_error=False,
                             description="The browser session; unsafe requests also need X-CSRF-Token.")


@dataclass(frozen=True)
class Actor:
    user_id: int
    username: str
    is_admin: bool
    via: str  # "token" or "session"
    csrf: str | None = None
    session_id: str | None = None


def server(request: Request) -> ServerState:
    """The running server's state."""
    st: ServerState = request.app.state.server
    return st


async def server_state(request: Request) -> ServerState:
    """:func:`server` as a dependency; async, so FastAPI calls it without a thread hop."""
    return server(request)


def _caller_query(credential: tuple[Any, ...], user_id: Any, key: Any, with_workspace: bool) -> Select[Any]:
    """A credential's row (found by its hash, ``:key``) with its user and, with ``with_workspace``,
    the user's membership of workspace ``:ws`` (workspace id and role, None when not a member):
    one query, so that checking a workspace request costs one round trip to the database."""
    member_ws: Any = null()
    role: Any = null()
    if with_workspace:
        member_ws, role = Membership.workspace_id, Membership.role
    q = (select(*credential, User.id, User.username, User.is_admin, User.disabled, member_ws, role)
         .join(User, User.id == user_id).where(key == bindparam("key")))
    if with_workspace:
        ws_id = select(Workspace.id).where(Workspace.slug == bindparam("ws")).scalar_subquery()
        q = q.outerjoin(Membership, and_(Membership.user_id == User.id, Membership.workspace_id == ws_id))
    return q


# Built once (building a statement costs more than running it); [False] without, [True] with the workspace.
_BY_TOKEN = [_caller_query((ApiToken.id, ApiToken.revoked_at, ApiToken.last_used_at), ApiToken.user_id,
                           ApiToken.token_hash, w) for w in (False, True)]
_BY_SESSION = [_caller_query((LoginSession.expires_at, LoginSession.csrf_token), LoginSession.user_id,
                             LoginSession.id, w) for w in (False, True)]


def _caller(st: ServerState, queries: list[Select[Any]], key: str, ws: str | None) -> tuple[Any, ...] | None:
    with st.db.rows() as conn:
        row = conn.execute(queries[ws is not None], {"key": key, "ws": ws}).first()
    return None if row is None else tuple(row)


def _membership(row: tuple[Any, ...]) -> tuple[int, Role] | None:
    ws_id, role = row[-2], row[-1]
    return None if ws_id is None else (ws_id, Role(role))


def _from_token(st: ServerState, token: str, ws: str | None = None) -> tuple[Actor, tuple[int, Role] | None] | None:
    row = _caller(st, _BY_TOKEN, token_hash(token), ws)
    if row is None:
        return None
    tok_id, revoked_at, last_used_at, user_id, username, is_admin, disabled = row[:7]
    if revoked_at is not None or disabled:
        return None
    stamp = now()
    if last_used_at is None or stamp - last_used_at > TOKEN_TOUCH:
        with st.db.writing() as s:
            s.execute(update(ApiToken).where(ApiToken.id == tok_id).values(last_used_at=stamp))
    return Actor(user_id, username, is_admin, "token"), _membership(row)


def _from_session(st: ServerState, cookie: str | None,
                  ws: str | None = None) -> tuple[Actor, tuple[int, Role] | None] | None:
    if not cookie:
        return None
    sid = token_hash(cookie)
    row = _caller(st, _BY_SESSION, sid, ws)
    if row is None:
        return None
    expires_at, csrf, user_id, username, is_admin, disabled = row[:6]
    if expires_at <= now() or disabled:
        return None
    return Actor(user_id, username, is_admin, "session", csrf, sid), _membership(row)


def session_actor(st: ServerState, cookie: str | None) -> Actor | None:
    """The user of a session cookie, or None if it is absent, unknown or expired."""
    found = _from_session(st, cookie)
    return None if found is None else found[0]


def unauthorized(detail: str = "log in or send an API token") -> HTTPException:
    return HTTPException(401, detail, headers={"WWW-Authenticate": "Bearer"})


def authenticate(st: ServerState, request: Request, bearer: HTTPAuthorizationCredentials | None, cookie: str | None,
                 ws: str | None = None) -> tuple[Actor, tuple[int, Role] | None]:
    """The authenticated caller and, with ``ws``, their membership of it (None if not a member).

    401 if there is no caller, 403 if a cookie request lacks its CSRF token.
    """
    if request.headers.get("authorization") is not None:
        if bearer is None or bearer.scheme.lower() != "bearer":
            raise unauthorized("the Authorization header must be 'Bearer <token>'")
        found = _from_token(st, bearer.credentials, ws)
        if found is None:
            raise unauthorized("the API token is unknown or revoked")
        return found
    found = _from_session(st, cookie, ws)
    if found is None:
        raise unauthorized()
    who = found[0]
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not (who.csrf and sent and same(sent, who.csrf)):
            raise HTTPException(403, f"missing or wrong {CSRF_HEADER} header (needed with the session cookie)")
    return found


Bearer = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)]
Cookie = Annotated[str | None, Depends(cookie_scheme)]


async def actor(request: Request, bearer: Bearer, cookie: Cookie) -> Actor:
    """The authenticated caller (see :func:`authenticate`); the lookup runs on a worker thread."""
    who, _ = await run_in_threadpool(authenticate, server(request), request, bearer, cookie)
    return who


CurrentActor = Annotated[Actor, Depends(actor)]


async def admin(who: CurrentActor) -> Actor:
    """The caller if an administrator, else 403 (async: nothing to look up, no thread hop)."""
    if not who.is_admin:
        raise HTTPException(403, "only an administrator may do this")
    return who


@dataclass(frozen=True)
class Access:
    actor: Actor
    workspace_id: int
    slug: str
    role: Role


WorkspaceName = Annotated[str, Path(min_length=1, max_length=NAME_MAX, pattern=NAME_PATTERN,
                                    description="The workspace's slug.")]


def _workspace_access(who: Actor, member: tuple[int, Role] | None, ws: str) -> Access | None:
    return None if member is None else Access(who, member[0], ws, member[1])


def session_access(st: ServerState, cookie: str | None, ws: str) -> tuple[Actor, Access | None] | None:
    """A session's user and their access to workspace ``ws`` (None when not a member), found by the
    same one query as an API request's; None without a valid session (the web pages' login check)."""
    found = _from_session(st, cookie, ws)
    return None if found is None else (found[0], _workspace_access(found[0], found[1], ws))


def not_a_member(ws: str) -> HTTPException:
    return HTTPException(404, f"no workspace named '{ws}' (or you are not a member)")


def access(needed: Role) -> Callable[..., Awaitable[Access]]:
    """A dependency: the caller's access to the workspace in the path, at least ``needed``.

    Authentication and the membership are looked up together, in one query on one worker
    thread: a workspace request makes one trip to the database and one thread hop before its
    handler runs, not two of each.
    """

    def check(st: ServerState, request: Request, ws: str, bearer: HTTPAuthorizationCredentials | None,
              cookie: str | None) -> Access:
        found = _workspace_access(*authenticate(st, request, bearer, cookie, ws), ws)
        if found is None:
            raise not_a_member(ws)
        if not found.role.allows(needed):
            raise HTTPException(403, f"this needs the {needed.value} role; you are {found.role.value}")
        return found

    async def dependency(request: Request, ws: WorkspaceName, bearer: Bearer, cookie: Cookie) -> Access:
        return await run_in_threadpool(check, server(request), request, ws, bearer, cookie)

    dependency.__name__ = f"access_{needed.value}"
    return dependency


Viewer = Annotated[Access, Depends(access(Role.viewer))]
Commenter = Annotated[Access, Depends(access(Role.commenter))]
Editor = Annotated[Access, Depends(access(Role.editor))]
Owner = Annotated[Access, Depends(access(Role.owner))]
Admin = Annotated[Actor, Depends(admin)]
