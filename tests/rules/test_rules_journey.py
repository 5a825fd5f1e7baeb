"""E019: a journey file lists a blueprint that does not exist (journeys are read from disk)."""

from __future__ import annotations

from pathlib import Path

import pytest
from _rules_kit import BASE, pos

from service_blueprint.findings import Severity
from service_blueprint.journey import read_journey
from service_blueprint.rules import RULES

COVERED = {"E019"}


def _journey(tmp_path: Path, text: str) -> Path:
    (tmp_path / "parts").mkdir(exist_ok=True)
    (tmp_path / "parts" / "a.blueprint.yaml").write_text(BASE, encoding="utf-8")
    p = tmp_path / "trip.journey.yaml"
    p.write_text(text, encoding="utf-8")
    return p


HEAD = "journey: 1\ntitle: Trip\nblueprints:\n  - parts/a.blueprint.yaml\n"


@pytest.mark.parametrize(
    ("entry", "needle"),
    [
        ("  - parts/b.blueprint.yaml\n", "parts/b"),
        ("  - 'parts/b.blueprint.yaml'\n", "'parts/b"),
        ("  - {path: parts/b.blueprint.yaml, name: B}\n", "path:"),
        ("  - parts\n", "parts\n"),
    ],
    ids=["plain", "quoted", "mapping", "directory"],
)
def test_E019_triggers(tmp_path: Path, entry: str, needle: str) -> None:
    text = HEAD + entry
    doc = read_journey(_journey(tmp_path, text))
    (f,) = doc.findings
    assert f.rule == "E019"
    assert f.severity is Severity.ERROR
    assert f.name == RULES["E019"].name == "missing-journey-file"
    assert (f.line, f.col) == pos(text, needle, after=HEAD)
    missing = "parts" if entry.strip() == "- parts" else "parts/b.blueprint.yaml"
    assert f"blueprint '{missing}' not found" in f.message
    assert f.hint is not None and "relative to the journey file" in f.hint



def test_E019_clean(tmp_path: Path) -> None:
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "b.blueprint.yaml").write_text(BASE, encoding="utf-8")
    doc = read_journey(_journey(tmp_path, HEAD + "  - parts/b.blueprint.yaml\n"))
    assert doc.findings == []
    assert doc.journey is not None
    assert [p.name for p in doc.paths()] == ["a.blueprint.yaml", "b.blueprint.yaml"]



def test_E019_relative_to_the_journey_not_the_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "trip"
    folder.mkdir()
    p = _journey(folder, HEAD)
    monkeypatch.chdir(tmp_path)
    assert read_journey(p).findings == []




def test_unknown_key_in_a_journey_suggests_journey_keys(tmp_path: Path) -> None:
    text = "journey: 1\ntitle: Trip\nblueprint:\n  - parts/a.blueprint.yaml\n"
    (f,) = read_journey(_journey(tmp_path, text)).findings
    assert f.rule == "E004"
    assert (f.line, f.col) == pos(text, "blueprint:")
    assert "(did you mean 'blueprints'?)" in f.message
    assert f.hint is not None and "steps" not in f.hint
