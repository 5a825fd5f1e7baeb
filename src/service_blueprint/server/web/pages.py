"""The web editor's pages: log in, workspaces, blueprint list, template gallery, and a
blueprint's view, editor, history and review.

Pages only lay out what the database already says; everything that changes data goes through
the JSON API (``/api/...``) from the page's script with the session cookie and its CSRF token,
so the browser has no powers a token holder lacks. A workspace the viewer is not a member of
answers 404, like the API.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, select

from ...errors import TemplateNotFoundError
from ...interop import FORMATS
from ...loader import parse_document
from ...render import render_svg
from ...templates import list_templates, template_text
from ..access import (
    SESSION_COOKIE,
    Access,
    Actor,
    not_a_member,
    server,
    session_access,
    session_actor,
)
from ..logins import needs_setup
from ..models import Membership, Role, StoredBlueprint, Workspace
from ..schemas import NAME_MAX, NAME_PATTERN
from ..state import ServerState
from ..store import NotFound, find_blueprint, get_version
from .assets import asset_url
from .catalog import Entry, entries
from .shell import Crumb, LoginNeeded, PageRoute, e, page, tabs

router = APIRouter(include_in_schema=False, route_class=PageRoute)
State = Annotated[ServerState, Depends(server)]
Slug = Annotated[str, Path(min_length=1, max_length=NAME_MAX, pattern=NAME_PATTERN)]

#: Drawings the export menu offers besides the interop formats.
DRAWINGS = (("svg", "SVG picture"), ("png", "PNG picture"), ("pdf", "PDF document"), ("html", "Interactive HTML"))


def _who(request: Request) -> Actor:
    who = session_actor(server(request), request.cookies.get(SESSION_COOKIE))
    if who is None:
        raise LoginNeeded(request.url.path)
    return who


Who = Annotated[Actor, Depends(_who)]


def _access(request: Request, ws: Slug) -> Access:
    found = session_access(server(request), request.cookies.get(SESSION_COOKIE), ws)
    if found is None:
        raise LoginNeeded(request.url.path)
    if found[1] is None:
        raise not_a_member(ws)
    return found[1]


Member = Annotated[Access, Depends(_access)]


def _ws_crumbs(acc: Access, title: str, *more: Crumb) -> list[Crumb]:
    return [Crumb("Workspaces", "/web/"), Crumb(title, f"/web/w/{acc.slug}"), *more]


def _ws_title(st: ServerState, acc: Access) -> str:
    with st.db.reading() as s:
        return s.scalar(select(Workspace.title).where(Workspace.id == acc.workspace_id)) or acc.slug


# ---- log in, workspaces ------------------------------------------------------------------


@router.get("/web/login", response_class=HTMLResponse)
def login_page(request: Request, st: State) -> Response:
    who = session_actor(st, request.cookies.get(SESSION_COOKIE))
    if who is not None:
        return RedirectResponse("/web/", status_code=303)
    setup = ('<p class="note">This server has no accounts yet. <a href="/setup">Set up the first '
             "administrator</a>, then come back here.</p>") if needs_setup(st) else ""
    main = (
        '<section class="card narrow"><h1>Log in</h1>' + setup +
        '<form id="login-form" novalidate>'
        '<label for="username">User name</label>'
        '<input id="username" name="username" autocomplete="username" required maxlength="64">'
        '<label for="password">Password</label>'
        '<input id="password" name="password" type="password" autocomplete="current-password" required>'
        '<p id="login-error" class="error" role="alert" hidden></p>'
        '<button class="primary" type="submit">Log in</button></form>'
        '<p class="muted">No account? An administrator of this server creates accounts on the '
        "Workspaces page and adds people to workspaces.</p></section>")
    return page("Log in", main, who=None, script="login.js", page_id="login")


@router.get("/web", response_class=HTMLResponse)
@router.get("/web/", response_class=HTMLResponse)
def workspaces_page(who: Who, st: State) -> Response:
    with st.db.reading() as s:
        rows = s.execute(
            select(Workspace.slug, Workspace.title, Membership.role, func.count(StoredBlueprint.id))
            .join(Membership, Membership.workspace_id == Workspace.id)
            .outerjoin(StoredBlueprint, StoredBlueprint.workspace_id == Workspace.id)
            .where(Membership.user_id == who.user_id)
            .group_by(Workspace.slug, Workspace.title, Membership.role).order_by(Workspace.slug)).all()
    cards = "".join(
        f'<li class="ws-card"><a href="/web/w/{e(slug)}"><span class="ws-title">{e(title)}</span>'
        f'<span class="muted">{e(slug)} · {n} blueprint{"s" if n != 1 else ""} · you are {e(role)}</span></a></li>'
        for slug, title, role, n in rows) or '<li class="empty">You are not a member of any workspace yet.</li>'
    new_ws = (
        '<section class="card" aria-labelledby="new-ws-h"><h2 id="new-ws-h">New workspace</h2>'
        '<form id="new-workspace" class="inline-form">'
        '<label for="ws-title">Title</label><input id="ws-title" name="title" maxlength="200" required>'
        '<label for="ws-slug">Short name (in links)</label>'
        f'<input id="ws-slug" name="slug" required maxlength="{NAME_MAX}" pattern="[a-z0-9][a-z0-9_\\-]*" '
        'aria-describedby="ws-slug-help"><small id="ws-slug-help">lower-case letters, digits, - and _</small>'
        '<button class="primary" type="submit">Create workspace</button></form></section>')
    people = ""
    if who.is_admin:
        people = (
            '<section class="card" aria-labelledby="new-user-h"><h2 id="new-user-h">New account</h2>'
            '<p class="muted">As an administrator you create accounts; owners then add people to workspaces.</p>'
            '<form id="new-user" class="inline-form">'
            '<label for="nu-name">User name</label><input id="nu-name" name="username" required maxlength="64" '
            'autocomplete="off">'
            '<label for="nu-pass">Password (8 characters or more)</label><input id="nu-pass" name="password" '
            'type="password" minlength="8" required autocomplete="new-password">'
            '<label class="check"><input type="checkbox" name="admin" id="nu-admin"> Administrator</label>'
            '<button type="submit">Create account</button></form></section>')
    main = (f'<h1>Workspaces</h1><ul class="ws-list">{cards}</ul><div class="columns">{new_ws}{people}</div>')
    return page("Workspaces", main, who=who, crumbs=[Crumb("Workspaces")], script="workspaces.js",
                page_id="workspaces")


# ---- a workspace: blueprint list and template gallery -------------------------------------------


def _row(acc: Access, ent: Entry) -> str:
    f = ent.facts
    base = f"/web/w/{acc.slug}/b/{ent.name}"
    health = "errors" if ent.errors else "warnings" if ent.warnings else "clean"
    badge = (f'<span class="badge error">{ent.errors} error{"s" if ent.errors != 1 else ""}</span>' if ent.errors
             else f'<span class="badge warning">{ent.warnings} warning{"s" if ent.warnings != 1 else ""}</span>'
             if ent.warnings else '<span class="badge ok">clean</span>')
    search = " ".join([ent.name, ent.title, f.customer, *f.tags]).lower()
    edit = f' · <a href="{e(base)}/edit">Edit</a>' if acc.role.allows(Role.editor) else ""
    return (f'<tr data-search="{e(search)}" data-state="{e(f.state)}" data-health="{health}" '
            f'data-updated="{e(ent.updated_at.isoformat())}" data-name="{e(ent.name)}">'
            f'<td><a href="{e(base)}">{e(ent.title)}</a><div class="muted small">{e(ent.name)}'
            f'{" · " + e(f.customer) if f.customer else ""}</div></td>'
            f'<td>{e(f.state or "—")}</td><td class="num">{f.steps}</td><td class="num">{f.actions}</td>'
            f"<td>{badge}</td>"
            f'<td><span class="nowrap">v{ent.version}</span> <span class="muted small">'
            f'{e(ent.updated_at.strftime("%Y-%m-%d %H:%M"))}{" · " + e(ent.author) if ent.author else ""}</span></td>'
            f'<td class="nowrap"><a href="{e(base)}/history">History</a>{edit}</td></tr>')


@router.get("/web/w/{ws}", response_class=HTMLResponse)
def blueprint_list(acc: Member, st: State) -> Response:
    title = _ws_title(st, acc)
    with st.db.reading() as s:
        found = entries(s, acc.workspace_id)
    rows = "".join(_row(acc, ent) for ent in found)
    new = (f'<a class="button primary" href="/web/w/{e(acc.slug)}/new">New blueprint</a>'
           if acc.role.allows(Role.editor) else "")
    filters = (
        '<form class="filters" role="search" aria-label="Find blueprints" id="filters">'
        '<label for="q">Search</label><input id="q" type="search" placeholder="title, name, customer, tag">'
        '<label for="f-state">State</label><select id="f-state"><option value="">any</option>'
        '<option value="current">current</option><option value="future">future</option></select>'
        '<label for="f-health">Checks</label><select id="f-health"><option value="">any</option>'
        '<option value="errors">with errors</option><option value="warnings">with warnings</option>'
        '<option value="clean">clean</option></select>'
        '<label for="f-sort">Sort</label><select id="f-sort"><option value="name">by name</option>'
        '<option value="updated">newest first</option></select></form>')
    table = (
        '<table class="list" id="blueprints"><caption class="sr-only">Blueprints in this workspace</caption>'
        '<thead><tr><th scope="col">Blueprint</th><th scope="col">State</th><th scope="col">Steps</th>'
        '<th scope="col">Actions</th><th scope="col">Checks</th><th scope="col">Latest version</th>'
        f'<th scope="col"><span class="sr-only">Links</span></th></tr></thead><tbody>{rows}</tbody></table>'
        f'<p id="count" class="muted" role="status">{len(found)} blueprint{"s" if len(found) != 1 else ""}</p>')
    if not found:
        table = '<p class="empty">No blueprints here yet. Start one from a template.</p>'
    members = ""
    if acc.role.allows(Role.owner):
        members = (
            '<details class="card"><summary>Members of this workspace</summary>'
            '<form id="add-member" class="inline-form"><label for="m-user">User name</label>'
            '<input id="m-user" required maxlength="64"><label for="m-role">Role</label><select id="m-role">'
            + "".join(f'<option value="{r.value}">{r.value}</option>' for r in Role)
            + '</select><button type="submit">Add or change</button></form><ul id="members"></ul></details>')
    main = (f'<div class="heading"><h1>{e(title)}</h1>{new}</div>{filters}{table}{members}')
    return page(title, main, who=acc.actor, crumbs=_ws_crumbs(acc, title)[:1] + [Crumb(title)],
                script="list.js", page_id="list", data={"ws": acc.slug})


@router.get("/web/w/{ws}/new", response_class=HTMLResponse)
def gallery(acc: Member, st: State) -> Response:
    title = _ws_title(st, acc)
    if not acc.role.allows(Role.editor):
        raise HTTPException(403, f"this needs the editor role; you are {acc.role.value}")
    cards = ['<li class="tpl"><label><input type="radio" name="template" value="" checked>'
             '<span class="thumb blank" aria-hidden="true">+</span><span class="tpl-title">Blank blueprint</span>'
             '<span class="muted small">Start with one empty step</span></label></li>']
    for t in list_templates():
        cards.append(
            f'<li class="tpl"><label><input type="radio" name="template" value="{e(t.name)}" '
            f'data-title="{e(t.title)}"><img class="thumb" src="/web/gallery/{e(t.name)}.svg" alt="" loading="lazy">'
            f'<span class="tpl-title">{e(t.title)}</span><span class="muted small">{e(t.state)} state · '
            f"{t.steps} steps · {t.actions} actions</span>"
            f'<span class="small">{e(t.description)}</span></label></li>')
    main = (
        '<h1>New blueprint</h1><form id="new-blueprint">'
        '<fieldset><legend>Start from</legend><ul class="gallery">' + "".join(cards) + "</ul></fieldset>"
        '<div class="inline-form"><label for="bp-title">Title</label><input id="bp-title" required maxlength="300">'
        '<label for="bp-name">Short name (in links)</label>'
        f'<input id="bp-name" required maxlength="{NAME_MAX}" pattern="[a-z0-9][a-z0-9_\\-]*(\\.[a-z0-9_\\-]+)*">'
        '<p id="new-error" class="error" role="alert" hidden></p>'
        '<button class="primary" type="submit">Create and edit</button></div></form>')
    return page("New blueprint", main, who=acc.actor, crumbs=_ws_crumbs(acc, title, Crumb("New blueprint")),
                script="gallery.js", page_id="gallery", data={"ws": acc.slug})


@cache
def _thumbnail(name: str) -> bytes:
    bp = parse_document(template_text(name), name).blueprint
    if bp is None:
        raise TemplateNotFoundError(name)
    return render_svg(bp, legend=False).encode()


@router.get("/web/gallery/{name}.svg")
def template_picture(name: Slug, who: Who) -> Response:
    """A template's drawing for the gallery (bundled content; any logged-in user may see it)."""
    try:
        data = _thumbnail(name)
    except TemplateNotFoundError:
        raise HTTPException(404, "no such template") from None
    return Response(data, media_type="image/svg+xml", headers={"Cache-Control": "private, max-age=3600",
                                                               "X-Content-Type-Options": "nosniff"})


