"""Rows of cells to and from CSV text and xlsx workbooks, deterministically and safely.

The layouts (:mod:`.spreadsheet`) work on plain rows; this module only moves them in and out
of files: CSV in UTF-8 with ``,`` (``;`` and tabs are recognised on reading, as European
spreadsheet programs write them), xlsx through openpyxl with fixed timestamps so the same
blueprint gives the same bytes, and a size check on the unzipped workbook (zip bombs).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook, load_workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped]

from .. import textfile
from ..errors import LoadError
from .assemble import read_error

Row = list[Any]
_FIXED_TIME = "2000-01-01T00:00:00Z"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def write_csv(rows: Sequence[Row]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    for row in _trim(rows):
        writer.writerow(["" if v is None else v for v in row])
    return buf.getvalue()


def _trim(rows: Sequence[Row]) -> list[Row]:
    """Rows without trailing empty cells (a spreadsheet shows no difference)."""
    out = []
    for row in rows:
        cells = list(row)
        while cells and (cells[-1] is None or cells[-1] == ""):
            cells.pop()
        out.append(cells)
    return out


def decode_text(data: bytes | str, file: str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    text, error = textfile.decode(data, file)
    if text is None:
        assert error is not None
        raise LoadError([error])
    return text


def read_csv(data: bytes | str, file: str) -> list[list[str]]:
    text = decode_text(data, file)
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=lambda d: (first.count(d), d == ","))
    try:
        return [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)]
    except csv.Error as exc:
        raise read_error(file, f"malformed CSV: {exc}") from None


def write_xlsx(sheets: Sequence[tuple[str, Sequence[Row]]], *, header_rows: int = 0,
               label_column: bool = True, separators: Sequence[int] = ()) -> bytes:
    """A workbook of the given sheets; text wraps, the label column and header are bold.

    ``separators`` are 0-based row indices of the first sheet drawn as the blueprint's lines.
    """
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    line = PatternFill("solid", fgColor="DDDDDD")
    for k, (title, rows) in enumerate(sheets):
        ws = wb.create_sheet(title)
        width = max((len(r) for r in rows), default=1)
        for i, row in enumerate(_trim(rows)):
            for j, value in enumerate(row):
                if value is None or value == "":
                    continue
                cell = ws.cell(row=i + 1, column=j + 1, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # never a formula, whatever the text starts with
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                if (label_column and j == 0) or i < header_rows:
                    cell.font = bold
        if k == 0:
            for i in separators:
                for j in range(1, width + 1):
                    ws.cell(row=i + 1, column=j).fill = line
        ws.column_dimensions["A"].width = 22
        for j in range(2, width + 1):
            ws.column_dimensions[ws.cell(row=1, column=j).column_letter].width = 34
    buf = io.BytesIO()
    wb.save(buf)
    return _fixed(buf.getvalue())


def _fixed(data: bytes) -> bytes:
    """The same workbook with fixed timestamps, so equal input gives byte-identical files."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                import re

                content = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:)",
                                 rb"\g<1>" + _FIXED_TIME.encode() + rb"\g<3>", content)
            fixed = zipfile.ZipInfo(info.filename, _ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, content)
    return out.getvalue()


def open_xlsx(data: bytes, file: str) -> Any:
    """An openpyxl workbook (read-only, values not formulas), after checking the zip is sane."""
    if len(data) > textfile.max_bytes():
        raise LoadError([textfile._too_big(file, len(data))])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            unpacked = sum(i.file_size for i in z.infolist())
    except zipfile.BadZipFile:
        raise read_error(file, "not an xlsx workbook (the zip container is damaged)") from None
    if unpacked > textfile.max_bytes():
        raise read_error(file, f"the workbook unpacks to {unpacked} bytes, over the limit of "
                         f"{textfile.max_bytes()} (possible zip bomb)")
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise read_error(file, f"cannot read the workbook: {type(exc).__name__}: {exc}") from None


def sheet_rows(wb: Any, name: str) -> list[list[Any]]:
    ws = wb[name]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    return [[_value(v) for v in r] for r in rows]


def _value(v: Any) -> Any:
    if v is None or isinstance(v, (str, int, float)):
        return v
    return str(v)
