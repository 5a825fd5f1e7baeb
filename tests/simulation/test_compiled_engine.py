"""The compiled engine (setup.py builds ``engine.py`` with Cython) against its own source run as
plain Python: same seed, same numbers, to the last bit.

The source is loaded a second time under another module name, so both run in this process. When
the extension was not built the comparison has nothing to compare and says so (skip), as does the
check that the build happened."""

from __future__ import annotations

import dataclasses
import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest
from sim_models import chain

from service_blueprint import loads, template_text
from service_blueprint.quantities import Duration
from service_blueprint.simulation import engine
from service_blueprint.simulation.eventlog import EventLog
from service_blueprint.simulation.model import SimOptions, build_model
from service_blueprint.simulation.stats import RunStats, Sample

NOT_BUILT = ("the simulation engine is not compiled: it runs as plain Python (setup.py found no Cython or "
             "no C compiler, or SERVICE_BLUEPRINT_PURE was set; reinstall with `make .venv/.installed`)")


def pure_engine() -> ModuleType:
    """``engine.py`` executed as Python, whatever the installed module is."""
    source = Path(engine.__file__).with_name("engine.py")
    spec = importlib.util.spec_from_file_location("service_blueprint.simulation._engine_source", source)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_engine_is_compiled() -> None:
    if not engine.COMPILED:
        pytest.skip(NOT_BUILT)
    assert not engine.__file__.endswith(".py"), engine.__file__
    assert pure_engine().COMPILED is False


def test_the_extension_is_not_older_than_its_source() -> None:
    """An edited engine.py is shadowed by the extension built from the old one until reinstalled."""
    if not engine.COMPILED:
        pytest.skip(NOT_BUILT)
    built = Path(engine.__file__)
    source = built.with_name("engine.py")
    assert built.stat().st_mtime >= source.stat().st_mtime, (
        f"{source} changed after {built.name} was built: run `make .venv/.installed` to rebuild it")


def same(a: Any, b: Any) -> bool:
    if isinstance(a, Sample):
        return bool(np.array_equal(a.hist.counts, b.hist.counts)) and a.moments == b.moments
    if isinstance(a, np.ndarray):
        return bool(np.array_equal(a, b))
    return bool(a == b)


def assert_identical(x: RunStats, y: RunStats) -> None:
    for f in dataclasses.fields(RunStats):
        a, b = getattr(x, f.name), getattr(y, f.name)
        assert same(a, b), f"{f.name}: compiled {a!r} != plain Python {b!r}"


SHIFTS = """
blueprint: 1
title: Desk with shifts
roles: {clerk: {staff: 2, shifts: ["Mon-Fri 08:00-12:00", "Mon-Fri 13:00-17:00 x1"]}, back: {staff: 1}}
demand: {arrivals: 14/h, hours: "Mon-Fri 08:00-17:00"}
steps:
  - name: S
    customer: [{id: come, text: comes, duration: 1 min}]
    frontstage: [{id: serve, text: serves, role: clerk, duration: ~7 min, repeat: 0.1}]
    backstage: [{id: file, text: files, role: back, duration: 2..3..6 min, p: 0.7}]
flows: [come -> serve -> file]
"""

CASES: dict[str, tuple[str, SimOptions]] = {
    "tandem (the benchmark's fast path)": ("tandem", SimOptions(days=2, warmup=3600, seed=3)),
    "shifts, rework, optional action": (SHIFTS, SimOptions(days=9, warmup=0, seed=5)),
    "patience": (SHIFTS, SimOptions(days=6, warmup=7200, seed=8, patience=Duration.parse("~10 min"))),
    "bike repair template": ("bike-repair-current", SimOptions(days=14, seed=11)),
    "bank loan template": ("bank-loan", SimOptions(days=14, seed=12)),
    "clinic visit template, doubled demand": ("clinic-visit", SimOptions(days=7, seed=13, demand_factor=2.0)),
    "it helpdesk template": ("it-helpdesk", SimOptions(days=7, seed=14, start=3 * 86400.0)),
}


def blueprint_of(name: str) -> Any:
    if name == "tandem":
        return chain((1, 2, 3, 2, 1), 0.8, ("~1 min",) * 5)
    return loads(name) if name.startswith("\n") else loads(template_text(name))


@pytest.mark.parametrize("case", CASES)
def test_compiled_and_plain_python_give_identical_results(case: str) -> None:
    if not engine.COMPILED:
        pytest.skip(NOT_BUILT)
    name, options = CASES[case]
    model = build_model(blueprint_of(name), options)
    compiled = engine.run(model, np.random.SeedSequence(options.seed))  # (spawning changes a seed
    plain = pure_engine().run(model, np.random.SeedSequence(options.seed))  # sequence: one each)
    assert compiled.completed > 50, "a case too small to compare"
    assert_identical(compiled, plain)


def test_compiled_and_plain_python_write_the_same_event_log(tmp_path: Path) -> None:
    if not engine.COMPILED:
        pytest.skip(NOT_BUILT)
    bp = loads(SHIFTS)
    model = build_model(bp, SimOptions(days=3, seed=4))
    logs = []
    for run in (engine.run, pure_engine().run):
        path = tmp_path / f"log{len(logs)}.csv"
        with EventLog(path, bp) as log:
            run(model, np.random.SeedSequence(4), log)
        logs.append(path.read_bytes())
    assert logs[0] == logs[1]
    assert logs[0].count(b"\n") > 100
