"""``blueprint simulate``: outputs, event logs, report, determinism and bad input."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from defusedxml import ElementTree

from _cli_runner import run as run_cli
from service_blueprint.templates import template_text

SMALL = """\
blueprint: 1
title: Key cutting
scenario: {tolerance: 20 min}
roles:
  cutter: {name: Key cutter, staff: 1, cost: 25/h, shifts: ["Mon-Sat 09:00-17:00"]}
demand: {arrivals: 5/h, hours: "Mon-Sat 09:00-16:30", peaks: ["Sat 10:00-12:00 x2"]}
steps:
  - name: Cut
    customer:
      - {id: hand_over, text: Hands over the old key, duration: 30 s}
      - {id: pay, text: Pays, duration: 1 min}
    frontstage:
      - {id: cut, text: Cuts the copy, role: cutter, duration: 3..5..9 min, wait: 10 min, repeat: 0.1}
flows:
  - hand_over <-> cut
"""




@pytest.fixture
def small(tmp_path: Path) -> Path:
    p = tmp_path / "keys.blueprint.yaml"
    p.write_text(SMALL)
    return p


def test_simulate_text_report_and_logs(small: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    html, log_csv, log_xes = tmp_path / "r.html", tmp_path / "e.csv", tmp_path / "e.xes"
    args = ["simulate", str(small), "--days", "6", "-r", "3", "--seed", "9", "--report", str(html)]
    code, out, err = run_cli([*args, "--log", str(log_csv)], capsys)
    assert code == 0, err
    assert "customer time: mean" in out and "within the tolerance of 20 min" in out
    assert "cutter" in out and "bottleneck: cutter" in out
    page = html.read_text()
    assert page.startswith("<!DOCTYPE html>") and "Utilisation of each role per hour" in page
    rows = list(csv.DictReader(log_csv.open()))
    assert rows and set(rows[0]) == {"case", "action", "role", "lane", "start", "end"}
    assert {r["action"] for r in rows} == {"hand_over", "cut", "pay"}  # customer actions are logged too
    assert all(r["start"] <= r["end"] for r in rows)
    assert rows[0]["start"].startswith("2024-01-0")  # simulated time 0 is Monday 2024-01-01
    # Same seed, same bytes.
    first = html.read_text()
    code, out2, _ = run_cli([*args, "--log", str(log_xes)], capsys)
    assert code == 0 and out2.replace(str(log_xes), "") == out.replace(str(log_csv), "")
    assert html.read_text() == first
    root = ElementTree.parse(log_xes).getroot()
    ns = "{http://www.xes-standard.org/}"
    traces = root.findall(f"{ns}trace")
    assert traces
    events = traces[0].findall(f"{ns}event")
    assert len(events) % 2 == 0  # start and complete per execution
    xes_events = sum(len(t.findall(f"{ns}event")) for t in traces)
    assert xes_events == 2 * len(rows)


def test_simulate_json_and_staff_override(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(["simulate", str(small), "--days", "3", "-r", "2", "--staff", "cutter=2", "-f", "json"], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert data["staff"] == "cutter=2"
    assert data["roles"][0]["id"] == "cutter" and len(data["roles"][0]["utilisation_per_hour"]) == 168
    assert 0 <= data["within_tolerance"]["mean"] <= 1


def test_simulate_template_with_patience(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "bank.blueprint.yaml"
    p.write_text(template_text("bank-loan"))
    code, out, err = run_cli(["simulate", str(p), "--days", "2", "-r", "2", "--patience", "~30 min"], capsys)
    assert code == 0, err
    assert "abandoned" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--staff", "cuter=2"], "unknown role 'cuter'"),
        (["--staff", "cutter"], "cannot read --staff"),
        (["--staff", "cutter=1,2"], "one per shift"),
        (["--warmup", "soon"], "--warmup"),
        (["--demand", "lots"], "cannot read --demand"),
        (["--days", "0"], "--days must be above zero"),
        (["--days", "1e9"], "at most 3660"),
        (["--replications", "100000"], "--replications"),
        (["--replications", "0"], "--replications"),
        (["--patience", "5"], "--patience"),
        (["--log", "events.txt"], ".csv or .xes"),
    ],
)
def test_simulate_usage_errors(small: Path, args: list[str], message: str, capsys: pytest.CaptureFixture[str],
                               tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli(["simulate", str(small), "--days", "1", "-r", "1", *args], capsys)
    assert code == 2
    assert message in err and "Traceback" not in err


def test_simulate_broken_or_demandless_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.blueprint.yaml"
    broken.write_text(SMALL.replace("role: cutter", "role: cuter"))
    code, _, err = run_cli(["simulate", str(broken)], capsys)
    assert code == 1 and "E012" in err
    no_demand = tmp_path / "nodemand.blueprint.yaml"
    no_demand.write_text(SMALL.replace('demand: {arrivals: 5/h, hours: "Mon-Sat 09:00-16:30", peaks: ["Sat 10:00-12:00 x2"]}\n', ""))
    code, _, err = run_cli(["simulate", str(no_demand)], capsys)
    assert code == 2 and "no demand" in err
    garbage = tmp_path / "garbage.blueprint.yaml"
    garbage.write_bytes(b"\x00\x01blueprint: [")
    code, _, err = run_cli(["simulate", str(garbage)], capsys)
    assert code == 1 and "Traceback" not in err


def test_simulate_start_option(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(["simulate", str(small), "--days", "1", "-r", "1", "--start", "Wed 08:30"], capsys)
    assert code == 0, err
    assert "from Wed 08:30" in out
    code, _, err = run_cli(["simulate", str(small), "--start", "Someday 08:00"], capsys)
    assert code == 2 and "cannot read --start" in err
