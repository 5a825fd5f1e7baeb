"""``blueprint analyze`` and ``blueprint diff`` end to end, in-process through ``main``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from service_blueprint.cli import main
from service_blueprint.templates import template_text


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
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


@pytest.fixture
def current(tmp_path: Path) -> Path:
    p = tmp_path / "current.blueprint.yaml"
    p.write_text(template_text("bike-repair-current"))
    return p


@pytest.fixture
def future(tmp_path: Path) -> Path:
    p = tmp_path / "future.blueprint.yaml"
    p.write_text(template_text("bike-repair-future"))
    return p


def test_analyze_text(current: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["analyze", str(current), "--samples", "300"], capsys)
    assert code == 0, err
    assert out.startswith("Analysis: Same-day bike repair (current state)")
    for heading in ("Time", "The customer's time", "Work and cost per case", "Staff load", "Fail points",
                    "Handoffs and encounters", "Data completeness"):
        assert f"\n{heading}\n" in out


def test_analyze_json_md_html(current: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["analyze", str(current), "-f", "json", "--samples", "200", "--seed", "4"], capsys)
    assert code == 0
    assert json.loads(out)["settings"]["seed"] == 4
    code, out, _ = run(["analyze", str(current), "-f", "md", "--samples", "0"], capsys)
    assert code == 0 and out.startswith("# Analysis:") and "| action |" in out
    target = tmp_path / "report.html"
    code, out, _ = run(["analyze", str(current), "-f", "html", "-o", str(target), "--samples", "200",
                        "--target", "0.9", "--within", "30 s"], capsys)
    assert code == 0 and out.strip() == f"wrote {target}"
    page = target.read_text()
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and "hl-critical" in page
    assert "90 % of arrivals start each action within 30 s" in page


def test_analyze_is_deterministic(current: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = run(["analyze", str(current), "-f", "html", "--samples", "300"], capsys)[1]
    second = run(["analyze", str(current), "-f", "html", "--samples", "300"], capsys)[1]
    assert first == second


def test_analyze_errors(tmp_path: Path, current: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.blueprint.yaml"
    bad.write_text("blueprint: 1\ntitle: T\nsteps:\n  - name: S\n    frontstage: [{text: A, role: ghost}]\n")
    code, _, err = run(["analyze", str(bad)], capsys)
    assert code == 1 and "ghost" in err
    code, _, err = run(["analyze", str(tmp_path / "missing.blueprint.yaml")], capsys)
    assert code == 1 and "missing.blueprint.yaml" in err
    code, _, err = run(["analyze", str(current), "--within", "soon"], capsys)
    assert code == 2 and err.startswith("error: --within") and "Traceback" not in err
    code, _, err = run(["analyze", str(current), "--within", "1..2 min"], capsys)
    assert code == 2 and "plain duration" in err
    code, _, err = run(["analyze", str(current), "--target", "1.2"], capsys)
    assert code == 2 and "between 0 and 1" in err
    code, _, err = run(["analyze", str(current), "-o", str(tmp_path / "no" / "dir" / "x.txt")], capsys)
    assert code == 2 and "cannot write" in err
    binary = tmp_path / "junk.blueprint.yaml"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    code, _, _ = run(["analyze", str(binary)], capsys)
    assert code == 1
