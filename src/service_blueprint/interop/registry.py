"""Format names, file extensions and the functions that read and write each format.

The one table both directions use: ``export_blueprint`` and ``import_blueprint`` look a
format up here by name, or infer it from a file's extension and, where one extension serves
two formats (``.xml``, ``.csv``, ``.xlsx``), from its content.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from ..errors import UsageError
from ..ids import suggestion
from ..model import Blueprint
from . import bpmn_export, bpmn_import, drawio, mermaid, native, spreadsheet
from .lanemap import LaneMapping
from .result import ExportResult, ImportResult


@dataclass(frozen=True)
class Format:
    name: str
    summary: str
    extensions: tuple[str, ...]
    binary: bool = False
    export: Callable[..., ExportResult] | None = None
    import_: Callable[..., ImportResult] | None = None
    export_options: tuple[str, ...] = ()
    import_options: tuple[str, ...] = ()


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("json", "the blueprint's structure as JSON", (".json",),
           export=native.export_json, import_=native.import_native),
    Format("yaml", "canonical *.blueprint.yaml text", (".yaml", ".yml"),
           export=native.export_yaml, import_=native.import_native),
    Format("bpmn", "BPMN 2.0 collaboration with lanes and a diagram", (".bpmn", ".bpmn20.xml"),
           export=bpmn_export.export_bpmn, import_=bpmn_import.import_bpmn,
           export_options=("lanes",), import_options=("mapping",)),
    Format("drawio", "draw.io (diagrams.net) diagram with swimlanes", (".drawio", ".dio", ".drawio.xml"),
           export=drawio.export_drawio, import_=drawio.import_drawio, import_options=("mapping",)),
    Format("mermaid", "Mermaid flowchart, one subgraph per lane (export only)", (".mmd", ".mermaid"),
           export=mermaid.export_mermaid),
    Format("csv", "spreadsheet grid: one row per lane, one column per step", (".csv",),
           export=spreadsheet.export_csv_grid, import_=spreadsheet.import_csv_grid, import_options=("mapping",)),
    Format("csv-table", "flat table: one row per action with every field", (".table.csv",),
           export=spreadsheet.export_csv_table, import_=spreadsheet.import_csv_table),
    Format("xlsx", "Excel workbook with the grid (and a sheet of blueprint details)", (".xlsx",), binary=True,
           export=spreadsheet.export_xlsx_grid, import_=spreadsheet.import_xlsx_grid, import_options=("mapping",)),
    Format("xlsx-table", "Excel workbook with the flat table of actions (and blueprint details)",
           (".table.xlsx",), binary=True,
           export=spreadsheet.export_xlsx_table, import_=spreadsheet.import_xlsx_table),
)}


def get_format(name: str) -> Format:
    if name not in FORMATS:
        raise UsageError(f"unknown format '{name}'{suggestion(name, FORMATS)}; formats: {', '.join(FORMATS)}")
    return FORMATS[name]


def _by_suffix(path: str) -> str | None:
    name = PurePath(path).name.lower()
    best: tuple[int, str] | None = None
    for f in FORMATS.values():
        for ext in f.extensions:
            if name.endswith(ext) and (best is None or len(ext) > best[0]):
                best = (len(ext), f.name)
    return best[1] if best else None


def format_for_output(path: str) -> str:
    """The export format a file name asks for (``.bpmn``, ``.mmd``, ``.table.csv``...)."""
    found = _by_suffix(path)
    if found is None:
        raise UsageError(f"cannot tell the format from the name '{PurePath(path).name}'; pass --to "
                         f"({', '.join(n for n, f in FORMATS.items() if f.export)})")
    return found


def sniff(data: bytes, path: str = "") -> str:
    """The import format of ``data``: from the content where it decides, else from the extension."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"PK\x03\x04"):
        return spreadsheet.xlsx_kind(data)
    if head.startswith(b"<"):
        if b"<mxfile" in head or b"<mxGraphModel" in head:
            return "drawio"
        if b"BPMN/20100524/MODEL" in head:
            return "bpmn"
        by_name = _by_suffix(path)
        if by_name in ("bpmn", "drawio"):
            return by_name
        raise UsageError(f"{path or 'input'}: XML that is neither BPMN 2.0 nor draw.io; pass --from")
    by_name = _by_suffix(path)
    if by_name in ("csv", "csv-table"):
        return spreadsheet.csv_kind(data)
    if by_name is not None and FORMATS[by_name].import_ is not None:
        return by_name
    if head.startswith((b"{", b"[")):
        return "json"
    if head.startswith((b"blueprint:", b"#")):
        return "yaml"
    raise UsageError(f"cannot tell the format of {path or 'the input'}; pass --from "
                     f"({', '.join(n for n, f in FORMATS.items() if f.import_)})")


def _check_options(fmt: Format, given: Mapping[str, Any], allowed: tuple[str, ...], verb: str) -> dict[str, Any]:
    opts = {k: v for k, v in given.items() if v is not None}
    for key in opts:
        if key not in allowed:
            raise UsageError(f"option '{key}' does not apply when {verb} {fmt.name}")
    return opts


def export_blueprint(bp: Blueprint, fmt: str, **options: Any) -> ExportResult:
    """``bp`` in format ``fmt`` (see :data:`FORMATS`): the content (``bytes`` for xlsx, text
    otherwise) and warnings naming what the format could not carry.

    Options: ``lanes="roles"`` for bpmn (one provider lane per role instead of per blueprint lane).
    """
    f = get_format(fmt)
    if f.export is None:
        raise UsageError(f"format '{fmt}' can be imported but not exported")
    return f.export(bp, **_check_options(f, options, f.export_options, "exporting to"))


def import_blueprint(data: bytes | str, fmt: str | None = None, *, file: str = "<input>",
                     mapping: LaneMapping | None = None) -> ImportResult:
    """The blueprint in ``data`` (format ``fmt``, or inferred from ``file``'s name and the content)
    and warnings naming what was dropped or assumed.

    ``mapping`` maps lane (and pool) names drawn in other tools to blueprint lanes and roles
    (see :func:`service_blueprint.interop.lanemap.read_mapping`); formats without lane names
    ignore it.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    name = fmt or sniff(raw, file)
    f = get_format(name)
    if f.import_ is None:
        raise UsageError(f"format '{name}' can be exported but not imported")
    opts: dict[str, Any] = {"file": file}
    if "mapping" in f.import_options and mapping is not None:
        opts["mapping"] = mapping
    return f.import_(raw if f.binary else data, **opts)


def by_suffix(path: str) -> str | None:
    return _by_suffix(path)


__all__ = ["FORMATS", "Format", "export_blueprint", "format_for_output", "get_format", "import_blueprint", "sniff"]
