"""The directly-follows counts and mean times equal pm4py's on the same logs.

pm4py is AGPL: it is a dev-only reference here and in benchmarks/mine.py, never imported by the
package. Skipped when it is not installed.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from _mining_kit import simulated_log, without_waits

from service_blueprint.mining.discover import directly_follows
from service_blueprint.mining.read import read_log

pm4py = pytest.importorskip("pm4py", reason="pm4py (AGPL, dev extra) is not installed")
pd = pytest.importorskip("pandas")


@pytest.fixture(scope="module")
def interval_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    bp = without_waits("bike-repair-current")
    return simulated_log(bp, tmp_path_factory.mktemp("pm") / "events.csv", days=7, ample=False)


def pm4py_dfg(df: object) -> tuple[dict[tuple[str, str], int], dict[tuple[str, str], float]]:
    counts, _, _ = pm4py.discover_dfg(df)
    perf, _, _ = pm4py.discover_performance_dfg(df)
    return dict(counts), {k: float(v["mean"]) for k, v in perf.items()}


def assert_same(path: Path, df: object) -> None:
    ours_counts, ours_means = directly_follows(read_log(path)).as_dicts()
    theirs_counts, theirs_means = pm4py_dfg(df)
    assert ours_counts == theirs_counts
    assert ours_means.keys() == theirs_means.keys()
    for key, mean in theirs_means.items():
        assert math.isclose(ours_means[key], mean, rel_tol=1e-9, abs_tol=1e-6), key


def frame(path: Path, start: bool) -> object:
    raw = pd.read_csv(path, dtype={"case": str})
    df = pd.DataFrame({"case:concept:name": raw["case"], "concept:name": raw["action"],
                       "time:timestamp": pd.to_datetime(raw["end"])})
    if start:
        df["start_timestamp"] = pd.to_datetime(raw["start"])
    return df


def test_interval_log_same_as_pm4py(interval_csv: Path) -> None:
    assert_same(interval_csv, frame(interval_csv, start=True))


def test_single_timestamp_log_same_as_pm4py(interval_csv: Path, tmp_path: Path) -> None:
    lines = interval_csv.read_text().splitlines()
    single = tmp_path / "complete.csv"
    single.write_text("\n".join(",".join(r.split(",")[:4] + r.split(",")[5:]) for r in lines) + "\n")
    assert_same(single, frame(interval_csv, start=False))


def test_xes_same_as_pm4py(interval_csv: Path, tmp_path: Path) -> None:
    rows = [r.split(",") for r in interval_csv.read_text().splitlines()[1:]]
    traces: dict[str, list[list[str]]] = {}
    for r in rows:
        traces.setdefault(r[0], []).append(r)
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<log xes.version="1.0" xmlns="http://www.xes-standard.org/">\n']
    for case, events in traces.items():
        parts.append(f'<trace><string key="concept:name" value="{case}"/>\n')
        for r in events:
            parts.append(f'<event><string key="concept:name" value="{r[1]}"/>'
                         f'<date key="time:timestamp" value="{r[5]}+01:00"/></event>\n')
        parts.append("</trace>\n")
    parts.append("</log>\n")
    xes = tmp_path / "complete.xes"
    xes.write_text("".join(parts))
    assert_same(xes, pm4py.read_xes(str(xes)))
