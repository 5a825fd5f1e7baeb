"""``blueprint analyze`` and ``blueprint diff`` end to end, in-process through ``main``."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from _cli_runner import run
from service_blueprint.templates import template_text


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


def test_diff_two_files(current: Path, future: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["diff", str(current), str(future), "--samples", "200"], capsys)
    assert code == 0, err
    assert "current.blueprint.yaml → future.blueprint.yaml" in out
    assert "check_parts  lane backstage → frontstage  now visible" in out
    svg = tmp_path / "diff.svg"
    code, out, _ = run(["diff", str(current), str(future), "-f", "svg", "-o", str(svg), "--samples", "0"], capsys)
    assert code == 0 and svg.read_text().startswith("<svg") and "hl-removed" in svg.read_text()
    code, out, _ = run(["diff", str(current), str(future), "-f", "json", "--samples", "0"], capsys)
    assert code == 0 and json.loads(out)["removed"][0]["id"] == "write_ticket"


def test_diff_usage_errors(current: Path, future: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["diff", str(current)], capsys)
    assert code == 2 and "two blueprint files" in err
    code, _, err = run(["diff", "--rev", "HEAD", str(current), str(future)], capsys)
    assert code == 2 and "exactly one" in err
    outside = tmp_path / "plain"
    outside.mkdir()
    lone = outside / "x.blueprint.yaml"
    lone.write_text(template_text("bike-repair-current"))
    code, _, err = run(["diff", "--rev", "HEAD", str(lone)], capsys)
    assert code == 2 and ("not in a git repository" in err or "needs git" in err)
    bad = tmp_path / "bad.blueprint.yaml"
    bad.write_text("blueprint: 1\ntitle: T\nflows: [a -> b]\n")
    code, _, err = run(["diff", str(current), str(bad)], capsys)
    assert code == 1 and "E0" in err


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_diff_rev(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(tmp_path), "-c", "user.email=t@example.org", "-c", "user.name=T",
                        "-c", "commit.gpgsign=false", *args], check=True, capture_output=True)

    path = tmp_path / "bike.blueprint.yaml"
    path.write_text("blueprint: 1\ntitle: T\nsteps: [{name: S, frontstage: [{text: A, role: ghost}]}]\n")
    git("init", "-q")
    git("add", "bike.blueprint.yaml")
    git("commit", "-q", "-m", "broken")
    path.write_text(template_text("bike-repair-current"))
    git("commit", "-q", "-am", "current")
    path.write_text(template_text("bike-repair-future"))
    code, out, err = run(["diff", "--rev", "HEAD", str(path), "--samples", "100"], capsys)
    assert code == 0, err
    assert "HEAD:bike.blueprint.yaml → bike.blueprint.yaml" in out and "write_ticket" in out
    code, _, err = run(["diff", "--rev", "HEAD~1", str(path)], capsys)
    assert code == 1 and "HEAD~1:bike.blueprint.yaml" in err and "ghost" in err
    code, _, err = run(["diff", "--rev", "v9", str(path)], capsys)
    assert code == 2 and "unknown git revision 'v9'" in err
