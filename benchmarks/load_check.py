"""Benchmark: load + check a generated blueprint of 1,000 steps and 5,000 actions.

Target (issue 3): under 0.5 s on the project machine. For scale, the same run also times
PyYAML's C loader (``yaml.load`` with ``CSafeLoader``) reading the same text into plain
dicts, when PyYAML is installed: the common way Python tools read YAML, with no model,
no positions and no checks.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import big_blueprint

from service_blueprint import check_text
from service_blueprint.findings import Severity

TARGET_S = 0.5


def _time(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def main(repeat: int = 7) -> None:
    text = big_blueprint(1000, 5)
    result = check_text(text, "big.blueprint.yaml")
    from service_blueprint import loads

    actions = sum(1 for _ in loads(text).actions())
    errors = sum(1 for f in result.findings if f.severity is Severity.ERROR)
    print(f"load+check: 1000 steps, {actions} actions, {len(text.splitlines())} lines, "
          f"{len(result.findings)} findings ({errors} errors)")
    ours = _time(lambda: check_text(text, "big.blueprint.yaml"), repeat)
    med = statistics.median(ours)
    print(f"  service-blueprint load+check: median {med * 1000:.0f} ms (min {min(ours) * 1000:.0f}, "
          f"max {max(ours) * 1000:.0f}) over {repeat} runs; target {TARGET_S * 1000:.0f} ms: "
          f"{'met' if med < TARGET_S else 'MISSED'}")
    try:
        import yaml
    except ImportError:
        print("  PyYAML not installed: no peer figure")
        return
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    peer = _time(lambda: yaml.load(text, Loader=loader), repeat)
    pmed = statistics.median(peer)
    print(f"  PyYAML {loader.__name__} plain load (no model, no checks): median {pmed * 1000:.0f} ms")
    print(f"  ratio service-blueprint / PyYAML: {med / pmed:.2f}")


if __name__ == "__main__":
    main()