@router.get("/web/gallery/{name}.yaml")
def template_file(name: Slug, who: Who) -> Response:
    """A template's text, comments included, for "new from template"."""
    try:
        text = template_text(name)
    except TemplateNotFoundError:
        raise HTTPException(404, "no such template") from None
    return Response(text, media_type="application/yaml; charset=utf-8", headers={"X-Content-Type-Options": "nosniff"})


# ---- one blueprint --------------------------------------------------------------------------------


def _blueprint_page(acc: Access, st: ServerState, name: str, tab: str, label: str, main: str, script: str,
                    data: dict[str, str] | None = None) -> HTMLResponse:
    with st.db.reading() as s:
        bp = find_blueprint(s, acc.workspace_id, name)
        head = get_version(s, bp, None)
        ws_title = s.scalar(select(Workspace.title).where(Workspace.id == acc.workspace_id)) or acc.slug
    base = f"/web/w/{acc.slug}/b/{name}"
    title = head.title or name
    heading = (f'<div class="heading"><h1>{e(title)} <span class="muted small">v{head.number}</span></h1>'
               f'{tabs(base, tab, can_edit=acc.role.allows(Role.editor))}</div>')
    crumbs = _ws_crumbs(acc, ws_title, Crumb(title, base), Crumb(label)) if tab else _ws_crumbs(acc, ws_title,
                                                                                                 Crumb(title))
    info = {"ws": acc.slug, "name": name, "role": acc.role.value, "version": str(head.number),
            "errors": str(head.errors), **(data or {})}
    return page(f"{label}: {title}", heading + main, who=acc.actor, crumbs=crumbs, script=script,
                page_id=script.removesuffix(".js"), wide=True, data=info)


