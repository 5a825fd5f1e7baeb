"""Findings: what the loader and checker say about a file, with a precise location.

Every message has the same shape everywhere (CLI, API, server):
``file:line:col: severity RULE message`` plus an optional one-line hint, because
editors and CI annotate code by that shape.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Sort key: errors first."""
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True, slots=True)
class Finding:
    """One located message. ``line`` and ``col`` are 1-based; 0 means unknown."""

    rule: str
    severity: Severity
    message: str
    file: str = "<string>"
    line: int = 0
    col: int = 0
    hint: str | None = None
    name: str = ""

    def format(self) -> str:
        """The one-line form ``file:line:col: severity RULE message``."""
        return f"{self.file}:{self.line}:{self.col}: {self.severity.value} {self.rule} {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "col": self.col,
            "severity": self.severity.value,
            "rule": self.rule,
            "name": self.name,
            "message": self.message,
            "hint": self.hint,
        }


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Stable reading order: by file, then position, then severity and rule."""
    return sorted(findings, key=lambda f: (f.file, f.line, f.col, f.severity.rank, f.rule, f.message))


def format_text(findings: Sequence[Finding], *, hints: bool = True) -> str:
    lines: list[str] = []
    for f in findings:
        lines.append(f.format())
        if hints and f.hint:
            lines.append(f"    hint: {f.hint}")
    return "\n".join(lines)


def format_json(findings: Sequence[Finding]) -> str:
    return json.dumps([f.to_dict() for f in findings], indent=2, ensure_ascii=False)


def _github_escape(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(findings: Sequence[Finding]) -> str:
    """GitHub Actions workflow commands, so findings annotate the pull request diff."""
    level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    out = []
    for f in findings:
        props = f"file={_github_escape(f.file, prop=True)}"
        if f.line:
            props += f",line={f.line}"
        if f.col:
            props += f",col={f.col}"
        props += f",title={_github_escape(f.rule + ' ' + f.name, prop=True)}"
        msg = f.message + (f" (hint: {f.hint})" if f.hint else "")
        out.append(f"::{level[f.severity]} {props}::{_github_escape(msg)}")
    return "\n".join(out)


def counts(findings: Iterable[Finding]) -> dict[Severity, int]:
    c = {s: 0 for s in Severity}
    for f in findings:
        c[f.severity] += 1
    return c
