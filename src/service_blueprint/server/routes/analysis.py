"""The analysis report of a version (time, cost, staff load, fail points, handoffs)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Response

from ...analysis import analyze, format_analysis
from ...analysis.report import DEFAULT_SAMPLES, DEFAULT_TARGET, DEFAULT_WITHIN
from ...errors import ServiceBlueprintError
from ..access import Viewer
from .common import BlueprintName, State, VersionQuery, model_of, version_row
from .render import SANDBOX

router = APIRouter(prefix="/api/workspaces/{ws}/blueprints/{name}", tags=["outputs"])


class ReportFormat(StrEnum):
    json = "json"
    text = "text"
    md = "md"
    html = "html"


MEDIA = {"json": "application/json", "text": "text/plain; charset=utf-8", "md": "text/markdown; charset=utf-8",
         "html": "text/html; charset=utf-8"}


@router.get("/analysis", responses={200: {"content": {m: {} for m in MEDIA.values()}}, 404: {}, 422: {}})
def analyse_version(name: BlueprintName, acc: Viewer, st: State, version: VersionQuery = None,
                    format: ReportFormat = ReportFormat.json,
                    samples: Annotated[int, Query(ge=0, le=50_000, description="Monte Carlo cases.")] = DEFAULT_SAMPLES,
                    seed: Annotated[int, Query(ge=0, le=2**32 - 1)] = 0,
                    target: Annotated[float, Query(gt=0, lt=1, description="Service-level share.")] = DEFAULT_TARGET,
                    within: Annotated[float, Query(ge=0, le=86_400 * 30, description="Seconds.")] = DEFAULT_WITHIN,
                    ) -> Response:
    """What `blueprint analyze` reports (docs/analysis.md), as JSON, text, Markdown or HTML."""
    _, v = version_row(st, acc.workspace_id, name, version)
    key = ("analysis", v.sha256, format.value, samples, seed, target, within)

    def make() -> bytes:
        try:
            result = analyze(model_of(v, name), samples=samples, seed=seed, target=target, within=within)
        except ServiceBlueprintError as exc:
            raise HTTPException(422, str(exc)) from exc
        return format_analysis(result, format.value).encode()

    headers = {"Content-Security-Policy": SANDBOX} if format is ReportFormat.html else {}
    return Response(st.renders.get_or_make(key, make), media_type=MEDIA[format.value], headers=headers)