def _known(acc: Access, st: ServerState, name: str) -> None:
    with st.db.reading() as s:
        try:
            find_blueprint(s, acc.workspace_id, name)
        except NotFound as exc:
            raise HTTPException(404, str(exc)) from None


@router.get("/web/w/{ws}/b/{name}", response_class=HTMLResponse)
def view_page(name: Slug, acc: Member, st: State) -> Response:
    _known(acc, st, name)
    api = f"/api/workspaces/{acc.slug}/blueprints/{name}"
    main = (
        '<div class="view-bar"><p id="view-note" class="muted" role="status"></p></div>'
        f'<iframe id="view-frame" class="view-frame" title="Interactive blueprint" data-src="{e(api)}/render/html">'
        '</iframe><section id="view-findings" class="card" hidden aria-labelledby="vf-h">'
        '<h2 id="vf-h">This version has errors</h2><p>Fix them in the editor to see the drawing.</p>'
        '<ul class="findings"></ul></section>')
    return _blueprint_page(acc, st, name, "", "View", main, "view.js")


@router.get("/web/w/{ws}/b/{name}/edit", response_class=HTMLResponse)
def editor_page(name: Slug, acc: Member, st: State) -> Response:
    _known(acc, st, name)
    if not acc.role.allows(Role.editor):
        raise HTTPException(403, f"editing needs the editor role; you are {acc.role.value}")
    return _blueprint_page(acc, st, name, "/edit", "Edit", _EDITOR, "editor.js",
                           {"yaml-bundle": asset_url("yaml-editor.js")})


