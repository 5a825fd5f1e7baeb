"""Worker processes that draw bands of a PNG while this process draws its own.

resvg holds Python's GIL while it draws, so bands drawn at the same time need processes. A worker
runs ``png_bands.py`` with the standard library and resvg only, so it starts in a few
milliseconds; it is started before the SVG is taken apart, and that start-up overlaps the work.
A worker that cannot run (no interpreter, killed) leaves its band to this process, where a
refusal by resvg is raised as such.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import TracebackType

from .png_bands import Band, BandError, decode_band, encode_request, render_band

_WORKER = Path(__file__).with_name("png_bands.py")


class Workers:
    """``count`` worker processes, started at once and ended on leaving the ``with`` block."""

    def __init__(self, count: int, fonts: list[str]) -> None:
        self.fonts = fonts
        self.procs: list[subprocess.Popen[bytes] | None] = []
        for _ in range(count):
            try:
                self.procs.append(subprocess.Popen([sys.executable, "-P", str(_WORKER)], stdin=subprocess.PIPE,
                                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL))
            except OSError:
                self.procs.append(None)

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        for proc in self.procs:
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait()
            if proc is not None:
                for stream in (proc.stdin, proc.stdout):
                    if stream is not None:
                        stream.close()

    def draw(self, svgs: list[str]) -> list[Band]:
        """The bands of ``svgs``: the first drawn here, the others by the workers meanwhile."""
        handed = [self._hand(proc, svg) for proc, svg in zip(self.procs, svgs[1:], strict=False)]
        handed += [None] * (len(svgs) - 1 - len(handed))
        out = [render_band(svgs[0], self.fonts)]
        for proc, svg in zip(handed, svgs[1:], strict=True):
            out.append(_collect(proc) or render_band(svg, self.fonts))
        return out

    def _hand(self, proc: subprocess.Popen[bytes] | None, svg: str) -> subprocess.Popen[bytes] | None:
        """Send a band to a worker; None if it is not there to take it."""
        if proc is None or proc.stdin is None:
            return None
        try:
            proc.stdin.write(encode_request(svg, self.fonts))
            proc.stdin.close()
        except OSError:  # the worker has gone
            return None
        return proc


def _collect(proc: subprocess.Popen[bytes] | None) -> Band | None:
    """A worker's band; None if it did not draw one."""
    if proc is None or proc.stdout is None:
        return None
    data = proc.stdout.read()
    if proc.wait() != 0:
        return None
    try:
        return decode_band(data)
    except BandError:
        return None
