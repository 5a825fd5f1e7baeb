"""SVG charts and the HTML page shell: well-formed, deterministic, accessible, escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from service_blueprint.charts import bar_chart, heatmap, line_chart, stacked_bar_chart
from service_blueprint.report_page import html_page, html_table, section

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}desc") is not None
    return root


def rects(root: ET.Element) -> list[ET.Element]:
    return list(root.iter(f"{SVG}rect"))


def test_bar_chart_scales_marks_and_escapes() -> None:
    svg = bar_chart([("Counter <staff>", 50.0), ("Mechanic", 120.0)], title="Load & more", unit="%",
                    marker=100, marker_label="capacity")
    root = parse(svg)
    widths = [float(r.get("width", "0")) for r in rects(root)]
    assert abs(widths[1] - 2.4 * widths[0]) < 0.2
    assert "Counter &lt;staff&gt;" in svg and "Load &amp; more" in svg
    assert 'class="bar over"' in svg and "120% !" in svg  # over the marker: colour and a mark
    assert "Counter <staff>: 50%; Mechanic: 120%" in root.findtext(f"{SVG}desc", "")
    assert svg == bar_chart([("Counter <staff>", 50.0), ("Mechanic", 120.0)], title="Load & more", unit="%",
                            marker=100, marker_label="capacity")


def test_bar_chart_empty_and_infinite() -> None:
    parse(bar_chart([], title="Nothing"))
    svg = bar_chart([("a", float("inf")), ("b", 1.0)], title="T", marker=2)
    assert "∞" in svg
    parse(svg)


def test_stacked_bar_chart_sums_and_legend() -> None:
    svg = stacked_bar_chart([("Customer time", [30.0, 90.0])], ["action", "waiting"], title="Time", unit="min")
    root = parse(svg)
    bars = [r for r in rects(root) if r.find(f"{SVG}title") is not None]
    assert [r.findtext(f"{SVG}title") for r in bars] == [
        "Customer time — action: 30 min", "Customer time — waiting: 90 min"]
    assert abs(float(bars[1].get("width", "0")) - 3 * float(bars[0].get("width", "0"))) < 0.2
    assert ">120 min<" in svg and ">waiting<" in svg


def test_line_chart_gaps_and_low_points() -> None:
    svg = line_chart([("Walk in", -1.0), ("Wait", None), ("Leave", 2.0), ("Pay", 1.0)], title="Emotion",
                     y_min=-2, y_max=2, y_ticks=(-2, -1, 0, 1, 2), baseline=0)
    root = parse(svg)
    assert len(list(root.iter(f"{SVG}polyline"))) == 2  # the None splits the line
    circles = list(root.iter(f"{SVG}circle"))
    assert len(circles) == 3
    assert circles[0].get("fill") == "var(--page-bg, #fff)"  # below the baseline: hollow
    assert "Wait: no value" in root.findtext(f"{SVG}desc", "")


def test_heatmap_threshold_and_labels() -> None:
    hours = [f"h{i}" for i in range(48)]
    values = [[0.0] * 48, [0.5] * 24 + [1.5] * 24]
    svg = heatmap(["idle", "busy"], hours, values, title="Load", unit="", max_value=1.0, threshold=1.0,
                  label_every=24)
    root = parse(svg)
    cells = [r for r in rects(root) if r.find(f"{SVG}title") is not None]
    assert len(cells) == 48  # zero cells are not drawn
    assert sum(1 for r in cells if "!" in (r.findtext(f"{SVG}title") or "")) == 24
    assert ">h0<" in svg and ">h24<" in svg and ">h1<" not in svg
    assert "24 cells above 1" in root.findtext(f"{SVG}desc", "")


def test_page_shell_is_offline_and_themed() -> None:
    body = section("Time", html_table(["step", "min"], [["<b>", "3"]], numeric=[1]), "time")
    page = html_page("Report <1>", body, subtitle="sub", toc=[("time", "Time")], footer="made by us")
    assert page.startswith("<!DOCTYPE html>")
    assert "prefers-color-scheme: dark" in page
    assert "<script" not in page and "http://" not in page and "https://" not in page
    assert "<title>Report &lt;1&gt;</title>" in page
    assert '<td class="num">3</td>' in page and "<td>&lt;b&gt;</td>" in page
    assert '<a href="#time">Time</a>' in page and '<section id="time">' in page
    assert html_table(["a"], [["<i>x</i>"]], escape_cells=False).count("<i>x</i>") == 1