@router.get("/web/w/{ws}/b/{name}/history", response_class=HTMLResponse)
def history_page(name: Slug, acc: Member, st: State) -> Response:
    _known(acc, st, name)
    main = (
        '<div class="split"><section class="card" aria-labelledby="vh"><h2 id="vh">Versions</h2>'
        '<p class="muted small">Pick two versions to compare, or restore an old one as a new version.</p>'
        '<form id="compare" class="inline-form"><label for="from">From</label><select id="from"></select>'
        '<label for="to">To</label><select id="to"></select><button class="primary" type="submit">Compare</button>'
        '</form><ol id="versions" class="versions" reversed></ol></section>'
        '<section class="card grow" aria-labelledby="dh"><h2 id="dh">Differences</h2>'
        '<p id="diff-note" class="muted" role="status">Choose two versions.</p>'
        '<div id="diff-picture" class="diff-picture canvas" tabindex="0" hidden '
        'aria-label="Changes drawn on the blueprint"></div>'
        '<pre id="diff-text" class="diff-text"></pre></section></div>')
    return _blueprint_page(acc, st, name, "/history", "History", main, "history.js")


def _export_buttons(acc: Access, name: str) -> str:
    api = f"/api/workspaces/{acc.slug}/blueprints/{name}"
    links = [f'<a class="button" download href="{e(api)}/render/{fmt}">{e(label)}</a>' for fmt, label in DRAWINGS]
    for fmt_name, fmt in FORMATS.items():
        if fmt.export is None:
            continue
        links.append(f'<a class="button" download href="{e(api)}/export/{e(fmt_name)}" '
                     f'title="{e(fmt.summary)}">{e(fmt_name.upper() if len(fmt_name) < 6 else fmt_name)}</a>')
    return "".join(links)


