"""Blueprints and their versions: list, create, read, save (If-Match), history, diff, restore."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Query, Response
from fastapi.responses import PlainTextResponse
from sqlalchemy import select

from ...analysis import diff_blueprints, format_diff
from ...loader import parse_document
from ..access import Editor, Owner, Viewer
from ..models import StoredBlueprint, Version
from ..schemas import (
    BlueprintIn,
    BlueprintOut,
    BlueprintSummary,
    ConflictOut,
    RestoreIn,
    SavedOut,
    SaveIn,
    VersionOut,
)
from ..store import (
    Checked,
    Stale,
    audit,
    check_blueprint,
    create,
    etag,
    file_name,
    find_blueprint,
    find_head,
    find_version,
    get_version,
    parse_if_match,
    save,
    text_diff,
    usernames,
)
from .common import (
    BlueprintName,
    State,
    VersionQuery,
    conflict,
    findings_out,
    refusals,
    version_out,
)
from .render import SANDBOX

router = APIRouter(prefix="/api/workspaces/{ws}/blueprints", tags=["blueprints"])
IfMatch = Annotated[str | None, Header(max_length=1000, description="The ETag of the version you started from, "
                                                                    "or * to save over any version.")]
CONFLICT: dict[int | str, dict[str, Any]] = {409: {"model": ConflictOut, "description": "Your version is not the current one."}}


def saved(name: str, bp_id: int, version: Version, checked: Checked, author: str, response: Response) -> SavedOut:
    tag = etag(bp_id, version.number)
    response.headers["ETag"] = tag
    return SavedOut(name=name, version=version_out(version, {version.author_id or 0: author}), etag=tag,
                    findings=findings_out([f.to_dict() for f in checked.findings]))


@router.get("", response_model=list[BlueprintSummary], responses={404: {}})
def list_blueprints(acc: Viewer, st: State) -> list[BlueprintSummary]:
    with st.db.reading() as s:
        rows = s.scalars(select(StoredBlueprint).where(StoredBlueprint.workspace_id == acc.workspace_id)
                         .order_by(StoredBlueprint.name))
        return [BlueprintSummary(name=b.name, title=b.title, version=b.head, etag=etag(b.id, b.head),
                                 updated_at=b.updated_at) for b in rows]


@router.post("", response_model=SavedOut, status_code=201, responses={403: {}, 404: {}, 409: {}, 422: {}})
def create_blueprint(body: BlueprintIn, acc: Editor, st: State, response: Response) -> SavedOut:
    """Create a blueprint from YAML text; the response lists the checker's findings.

    Text that is not a readable blueprint is refused (422 with findings); a blueprint that
    reads but breaks rules is saved, and its findings say what to fix.
    """
    with refusals():
        checked = check_blueprint(body.text, body.name)
        with st.db.writing() as s:
            bp, version = create(s, acc.workspace_id, body.name, checked, body.message, acc.actor.user_id)
            bp_id = bp.id
    response.headers["Location"] = f"/api/workspaces/{acc.slug}/blueprints/{body.name}"
    return saved(body.name, bp_id, version, checked, acc.actor.username, response)


@router.get("/{name}", response_model=BlueprintOut, responses={304: {}, 404: {}})
def get_blueprint(name: BlueprintName, acc: Viewer, st: State, response: Response,
                  version: VersionQuery = None,
                  if_none_match: Annotated[str | None, Header(max_length=1000)] = None) -> BlueprintOut | Response:
    """A version (default the newest) with its YAML text; the ETag header is what to send as If-Match."""
    with refusals(), st.db.rows() as conn:
        bp_id, v = find_version(conn, acc.workspace_id, name, version)
        tag = etag(bp_id, v.number)
        if if_none_match is not None and tag in [t.strip().removeprefix("W/") for t in if_none_match.split(",")]:
            return Response(status_code=304, headers={"ETag": tag})
        names = usernames(conn, {v.author_id})
        response.headers["ETag"] = tag
        return BlueprintOut(name=name, title=v.title, version=v.number, etag=tag, updated_at=v.created_at,
                            text=v.text, author=names.get(v.author_id or 0), message=v.message)


@router.get("/{name}/text", response_class=PlainTextResponse, responses={404: {}})
def get_text(name: BlueprintName, acc: Viewer, st: State, version: VersionQuery = None) -> PlainTextResponse:
    """The YAML text of a version alone (what `blueprint pull` writes)."""
    with refusals(), st.db.rows() as conn:
        bp_id, v = find_version(conn, acc.workspace_id, name, version)
        return PlainTextResponse(v.text, media_type="application/yaml; charset=utf-8", headers={
            "ETag": etag(bp_id, v.number),
            "Content-Disposition": f'attachment; filename="{file_name(name)}"'})


def save_text(st: State, acc: Editor, name: str, text: str, message: str, if_match: str | None,
              response: Response, restored_from: int | None = None) -> SavedOut:
    """Check ``text`` and save it as the next version, guarded by If-Match (shared by save and restore)."""
    with refusals():
        checked = check_blueprint(text, name)
    return save_checked(st, acc, name, checked, message, if_match, response, restored_from)


def save_checked(st: State, acc: Editor, name: str, checked: Checked, message: str, if_match: str | None,
                 response: Response, restored_from: int | None = None) -> SavedOut:
    """Save text the checker has read as the next version, guarded by If-Match."""
    try:
        with st.db.transaction() as conn:
            with refusals():
                bp = find_head(conn, acc.workspace_id, name)
            base = parse_if_match(if_match, bp.id)
            if base is None:
                raise HTTPException(428, "send If-Match with the ETag of the version you started from "
                                         "(or If-Match: * to save over whatever is current)")
            version = save(conn, bp, bp.number if base == "*" else int(base), checked, message, acc.actor.user_id,
                           restored_from)
            bp_id = bp.id
    except Stale as stale:
        with st.db.reading() as s:
            raise conflict(s, find_blueprint(s, acc.workspace_id, name), stale) from None
    return saved(name, bp_id, version, checked, acc.actor.username, response)


@router.put("/{name}", response_model=SavedOut, responses={403: {}, 404: {}, 422: {}, 428: {}, **CONFLICT})
def save_blueprint(name: BlueprintName, body: SaveIn, acc: Editor, st: State, response: Response,
                   if_match: IfMatch = None) -> SavedOut:
    """Save a new version. If-Match is required: a stale one gets 409 with what changed since."""
    return save_text(st, acc, name, body.text, body.message, if_match, response)


@router.delete("/{name}", status_code=204, responses={403: {}, 404: {}})
def delete_blueprint(name: BlueprintName, acc: Owner, st: State) -> None:
    """Delete a blueprint with all its versions, comments and jobs (owners only; audited)."""
    with refusals(), st.db.writing() as s:
        bp = find_blueprint(s, acc.workspace_id, name)
        audit(s, "blueprint.delete", user_id=acc.actor.user_id, workspace_id=acc.workspace_id, target=name,
              detail={"versions": bp.head})
        s.delete(bp)


@router.get("/{name}/versions", response_model=list[VersionOut], responses={404: {}})
def list_versions(name: BlueprintName, acc: Viewer, st: State,
                  limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                  before: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None) -> list[VersionOut]:
    """The changelog: versions newest first, with author, time and message."""
    with refusals(), st.db.reading() as s:
        bp = find_blueprint(s, acc.workspace_id, name)
        q = select(Version).where(Version.blueprint_id == bp.id)
        if before is not None:
            q = q.where(Version.number < before)
        rows = list(s.scalars(q.order_by(Version.number.desc()).limit(limit)))
        names = usernames(s, {v.author_id for v in rows})
        return [version_out(v, names) for v in rows]


class DiffFormat(StrEnum):
    json = "json"
    text = "text"
    md = "md"
    html = "html"
    svg = "svg"
    unified = "unified"


_MEDIA = {"json": "application/json", "text": "text/plain; charset=utf-8", "md": "text/markdown; charset=utf-8",
          "html": "text/html; charset=utf-8", "svg": "image/svg+xml", "unified": "text/x-diff; charset=utf-8"}


@router.get("/{name}/diff", responses={200: {"content": {m: {} for m in _MEDIA.values()}}, 404: {}, 422: {}})
def diff_versions(name: BlueprintName, acc: Viewer, st: State,
                  old: Annotated[int, Query(alias="from", ge=1, le=2**31 - 1)],
                  new: Annotated[int | None, Query(alias="to", ge=1, le=2**31 - 1)] = None,
                  format: DiffFormat = DiffFormat.json,
                  samples: Annotated[int, Query(ge=0, le=20_000)] = 2000) -> Response:
    """Compare two versions (``to`` defaults to the newest): what was added, removed, changed and
    moved, and how the analysis figures moved (see docs/analysis.md); ``unified`` is the YAML diff."""
    with refusals(), st.db.reading() as s:
        bp = find_blueprint(s, acc.workspace_id, name)
        a = get_version(s, bp, old)
        b = get_version(s, bp, new)
    la, lb = f"v{a.number}", f"v{b.number}"
    if format is DiffFormat.unified:
        return Response(text_diff(a.text, b.text, la, lb), media_type=_MEDIA["unified"])
    docs = [parse_document(v.text, file_name(name)) for v in (a, b)]
    if docs[0].blueprint is None or docs[1].blueprint is None:
        raise HTTPException(422, "one of the versions is not a readable blueprint; use format=unified")
    d = diff_blueprints(docs[0].blueprint, docs[1].blueprint, old_label=la, new_label=lb, samples=samples)
    headers = {"Content-Security-Policy": SANDBOX} if format in (DiffFormat.html, DiffFormat.svg) else {}
    return Response(format_diff(d, format.value), media_type=_MEDIA[format.value], headers=headers)


@router.post("/{name}/restore", response_model=SavedOut, responses={403: {}, 404: {}, 428: {}, **CONFLICT})
def restore_version(name: BlueprintName, body: RestoreIn, acc: Editor, st: State, response: Response,
                    if_match: IfMatch = None) -> SavedOut:
    """Make an old version current again, as a new version (history is never rewritten)."""
    with refusals(), st.db.reading() as s:
        old = get_version(s, find_blueprint(s, acc.workspace_id, name), body.version)
    message = body.message or f"restore version {body.version}"
    return save_text(st, acc, name, old.text, message, if_match, response, restored_from=body.version)


