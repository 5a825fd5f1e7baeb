"""CLI tests: exit codes, output formats, help texts; run in-process through ``main``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer

from _cli_runner import run
from service_blueprint.cli import app
from service_blueprint.templates import template_text

GOOD = template_text("clinic-visit")




@pytest.fixture
def good(tmp_path: Path) -> Path:
    p = tmp_path / "good.blueprint.yaml"
    p.write_text(GOOD)
    return p


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    p = tmp_path / "bad.blueprint.yaml"
    p.write_text(GOOD.replace("blueprint: 1", "blueprint: 1\nsate: current", 1))
    return p


@pytest.fixture
def warn(tmp_path: Path) -> Path:
    p = tmp_path / "warn.blueprint.yaml"
    p.write_text("blueprint: 1\ntitle: T\nstate: current\nsteps:\n  - name: S\n    customer: [{text: A}]\n")
    return p


def test_check_ok(good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["check", str(good)], capsys)
    assert code == 0
    assert out.strip().endswith("info")
    assert "0 errors, 0 warnings" in out


def test_check_error_exit_1_with_position(bad: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["check", str(bad)], capsys)
    assert code == 1
    assert f"{bad}:6:1: error E004 unknown key 'sate'" in out
    assert "(did you mean 'state'?)" in out


def test_strict_fails_on_warnings(warn: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["check", str(warn)], capsys)[0] == 0
    code, out, _ = run(["check", "--strict", str(warn)], capsys)
    assert code == 1 and "W105" in out


def test_check_json_and_github(bad: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["check", "--format", "json", str(bad)], capsys)
    data = json.loads(out)
    assert code == 1 and data[0]["rule"] == "E004" and data[0]["line"] == 6 and data[0]["col"] == 1
    code, out, _ = run(["check", "-f", "github", "--no-info", str(bad)], capsys)
    assert out.startswith("::error file=") and ",line=6,col=1," in out


def test_check_select_and_no_info(good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(["check", "--select", "I203", str(good)], capsys)
    assert "I202" not in out and "I203" in out
    _, out, _ = run(["check", "--no-info", str(good)], capsys)
    assert " info I" not in out


def test_check_missing_file_is_a_finding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["check", str(tmp_path / "nope.blueprint.yaml")], capsys)
    assert code == 1 and "E002 no such file" in out and "Traceback" not in err


def test_check_binary_and_huge(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    b = tmp_path / "b.blueprint.yaml"
    b.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    code, out, _ = run(["check", str(b)], capsys)
    assert code == 1 and "binary file" in out
    monkeypatch.setenv("BLUEPRINT_MAX_BYTES", "100")
    big = tmp_path / "big.blueprint.yaml"
    big.write_text(GOOD)
    code, out, _ = run(["check", str(big)], capsys)
    assert code == 1 and "the limit is" in out


def test_usage_error_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["check", "--format", "xml", "x.yaml"], capsys)
    assert code == 2 and "Traceback" not in err


def test_fmt_check_and_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "m.blueprint.yaml"
    p.write_text("title: T\nblueprint: 1\nsteps: []\n")
    before = p.read_text()
    code, out, _ = run(["fmt", "--check", str(p)], capsys)
    assert code == 1 and "would reformat" in out and p.read_text() == before
    code, out, _ = run(["fmt", "--diff", str(p)], capsys)
    assert code == 0 and "+blueprint: 1" in out and p.read_text() == before
    code, out, _ = run(["fmt", str(p)], capsys)
    assert code == 0 and p.read_text().startswith("blueprint: 1\ntitle: T")
    code, out, _ = run(["fmt", "--check", str(p)], capsys)
    assert code == 0 and "1 unchanged" in out


def test_fmt_syntax_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "s.blueprint.yaml"
    p.write_text("a: [1\n")
    code, _, err = run(["fmt", str(p)], capsys)
    assert code == 1 and "E001" in err and p.read_text() == "a: [1\n"


def test_new_templates_and_refuse_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "n.blueprint.yaml"
    code, out, _ = run(["new", "--template", "bank-loan", str(target)], capsys)
    assert code == 0 and target.read_text() == template_text("bank-loan")
    code, _, err = run(["new", "--template", "bank-loan", str(target)], capsys)
    assert code == 2 and "already exists" in err
    code, _, err = run(["new", "--template", "bank-lone", str(tmp_path / "x.yaml")], capsys)
    assert code == 2 and "did you mean 'bank-loan'" in err
    code, out, _ = run(["templates"], capsys)
    assert code == 0 and "clinic-visit" in out and "hotel-stay" in out


def test_export_import_round_trip(good: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    j = tmp_path / "g.json"
    assert run(["export", str(good), "--to", "json", "-o", str(j)], capsys)[0] == 0
    y = tmp_path / "back.blueprint.yaml"
    assert run(["import", str(j), "-o", str(y)], capsys)[0] == 0
    from service_blueprint import load

    assert load(y) == load(good)
    code, _, err = run(["import", str(j), "-o", str(y)], capsys)
    assert code == 2 and "already exists" in err


def test_export_of_broken_file(bad: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["export", str(bad)], capsys)
    assert code == 1 and "E004" in err


def test_schema_and_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["schema"], capsys)
    assert code == 0 and json.loads(out)["title"] == "Service blueprint"
    code, out, _ = run(["rules", "--severity", "error"], capsys)
    assert code == 0 and "E012" in out and "W101" not in out


def test_showcase(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["showcase", "--out", str(tmp_path / "o")], capsys)
    assert code == 0 and "0 with errors" in out
    files = sorted(p.name for p in (tmp_path / "o").iterdir())
    assert "clinic-visit.blueprint.yaml" in files and "clinic-visit.json" in files
    assert "clinic-visit.svg" in files and "clinic-visit.html" in files


def test_journey_check(tmp_path: Path, good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    j = tmp_path / "trip.journey.yaml"
    j.write_text(f"journey: 1\ntitle: Trip\nblueprints:\n  - {good.name}\n  - {{path: missing.blueprint.yaml, name: Later}}\n")
    code, out, _ = run(["check", str(j)], capsys)
    assert code == 1 and f"{j}:5:6: error E019 blueprint 'missing.blueprint.yaml' not found" in out
    assert "2 files checked" in out


def test_every_command_has_help_with_example() -> None:
    group = typer.main.get_command(app)
    for name, cmd in group.commands.items():  # type: ignore[attr-defined]
        assert cmd.help, name
        assert cmd.epilog and cmd.epilog.startswith("Example: blueprint " + name), name
        for param in cmd.params:
            assert getattr(param, "help", None), f"{name} {param.name} has no help"


def test_every_command_and_rule_is_documented() -> None:
    root = Path(__file__).resolve().parents[2]
    cli_doc = (root / "docs/cli.md").read_text()
    rules_doc = (root / "docs/rules.md").read_text()
    group = typer.main.get_command(app)
    for name, cmd in group.commands.items():  # type: ignore[attr-defined]
        assert f"## blueprint {name}" in cli_doc
        for param in cmd.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("-"):
                    assert f"`{opt}`" in cli_doc, f"{name} {opt}"
    from service_blueprint.rules import RULES

    for rule_id in RULES:
        assert f"## {rule_id}" in rules_doc
