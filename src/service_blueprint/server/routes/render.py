"""Drawings of a version: SVG, PNG, PDF and interactive HTML, cached by content."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Response

from ...errors import ServiceBlueprintError
from ...render import render
from ..access import Viewer
from ..store import etag
from .common import BlueprintName, State, VersionQuery, model_of, version_row

router = APIRouter(prefix="/api/workspaces/{ws}/blueprints/{name}", tags=["outputs"])


class RenderFormat(StrEnum):
    svg = "svg"
    png = "png"
    pdf = "pdf"
    html = "html"


class Theme(StrEnum):
    light = "light"
    dark = "dark"
    print = "print"


#: Drawn pages run in a sandbox of their own: inline script and style only, no network, and an
#: opaque origin, so a hostile blueprint text could not reach the API with the viewer's cookie
#: even if it slipped past escaping.
SANDBOX = ("sandbox allow-scripts allow-downloads; default-src 'none'; script-src 'unsafe-inline'; "
           "style-src 'unsafe-inline'; img-src data: blob:; font-src data:")

MEDIA = {"svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf", "html": "text/html; charset=utf-8"}


@router.get("/render/{fmt}", responses={200: {"content": {m: {} for m in MEDIA.values()}}, 404: {}, 422: {}})
def render_version(name: BlueprintName, fmt: RenderFormat, acc: Viewer, st: State, version: VersionQuery = None,
                   theme: Theme = Theme.light, legend: bool = True,
                   hide: Annotated[list[str] | None, Query(max_length=20, description="Lanes to leave out.")] = None,
                   scale: Annotated[float, Query(ge=0.25, le=4.0, description="PNG pixels per point.")] = 2.0,
                   ) -> Response:
    """The version drawn as the CLI's `blueprint render` draws it; a version with errors gets 422."""
    bp_id, v = version_row(st, acc.workspace_id, name, version)
    lanes = tuple(hide or ())
    key = ("render", v.sha256, fmt.value, theme.value, legend, lanes, scale if fmt is RenderFormat.png else None)

    def make() -> bytes:
        try:
            return render(model_of(v, name), fmt.value, theme=theme.value, legend=legend, hide=lanes, scale=scale)
        except ServiceBlueprintError as exc:
            raise HTTPException(422, str(exc)) from exc

    data = st.renders.get_or_make(key, make)
    return Response(data, media_type=MEDIA[fmt.value], headers={
        "ETag": etag(bp_id, v.number)[:-1] + f'-{fmt.value}"', "Cache-Control": "private, max-age=0",
        "X-Content-Type-Options": "nosniff", "Content-Security-Policy": SANDBOX})
