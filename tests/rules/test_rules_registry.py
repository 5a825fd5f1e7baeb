"""Every registered rule has tests in this folder, and the registry is well formed.

Each ``test_rules_*.py`` module declares ``COVERED``: the rule ids its trigger tests
exercise (derived from its parametrized cases). A new rule without a test fails here.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

from service_blueprint.findings import Severity
from service_blueprint.rules import RULES

HERE = Path(__file__).resolve().parent


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_rules_coverage_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _covered() -> dict[str, set[str]]:
    out = {}
    for path in sorted(HERE.glob("test_rules_*.py")):
        if path.resolve() == Path(__file__).resolve():
            continue
        out[path.name] = set(getattr(_load(path), "COVERED", set()))
    return out



def test_every_rule_has_a_test_and_every_tested_rule_exists() -> None:
    covered = set().union(*_covered().values())
    assert sorted(set(RULES) - covered) == [], "rules without a test"
    assert sorted(covered - set(RULES)) == [], "tests for rules that do not exist"
    assert covered == set(RULES)



def test_every_trigger_case_has_a_clean_twin() -> None:
    for path in sorted(HERE.glob("test_rules_*.py")):
        if path.resolve() == Path(__file__).resolve():
            continue
        for case in getattr(_load(path), "CASES", []):
            assert case.clean != case.text, case.id



def test_rule_ids_and_severities_agree() -> None:
    letter = {"E": Severity.ERROR, "W": Severity.WARNING, "I": Severity.INFO}
    names = [r.name for r in RULES.values()]
    assert len(names) == len(set(names)), "rule names must be unique"
    for rule_id, rule in RULES.items():
        assert re.fullmatch(r"[EWI]\d{3}", rule_id), rule_id
        assert rule.id == rule_id
        assert rule.severity is letter[rule_id[0]], rule_id
        assert re.fullmatch(r"[a-z][a-z0-9-]*", rule.name), rule.name
        assert rule.summary and rule.rationale
