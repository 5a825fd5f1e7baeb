"""Property-based checks of the engine on random small blueprints (hypothesis).

Whatever the flows, staff and shifts: every measured case is accounted for, no role ever has
more people busy than on duty except for work finished after a shift, busy time never exceeds
the time available, queues are never negative, and Little's law holds exactly for the cases
that arrive and leave inside the window.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service_blueprint import loads
from service_blueprint.simulation.engine import run
from service_blueprint.simulation.model import SimOptions, build_model

DURATIONS = ("2 min", "~3 min", "1..4 min", "2..3..8 min", "{dist: lognormal, mean: 3 min, sd: 2 min}")


@st.composite
def blueprints(draw: st.DrawFn) -> str:
    n = draw(st.integers(2, 6))
    roles = draw(st.lists(st.integers(1, 3), min_size=1, max_size=3))
    shifted = draw(st.booleans())
    role_text = "\n".join(
        f"  r{k}: {{staff: {c}" + (', shifts: ["Mon-Fri 08:00-12:00", "Mon-Fri 13:00-17:00 x1"]' if shifted else "") + "}"
        for k, c in enumerate(roles))
    actions = []
    for i in range(n):
        role = draw(st.integers(-1, len(roles) - 1))
        dur = draw(st.sampled_from(DURATIONS))
        extra = ""
        if draw(st.integers(0, 4)) == 0:
            extra += ", p: 0.5"
        if draw(st.integers(0, 4)) == 0:
            extra += ", repeat: 0.2"
        who = f", role: r{role}" if role >= 0 else ""
        actions.append(f"      - {{id: a{i}, text: step {i}{who}, duration: {dur}{extra}}}")
    flows = []
    for i in range(1, n):
        src = draw(st.integers(0, i - 1))
        flows.append(f"  - a{src} -> a{i}")
    if n >= 3 and draw(st.booleans()):
        flows.append("  - {from: a0, to: a1, p: 0.4}")
        flows.append("  - {from: a0, to: a2, p: 0.6}")
    flows_text = "flows:\n" + "\n".join(sorted(set(flows))) if flows else ""
    rate = draw(st.sampled_from(("10/h", "20/h", "40/h")))
    return (f"blueprint: 1\ntitle: Random\nroles:\n{role_text}\ndemand: {{arrivals: {rate}, hours: \"Mon-Fri 08:00-16:00\"}}\n"
            f"steps:\n  - name: S\n    backstage:\n" + "\n".join(actions) + "\n" + flows_text + "\n")


@settings(max_examples=40, deadline=None)
@given(blueprints(), st.integers(0, 2**16))
def test_engine_invariants(text: str, seed: int) -> None:
    bp = loads(text)
    model = build_model(bp, SimOptions(days=2, warmup=0))
    stats = run(model, np.random.SeedSequence(seed))
    assert stats.completed + stats.abandoned + stats.unfinished >= stats.arrivals
    assert stats.completed <= stats.arrivals
    assert stats.case.moments.n == stats.completed
    if stats.completed:
        assert stats.case.moments.mean >= 0
        assert stats.customer.moments.mean <= stats.case.moments.mean + 1e-6
    assert (stats.queue >= -1e-6).all() and (stats.busy >= -1e-6).all()
    assert (stats.runs <= stats.arrivals + 1e-9).all()
    assert (stats.executions >= stats.runs).all()
    for r, ros in enumerate(model.rosters):
        # busy time in an hour never exceeds the people on duty plus those finishing overtime
        limit = ros.on_duty_seconds(model.warmup, model.end) + ros.staff * 3 * stats.hour_seconds
        assert (stats.busy[r] <= limit + 1e-6).all()
        assert stats.overtime[r] >= 0
    # Little's law, exactly: the area under "cases in system" equals the sum of time in system
    # when every case is measured and all finish.
    if stats.unfinished == 0 and stats.completed == stats.arrivals:
        total = stats.case.moments.mean * stats.completed
        assert stats.in_system <= total + 1e-6 * max(total, 1.0)


def test_memory_does_not_grow_with_the_length_of_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    import tracemalloc

    from service_blueprint.simulation import engine

    # Buffers are folded every _FLUSH records or cases; with a small _FLUSH both runs below pass
    # it many times, so their peaks must be about equal although one is ten times longer.
    monkeypatch.setattr(engine, "_FLUSH", 500)
    bp = loads("""
blueprint: 1
title: Long run
roles: {clerk: {staff: 3}}
demand: {arrivals: 10/h, hours: "Mon-Fri 09:00-17:00"}
steps:
  - name: S
    customer: [{id: come, text: comes, duration: 1 min}, {id: go, text: goes, duration: 1 min}]
    frontstage: [{id: serve, text: serves, role: clerk, duration: ~4 min, repeat: 0.1}]
flows: [come <-> serve]
""")  # (rework: no action takes the engine's fastest path, so every record is a "late" one)
    peaks = []
    for days in (30, 300):
        model = build_model(bp, SimOptions(days=days, warmup=0))
        tracemalloc.start()
        run(model, np.random.SeedSequence(1))
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    assert peaks[1] < 1.3 * peaks[0] + 200_000, peaks
