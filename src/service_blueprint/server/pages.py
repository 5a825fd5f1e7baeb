"""The few HTML pages a browser needs now: one-time setup, log in and out, and a plain index.

The web editor is a later piece of work; these pages only let a person in and point at the
drawings. Forms are protected against cross-site requests: before login by a double-submit
cookie (SameSite=Strict) that must equal the form's hidden field, after login by the session's
own CSRF token.
"""

from __future__ import annotations

from html import escape
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from .access import SESSION_COOKIE, Actor, server_state, session_actor
from .logins import (
    check_login,
    close_session,
    create_first_admin,
    needs_setup,
    open_session,
    set_session_cookie,
)
from .models import Membership, StoredBlueprint, Workspace
from .security import new_token, same
from .state import ServerState

router = APIRouter(include_in_schema=False)
State = Annotated[ServerState, Depends(server_state)]
FORM_COOKIE = "sb_form"
Field = Annotated[str, Form(max_length=1024)]

_STYLE = ("body{font-family:system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem;color:#222}"
          "label{display:block;margin:.8rem 0 .2rem}input{font:inherit;padding:.35rem;width:18rem}"
          "button{font:inherit;margin-top:1rem;padding:.35rem 1rem}.error{color:#a00}"
          "li{margin:.25rem 0}small{color:#666}")


def page(title: str, body: str, status: int = 200) -> HTMLResponse:
    html = (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_STYLE}</style>'
            f"</head><body><h1>{escape(title)}</h1>\n{body}\n</body></html>\n")
    return HTMLResponse(html, status_code=status, headers={
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                                   "frame-ancestors 'none'",
        "X-Frame-Options": "DENY", "Cache-Control": "no-store"})


def _form_page(st: ServerState, title: str, action: str, fields: str, button: str, error: str = "",
               status: int = 200) -> HTMLResponse:
    token = new_token()
    err = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    resp = page(title, f'{err}<form method="post" action="{action}">'
                       f'<input type="hidden" name="csrf_token" value="{token}">{fields}'
                       f"<button>{escape(button)}</button></form>", status)
    resp.set_cookie(FORM_COOKIE, token, path="/", secure=st.settings.cookie_secure, httponly=True,
                    samesite="strict", max_age=3600)
    return resp


_CREDENTIALS = ('<label for="u">User name</label><input id="u" name="username" autocomplete="username" required>'
                '<label for="p">Password</label><input id="p" name="password" type="password" '
                'autocomplete="current-password" required>')
_NEW = ('<label for="u">Administrator user name</label><input id="u" name="username" autocomplete="username" '
        'required><label for="p">Password (8 characters or more)</label><input id="p" name="password" '
        'type="password" autocomplete="new-password" minlength="8" required>'
        '<label for="c">Password again</label><input id="c" name="confirm" type="password" '
        'autocomplete="new-password" required>')


def _form_token_ok(request: Request, sent: str) -> bool:
    cookie = request.cookies.get(FORM_COOKIE, "")
    return bool(cookie and sent and same(cookie, sent))


def _viewer(st: ServerState, request: Request) -> Actor | None:
    return session_actor(st, request.cookies.get(SESSION_COOKIE))


