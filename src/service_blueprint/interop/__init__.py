"""Moving blueprints in and out of other tools: BPMN 2.0, draw.io, Mermaid, CSV/xlsx, JSON.

One module per format; :mod:`.registry` maps format names and file extensions to them. Every
exporter and importer is a pure function of its input; what a format cannot carry is returned
as warnings, never silently lost. See ``docs/interop.md``.
"""

from __future__ import annotations

from .lanemap import LaneMapping, LaneTarget, parse_mapping, read_mapping
from .registry import FORMATS, Format, export_blueprint, format_for_output, import_blueprint, sniff
from .result import ExportResult, ImportResult

__all__ = [
    "FORMATS",
    "ExportResult",
    "Format",
    "ImportResult",
    "LaneMapping",
    "LaneTarget",
    "export_blueprint",
    "format_for_output",
    "import_blueprint",
    "parse_mapping",
    "read_mapping",
    "sniff",
]