@router.get("/web/w/{ws}/b/{name}/review", response_class=HTMLResponse)
def review_page(name: Slug, acc: Member, st: State) -> Response:
    _known(acc, st, name)
    can_comment = acc.role.allows(Role.commenter)
    comment_form = (
        '<form id="comment-form" class="stack"><label for="c-action">On action</label>'
        '<select id="c-action"><option value="">the whole blueprint</option></select>'
        '<label for="c-body">Comment</label><textarea id="c-body" rows="3" required maxlength="10000"></textarea>'
        '<button class="primary" type="submit">Add comment</button></form>') if can_comment else ""
    can_run = acc.role.allows(Role.editor)
    main = (
        '<div class="review">'
        '<div class="review-canvas"><div id="canvas" class="canvas" tabindex="0" '
        'aria-label="Blueprint; select an action to see its comments"></div></div>'
        '<div class="review-side">'
        '<div class="tablist" role="tablist" aria-label="Review">'
        '<button role="tab" id="t-comments" aria-controls="p-comments" aria-selected="true">Comments</button>'
        '<button role="tab" id="t-analysis" aria-controls="p-analysis" aria-selected="false" tabindex="-1">Analysis'
        '</button><button role="tab" id="t-sim" aria-controls="p-sim" aria-selected="false" tabindex="-1">'
        'Simulation</button><button role="tab" id="t-export" aria-controls="p-export" aria-selected="false" '
        'tabindex="-1">Export</button></div>'
        f'<section role="tabpanel" id="p-comments" aria-labelledby="t-comments">{comment_form}'
        '<label class="check"><input type="checkbox" id="c-resolved"> Show resolved threads</label>'
        '<ul id="threads" class="threads"></ul></section>'
        '<section role="tabpanel" id="p-analysis" aria-labelledby="t-analysis" hidden>'
        '<p id="a-note" class="muted" role="status">Loading the analysis…</p><div id="analysis"></div></section>'
        '<section role="tabpanel" id="p-sim" aria-labelledby="t-sim" hidden>'
        + (_SIM_FORM if can_run else '<p class="muted">Running simulations needs the editor role.</p>') +
        '<div id="sim-result"></div></section>'
        '<section role="tabpanel" id="p-export" aria-labelledby="t-export" hidden>'
        '<p class="muted small">Downloads of the newest version. What a format cannot carry is listed by '
        'the API in the X-Blueprint-Warnings header.</p>'
        f'<div class="exports">{_export_buttons(acc, name)}</div></section>'
        "</div></div>")
    return _blueprint_page(acc, st, name, "/review", "Review", main, "review.js")


_SIM_FORM = (
    '<form id="sim-form" class="stack"><fieldset><legend>Staff per role</legend><div id="sim-staff" '
    'class="staff-grid"></div></fieldset>'
    '<div class="row"><label for="sim-days">Days</label><input id="sim-days" type="number" min="1" max="90" '
    'value="7" step="1"><label for="sim-reps">Replications</label><input id="sim-reps" type="number" min="1" '
    'max="30" value="3"><label for="sim-demand">Demand ×</label><input id="sim-demand" type="number" min="0" '
    'max="10" value="1" step="0.1"></div>'
    '<button class="primary" type="submit">Run simulation</button>'
    '<progress id="sim-progress" max="1" value="0" hidden aria-label="Simulation progress"></progress>'
    '<p id="sim-note" class="muted" role="status"></p></form>')

