"""``blueprint fmt``: canonical layout of a file the author wrote, keeping every comment.

Only layout changes: key order, indentation, quoting and spacing. Values, comments and
the author's choice of one-line or block mappings are kept, so a diff after ``fmt``
shows nothing but whitespace and order.
"""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from .findings import Finding
from .loader import parse_yaml
from .model import ACTION_LANES
from .rules import make
from .serialize import KEY_ORDER, yaml_writer
from .sourcemap import SourceMap

_STEP_KEYS = {"id", "name", "evidence", "note", *ACTION_LANES}


def _reorder(node: CommentedMap, order: tuple[str, ...]) -> None:
    """Put known keys in canonical order; unknown keys keep their place after them."""
    rank = {k: i for i, k in enumerate(order)}
    keys = list(node.keys())
    wanted = sorted(keys, key=lambda k: (rank.get(k, len(order)), keys.index(k)))
    if wanted == keys:
        return
    for k in wanted:
        node.move_to_end(k)


def _each_map(value: Any) -> list[CommentedMap]:
    if isinstance(value, CommentedMap):
        return list(value.values())
    return []


def _canonical(doc: Any) -> None:
    if not isinstance(doc, CommentedMap):
        return
    _reorder(doc, KEY_ORDER["blueprint"])
    for key, kind in (("scenario", "scenario"), ("demand", "demand")):
        if isinstance(doc.get(key), CommentedMap):
            _reorder(doc[key], KEY_ORDER[kind])
    for key, kind in (("roles", "role"), ("lanes", "lane")):
        for item in _each_map(doc.get(key)):
            if isinstance(item, CommentedMap):
                _reorder(item, KEY_ORDER[kind])
    lanes = doc.get("lanes")
    custom = tuple(lanes.keys()) if isinstance(lanes, CommentedMap) else ()
    steps = doc.get("steps")
    if isinstance(steps, CommentedSeq):
        for step in steps:
            if not isinstance(step, CommentedMap):
                continue
            _reorder(step, (*KEY_ORDER["step"][:-1], *custom, "note"))
            for key, value in step.items():
                if key in ("id", "name", "evidence", "note") or not isinstance(value, CommentedSeq):
                    continue
                for action in value:
                    if isinstance(action, CommentedMap):
                        _reorder(action, KEY_ORDER["action"])
                        _canonical_value(action)
    flows = doc.get("flows")
    if isinstance(flows, CommentedSeq):
        for flow in flows:
            if isinstance(flow, CommentedMap):
                _reorder(flow, KEY_ORDER["flow"])


def _canonical_value(action: CommentedMap) -> None:
    if isinstance(action.get("fail"), CommentedMap):
        _reorder(action["fail"], KEY_ORDER["fail"])
    for key in ("duration", "tolerance", "wait"):
        if isinstance(action.get(key), CommentedMap):
            _reorder(action[key], KEY_ORDER["duration"])


def format_text(text: str, file: str = "<string>") -> tuple[str | None, Finding | None]:
    """The canonical text of a blueprint file, or the syntax error that prevents formatting."""
    _, error = parse_yaml(text, file, SourceMap(text))
    if error:
        return None, error
    y = yaml_writer()
    try:
        doc = y.load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return None, make("E001", f"invalid YAML: {getattr(exc, 'problem', None) or exc}", file, line, col)
    if doc is None:
        return text, None
    _canonical(doc)
    buf = io.StringIO()
    y.dump(doc, buf)
    return buf.getvalue().rstrip("\n") + "\n", None
