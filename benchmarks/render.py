"""Benchmark: layout + SVG, and PNG, of a generated 1,000-action blueprint; Graphviz as the peer.

Targets (issue 4): layout + SVG under 0.5 s, PNG under 2 s on the project machine. The peer is
Graphviz ``dot -Tsvg`` laying out the same graph (one node per action with its text, one edge
per flow, lanes as clusters) in the same run; the ratio printed is dot's time over ours.

The PNG time is ``svg_to_png`` on the finished SVG, as ``blueprint render -o x.png`` runs it:
text outlined from the glyph table and the picture drawn in bands, one per core, in worker
processes (see docs/rendering.md); it is wall-clock time, worker processes included. Each run
starts from a fresh copy of the text-outline cache, as a new process would.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import big_blueprint

from service_blueprint import Blueprint, loads
from service_blueprint.render import render_svg
from service_blueprint.render.outline import run_outline
from service_blueprint.render.raster import MAX_PNG_SIDE, svg_to_png

SVG_TARGET_S = 0.5
PNG_TARGET_S = 2.0
DOT_TIMEOUT_S = 120


def _times(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def _fmt(ts: list[float]) -> str:
    return f"median {statistics.median(ts):.3f} s (min {min(ts):.3f}, max {max(ts):.3f}, {len(ts)} runs)"


def to_dot(bp: Blueprint, clusters: bool) -> str:
    """The same graph for Graphviz: boxes with the action text, flows as edges, and (when
    ``clusters``) one cluster per lane, the nearest dot gets to swimlanes."""
    def q(s: str) -> str:
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = ["digraph G {", "rankdir=LR;", "node [shape=box, fontname=\"DejaVu Sans\", fontsize=10];"]
    by_lane: dict[str, list[str]] = {}
    for p in bp.placed():
        by_lane.setdefault(p.lane, []).append(f"{q(p.action.id)} [label={q(p.action.text)}];")
    for k, (lane, nodes) in enumerate(by_lane.items()):
        if clusters:
            lines.append(f"subgraph cluster_{k} {{ label={q(lane)};")
        lines += nodes
        if clusters:
            lines.append("}")
    lines += [f"{q(e.source)} -> {q(e.target)};" for e in bp.edges]
    lines.append("}")
    return "\n".join(lines)


def main(repeat: int = 5) -> None:
    bp = loads(big_blueprint(200, 5))
    actions = sum(1 for _ in bp.actions())
    print(f"render: {len(bp.steps)} steps, {actions} actions, {len(bp.edges)} flows")
    svg_times = _times(lambda: render_svg(bp), repeat)
    svg = render_svg(bp)
    med = statistics.median(svg_times)
    print(f"  layout + SVG: {_fmt(svg_times)}; target {SVG_TARGET_S} s: {'met' if med < SVG_TARGET_S else 'MISSED'}")
    def png() -> bytes:
        run_outline.cache_clear()
        return svg_to_png(svg)

    png_times = _times(png, 3)
    pmed = statistics.median(png_times)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"  SVG -> PNG (resvg, outlined text, bands on {cores} cores, default scale, long side capped at "
          f"{MAX_PNG_SIDE} px): {_fmt(png_times)}; with layout {med + pmed:.3f} s; "
          f"target {PNG_TARGET_S} s: {'met' if med + pmed < PNG_TARGET_S else 'MISSED'}")
    dot = shutil.which("dot")
    if dot is None:
        print("  Graphviz 'dot' not installed (apt-get install graphviz): no peer figure")
        return
    for clusters in (False, True):
        what = "lanes as clusters" if clusters else "no clusters"
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / "g.dot"
            src.write_text(to_dot(bp, clusters), encoding="utf-8")
            cmd = [dot, "-Tsvg", str(src), "-o", str(Path(tmp) / "g.svg")]
            try:
                dot_times = _times(lambda cmd=cmd: subprocess.run(cmd, check=True, timeout=DOT_TIMEOUT_S), 1)
            except subprocess.TimeoutExpired:
                print(f"  Graphviz dot -Tsvg ({what}): did not finish in {DOT_TIMEOUT_S} s; "
                      f"ratio dot / service-blueprint > {DOT_TIMEOUT_S / med:.0f}x")
                continue
        dmed = statistics.median(dot_times)
        print(f"  Graphviz dot -Tsvg ({what}): {_fmt(dot_times)}")
        print(f"  ratio dot / service-blueprint (layout + SVG): {dmed / med:.1f}x")


if __name__ == "__main__":
    main()
