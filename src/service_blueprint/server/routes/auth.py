"""Sessions, API tokens, the caller's account, and user administration."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from sqlalchemy import delete, select, update

from ..access import Admin, CurrentActor, server_state
from ..logins import check_login, close_session, create_user, open_session, set_session_cookie
from ..models import ApiToken, LoginSession, User, now
from ..schemas import (
    LoginIn,
    NewTokenOut,
    PasswordChange,
    SessionOut,
    TokenIn,
    TokenLoginIn,
    TokenOut,
    UserIn,
    UserOut,
    UserPatch,
)
from ..security import TOKEN_PREFIX, new_token, password_problem, token_hash
from ..state import ServerState
from ..store import audit
from .common import Id

router = APIRouter(prefix="/api", tags=["accounts"])
State = Annotated[ServerState, Depends(server_state)]
MAX_TOKENS = 100


def _token_out(t: ApiToken) -> TokenOut:
    return TokenOut(id=t.id, name=t.name, prefix=t.prefix, created_at=t.created_at, last_used_at=t.last_used_at,
                    revoked_at=t.revoked_at)


def _user_out(u: User) -> UserOut:
    return UserOut(username=u.username, admin=u.is_admin, disabled=u.disabled, created_at=u.created_at)


@router.post("/session", response_model=SessionOut, responses={401: {}, 429: {}})
def login(body: LoginIn, request: Request, response: Response, st: State) -> SessionOut:
    """Log in with a password: sets the session cookie and returns the CSRF token to send with it."""
    user = check_login(st, request, body.username, body.password)
    raw, sess = open_session(st, user, request)
    set_session_cookie(st, response, raw)
    return SessionOut(username=user.username, csrf_token=sess.csrf_token, expires_at=sess.expires_at)


@router.delete("/session", status_code=204)
def logout(who: CurrentActor, st: State, response: Response) -> None:
    """End the current browser session (with a token: nothing to end, the token stays valid)."""
    if who.session_id is not None:
        close_session(st, who.session_id, who.user_id)
    response.delete_cookie("sb_session", path="/")


def _issue_token(st: ServerState, user_id: int, name: str) -> NewTokenOut:
    raw = new_token(TOKEN_PREFIX)
    with st.db.writing() as s:
        count = len(list(s.scalars(select(ApiToken.id).where(ApiToken.user_id == user_id,
                                                             ApiToken.revoked_at.is_(None)))))
        if count >= MAX_TOKENS:
            raise HTTPException(409, f"you have {count} active tokens; revoke some first")
        tok = ApiToken(user_id=user_id, name=name, token_hash=token_hash(raw), prefix=raw[: len(TOKEN_PREFIX) + 6])
        s.add(tok)
        s.flush()
        audit(s, "token.create", user_id=user_id, target=name, detail={"id": tok.id})
        out = _token_out(tok)
    return NewTokenOut(**out.model_dump(), token=raw)


@router.post("/auth/token", response_model=NewTokenOut, status_code=201, responses={401: {}, 429: {}})
def token_login(body: TokenLoginIn, request: Request, st: State) -> NewTokenOut:
    """Exchange a user name and password for a new personal API token (what `blueprint login` does)."""
    user = check_login(st, request, body.username, body.password)
    return _issue_token(st, user.id, body.token_name)


@router.get("/me", response_model=UserOut)
def me(who: CurrentActor, st: State) -> UserOut:
    with st.db.reading() as s:
        user = s.get(User, who.user_id)
        assert user is not None
        return _user_out(user)


@router.post("/me/password", status_code=204, responses={401: {}, 422: {}})
def change_password(body: PasswordChange, who: CurrentActor, st: State) -> None:
    """Change your own password; ends all your browser sessions (tokens stay valid)."""
    with st.db.reading() as s:
        user = s.get(User, who.user_id)
        assert user is not None
        stored = user.password_hash
    if not st.passwords.verify(stored, body.old_password):
        raise HTTPException(403, "the old password is wrong")
    problem = password_problem(body.new_password)
    if problem:
        raise HTTPException(422, problem)
    hashed = st.passwords.hash(body.new_password)
    with st.db.writing() as s:
        s.execute(update(User).where(User.id == who.user_id).values(password_hash=hashed))
        s.execute(delete(LoginSession).where(LoginSession.user_id == who.user_id))
        audit(s, "user.password", user_id=who.user_id, target=who.username)


@router.get("/tokens", response_model=list[TokenOut])
def list_tokens(who: CurrentActor, st: State) -> list[TokenOut]:
    """Your API tokens (never their secrets)."""
    with st.db.reading() as s:
        rows = s.scalars(select(ApiToken).where(ApiToken.user_id == who.user_id).order_by(ApiToken.id))
        return [_token_out(t) for t in rows]


@router.post("/tokens", response_model=NewTokenOut, status_code=201)
def create_token(body: TokenIn, who: CurrentActor, st: State) -> NewTokenOut:
    """A new personal API token; its secret is in this response only."""
    return _issue_token(st, who.user_id, body.name)


@router.delete("/tokens/{token_id}", status_code=204, responses={404: {}})
def revoke_token(token_id: Id, who: CurrentActor, st: State) -> None:
    """Revoke one of your tokens; it stops working at once."""
    with st.db.writing() as s:
        tok = s.scalar(select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == who.user_id))
        if tok is None:
            raise HTTPException(404, "you have no token with this id")
        if tok.revoked_at is None:
            tok.revoked_at = now()
            audit(s, "token.revoke", user_id=who.user_id, target=tok.name, detail={"id": tok.id})


@router.get("/users", response_model=list[UserOut])
def list_users(who: Admin, st: State) -> list[UserOut]:
    """Every account (administrators only)."""
    with st.db.reading() as s:
        return [_user_out(u) for u in s.scalars(select(User).order_by(User.username))]


@router.post("/users", response_model=UserOut, status_code=201, responses={409: {}, 422: {}})
def add_user(body: UserIn, who: Admin, st: State) -> UserOut:
    """Create an account (administrators only)."""
    return _user_out(create_user(st, body.username, body.password, admin=body.admin, by=who.user_id))


@router.patch("/users/{username}", response_model=UserOut, responses={404: {}, 422: {}})
def patch_user(username: str, body: UserPatch, who: Admin, st: State) -> UserOut:
    """Set a password, disable or enable, grant or take administration (administrators only).

    Disabling an account ends its sessions and makes its tokens fail at once.
    """
    if body.password is not None and (problem := password_problem(body.password)):
        raise HTTPException(422, problem)
    hashed = st.passwords.hash(body.password) if body.password is not None else None
    with st.db.writing() as s:
        user = s.scalar(select(User).where(User.username == username))
        if user is None:
            raise HTTPException(404, f"no user named '{username}'")
        if user.id == who.user_id and (body.disabled or body.admin is False):
            raise HTTPException(422, "you cannot disable yourself or drop your own administration")
        changed = []
        if hashed is not None:
            user.password_hash = hashed
            changed.append("password")
        if body.disabled is not None:
            user.disabled = body.disabled
            changed.append("disabled" if body.disabled else "enabled")
        if body.admin is not None:
            user.is_admin = body.admin
            changed.append("admin" if body.admin else "not admin")
        if hashed is not None or body.disabled:
            s.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
        audit(s, "user.update", user_id=who.user_id, target=username, detail={"changed": changed})
        s.flush()
        return _user_out(user)
