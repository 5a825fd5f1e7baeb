"""Spreadsheets: the practitioners' grid and the flat table, CSV and xlsx, both ways."""

from __future__ import annotations

import io
import zipfile

import pytest
from _interop_kit import TEMPLATES, template

from service_blueprint import Blueprint, LoadError
from service_blueprint.interop import export_blueprint, import_blueprint, parse_mapping
from service_blueprint.interop.spreadsheet import action_line, parse_action_line


def essence(bp: Blueprint) -> tuple[Blueprint, list[tuple[str, str, bool, float, str]]]:
    """The model without the written form of its flows, and its arrows (what a table keeps)."""
    arrows = sorted((e.source, e.target, e.two_way, e.p or 0.0, e.label or "") for e in bp.edges)
    return bp.model_copy(update={"flows": ()}), arrows


@pytest.mark.parametrize("name", TEMPLATES)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_grid_round_trip_is_lossless(name: str, fmt: str) -> None:
    bp = template(name)
    result = export_blueprint(bp, fmt)
    back, warnings = import_blueprint(result.content, fmt)
    assert back == bp and warnings == () and result.warnings == ()


@pytest.mark.parametrize("name", TEMPLATES)
def test_xlsx_table_keeps_everything_but_the_written_form_of_flows(name: str) -> None:
    bp = template(name)
    back, _ = import_blueprint(export_blueprint(bp, "xlsx-table").content, "xlsx-table")
    assert essence(back) == essence(bp)


@pytest.mark.parametrize("name", TEMPLATES)
def test_csv_table_keeps_ids_lanes_steps_flows_roles_durations(name: str) -> None:
    bp = template(name)
    result = export_blueprint(bp, "csv-table")
    assert any("not the title" in w for w in result.warnings)
    back, _ = import_blueprint(result.content, "csv-table", file=f"{name}.table.csv")
    assert essence(back)[1] == essence(bp)[1]
    assert [(s.id, s.name, s.evidence) for s in back.steps] == [(s.id, s.name, s.evidence) for s in bp.steps]
    assert [(p.lane, p.action) for p in back.placed()] == [(p.lane, p.action) for p in bp.placed()]


def test_grid_looks_like_a_blueprint() -> None:
    text = str(export_blueprint(template("bike-repair-current"), "csv").content)
    lines = text.splitlines()
    assert lines[0].startswith("step,Arrive,Diagnose,Agree the quote")
    assert lines[1].startswith("id,arrive,diagnose")
    labels = [ln.split(",")[0] for ln in lines]
    order = [labels.index(x) for x in ("evidence", "customer", "line of interaction", "frontstage",
                                        "line of visibility", "backstage", "line of internal interaction", "support")]
    assert order == sorted(order)
    assert "Walks in with the bike and queues at the counter {id: walk_in, duration: 30 s" in text
    assert "flow,walk_in <-> greet" in text and "title,Same-day bike repair (current state)" in text


def test_hand_typed_grid_with_usual_lane_names() -> None:
    csv_text = (
        "Steps;Order;Eat;Pay\n"
        "Physical evidence;Menu;Plate;Bill\n"
        "Customer actions;Orders;Eats;Pays\n"
        "Onstage;Takes the order;Serves;Brings the bill\n"
        "Back office;Cooks;;Prints the bill {role: cashier, duration: 1 min}\n"
        "Kitchen robot;;Plates;\n"
    )
    mapping = parse_mapping({"Kitchen robot": {"lane": "support", "role": "robot"}}, "m.yaml")
    bp, warnings = import_blueprint(csv_text.encode(), "csv", file="diner.csv", mapping=mapping)
    assert [s.name for s in bp.steps] == ["Order", "Eat", "Pay"]
    assert [e.text for e in bp.steps[0].evidence] == ["Menu"]
    assert [a.text for a in bp.steps[1].customer] == ["Eats"]
    assert bp.steps[2].backstage[0].role == "cashier" and str(bp.steps[2].backstage[0].duration) == "1 min"
    assert bp.steps[1].support[0].role == "robot" and bp.roles["robot"].name == "Kitchen robot"
    assert warnings == ()
    bp2, warnings = import_blueprint(csv_text.encode(), "csv", file="diner.csv")
    assert "kitchen_robot" in bp2.lanes and any("custom lane 'kitchen_robot'" in w for w in warnings)


def test_bad_cell_names_row_and_column() -> None:
    csv_text = "step,A,B\ncustomer,Walks in,Waits {duration: 5}\n"
    with pytest.raises(LoadError) as exc:
        import_blueprint(csv_text, "csv", file="bad.csv")
    f = exc.value.findings[0]
    assert (f.file, f.line, f.col) == ("bad.csv", 2, 3)
    assert "row 2, column B" in f.message and "needs a unit" in f.message


@pytest.mark.parametrize("text", ["Plain text", "Ends with a brace {x}", "Has {braces} inside", "{starts} with one",
                                  "Two\nlines", "  padded  ", "Quote ' and \" and : colon, comma"])
def test_action_lines_round_trip(text: str) -> None:
    from service_blueprint.model import Action

    for extra in ({}, {"id": "x", "duration": "2..5 min", "metrics": {"nps": 40}}):
        action = Action.model_validate({"text": text, **extra})
        assert Action.model_validate(parse_action_line(action_line(action), "cell")) == action


def test_xlsx_is_deterministic_and_never_formulas() -> None:
    bp = template("clinic-visit")
    evil = bp.model_copy(update={"title": "=HYPERLINK(\"http://x\")"})
    a = export_blueprint(evil, "xlsx").content
    b = export_blueprint(evil, "xlsx").content
    assert isinstance(a, bytes) and a == b
    sheet = zipfile.ZipFile(io.BytesIO(a)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet
    back, _ = import_blueprint(a, "xlsx")
    assert back.title == evil.title


def test_damaged_and_oversized_workbooks(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(LoadError, match="damaged"):
        import_blueprint(b"PK\x03\x04 not really a zip", "xlsx", file="x.xlsx")
    data = export_blueprint(template("clinic-visit"), "xlsx").content
    assert isinstance(data, bytes)
    monkeypatch.setenv("BLUEPRINT_MAX_BYTES", str(len(data) + 10))
    with pytest.raises(LoadError, match="unpacks to"):
        import_blueprint(data, "xlsx", file="x.xlsx")


def test_semicolon_csv_from_european_spreadsheets() -> None:
    bp, _ = import_blueprint("step;One\ncustomer;Arrives, happy\n", "csv")
    assert bp.steps[0].customer[0].text == "Arrives, happy"


def test_table_needs_lane_and_text_columns() -> None:
    with pytest.raises(LoadError, match="no column 'lane'"):
        import_blueprint("step,text\na,b\n", "csv-table")


def test_table_flow_cells_are_checked() -> None:
    table = "step,lane,id,text,flows\ns,customer,a,A,-> b {p: high}\ns,frontstage,b,B,\n"
    with pytest.raises(LoadError, match="p must be a number"):
        import_blueprint(table, "csv-table")
