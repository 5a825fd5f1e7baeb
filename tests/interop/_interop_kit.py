"""Shared helpers for the interop tests: templates and the bpmn-moddle validator."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from service_blueprint import Blueprint, loads
from service_blueprint.templates import template_names, template_text

ROOT = Path(__file__).resolve().parents[2]
VALIDATOR = Path(__file__).resolve().parent / "js" / "validate-bpmn.mjs"
TEMPLATES = template_names()


def template(name: str) -> Blueprint:
    return loads(template_text(name))


def moddle(path: Path) -> dict[str, Any]:
    """What bpmn-moddle (installed by the project's `make test`) says about a BPMN file."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    if not (ROOT / "node_modules" / "bpmn-moddle").is_dir():
        pytest.fail("bpmn-moddle is missing: run 'make test' (it runs 'npm ci') or 'npm ci' in the repository")
    proc = subprocess.run([node, str(VALIDATOR), str(path)], capture_output=True, text=True, cwd=ROOT, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    result: dict[str, Any] = json.loads(proc.stdout)
    return result
