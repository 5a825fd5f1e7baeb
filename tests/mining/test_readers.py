"""Reading logs: CSV and XES give the same executions; bad input gets a clear message."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest
from _mining_kit import simulated_log, without_waits

from _cli_runner import run
from service_blueprint.errors import LoadError, UsageError
from service_blueprint.mining.eventlog import EventLog
from service_blueprint.mining.mapping import Columns, read_mapping
from service_blueprint.mining.read import read_log


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    bp = without_waits("clinic-visit")
    d = tmp_path_factory.mktemp("logs")
    return simulated_log(bp, d / "e.csv", days=3), simulated_log(bp, d / "e.xes", days=3)


def test_csv_and_xes_read_the_same(logs: tuple[Path, Path]) -> None:
    a, b = (read_log(p) for p in logs)
    assert len(a) == len(b) and a.n_cases == b.n_cases

    def rows(log: EventLog, who: np.ndarray, names: tuple[str, ...]) -> list[tuple[str, str, str, float, float]]:
        return sorted(zip((log.cases[c] for c in log.case), (log.activities[x] for x in log.activity),
                          (names[w] if w >= 0 else "" for w in who), log.start.round(3), log.end.round(3),
                          strict=True))

    assert rows(a, a.role, a.roles) == rows(b, b.role, b.roles)  # CSV role column, XES org:role


def test_gzip(logs: tuple[Path, Path], tmp_path: Path) -> None:
    for p in logs:
        gz = tmp_path / (p.name + ".gz")
        gz.write_bytes(gzip.compress(p.read_bytes()))
        assert len(read_log(gz)) == len(read_log(p))


def test_quoted_csv_and_other_names(tmp_path: Path) -> None:
    p = tmp_path / "q.csv"
    p.write_text('Case ID;Activity;Start Time;Complete Timestamp;Resource\n'
                 '1;"Greet; then seat";2024-01-01 09:00:00;2024-01-01 09:05:00;"Ann"\n'
                 '1;Order;2024-01-01T09:06:00Z;2024-01-01T09:08:00Z;Bob\n')
    log = read_log(p)
    assert log.activities == ("Greet; then seat", "Order")
    assert log.end[1] - log.start[1] == 120
    assert log.resources == ("Ann", "Bob")


def test_missing_column_names_it_and_lists_the_others(tmp_path: Path) -> None:
    p = tmp_path / "m.csv"
    p.write_text("ticket,step,when\n1,a,2024-01-01T09:00:00\n")
    with pytest.raises(LoadError, match=r"no case column found; the log's columns are 'ticket', 'step', 'when'"):
        read_log(p)
    with pytest.raises(LoadError, match=r"the case column 'tiket' is not in the log"):
        read_log(p, Columns(case="tiket"))
    assert read_log(p, Columns(case="ticket", activity="step", end="when")).n_cases == 1


def test_bad_timestamp_gives_the_line(tmp_path: Path) -> None:
    p = tmp_path / "t.csv"
    p.write_text("case,activity,time\n1,a,2024-01-01T09:00:00\n1,b,yesterday\n")
    with pytest.raises(LoadError, match=r"line 3: cannot read the end time: 'yesterday'"):
        read_log(p)


def test_wrong_field_count_and_reversed_times(tmp_path: Path) -> None:
    p = tmp_path / "w.csv"
    p.write_text("case,activity,time\n1,a,2024-01-01T09:00:00\n1,b\n")
    with pytest.raises(LoadError, match="line 3 has 2 fields; the header has 3"):
        read_log(p)
    p.write_text("case,activity,start,end\n1,a,2024-01-01T10:00:00,2024-01-01T09:00:00\n")
    with pytest.raises(LoadError, match="line 2: the event ends before it starts"):
        read_log(p)


def test_empty_logs(tmp_path: Path) -> None:
    p = tmp_path / "e.csv"
    p.write_text("")
    with pytest.raises(LoadError, match="empty"):
        read_log(p)
    p.write_text("case,activity,time\n")
    with pytest.raises(LoadError, match="no events"):
        read_log(p)
    x = tmp_path / "e.xes"
    x.write_text('<log xmlns="http://www.xes-standard.org/"></log>')
    with pytest.raises(LoadError, match="no events"):
        read_log(x)
    with pytest.raises(UsageError, match="cannot tell the format"):
        read_log(tmp_path / "log.json")


BOMB = """<?xml version="1.0"?>
<!DOCTYPE log [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<log><trace><string key="concept:name" value="&b;"/></trace></log>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE log [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<log><trace><string key="concept:name" value="&x;"/></trace></log>
"""


@pytest.mark.parametrize("text", [BOMB, EXTERNAL])
def test_xml_attacks_are_refused(tmp_path: Path, text: str) -> None:
    p = tmp_path / "evil.xes"
    p.write_text(text)
    with pytest.raises(LoadError, match="document type declarations"):
        read_log(p)


def test_malformed_xes(tmp_path: Path) -> None:
    p = tmp_path / "bad.xes"
    p.write_text('<log><trace><event></trace></log>')
    with pytest.raises(LoadError, match="malformed XML at line 1"):
        read_log(p)
    p.write_text('<html></html>')
    with pytest.raises(LoadError, match="not an XES log"):
        read_log(p)


def test_xes_lifecycle_pairing_and_leftovers(tmp_path: Path) -> None:
    p = tmp_path / "l.xes"
    ev = '<event><string key="concept:name" value="{a}"/><string key="lifecycle:transition" value="{t}"/>' \
         '<date key="time:timestamp" value="2024-01-01T09:{m}:00"/></event>'
    p.write_text('<log><trace><string key="concept:name" value="c1"/>'
                 + ev.format(a="a", t="start", m="00") + ev.format(a="a", t="schedule", m="01")
                 + ev.format(a="a", t="complete", m="05") + ev.format(a="b", t="complete", m="06")
                 + ev.format(a="c", t="start", m="07") + "</trace></log>")
    log = read_log(p)
    assert log.activities == ("a", "b")
    assert list(log.end - log.start) == [300.0, 0.0]
    assert log.dropped == {"'schedule' lifecycle events": 1, "start events without a complete": 1}


def test_mapping_file_is_validated(tmp_path: Path) -> None:
    m = tmp_path / "map.yaml"
    m.write_text("columns: {case: Ticket, time: When}\nlanes: {Greet: frontstage}\nroles: {ann: counter}\n"
                 "customer: web\n")
    mapping = read_mapping(m)
    assert mapping.columns.case == "Ticket" and mapping.columns.end == "When"
    assert mapping.customer == frozenset({"web"})
    m.write_text("lanes: {Greet: 'front stage'}\n")
    with pytest.raises(LoadError, match="not a lane id"):
        read_mapping(m)
    m.write_text("colums: {}\n")
    with pytest.raises(LoadError, match="unknown key 'colums'"):
        read_mapping(m)




def test_cli_mine_and_conform(logs: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_file = tmp_path / "mined.blueprint.yaml"
    code, out, _ = run(["mine", str(logs[1]), "-o", str(out_file), "--title", "Clinic as it is"], capsys)
    assert code == 0, out
    assert "kept" in out and "wrote" in out
    assert "title: Clinic as it is" in out_file.read_text()
    code, _, err = run(["mine", str(logs[1]), "-o", str(out_file)], capsys)
    assert code == 2 and "--force" in err
    report = tmp_path / "c.html"
    code, out, _ = run(["conform", str(out_file), str(logs[0]), "--report", str(report)], capsys)
    assert code in (0, 1)
    assert "follow the blueprint" in out
    assert report.read_text().startswith("<!DOCTYPE html>")
    template = tmp_path / "clinic.blueprint.yaml"
    from service_blueprint import dumps_yaml
    template.write_text(dumps_yaml(without_waits("clinic-visit")))
    code, out, _ = run(["conform", str(template), str(logs[0]), "-f", "json"], capsys)
    assert code == 0 and '"fitness": 1.0' in out


def test_cli_conform_deviations_exit_1(logs: tuple[Path, Path], tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    from service_blueprint import dumps_yaml
    template = tmp_path / "clinic.blueprint.yaml"
    template.write_text(dumps_yaml(without_waits("clinic-visit")))
    lines = logs[0].read_text().splitlines()
    first_case = lines[1].split(",")[0]
    broken = tmp_path / "broken.csv"
    # drop one case's second execution and add an activity the blueprint lacks
    kept = [ln for k, ln in enumerate(lines) if not (k > 1 and ln.split(",")[0] == first_case
                                                      and ln == next(x for x in lines[2:] if x.split(",")[0] == first_case))]
    kept.append(f"{first_case},coffee,,customer,2024-01-09T09:00:00.000,2024-01-09T09:01:00.000")
    broken.write_text("\n".join(kept) + "\n")
    code, out, _ = run(["conform", str(template), str(broken)], capsys)
    assert code == 1
    assert f"case {first_case}:" in out and "extra coffee (not in the blueprint)" in out


def test_cli_bad_log_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "m.csv"
    p.write_text("ticket,step,when\n1,a,2024-01-01T09:00:00\n")
    code, _, err = run(["mine", str(p), "-o", str(tmp_path / "x.yaml")], capsys)
    assert code == 2 and "no case column found" in err
    code, _, err = run(["mine", str(p), "-o", str(tmp_path / "x.yaml"), "--threshold", "2"], capsys)
    assert code == 2 and "threshold" in err
