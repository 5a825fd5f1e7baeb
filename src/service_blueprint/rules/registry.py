"""The rule registry: every message the tool can give has a stable id, a severity and a reason.

Ids never change meaning, so teams can suppress (``ignore:``) and search for them; the
rules reference in ``docs/rules.md`` is generated from this registry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..findings import Finding, Severity

if TYPE_CHECKING:
    from .context import Context

Check = Callable[["Context"], Iterator[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    severity: Severity
    summary: str
    """What the rule reports, in one line."""
    rationale: str
    """Why it matters, in one line (shown in the rules reference)."""
    check: Check | None = None
    """None for rules the loader applies while reading the file."""


RULES: dict[str, Rule] = {}


def declare(id: str, name: str, severity: Severity, summary: str, rationale: str) -> Rule:
    """Register a rule that is applied while reading (no check function)."""
    if id in RULES:
        raise RuntimeError(f"rule {id} declared twice")
    r = Rule(id, name, severity, summary, rationale)
    RULES[id] = r
    return r


def rule(id: str, name: str, severity: Severity, summary: str, rationale: str) -> Callable[[Check], Check]:
    """Decorator registering a check function under a rule id."""

    def wrap(fn: Check) -> Check:
        if id in RULES:
            raise RuntimeError(f"rule {id} declared twice")
        RULES[id] = Rule(id, name, severity, summary, rationale, fn)
        return fn

    return wrap


def make(rule_id: str, message: str, file: str, line: int = 0, col: int = 0, hint: str | None = None) -> Finding:
    r = RULES[rule_id]
    return Finding(rule_id, r.severity, message, file, line, col, hint, r.name)


def resolve(names: tuple[str, ...] | list[str]) -> set[str]:
    """Rule ids for a mix of ids and names (``W105`` or ``step-without-evidence``)."""
    by_name = {r.name: r.id for r in RULES.values()}
    out = set()
    for n in names:
        if n in RULES:
            out.add(n)
        elif n in by_name:
            out.add(by_name[n])
    return out
