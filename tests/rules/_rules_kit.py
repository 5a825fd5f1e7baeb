"""Shared helpers for the checker-rule tests in this folder (not a test module itself).

Every rule test is a :class:`Case`: a small blueprint text that triggers one rule, where
the finding must be (computed from the text with :func:`pos`, never counted by hand),
key words of its message, and a minimally different text that must *not* trigger it.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any

import pytest

from service_blueprint.checker import CheckResult, check_text
from service_blueprint.findings import Finding, Severity
from service_blueprint.rules import RULES

FILE = "x.blueprint.yaml"

#: A valid blueprint; it gives exactly one finding, I203 for the handoff ``log -> store``.
BASE = textwrap.dedent("""\
    blueprint: 1
    title: T
    state: current
    scenario: {customer: C, start: S, end: E, goal: G, tolerance: 1 h}
    roles:
      clerk: {name: Clerk, department: Front, staff: 2, cost: 30/h}
      sys: {name: System, kind: system}
    steps:
      - id: s1
        name: Arrive
        evidence: [Door]
        customer:
          - {id: arrive, text: Arrives}
        frontstage:
          - {id: greet, text: Greets, role: clerk, duration: 2 min}
        backstage:
          - {id: log, text: Logs visit, role: clerk, duration: 1 min}
        support:
          - {id: store, text: Stores record, role: sys, duration: 5 s}
    flows:
      - arrive -> greet -> log -> store
    """)

BASE_FLOW = "  - arrive -> greet -> log -> store\n"

#: A second step (customer action ``leave``) to append with :func:`with_step`.
STEP2 = (
    "  - id: s2\n"
    "    name: Leave\n"
    "    evidence: [Receipt]\n"
    "    customer:\n"
    "      - {id: leave, text: Leaves}\n"
)


def pos(text: str, needle: str, *, after: str | None = None, nth: int = 1) -> tuple[int, int]:
    """1-based (line, column in characters) of the first character of ``needle``.

    ``after``: start looking after the first occurrence of this text; ``nth``: take the
    n-th occurrence from there.
    """
    start = 0
    if after is not None:
        start = text.index(after) + len(after)
    at = start - 1
    for _ in range(nth):
        at = text.index(needle, at + 1)
    line = text.count("\n", 0, at) + 1
    col = at - (text.rfind("\n", 0, at) + 1) + 1
    return line, col


def variant(old: str, new: str, text: str = BASE) -> str:
    """``text`` with the single occurrence of ``old`` replaced (fails if not exactly one)."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def with_step(step: str, text: str = BASE) -> str:
    """``text`` with one more step (YAML at step-list indentation) before ``flows:``."""
    return variant("flows:\n", step + "flows:\n", text)


def with_flows(*lines: str, text: str = BASE, replace: bool = False) -> str:
    """``text`` with flow lines (``"a -> b"`` or ``"{from: a, to: b}"``) added or replacing the base flow."""
    block = "".join(f"  - {ln}\n" for ln in lines)
    return variant(BASE_FLOW, block if replace else BASE_FLOW + block, text)


def run(text: str) -> CheckResult:
    return check_text(text, FILE)


def of_rule(result: CheckResult, rule: str) -> list[Finding]:
    return [f for f in result.findings if f.rule == rule]


@dataclass(frozen=True)
class Case:
    """One rule, a text that triggers it and a minimally different text that does not."""

    id: str
    rule: str
    severity: Severity
    text: str
    at: tuple[int, int]
    """Expected (line, col) of the finding; use :func:`pos` on ``text``."""
    words: tuple[str, ...]
    """Substrings the message must contain (names, the did-you-mean suggestion...)."""
    clean: str
    """Minimally different text without the finding."""
    count: int = 1
    """How many findings of ``rule`` the text gives."""
    hint: tuple[str, ...] = ()
    """Substrings the hint must contain."""
    clean_may_err: bool = False
    """The clean text may still have errors of other rules."""
    bug: str | None = None
    """Known bug: the case is expected to fail (strict xfail) with this reason."""


class Cases(list[Case]):
    """A list of cases with a short way to add one."""

    def add(self, id: str, rule: str, severity: Severity, text: str, at: tuple[int, int],
            words: tuple[str, ...], clean: str = BASE, **kw: Any) -> None:
        self.append(Case(id, rule, severity, text, at, words, clean, **kw))


def params(cases: list[Case]) -> list[object]:
    out = []
    for c in cases:
        marks = [pytest.mark.xfail(reason=f"BUG: {c.bug}", strict=True)] if c.bug else []
        out.append(pytest.param(c, id=c.id, marks=marks))
    return out


def clean_params(cases: list[Case]) -> list[object]:
    return [pytest.param(c, id=c.id) for c in cases]


def assert_triggers(case: Case) -> None:
    result = run(case.text)
    found = of_rule(result, case.rule)
    listing = "\n".join(f.format() for f in result.findings)
    assert len(found) == case.count, f"expected {case.count} x {case.rule}, got:\n{listing}"
    at = [f for f in found if (f.line, f.col) == case.at]
    assert at, f"no {case.rule} at {case.at[0]}:{case.at[1]}; got:\n{listing}"
    f = at[0]
    assert f.severity is case.severity
    assert f.severity is RULES[case.rule].severity
    assert f.name == RULES[case.rule].name
    assert f.file == FILE
    for word in case.words:
        assert word in f.message, f"{word!r} not in {f.message!r}"
    for word in case.hint:
        assert f.hint is not None and word in f.hint, f"{word!r} not in hint {f.hint!r}"


def assert_clean(case: Case) -> None:
    result = run(case.clean)
    listing = "\n".join(f.format() for f in result.findings)
    assert not of_rule(result, case.rule), listing
    if not case.clean_may_err:
        assert result.errors == 0, listing
