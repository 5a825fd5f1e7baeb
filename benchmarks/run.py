"""Run every benchmark in this folder, one after another, and print their figures."""

from __future__ import annotations

import runpy
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ["load_check.py", "render.py", "analyze.py", "simulate.py", "mine.py", "server.py", "web_check.py"]


def main() -> None:
    for name in BENCHMARKS:
        print(f"== {name}")
        runpy.run_path(str(HERE / name), run_name="__main__")


if __name__ == "__main__":
    main()
