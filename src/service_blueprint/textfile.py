"""Reading a blueprint file's text safely: size limit, binary content, encoding.

Hostile or accidental input (a 2 GB log, a PNG, Latin-1 text) must give one clear
message, never a traceback or an exhausted machine.
"""

from __future__ import annotations

import os
from pathlib import Path

from .findings import Finding, Severity

#: Largest file read (bytes); override with the environment variable BLUEPRINT_MAX_BYTES.
DEFAULT_MAX_BYTES = 32 * 1024 * 1024


def max_bytes() -> int:
    try:
        return int(os.environ.get("BLUEPRINT_MAX_BYTES", DEFAULT_MAX_BYTES))
    except ValueError:
        return DEFAULT_MAX_BYTES


def _size(n: float) -> str:
    """Human-readable byte count for messages (a limit of 100 bytes must not read '0 MiB')."""
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GiB"


def _line_col(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and character column of a byte offset in possibly broken UTF-8."""
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    return line, len(data[start:offset].decode("utf-8", "replace")) + 1


def _too_big(file: str, size: int) -> Finding:
    return _error(
        file,
        f"file is {_size(size)}; the limit is {_size(max_bytes())}",
        "split a long journey into several blueprints, or raise BLUEPRINT_MAX_BYTES",
    )


def _error(file: str, message: str, hint: str | None = None, line: int = 1, col: int = 1) -> Finding:
    return Finding("E002", Severity.ERROR, message, file, line, col, hint, "unreadable-file")


def decode(data: bytes, file: str) -> tuple[str | None, Finding | None]:
    """Text of ``data``, or why it is not a text file we can read."""
    if len(data) > max_bytes():
        return None, _too_big(file, len(data))
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    nul = data.find(b"\x00")
    if nul != -1:
        line, col = _line_col(data, nul)
        return None, _error(file, "binary file (contains NUL bytes), not a YAML blueprint", line=line, col=col)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col(data, exc.start)
        return None, _error(file, f"not UTF-8 text (byte 0x{data[exc.start]:02x})",
                            "save the file as UTF-8", line, col)
    return text, None


def read(path: str | os.PathLike[str]) -> tuple[str | None, Finding | None]:
    file = os.fspath(path)
    p = Path(path)
    try:
        size = p.stat().st_size
        if p.is_dir():
            return None, _error(file, "is a directory, not a blueprint file", line=0, col=0)
        if size > max_bytes():
            return None, _too_big(file, size)
        with p.open("rb") as fh:
            data = fh.read(max_bytes() + 1)
    except FileNotFoundError:
        return None, _error(file, "no such file", line=0, col=0)
    except OSError as exc:
        return None, _error(file, f"cannot read file: {exc.strerror or exc}", line=0, col=0)
    return decode(data, file)
