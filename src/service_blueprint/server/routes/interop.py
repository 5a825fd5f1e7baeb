"""Export a version to another tool's format; import another tool's file as a new version."""

from __future__ import annotations

import json
import logging
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Body, HTTPException, Query, Response
from sqlalchemy import select

from ...errors import LoadError, ServiceBlueprintError
from ...interop import FORMATS, export_blueprint, import_blueprint
from ...serialize import dumps_yaml
from ..access import Editor, Viewer
from ..models import StoredBlueprint
from ..schemas import MAX_MESSAGE, ImportOut
from ..store import check_blueprint, create
from .blueprints import IfMatch, save_checked, saved
from .common import BlueprintName, State, VersionQuery, model_of, refusals, version_row

router = APIRouter(prefix="/api/workspaces/{ws}/blueprints/{name}", tags=["interop"])
log = logging.getLogger("service_blueprint.server")

ExportFormat = StrEnum("ExportFormat", {n: n for n, f in FORMATS.items() if f.export is not None})  # type: ignore[misc]
ImportFormat = StrEnum("ImportFormat", {n: n for n, f in FORMATS.items() if f.import_ is not None})  # type: ignore[misc]
MEDIA = {"json": "application/json", "yaml": "application/yaml; charset=utf-8", "bpmn": "application/xml",
         "drawio": "application/xml", "mermaid": "text/plain; charset=utf-8", "csv": "text/csv; charset=utf-8",
         "csv-table": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "xlsx-table": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


class Lanes(StrEnum):
    lanes = "lanes"
    roles = "roles"


def _ascii_json(items: tuple[str, ...]) -> str:
    return json.dumps(list(items), ensure_ascii=True)


@router.get("/export/{fmt}", responses={200: {"content": {m: {} for m in set(MEDIA.values())}}, 404: {}, 422: {}})
def export_version(name: BlueprintName, fmt: ExportFormat, acc: Viewer, st: State,
                   version: VersionQuery = None, lanes: Lanes | None = None) -> Response:
    """The version in another format (docs/interop.md). What the format cannot carry is listed in
    the ``X-Blueprint-Warnings`` header as a JSON array."""
    _, v = version_row(st, acc.workspace_id, name, version)
    fmt_name = str(fmt.value)
    options = {"lanes": lanes.value} if lanes is not None and fmt_name == "bpmn" else {}
    try:
        result = export_blueprint(model_of(v, name), fmt_name, **options)
    except ServiceBlueprintError as exc:
        raise HTTPException(422, str(exc)) from exc
    content = result.content if isinstance(result.content, bytes) else result.content.encode()
    ext = FORMATS[fmt_name].extensions[0]
    return Response(content, media_type=MEDIA.get(fmt_name, "application/octet-stream"), headers={
        "X-Blueprint-Warnings": _ascii_json(result.warnings),
        "Content-Disposition": f'attachment; filename="{name}{ext}"'})


@router.post("/import", response_model=ImportOut, status_code=200,
             responses={201: {"model": ImportOut}, 403: {}, 404: {}, 409: {}, 413: {}, 422: {}, 428: {}})
def import_file(name: BlueprintName, data: Annotated[bytes, Body(media_type="application/octet-stream")],
                acc: Editor, st: State, response: Response,
                format: ImportFormat | None = None,
                filename: Annotated[str, Query(max_length=200, description="The file's name; it helps "
                                               "infer the format.")] = "",
                message: Annotated[str, Query(max_length=MAX_MESSAGE)] = "",
                if_match: IfMatch = None) -> ImportOut:
    """Import a BPMN, draw.io, CSV, xlsx, JSON or YAML file (the raw body) as the blueprint's next
    version, or as a new blueprint if none has this name (then no If-Match is needed)."""
    fmt = str(format.value) if format is not None else None
    try:
        result = import_blueprint(data, fmt, file=filename or "upload")
    except LoadError as exc:
        raise HTTPException(422, {"message": "the file could not be imported",
                                  "findings": [f.to_dict() for f in exc.findings]}) from exc
    except ServiceBlueprintError as exc:
        raise HTTPException(422, str(exc)) from exc
    except Exception as exc:  # an importer choking on hostile input must not become a 500
        log.warning("import failed: %s: %s", type(exc).__name__, exc)
        raise HTTPException(422, f"the file could not be imported ({type(exc).__name__})") from exc
    text = dumps_yaml(result.blueprint)
    message = message or f"import {fmt or 'file'} {filename}".strip()
    with refusals():
        checked = check_blueprint(text, name)
    with st.db.reading() as s:
        exists = s.scalar(select(StoredBlueprint.id).where(StoredBlueprint.workspace_id == acc.workspace_id,
                                                           StoredBlueprint.name == name)) is not None
    if exists:
        out = save_checked(st, acc, name, checked, message, if_match, response)
    else:
        with refusals(), st.db.writing() as s:
            bp, version = create(s, acc.workspace_id, name, checked, message, acc.actor.user_id, "blueprint.import")
            bp_id = bp.id
        response.status_code = 201
        out = saved(name, bp_id, version, checked, acc.actor.username, response)
    return ImportOut(**out.model_dump(), warnings=list(result.warnings))
