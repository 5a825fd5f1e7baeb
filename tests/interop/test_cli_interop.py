"""The export and import commands: formats from extensions, warnings on stderr, clear failures."""

from __future__ import annotations

from pathlib import Path

import pytest
from _interop_kit import template

from _cli_runner import run
from service_blueprint import load
from service_blueprint.templates import template_text


@pytest.fixture
def bike(tmp_path: Path) -> Path:
    p = tmp_path / "bike.blueprint.yaml"
    p.write_text(template_text("bike-repair-current"))
    return p


@pytest.mark.parametrize("name", ["x.bpmn", "x.drawio", "x.csv", "x.table.csv", "x.xlsx", "x.table.xlsx", "x.json"])
def test_export_then_import_by_extension(name: str, bike: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / name
    code, stdout, _ = run(["export", str(bike), "-o", str(out)], capsys)
    assert code == 0 and stdout.strip() == f"wrote {out}"
    back = tmp_path / "back.blueprint.yaml"
    code, stdout, _ = run(["import", str(out), "-o", str(back)], capsys)
    assert code == 0 and "check: 0 errors" in stdout
    got, want = load(back), template("bike-repair-current")
    assert [a.id for a in got.actions()] == [a.id for a in want.actions()]


def test_mermaid_to_stdout_with_warnings_on_stderr(bike: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["export", str(bike), "--to", "mermaid"], capsys)
    assert code == 0 and out.startswith("flowchart TB")
    assert err.startswith("warning: Mermaid shows lanes, actions and flows only")


def test_bpmn_lanes_per_role(bike: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "roles.bpmn"
    assert run(["export", str(bike), "-o", str(out), "--lanes", "roles"], capsys)[0] == 0
    text = out.read_text()
    assert 'name="Mechanic"' in text and 'name="Backstage"' not in text


def test_usage_errors(bike: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["export", str(bike), "--to", "xlsx"], capsys)
    assert code == 2 and "binary format" in err
    code, _, err = run(["export", str(bike), "-o", str(tmp_path / "x.pdfx")], capsys)
    assert code == 2 and "cannot tell the format" in err
    code, _, err = run(["export", str(bike), "--to", "mermaid", "--lanes", "roles"], capsys)
    assert code == 2 and "does not apply" in err
    code, _, err = run(["import", str(tmp_path / "missing.bpmn"), "-o", str(tmp_path / "o.blueprint.yaml")], capsys)
    assert code == 2 and "no such file" in err


def test_import_of_an_xml_bomb_fails_cleanly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bomb = tmp_path / "bomb.bpmn"
    bomb.write_text('<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>\n'
                    '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">&b;</definitions>\n')
    out = tmp_path / "o.blueprint.yaml"
    code, _, err = run(["import", str(bomb), "-o", str(out)], capsys)
    assert code == 1 and f"{bomb}:2:" in err and "refused" in err and "Traceback" not in err
    assert not out.exists()


def test_import_with_a_mapping_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    grid = tmp_path / "diner.csv"
    grid.write_text("step,Order\nGuest,Orders\nWaiter,Takes the order\n")
    mapping = tmp_path / "lanes.yaml"
    mapping.write_text("lanes:\n  Waiter: {lane: frontstage, role: waiter}\n")
    out = tmp_path / "diner.blueprint.yaml"
    code, _, err = run(["import", str(grid), "--mapping", str(mapping), "-o", str(out)], capsys)
    assert code == 0 and err == ""
    bp = load(out)
    assert bp.steps[0].frontstage[0].role == "waiter" and bp.steps[0].customer[0].text == "Orders"
    mapping.write_text("lanes:\n  Waiter: kitchen table\n")
    code, _, err = run(["import", str(grid), "--mapping", str(mapping), "-o", str(out), "--force"], capsys)
    assert code == 2 and "is not a lane id" in err