_EDITOR = (
    '<div class="editor">'
    '<div class="toolbar" role="group" aria-label="Editing">'
    '<button type="button" id="b-undo" title="Undo (Ctrl+Z)" disabled>Undo</button>'
    '<button type="button" id="b-redo" title="Redo (Ctrl+Shift+Z)" disabled>Redo</button>'
    '<span class="sep"></span>'
    '<button type="button" id="b-add-step" title="Add a step after the selected one (S)">+ Step</button>'
    '<button type="button" id="b-add-action" title="Add an action to the selected cell (A)">+ Action</button>'
    '<button type="button" id="b-connect" title="Draw a flow from the selected action (F)" aria-pressed="false">'
    "Connect</button>"
    '<button type="button" id="b-delete" title="Delete the selection (Delete)">Delete</button>'
    '<span class="sep"></span>'
    '<button type="button" id="b-zoom-out" aria-label="Zoom out">−</button>'
    '<button type="button" id="b-zoom-fit">Fit</button>'
    '<button type="button" id="b-zoom-in" aria-label="Zoom in">+</button>'
    '<span class="sep"></span>'
    '<button type="button" id="b-help" aria-expanded="false" aria-controls="help">Keys</button>'
    '<span class="grow"></span>'
    '<span id="save-state" class="muted small" role="status" aria-live="polite">Loading…</span>'
    '<button type="button" class="primary" id="b-save" title="Save a new version (Ctrl+S)" disabled>Save…</button>'
    "</div>"
    '<div id="help" class="help card" hidden><h2>Keyboard</h2><dl class="keys">'
    "<dt>Tab / Shift+Tab</dt><dd>move between actions on the canvas</dd>"
    "<dt>Enter</dt><dd>select the focused action; in Connect mode, pick it as source or target</dd>"
    "<dt>A</dt><dd>add an action to the selected step and lane</dd>"
    "<dt>S</dt><dd>add a step after the selected one</dd>"
    "<dt>F</dt><dd>start a flow from the selected action</dd>"
    "<dt>Alt+← / Alt+→</dt><dd>move the selected action or step left or right</dd>"
    "<dt>Alt+↑ / Alt+↓</dt><dd>move the selected action up or down (across lanes)</dd>"
    "<dt>Delete</dt><dd>delete the selected action, flow or step</dd>"
    "<dt>Ctrl+Z / Ctrl+Shift+Z</dt><dd>undo / redo</dd><dt>Ctrl+S</dt><dd>save</dd>"
    "<dt>Escape</dt><dd>cancel Connect, clear the selection</dd></dl></div>"
    '<div class="editor-body">'
    '<div class="editor-main">'
    '<div class="tablist" role="tablist" aria-label="Editor view">'
    '<button role="tab" id="t-diagram" aria-controls="p-diagram" aria-selected="true">Diagram</button>'
    '<button role="tab" id="t-yaml" aria-controls="p-yaml" aria-selected="false" tabindex="-1">YAML</button>'
    '<span id="mode" class="mode" role="status" aria-live="polite"></span></div>'
    '<div role="tabpanel" id="p-diagram" aria-labelledby="t-diagram" class="canvas-wrap">'
    '<div id="canvas" class="canvas editing" aria-label="Blueprint canvas"></div>'
    '<p id="stale-note" class="stale-note note" role="status" hidden>The drawing shows the last state that '
    "could be read; fix the error listed under Checks to update it.</p></div>"
    '<div role="tabpanel" id="p-yaml" aria-labelledby="t-yaml" class="yaml-wrap" hidden>'
    '<div id="yaml" class="yaml" aria-label="Blueprint as YAML"></div></div>'
    "</div>"
    '<aside class="panel" aria-label="Properties and findings">'
    '<section id="props" class="props" aria-labelledby="props-h"><h2 id="props-h">Blueprint</h2>'
    '<div id="props-body"></div></section>'
    '<section class="findings-box" aria-labelledby="find-h"><h2 id="find-h">Checks '
    '<span id="find-count" class="muted small"></span></h2><ul id="findings" class="findings"></ul></section>'
    "</aside></div>"
    '<dialog id="save-dialog" aria-labelledby="save-h"><form method="dialog" id="save-form" class="stack">'
    '<h2 id="save-h">Save a new version</h2><label for="save-msg">What changed?</label>'
    '<input id="save-msg" maxlength="2000" required>'
    '<p id="save-error" class="error" role="alert" hidden></p>'
    '<div class="row"><button class="primary" type="submit" value="save">Save</button>'
    '<button type="button" id="save-cancel">Cancel</button></div></form></dialog>'
    "</div>")
