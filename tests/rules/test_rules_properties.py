"""Properties over many small edits of the base blueprint: the checker never raises, and
every finding names a registered rule with its severity and a position inside the text."""

from __future__ import annotations

from _rules_kit import BASE, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service_blueprint.findings import sort_findings
from service_blueprint.rules import RULES

COVERED: set[str] = set()

#: (old, new) edits, each a plausible slip in a hand-written file.
EDITS = [
    ("role: clerk, duration: 2 min", "role: clerc, duration: 2 min"),
    ("duration: 1 min", "duration: 1"),
    ("duration: 5 s", "duration: 5 s, p: 20"),
    ("staff: 2", "staff: -2"),
    ("state: current", "state: now"),
    ("title: T", "titel: T"),
    ("{id: arrive, text: Arrives}", "{id: arrive, text: Arrives, emotion: 4}"),
    ("{id: arrive, text: Arrives}", "{text: Arrives}"),
    ("{id: greet, text: Greets,", "{id: log, text: Greets,"),
    ("    evidence: [Door]\n", ""),
    ("    name: Arrive\n", ""),
    ("  sys: {name: System, kind: system}\n", ""),
    ("arrive -> greet", "arrive -> gret"),
    ("log -> store", "log -> store -> greet"),
    ("log -> store", "log <-> store"),
    ("  - arrive -> greet -> log -> store\n", "  - {from: arrive, to: greet, p: 0.5}\n  - {from: arrive, to: log, p: 0.4}\n"),
    ("scenario: {customer: C, start: S, end: E, goal: G, tolerance: 1 h}", "scenario: {customer: C}"),
    ("text: Greets,", "text: Greets, fail: {text: Slow, owner: boss, recovery: lgo, impact: 9},"),
    ("title: T\n", "title: T\nignore: [W1O4, I203]\n"),
    ("roles:\n", "phases:\n  Visit: [s1, s9]\nroles:\n"),
    ("roles:\n", "lanes:\n  rules: {after: suport}\nroles:\n"),
    ("{id: log, text: Logs visit,", "{id: log, text: Logs visit, source: proposed, tolerance: 10 s,"),
]


@settings(max_examples=150, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(range(len(EDITS))), max_size=6, unique=True))
def test_checker_never_raises_and_places_every_finding(picks: list[int]) -> None:
    text = BASE
    for i in sorted(picks):
        old, new = EDITS[i]
        if old in text:
            text = text.replace(old, new, 1)
    result = run(text)
    lines = text.split("\n")
    assert result.findings == sort_findings(result.findings)
    for f in result.findings:
        assert f.rule in RULES
        assert f.severity is RULES[f.rule].severity
        assert f.name == RULES[f.rule].name
        assert 1 <= f.line <= len(lines), f.format()
        assert 1 <= f.col <= len(lines[f.line - 1]) + 1, f.format()
