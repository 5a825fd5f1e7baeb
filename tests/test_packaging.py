"""The wheel holds every file of the package (the build backend lists data files explicitly, so a
new kind of file would otherwise be missing from installs that are not editable) and installs
without the compiled engine when told to, which is how a machine without a C compiler ends up."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_the_wheel_holds_every_tracked_package_file_and_builds_without_a_compiler(tmp_path: Path) -> None:
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("needs the git checkout (the list of tracked files)")
    tracked = subprocess.run(["git", "ls-files", "src/service_blueprint"], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout.split()
    source = tmp_path / "source"  # a copy, so the build leaves the checkout as it was
    for path in [*tracked, "pyproject.toml", "setup.py", "README.md", "LICENSE"]:
        (source / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / path, source / path)
    env = {**os.environ, "SERVICE_BLUEPRINT_PURE": "1"}
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                           "--disable-pip-version-check", "-q", "-w", str(tmp_path / "dist"), str(source)],
                          env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = sorted(p.removeprefix("src/") for p in tracked if p.removeprefix("src/") not in names)
    assert not missing, f"not in the wheel: {missing}"
    assert not [n for n in names if n.endswith((".so", ".pyd"))], "SERVICE_BLUEPRINT_PURE=1 still compiled"
