"""The model's own forms: JSON (the structure of the YAML file) and canonical YAML."""

from __future__ import annotations

from ..errors import LoadError
from ..findings import Severity
from ..loader import parse_document
from ..model import Blueprint
from ..serialize import dumps_json, dumps_yaml
from .result import ExportResult, ImportResult


def export_json(bp: Blueprint) -> ExportResult:
    return ExportResult(dumps_json(bp))


def export_yaml(bp: Blueprint) -> ExportResult:
    return ExportResult(dumps_yaml(bp))


def import_native(data: bytes | str, *, file: str = "<json>") -> ImportResult:
    """JSON or YAML with the structure of a blueprint file (JSON is YAML, so one reader does both)."""
    from .. import textfile

    if isinstance(data, bytes):
        text, error = textfile.decode(data, file)
        if text is None:
            assert error is not None
            raise LoadError([error])
    else:
        text = data
    doc = parse_document(text, file)
    errors = [f for f in doc.findings if f.severity is Severity.ERROR]
    if doc.blueprint is None or errors:
        raise LoadError(errors or doc.findings)
    return ImportResult(doc.blueprint)
