"""Render, analysis, export and import through the API give what the Python API gives."""

from __future__ import annotations

import json

from _server_kit import CLINIC, Api

from service_blueprint import analyze, export_blueprint, format_analysis, loads
from service_blueprint.render import render

BASE = "/api/workspaces/team/blueprints"


def test_render_formats_match_the_library(team: dict[str, Api]) -> None:
    bp = loads(CLINIC)
    for fmt, media in (("svg", "image/svg+xml"), ("html", "text/html"), ("pdf", "application/pdf")):
        r = team["viewer"].get(f"{BASE}/clinic/render/{fmt}")
        assert r.status_code == 200, r.text
        assert r.headers["content-type"].startswith(media)
        if fmt != "pdf":
            assert r.content == render(bp, fmt)
    dark = team["viewer"].get(f"{BASE}/clinic/render/svg", params={"theme": "dark", "legend": "false"})
    assert dark.content == render(bp, "svg", theme="dark", legend=False)
    assert team["viewer"].get(f"{BASE}/clinic/render/gif").status_code == 422
    assert team["viewer"].get(f"{BASE}/clinic/render/svg", params={"hide": "nonsense"}).status_code == 422


def test_png_render(team: dict[str, Api]) -> None:
    r = team["viewer"].get(f"{BASE}/clinic/render/png", params={"scale": 0.5})
    assert r.status_code == 200
    assert r.content.startswith(b"\x89PNG")


def test_render_of_an_old_version_and_of_a_version_with_errors(team: dict[str, Api]) -> None:
    ed = team["editor"]
    tag = ed.get(f"{BASE}/clinic").headers["ETag"]
    broken = CLINIC.replace("blueprint: 1", "blueprint: 1\nsate: current", 1)
    assert ed.put(f"{BASE}/clinic", json={"text": broken}, headers={"If-Match": tag}).status_code == 200
    r = ed.get(f"{BASE}/clinic/render/svg")
    assert r.status_code == 422
    assert r.json()["detail"]["findings"][0]["rule"]
    assert ed.get(f"{BASE}/clinic/render/svg", params={"version": 1}).status_code == 200
    assert ed.get(f"{BASE}/clinic/render/svg", params={"version": 9}).status_code == 404


def test_analysis_matches_the_library(team: dict[str, Api]) -> None:
    r = team["viewer"].get(f"{BASE}/clinic/analysis", params={"samples": 500, "seed": 3})
    assert r.status_code == 200
    expected = format_analysis(analyze(loads(CLINIC), samples=500, seed=3), "json")
    assert r.json() == json.loads(expected)
    md = team["viewer"].get(f"{BASE}/clinic/analysis", params={"format": "md", "samples": 0})
    assert md.headers["content-type"].startswith("text/markdown")
    assert team["viewer"].get(f"{BASE}/clinic/analysis", params={"target": 1.5}).status_code == 422


def test_export_formats(team: dict[str, Api]) -> None:
    bp = loads(CLINIC)
    for fmt in ("json", "yaml", "bpmn", "drawio", "mermaid", "csv", "xlsx"):
        r = team["viewer"].get(f"{BASE}/clinic/export/{fmt}")
        assert r.status_code == 200, (fmt, r.text)
        expected = export_blueprint(bp, fmt)
        if fmt != "xlsx":
            content = expected.content
            assert r.content == (content.encode() if isinstance(content, str) else content)
        assert json.loads(r.headers["x-blueprint-warnings"]) == list(expected.warnings)
    roles = team["viewer"].get(f"{BASE}/clinic/export/bpmn", params={"lanes": "roles"})
    assert roles.content == str(export_blueprint(bp, "bpmn", lanes="roles").content).encode()
    assert team["viewer"].get(f"{BASE}/clinic/export/pdf").status_code == 422


def test_import_creates_then_versions(team: dict[str, Api]) -> None:
    ed = team["editor"]
    bpmn = ed.get(f"{BASE}/clinic/export/bpmn").content
    r = ed.post(f"{BASE}/from-bpmn/import", content=bpmn, params={"filename": "clinic.bpmn"},
                headers={"Content-Type": "application/octet-stream"})
    assert r.status_code == 201, r.text
    assert r.json()["version"]["number"] == 1
    assert isinstance(r.json()["warnings"], list)
    again = ed.post(f"{BASE}/from-bpmn/import", content=bpmn, params={"format": "bpmn"},
                    headers={"Content-Type": "application/octet-stream"})
    assert again.status_code == 428
    again = ed.post(f"{BASE}/from-bpmn/import", content=bpmn, params={"format": "bpmn"},
                    headers={"Content-Type": "application/octet-stream", "If-Match": r.json()["etag"]})
    assert again.status_code == 200
    assert again.json()["version"]["number"] == 2
    text = ed.get(f"{BASE}/from-bpmn").json()["text"]
    assert loads(text).title == loads(CLINIC).title


def test_import_of_garbage_is_422(team: dict[str, Api]) -> None:
    ed = team["editor"]
    for data, fmt in ((b"<not xml", "bpmn"), (b"\x00\x01\x02", None), (b"PK\x03\x04garbage", None),
                      (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>', "drawio"),
                      (b"{}", "json")):
        params = {"format": fmt} if fmt else {}
        r = ed.post(f"{BASE}/junk/import", content=data, params=params,
                    headers={"Content-Type": "application/octet-stream"})
        assert r.status_code == 422, (data, r.status_code, r.text)
    assert ed.get(f"{BASE}/junk").status_code == 404
