"""What the editor shows after every change: YAML, drawing, findings and where they point.

The browser edits the blueprint as plain data (the ``to_data`` form) and sends it here after
each change, or sends the YAML text when the person types in the YAML tab. Both go through
the core exactly as a saved file would: the data is written as text (YAML, or JSON when no one
needs to see the text), that text is read and checked, and the model is drawn by the renderer. So findings carry the lines of the YAML the
YAML tab shows, and the canvas is the same picture as ``blueprint render``.

A pure function of its input; the route only decodes the request and encodes the answer.
"""

from __future__ import annotations

import io
import json
import logging
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from ...checker import check
from ...loader import Document, parse_document
from ...model import Blueprint
from ...render.layout import Options, lane_title
from ...render.routing import route
from ...render.svg import RenderOptions, draw
from ...serialize import dumps_yaml, to_data, yaml_writer
from .anchors import anchor_findings

log = logging.getLogger("service_blueprint.server")

FILE = "editor.blueprint.yaml"


@dataclass
class Preview:
    """The editor's view of one state of the blueprint (see the module docstring)."""

    text: str | None
    data: dict[str, Any] | None = None
    svg: str | None = None
    findings: list[dict[str, Any]] = field(default_factory=list)
    grid: dict[str, Any] | None = None
    lanes: list[dict[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "data": self.data, "svg": self.svg, "findings": self.findings,
                "grid": self.grid, "lanes": self.lanes}


def text_of(data: Any) -> str:
    """YAML for the editor's data: the canonical layout when it is a valid model, else the data
    as it stands (so the reader can point at what is wrong in it)."""
    try:
        return dumps_yaml(Blueprint.model_validate(data))
    except (ValidationError, ValueError, TypeError):
        buf = io.StringIO()
        yaml_writer().dump(data, buf)
        return buf.getvalue()


def explicit_ids(bp: Blueprint) -> dict[str, Any]:
    """The data form with every step and action id written out.

    The editor addresses actions and steps by id (flows, phases and selection need one); ids the
    file left to be derived from the text are made explicit so that editing the text later does
    not silently rename an action that flows point at.
    """
    data = to_data(bp)
    lanes = bp.lane_order
    for step, out in zip(bp.steps, data.get("steps", []), strict=True):
        if "id" not in out:
            out_items = list(out.items())
            out.clear()
            out["id"] = step.id
            out.update(out_items)
        for lane in lanes:
            for action, item in zip(step.lane(lane), out.get(lane, []), strict=True):
                if isinstance(item, dict) and "id" not in item:
                    rest = dict(item)
                    item.clear()
                    item["id"] = action.id
                    item.update(rest)
    return data


def _grid(bp: Blueprint) -> dict[str, Any]:
    """Where the steps and lanes are on the drawing, so a click on an empty cell can add there."""
    lay, _ = route(bp, Options())
    return {
        "width": lay.width,
        "columns": [{"step": c.id, "x": c.rect.x, "w": c.rect.w} for c in lay.columns],
        "lanes": [{"lane": r.lane, "y": r.rect.y, "h": r.rect.h} for r in lay.lanes],
    }


def _drawing(bp: Blueprint) -> tuple[str | None, dict[str, Any] | None]:
    """The canvas: the interactive SVG (focusable actions) and its grid.

    A blueprint that reads but still breaks rules (a flow to an unknown action, say) is drawn as
    far as the renderer can; if it cannot, the editor keeps showing the last picture.
    """
    try:
        return draw(bp, RenderOptions(interactive=True)), _grid(bp)
    except Exception as exc:  # the renderer assumes a checked model; a draft may not be one
        log.info("editor preview not drawn: %s: %s", type(exc).__name__, exc)
        return None, None


def _preview(doc: Document, *, data: bool) -> Preview:
    """``data``: also give the data form (the editor needs it only after reading YAML)."""
    findings = check(doc).findings
    bp = doc.blueprint
    out = Preview(text=doc.text, findings=anchor_findings(doc, findings))
    if bp is None:
        return out
    if data:
        out.data = explicit_ids(bp)
    out.svg, out.grid = _drawing(bp)
    out.lanes = [{"id": lane, "name": lane_title(bp, lane)} for lane in bp.lane_order]
    return out


def preview_data(data: Any, *, yaml: bool = False) -> Preview:
    """Check and draw the editor's data (sent after a change on the canvas or in the panel).

    Writing YAML is most of the cost of a check (ruamel.yaml is slow), so unless ``yaml`` is
    asked for (the YAML tab is open, or the editor is about to save) the data is checked as
    JSON text, which the reader takes as the YAML it is: the same findings, with lines of a
    text nobody sees, and ``text`` left out.
    """
    if yaml:
        return _preview(parse_document(text_of(data), FILE), data=False)
    out = _preview(parse_document(json.dumps(data, indent=1, ensure_ascii=False), FILE), data=False)
    out.text = None
    return out


def preview_text(text: str) -> Preview:
    """Check and draw YAML (as loaded, or typed in the YAML tab); ``data`` is what the canvas edits
    next, with every id written out."""
    return _preview(parse_document(text, FILE), data=True)
