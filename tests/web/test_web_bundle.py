"""The committed YAML editor bundle is what scripts/build_web.py makes from the pinned packages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_committed_bundle_is_current() -> None:
    if not (ROOT / "node_modules" / ".bin" / "esbuild").exists():
        pytest.skip("esbuild is not installed; run: npm ci (make test does)")
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_web.py"), "--check"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr + done.stdout
