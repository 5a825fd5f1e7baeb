"""Running the ``blueprint`` command in-process, shared by every CLI test.

``tests/`` is on ``sys.path`` during a run (pytest puts the root conftest's folder there), so
test modules import this as ``from _cli_runner import run``.
"""

from __future__ import annotations

import sys

import pytest

from service_blueprint.cli import main


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run ``blueprint ARGV``: (exit code, stdout, stderr)."""
    old = sys.argv
    sys.argv = ["blueprint", *argv]
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    finally:
        sys.argv = old
    cap = capsys.readouterr()
    return code, cap.out, cap.err
