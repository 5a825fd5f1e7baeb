"""Pieces the blueprint routes share: the name in the path, output shapes, error translation."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, NoReturn

from fastapi import Depends, HTTPException, Path, Query
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from ...checker import check
from ...findings import Severity
from ...loader import parse_document
from ...model import Blueprint
from ..access import server_state
from ..models import StoredBlueprint, Version
from ..schemas import NAME_MAX, NAME_PATTERN, ConflictOut, FindingOut, VersionOut
from ..state import ServerState
from ..store import (
    Exists,
    Invalid,
    NotFound,
    Stale,
    StoreError,
    etag,
    file_name,
    find_version,
    get_version,
    history,
    text_diff,
    usernames,
)

State = Annotated[ServerState, Depends(server_state)]
BlueprintName = Annotated[str, Path(min_length=1, max_length=NAME_MAX, pattern=NAME_PATTERN,
                                    description="The blueprint's name in the workspace.")]
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
VersionQuery = Annotated[int | None, Query(ge=1, le=2**31 - 1, description="A version number; default the newest.")]


class ConflictError(Exception):
    """Carries the 409 body of a stale save up to the exception handler."""

    def __init__(self, body: ConflictOut) -> None:
        super().__init__(body.detail)
        self.body = body


def conflict_response(exc: ConflictError) -> JSONResponse:
    return JSONResponse(exc.body.model_dump(mode="json"), status_code=409, headers={"ETag": exc.body.etag})


def fail(exc: StoreError) -> NoReturn:
    """Turn a store refusal into its HTTP status."""
    if isinstance(exc, NotFound):
        raise HTTPException(404, str(exc)) from exc
    if isinstance(exc, Exists):
        raise HTTPException(409, str(exc)) from exc
    if isinstance(exc, Invalid):
        raise HTTPException(422, {"message": str(exc), "findings": [f.to_dict() for f in exc.findings]}) from exc
    raise HTTPException(400, str(exc)) from exc


@contextmanager
def refusals() -> Iterator[None]:
    try:
        yield
    except (NotFound, Exists, Invalid) as exc:
        fail(exc)


def version_out(v: Version, names: dict[int, str]) -> VersionOut:
    return VersionOut(number=v.number, title=v.title, message=v.message,
                      author=names.get(v.author_id) if v.author_id is not None else None,
                      created_at=v.created_at, errors=v.errors, warnings=v.warnings, sha256=v.sha256,
                      restored_from=v.restored_from)


def findings_out(findings: list[dict[str, object]]) -> list[FindingOut]:
    return [FindingOut.model_validate(f) for f in findings]


def conflict(s: Session, bp: StoredBlueprint, stale: Stale) -> ConflictError:
    """What changed since the version the writer started from: the versions and the YAML diff."""
    base = stale.base if stale.base is not None and 1 <= stale.base <= stale.current else None
    newer = history(s, bp, after=base or 0, limit=100)
    names = usernames(s, {v.author_id for v in newer})
    head = get_version(s, bp, stale.current)
    diff = ""
    if base is not None:
        diff = text_diff(get_version(s, bp, base).text, head.text, f"{bp.name} v{base}", f"{bp.name} v{head.number}")
    detail = (f"version {base} is out of date: the current version is {stale.current}; merge and save again "
              "with If-Match set to the new ETag" if base is not None else
              f"If-Match names no version of this blueprint; the current version is {stale.current}")
    return ConflictError(ConflictOut(detail=detail, your_version=base, current_version=stale.current,
                                     etag=etag(bp.id, stale.current), versions_since=[version_out(v, names)
                                                                                       for v in newer], diff=diff))



def version_row(st: ServerState, workspace_id: int, name: str, version: int | None) -> tuple[int, Version]:
    """The blueprint's id and one of its versions (default the newest); 404 if either is missing."""
    with refusals(), st.db.rows() as conn:
        return find_version(conn, workspace_id, name, version)


def model_of(v: Version, name: str) -> Blueprint:
    """A version's model for rendering, analysis, export or simulation: 422 with the findings
    when the version has errors (the outputs assume a valid blueprint, as the CLI does)."""
    doc = parse_document(v.text, file_name(name))
    if v.errors or doc.blueprint is None:
        errors = [f for f in check(doc).findings if f.severity is Severity.ERROR]
        raise HTTPException(422, {"message": f"version {v.number} has errors; fix them first",
                                  "findings": [f.to_dict() for f in errors]})
    return doc.blueprint
