"""Benchmark: the web editor's live check after one change, on generated blueprints.

What the editor asks the server after every edit (``preview_data``: read the data, check it,
anchor the findings, draw the interactive SVG and the grid), with and without writing the YAML
(the YAML tab open, or saving). The peer, measured in the same run on the same blueprint, is
what the command line does for the same answer: ``blueprint check`` and ``blueprint render``
of the file (``check_text`` + ``loads`` + ``render_svg``). The ratio printed is ours over the
peer's; below 2 means a change on the canvas costs about what checking and drawing the file
costs anyway.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import big_blueprint

from service_blueprint import check_text, loads
from service_blueprint.render import render_svg
from service_blueprint.server.web.live import preview_data, preview_text

SIZES = (50, 200, 1000)  # actions (five per step)


def _median(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(repeat: int = 5) -> None:
    print(f"{'actions':>8} {'live check':>11} {'with YAML':>10} {'check+render':>13} {'ratio':>6}")
    for actions in SIZES:
        text = big_blueprint(steps=actions // 5, actions_per_step=5)
        data = preview_text(text).data
        assert data is not None
        ours = _median(lambda d=data: preview_data(d), repeat)
        with_yaml = _median(lambda d=data: preview_data(d, yaml=True), max(1, repeat // 2))
        peer = _median(lambda t=text: (check_text(t), render_svg(loads(t))), repeat)
        print(f"{actions:>8} {ours * 1000:>9.0f}ms {with_yaml * 1000:>8.0f}ms {peer * 1000:>11.0f}ms "
              f"{ours / peer:>6.2f}")


if __name__ == "__main__":
    main()
