"""Logging in: rate-limited password checks, sessions and their cookies, first-admin setup."""

from __future__ import annotations

import math
from datetime import timedelta

from fastapi import HTTPException, Request, Response
from sqlalchemy import delete, func, select, text

from .access import SESSION_COOKIE
from .models import LoginSession, User, now
from .security import new_token, password_problem, token_hash
from .state import ServerState
from .store import audit


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def check_login(st: ServerState, request: Request, username: str, password: str) -> User:
    """The user whose password this is; 429 when too many attempts, 401 when wrong.

    The limit counts attempts per address and user name (a success clears that count), and
    five times as many per address alone, so guessing is slow and spraying many names is too.
    """
    ip = client_address(request)
    user_key = f"{ip}|{username.lower()}"
    for limiter, key in ((st.login_limiter, user_key), (st.address_limiter, ip)):
        wait = limiter.hit(key)
        if wait:
            raise HTTPException(429, "too many login attempts; wait and try again",
                                headers={"Retry-After": str(math.ceil(wait))})
    with st.db.reading() as s:
        user = s.scalar(select(User).where(User.username == username))
    ok = st.passwords.verify(user.password_hash if user else None, password)
    if user is None or not ok or user.disabled:
        with st.db.writing() as s:
            audit(s, "login.fail", user_id=user.id if user else None, target=username[:64], detail={"ip": ip})
        raise HTTPException(401, "wrong user name or password")
    st.login_limiter.reset(user_key)
    if st.passwords.needs_rehash(user.password_hash):
        with st.db.writing() as s:
            row = s.get(User, user.id)
            if row is not None:
                row.password_hash = st.passwords.hash(password)
    return user


def open_session(st: ServerState, user: User, request: Request) -> tuple[str, LoginSession]:
    """A new session for ``user``: the cookie's secret and the stored row (with its CSRF token)."""
    raw = new_token()
    sess = LoginSession(id=token_hash(raw), user_id=user.id, csrf_token=new_token(),
                        expires_at=now() + timedelta(hours=st.settings.session_hours))
    with st.db.writing() as s:
        s.execute(delete(LoginSession).where(LoginSession.expires_at < now()))  # forget stale ones
        s.add(sess)
        audit(s, "login", user_id=user.id, target=user.username, detail={"ip": client_address(request)})
    return raw, sess


def set_session_cookie(st: ServerState, response: Response, raw: str) -> None:
    response.set_cookie(SESSION_COOKIE, raw, max_age=int(st.settings.session_hours * 3600), path="/",
                        secure=st.settings.cookie_secure, httponly=True, samesite="lax")


def close_session(st: ServerState, session_id: str, user_id: int) -> None:
    with st.db.writing() as s:
        row = s.get(LoginSession, session_id)
        if row is not None:
            s.delete(row)
        audit(s, "logout", user_id=user_id)


def needs_setup(st: ServerState) -> bool:
    with st.db.reading() as s:
        return (s.scalar(select(func.count()).select_from(User)) or 0) == 0


def create_user(st: ServerState, username: str, password: str, *, admin: bool, by: int | None) -> User:
    """A new account; 422 for a weak password, 409 if the name is taken."""
    problem = password_problem(password)
    if problem:
        raise HTTPException(422, problem)
    hashed = st.passwords.hash(password)
    with st.db.writing() as s:
        if s.scalar(select(User.id).where(func.lower(User.username) == username.lower())) is not None:
            raise HTTPException(409, f"the user name '{username}' is taken")
        user = User(username=username, password_hash=hashed, is_admin=admin, disabled=False)
        s.add(user)
        s.flush()
        audit(s, "user.create", user_id=by if by is not None else user.id, target=username,
              detail={"admin": admin})
    return user


def create_first_admin(st: ServerState, username: str, password: str) -> User:
    """The first account, an administrator; 409 once any account exists (setup is one-time).

    The check and the insert share one write transaction, so two setup requests racing
    cannot both succeed.
    """
    problem = password_problem(password)
    if problem:
        raise HTTPException(422, problem)
    hashed = st.passwords.hash(password)
    with st.db.writing() as s:
        if s.get_bind().dialect.name == "postgresql":  # SQLite's write transactions are serial already
            s.execute(text("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE"))
        if (s.scalar(select(func.count()).select_from(User)) or 0) > 0:
            raise HTTPException(409, "the server is already set up")
        user = User(username=username, password_hash=hashed, is_admin=True, disabled=False)
        s.add(user)
        s.flush()
        audit(s, "setup", user_id=user.id, target=username)
    return user
