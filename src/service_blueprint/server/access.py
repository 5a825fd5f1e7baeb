"""Who is asking and what they may do: API tokens, session cookies, CSRF, workspace roles.

Every API route depends on :func:`actor` (401 without valid credentials) and every workspace
route on :func:`access` with the least role it needs. A workspace the caller is not a member
of answers 404, exactly like one that does not exist, so names do not leak; a member whose
role is too low gets 403. Requests authenticated by the session cookie must carry the
session's CSRF token in ``X-CSRF-Token`` for every method that changes something; requests
with a bearer token need none (a browser never adds that header by itself).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select, update

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


def _from_token(st: ServerState, token: str) -> Actor | None:
    with st.db.reading() as s:
        row = s.execute(select(ApiToken, User).join(User, User.id == ApiToken.user_id)
                        .where(ApiToken.token_hash == token_hash(token))).first()
    if row is None:
        return None
    tok, user = row
    if tok.revoked_at is not None or user.disabled:
        return None
    stamp = now()
    if tok.last_used_at is None or stamp - tok.last_used_at > TOKEN_TOUCH:
        with st.db.writing() as s:
            s.execute(update(ApiToken).where(ApiToken.id == tok.id).values(last_used_at=stamp))
    return Actor(user.id, user.username, user.is_admin, "token")


def session_actor(st: ServerState, cookie: str | None) -> Actor | None:
    """The user of a session cookie, or None if it is absent, unknown or expired."""
    if not cookie:
        return None
    sid = token_hash(cookie)
    with st.db.reading() as s:
        row = s.execute(select(LoginSession, User).join(User, User.id == LoginSession.user_id)
                        .where(LoginSession.id == sid)).first()
    if row is None:
        return None
    sess, user = row
    if sess.expires_at <= now() or user.disabled:
        return None
    return Actor(user.id, user.username, user.is_admin, "session", sess.csrf_token, sid)


def unauthorized(detail: str = "log in or send an API token") -> HTTPException:
    return HTTPException(401, detail, headers={"WWW-Authenticate": "Bearer"})


def actor(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    cookie: Annotated[str | None, Depends(cookie_scheme)],
) -> Actor:
    """The authenticated caller; 401 if there is none, 403 if a cookie request lacks its CSRF token."""
    st = server(request)
    if request.headers.get("authorization") is not None:
        if bearer is None or bearer.scheme.lower() != "bearer":
            raise unauthorized("the Authorization header must be 'Bearer <token>'")
        who = _from_token(st, bearer.credentials)
        if who is None:
            raise unauthorized("the API token is unknown or revoked")
        return who
    who = session_actor(st, cookie)
    if who is None:
        raise unauthorized()
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not (who.csrf and sent and same(sent, who.csrf)):
            raise HTTPException(403, f"missing or wrong {CSRF_HEADER} header (needed with the session cookie)")
    return who


CurrentActor = Annotated[Actor, Depends(actor)]


def admin(who: CurrentActor) -> Actor:
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


def lookup_access(st: ServerState, who: Actor, ws: str) -> Access | None:
    with st.db.reading() as s:
        row = s.execute(select(Workspace.id, Membership.role).join(Membership, Membership.workspace_id == Workspace.id)
                        .where(Workspace.slug == ws, Membership.user_id == who.user_id)).first()
    if row is None:
        return None
    return Access(who, row[0], ws, Role(row[1]))


def access(needed: Role) -> Callable[..., Access]:
    """A dependency: the caller's access to the workspace in the path, at least ``needed``."""

    def dependency(request: Request, ws: WorkspaceName, who: CurrentActor) -> Access:
        found = lookup_access(server(request), who, ws)
        if found is None:
            raise HTTPException(404, f"no workspace named '{ws}' (or you are not a member)")
        if not found.role.allows(needed):
            raise HTTPException(403, f"this needs the {needed.value} role; you are {found.role.value}")
        return found

    dependency.__name__ = f"access_{needed.value}"
    return dependency


Viewer = Annotated[Access, Depends(access(Role.viewer))]
Commenter = Annotated[Access, Depends(access(Role.commenter))]
Editor = Annotated[Access, Depends(access(Role.editor))]
Owner = Annotated[Access, Depends(access(Role.owner))]
Admin = Annotated[Actor, Depends(admin)]
