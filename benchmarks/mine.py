"""Benchmark: read an event log and discover its directly-follows graph, against pm4py.

A log of about 250,000 events is generated from the bike-repair template's flow semantics
(``sample_paths``: each case's actions with their start and end, cases arriving every 2 min),
written as CSV (start and end columns) and as XES (one complete event per execution, a UTC
offset on every date). Timed end to end, in the same run: our ``read_log`` + ``directly_follows``
against pm4py's ``pd.read_csv`` + ``discover_dfg`` + ``discover_performance_dfg`` (CSV) and
``read_xes`` + the same (XES). The counts and mean times are checked equal before timing counts.
pm4py (AGPL) is a dev-only dependency; the package never imports it.

Run: ``.venv/bin/python benchmarks/mine.py`` (``--events N`` for another size).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import math
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from service_blueprint import loads
from service_blueprint.mining.discover import directly_follows
from service_blueprint.mining.read import read_log
from service_blueprint.semantics import compile_plan, sample_paths
from service_blueprint.templates import template_text

EPOCH = datetime(2024, 1, 1)


def generate(folder: Path, events: int) -> tuple[Path, Path]:
    plan = compile_plan(loads(template_text("bike-repair-current")))
    rng = np.random.default_rng(7)
    per_case = sample_paths(plan, rng, 2000).ran.sum(axis=1).mean()
    n = int(events / per_case)
    paths = sample_paths(plan, rng, n)
    arrival = np.cumsum(rng.exponential(120.0, n))
    case_idx, act = np.nonzero(paths.ran)
    start = arrival[case_idx] + paths.start[case_idx, act]
    end = arrival[case_idx] + paths.finish[case_idx, act]
    order = np.lexsort((end, start, case_idx))
    stamp = [(EPOCH + timedelta(seconds=round(float(s), 3))).isoformat(timespec="milliseconds") for s in start[order]]
    stamp_end = [(EPOCH + timedelta(seconds=round(float(s), 3))).isoformat(timespec="milliseconds") for s in end[order]]
    csv_path, xes_path = folder / "events.csv", folder / "events.xes"
    rows = ["case,activity,resource,start,end"]
    xes = ['<?xml version="1.0" encoding="UTF-8"?>\n<log xes.version="1.0" xmlns="http://www.xes-standard.org/">']
    current = -1
    for k, i in enumerate(order):
        c, a = int(case_idx[i]), int(act[i])
        role = plan.roles[a] or ""
        rows.append(f"{c},{plan.ids[a]},{role},{stamp[k]},{stamp_end[k]}")
        if c != current:
            if current >= 0:
                xes.append("</trace>")
            xes.append(f'<trace><string key="concept:name" value="{c}"/>')
            current = c
        res = f'<string key="org:resource" value="{role}"/>' if role else ""
        xes.append(f'<event><string key="concept:name" value="{plan.ids[a]}"/>{res}'
                   f'<date key="time:timestamp" value="{stamp_end[k]}+00:00"/></event>')
    xes.append("</trace>\n</log>")
    csv_path.write_text("\n".join(rows) + "\n")
    xes_path.write_text("\n".join(xes) + "\n")
    return csv_path, xes_path


def ours(path: Path) -> tuple[float, dict[tuple[str, str], int], dict[tuple[str, str], float]]:
    t0 = time.perf_counter()
    dfg = directly_follows(read_log(path))
    elapsed = time.perf_counter() - t0
    counts, means = dfg.as_dicts()
    return elapsed, counts, means


def theirs(path: Path) -> tuple[float, dict[tuple[str, str], int], dict[tuple[str, str], float]]:
    import pandas as pd
    import pm4py

    t0 = time.perf_counter()
    with contextlib.redirect_stderr(io.StringIO()):
        if path.suffix == ".csv":
            raw = pd.read_csv(path, dtype={"case": str})
            df = pd.DataFrame({"case:concept:name": raw["case"], "concept:name": raw["activity"],
                               "time:timestamp": pd.to_datetime(raw["end"]),
                               "start_timestamp": pd.to_datetime(raw["start"])})
        else:
            df = pm4py.read_xes(str(path))
        counts, _, _ = pm4py.discover_dfg(df)
        perf, _, _ = pm4py.discover_performance_dfg(df)
    elapsed = time.perf_counter() - t0
    return elapsed, dict(counts), {k: float(v["mean"]) for k, v in perf.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=250_000)
    args = parser.parse_args()
    try:
        import pm4py  # noqa: F401
    except ImportError:
        print("pm4py is not installed (it is in the dev extra): nothing to compare against")
        return
    with tempfile.TemporaryDirectory() as tmp:
        csv_path, xes_path = generate(Path(tmp), args.events)
        total_ours = total_theirs = 0.0
        for path in (csv_path, xes_path):
            t_ours, c_ours, m_ours = ours(path)
            t_theirs, c_theirs, m_theirs = theirs(path)
            same = c_ours == c_theirs and all(math.isclose(m_ours[k], v, rel_tol=1e-9, abs_tol=1e-6)
                                               for k, v in m_theirs.items())
            pairs = sum(c_ours.values())
            total_ours += t_ours
            total_theirs += t_theirs
            print(f"{path.suffix[1:].upper()}: about {args.events:,} events, {pairs:,} directly-follows pairs")
            print(f"  service-blueprint read + discover: {t_ours:.3f} s")
            print(f"  pm4py            read + discover: {t_theirs:.3f} s")
            print(f"  ratio (pm4py / ours): {t_theirs / t_ours:.1f}x; same counts and mean times: {same}")
        print(f"both formats: ours {total_ours:.3f} s, pm4py {total_theirs:.3f} s, "
              f"ratio {total_theirs / total_ours:.1f}x")


if __name__ == "__main__":
    main()
