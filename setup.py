"""Compiles the simulation engine with Cython when it can; everything else is in pyproject.toml.

``src/service_blueprint/simulation/engine.py`` is plain Python annotated for Cython's pure-Python
mode. Compiled, its event loop runs on C numbers and arrays, several times faster. Compiling is
optional: without Cython or a working C compiler, or with ``SERVICE_BLUEPRINT_PURE=1`` in the
environment, the package installs without the extension (with a warning) and the same file runs
as ordinary Python, with the same results. See docs/simulation.md.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ENGINE = "service_blueprint.simulation.engine"
SOURCE = "src/service_blueprint/simulation/engine.py"
FALLBACK = "the simulation engine runs as plain Python (slower, same results)"


def warn(why: str) -> None:
    print(f"WARNING: {ENGINE} not compiled: {why}; {FALLBACK}", file=sys.stderr)


class OptionalBuildExt(build_ext):
    """``build_ext`` that warns instead of failing: the extension only makes the engine faster."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # no compiler, no Python headers, ...
            warn(str(exc) or type(exc).__name__)

    def build_extension(self, ext: Any) -> None:
        try:
            super().build_extension(ext)
        except Exception as exc:
            warn(str(exc) or type(exc).__name__)


def extensions() -> list[Extension]:
    if os.environ.get("SERVICE_BLUEPRINT_PURE"):
        warn("SERVICE_BLUEPRINT_PURE is set")
        return []
    try:
        from Cython.Build import cythonize
    except ImportError:
        warn("Cython is not installed")
        return []
    # No fused multiply-add: the C arithmetic then rounds exactly as Python's, so compiled and
    # plain runs of one seed agree to the last bit on every platform. And fail (so fall back)
    # rather than build C the compiler flags as suspect: a Cython release once produced such code
    # from an and/or chain mixing C and Python values.
    flags = [] if sys.platform == "win32" else ["-ffp-contract=off", "-Werror=int-to-pointer-cast"]
    try:
        return list(cythonize([Extension(ENGINE, [SOURCE], extra_compile_args=flags)], build_dir="build",
                              compiler_directives={"language_level": 3}, quiet=True))
    except Exception as exc:  # a Cython version that cannot compile the file
        warn(str(exc) or type(exc).__name__)
        return []


setup(ext_modules=extensions(), cmdclass={"build_ext": OptionalBuildExt})
