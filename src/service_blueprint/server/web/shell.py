"""The frame every web page shares: head, top bar, navigation, security headers.

Pages are plain strings (no template engine): each page builds its ``<main>`` and passes it
here. Scripts are ES modules served from this package, never inline, so the Content Security
Policy can forbid inline script outright; styles allow ``'unsafe-inline'`` only because the
YAML editor (CodeMirror) injects its own style sheet.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import quote

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute

from ..access import Actor
from .assets import asset_url

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
       "connect-src 'self'; frame-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")
HEADERS = {"Content-Security-Policy": CSP, "X-Frame-Options": "DENY", "Cache-Control": "no-store",
           "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}


@dataclass(frozen=True)
class Crumb:
    label: str
    href: str | None = None


def e(value: object) -> str:
    """Escape for HTML text and attribute values alike."""
    return escape(str(value), quote=True)


def _crumbs(crumbs: Sequence[Crumb]) -> str:
    if not crumbs:
        return ""
    items = []
    for k, c in enumerate(crumbs):
        last = k == len(crumbs) - 1
        if c.href and not last:
            items.append(f'<li><a href="{e(c.href)}">{e(c.label)}</a></li>')
        else:
            items.append(f'<li aria-current="page">{e(c.label)}</li>' if last else f"<li>{e(c.label)}</li>")
    return f'<nav class="crumbs" aria-label="Breadcrumb"><ol>{"".join(items)}</ol></nav>'


def page(title: str, main: str, *, who: Actor | None, crumbs: Sequence[Crumb] = (), script: str | None = None,
         page_id: str = "", status: int = 200, wide: bool = False, data: dict[str, str] | None = None) -> HTMLResponse:
    """A whole page: ``main`` is trusted HTML built by the caller with :func:`e` for every value."""
    user = ""
    if who is not None:
        user = (f'<div class="user"><span class="who" title="Logged in">{e(who.username)}</span>'
                '<button type="button" class="link" id="logout">Log out</button></div>')
    attrs = "".join(f' data-{e(k)}="{e(v)}"' for k, v in sorted((data or {}).items()))
    csrf = f'<meta name="csrf-token" content="{e(who.csrf)}">' if who is not None and who.csrf else ""
    # One module per page; it imports common.js itself (loading both here would run it twice).
    scripts = f'<script type="module" src="{asset_url(script or "common.js")}"></script>'
    html = (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)} · Service blueprints</title>{csrf}"
        f'<link rel="stylesheet" href="{asset_url("app.css")}">{scripts}</head>'
        f'<body data-page="{e(page_id)}"{attrs} class="{"wide" if wide else ""}">'
        '<a class="skip" href="#main">Skip to content</a>'
        '<header class="top"><a class="brand" href="/web/">Service blueprints</a>'
        f"{_crumbs(crumbs)}{user}</header>"
        f'<main id="main" tabindex="-1">{main}</main>'
        '<div id="toast" class="toast" role="status" aria-live="polite"></div>'
        "</body></html>\n"
    )
    return HTMLResponse(html, status_code=status, headers=HEADERS)


def tabs(base: str, current: str, *, can_edit: bool) -> str:
    """The blueprint's own navigation: view, edit, history, review."""
    items = [("", "View"), ("/edit", "Edit"), ("/history", "History"), ("/review", "Review")]
    links = []
    for suffix, label in items:
        if suffix == "/edit" and not can_edit:
            continue
        here = ' aria-current="page" class="on"' if suffix == current else ""
        links.append(f'<a href="{e(base + suffix)}"{here}>{label}</a>')
    return f'<nav class="tabs" aria-label="Blueprint">{"".join(links)}</nav>'


class LoginNeeded(Exception):
    """Raised by a page when nobody is logged in; answered with a redirect to the log-in page."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


def error_page(exc: HTTPException) -> HTMLResponse:
    detail = exc.detail if isinstance(exc.detail, str) else "the request was refused"
    titles = {403: "Not allowed", 404: "Not found"}
    title = titles.get(exc.status_code, "Something went wrong")
    body = (f'<section class="card narrow"><h1>{e(title)}</h1><p>{e(detail[:1].upper() + detail[1:])}.</p>'
            '<p><a href="/web/">Back to your workspaces</a></p></section>')
    return page(title, body, who=None, status=exc.status_code)


class PageRoute(APIRoute):
    """Pages answer a missing login with a redirect and refusals with an HTML page, not JSON."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def run(request: Request) -> Response:
            try:
                return await handler(request)
            except LoginNeeded as exc:
                return RedirectResponse(f"/web/login?next={quote(exc.next_url, safe='/')}", status_code=303)
            except HTTPException as exc:
                return error_page(exc)

        return run
