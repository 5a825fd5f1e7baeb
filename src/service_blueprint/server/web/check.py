"""``POST /web/api/check``: the editor's live check (see :mod:`.live`).

It stores nothing and reads no workspace, but it costs CPU, so it needs a logged-in caller
(and, with the session cookie, the CSRF token like every other unsafe request).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, ConfigDict, Field

from ..access import CurrentActor
from ..schemas import MAX_TEXT
from .live import preview_data, preview_text

router = APIRouter(include_in_schema=False)


class CheckIn(BaseModel):
    """Either the editor's data or YAML text, not both."""

    model_config = ConfigDict(extra="forbid")

    data: dict[str, Any] | None = None
    text: str | None = Field(default=None, max_length=MAX_TEXT)
    yaml: bool = Field(default=False, description="With 'data': also write it as YAML (slower).")


@router.post("/web/api/check")
def live_check(body: CheckIn, who: CurrentActor) -> dict[str, Any]:
    """YAML, drawing and anchored findings for one state of the editor."""
    if (body.data is None) == (body.text is None):
        raise HTTPException(422, "send either 'data' or 'text'")
    result = preview_text(body.text) if body.text is not None else preview_data(body.data, yaml=body.yaml)
    return result.to_json()
