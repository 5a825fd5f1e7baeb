"""Running the rules over loaded documents, with per-file suppression and exit codes."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .findings import Finding, Severity, counts, sort_findings
from .ids import suggestion
from .loader import Document, parse_document, read_document
from .model import Blueprint
from .rules import RULES, Context, make, resolve

#: Exit codes of ``blueprint check`` (documented in docs/cli.md).
EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


@dataclass
class CheckResult:
    """Findings for one or more files, in reading order."""

    findings: list[Finding] = field(default_factory=list)
    files: int = 0

    @property
    def errors(self) -> int:
        return counts(self.findings)[Severity.ERROR]

    @property
    def warnings(self) -> int:
        return counts(self.findings)[Severity.WARNING]

    @property
    def infos(self) -> int:
        return counts(self.findings)[Severity.INFO]

    def exit_code(self, *, strict: bool = False) -> int:
        """1 if any error (or, with ``strict``, any warning), else 0."""
        if self.errors or (strict and self.warnings):
            return EXIT_FINDINGS
        return EXIT_OK

    def extend(self, other: CheckResult) -> None:
        self.findings.extend(other.findings)
        self.files += other.files


def run_rules(blueprint: Blueprint, *, file: str = "<string>", doc: Document | None = None,
              select: Iterable[str] | None = None) -> list[Finding]:
    """Every registered rule over a model; rules that need positions use ``doc`` when given."""
    ctx = Context(blueprint, file, doc.source if doc else None, doc.base_dir if doc else None)
    wanted = resolve(list(select)) if select is not None else None
    out: list[Finding] = []
    for r in RULES.values():
        if r.check is None or (wanted is not None and r.id not in wanted):
            continue
        out.extend(r.check(ctx))
    return out


def _ignore_findings(doc: Document, blueprint: Blueprint) -> tuple[set[str], list[Finding]]:
    ignored = resolve(list(blueprint.ignore))
    unknown = [n for n in blueprint.ignore if not resolve([n])]
    findings = []
    names = list(RULES) + [r.name for r in RULES.values()]
    for i, name in enumerate(blueprint.ignore):
        if name in unknown:
            line, col = doc.source.locate(("ignore", i)) if doc.source else (0, 0)
            findings.append(make("W112", f"unknown rule '{name}' in ignore{suggestion(name, names)}",
                                 doc.file, line, col))
    return ignored, findings


def check_document(doc: Document, *, select: Iterable[str] | None = None) -> CheckResult:
    findings = list(doc.findings)
    if doc.blueprint is not None:
        ignored, extra = _ignore_findings(doc, doc.blueprint)
        findings.extend(extra)
        findings.extend(run_rules(doc.blueprint, file=doc.file, doc=doc, select=select))
        findings = [f for f in findings if f.rule not in ignored or (f.severity is Severity.ERROR and f.rule < "E010")]
    return CheckResult(sort_findings(findings), 1)


def check(target: str | os.PathLike[str] | Blueprint | Document, *, select: Iterable[str] | None = None) -> CheckResult:
    """Check a file path, a loaded :class:`Document`, or a model built in Python.

    Never raises for problems in the blueprint: they are findings. A model built in
    Python has no positions, so its findings carry line 0.
    """
    if isinstance(target, Blueprint):
        return CheckResult(sort_findings(run_rules(target, select=select)), 1)
    if isinstance(target, Document):
        return check_document(target, select=select)
    return check_document(read_document(Path(target)), select=select)


def check_text(text: str, file: str = "<string>", *, select: Iterable[str] | None = None) -> CheckResult:
    return check_document(parse_document(text, file), select=select)