@router.get("/", response_class=HTMLResponse)
def index(request: Request, st: State) -> Response:
    if needs_setup(st):
        return RedirectResponse("/setup", status_code=303)
    who = _viewer(st, request)
    if who is None:
        return RedirectResponse("/login", status_code=303)
    with st.db.reading() as s:
        rows = s.execute(select(Workspace.slug, Workspace.title, StoredBlueprint.name, StoredBlueprint.title,
                                StoredBlueprint.head)
                         .join(Membership, Membership.workspace_id == Workspace.id)
                         .outerjoin(StoredBlueprint, StoredBlueprint.workspace_id == Workspace.id)
                         .where(Membership.user_id == who.user_id)
                         .order_by(Workspace.slug, StoredBlueprint.name)).all()
    parts: list[str] = []
    current = None
    for slug, ws_title, name, title, head in rows:
        if slug != current:
            parts.append(("</ul>" if current else "") + f"<h2>{escape(ws_title)} <small>{escape(slug)}</small></h2><ul>")
            current = slug
        if name is not None:
            base = f"/api/workspaces/{escape(slug)}/blueprints/{escape(name)}"
            edit = f"/web/w/{escape(slug)}/b/{escape(name)}/edit"
            parts.append(f'<li><a href="{base}/render/html">{escape(title or name)}</a> <small>{escape(name)}, '
                         f'version {head} · <a href="{edit}">edit</a> · <a href="{base}/render/svg">SVG</a> · '
                         f'<a href="{base}/analysis?format=html">analysis</a> · '
                         f'<a href="{base}/versions">history</a></small></li>')
    if current:
        parts.append("</ul>")
    if not rows:
        parts.append("<p>You are not a member of any workspace yet.</p>")
    body = ('<p><a href="/web/"><b>Open the visual editor</b></a> to create, edit and review blueprints.</p>'
            f"<p>Logged in as <b>{escape(who.username)}</b>. The API is described at "
            f'<a href="/openapi.json">/openapi.json</a> (OpenAPI 3).</p>'
            + "".join(parts)
            + f'<form method="post" action="/logout"><input type="hidden" name="csrf_token" '
              f'value="{escape(who.csrf or "")}"><button>Log out</button></form>')
    return page("Service blueprints", body)


@router.get("/setup", response_class=HTMLResponse)
def setup_form(st: State) -> Response:
    """The one-time page that creates the first administrator; gone once any account exists."""
    if not needs_setup(st):
        return page("Already set up", '<p>This server has accounts. <a href="/login">Log in</a>.</p>', 404)
    return _form_page(st, "Set up this server", "/setup", _NEW, "Create administrator")


@router.post("/setup", response_class=HTMLResponse)
def setup(request: Request, st: State, username: Field, password: Field, confirm: Field,
          csrf_token: Field) -> Response:
    if not _form_token_ok(request, csrf_token):
        return _form_page(st, "Set up this server", "/setup", _NEW, "Create administrator",
                          "The form expired or came from another site; try again.", 403)
    if not needs_setup(st):
        return page("Already set up", '<p>This server has accounts. <a href="/login">Log in</a>.</p>', 409)
    username = username.strip()
    problem = ("the passwords differ" if password != confirm else
               "choose a user name" if not username or len(username) > 64 else "")
    if not problem:
        try:
            user = create_first_admin(st, username, password)
        except HTTPException as exc:
            problem = str(exc.detail)
    if problem:
        return _form_page(st, "Set up this server", "/setup", _NEW, "Create administrator", problem, 422)
    raw, _ = open_session(st, user, request)
    resp = RedirectResponse("/", status_code=303)
    set_session_cookie(st, resp, raw)
    resp.delete_cookie(FORM_COOKIE, path="/")
    return resp


@router.get("/login", response_class=HTMLResponse)
def login_form(st: State) -> Response:
    if needs_setup(st):
        return RedirectResponse("/setup", status_code=303)
    return _form_page(st, "Log in", "/login", _CREDENTIALS, "Log in")


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, st: State, username: Field, password: Field, csrf_token: Field) -> Response:
    if not _form_token_ok(request, csrf_token):
        return _form_page(st, "Log in", "/login", _CREDENTIALS, "Log in",
                          "The form expired or came from another site; try again.", 403)
    try:
        user = check_login(st, request, username, password)
    except HTTPException as exc:
        resp = _form_page(st, "Log in", "/login", _CREDENTIALS, "Log in", str(exc.detail), exc.status_code)
        if exc.headers:
            resp.headers.update(exc.headers)
        return resp
    raw, _ = open_session(st, user, request)
    done = RedirectResponse("/", status_code=303)
    set_session_cookie(st, done, raw)
    done.delete_cookie(FORM_COOKIE, path="/")
    return done


@router.post("/logout")
def logout(request: Request, st: State, csrf_token: Field) -> Response:
    who = _viewer(st, request)
    if who is None or who.session_id is None:
        return RedirectResponse("/login", status_code=303)
    if not (who.csrf and same(csrf_token, who.csrf)):
        raise HTTPException(403, "missing or wrong CSRF token")
    close_session(st, who.session_id, who.user_id)
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(SESSION_COOKIE, path="/")
    return resp
