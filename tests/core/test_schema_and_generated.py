from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
import yaml_rs

from service_blueprint.generated import artefacts
from service_blueprint.schema import blueprint_schema, shipped_schema_text
from service_blueprint.templates import template_names, template_text

ROOT = Path(__file__).resolve().parents[2]


def test_generated_artefacts_are_current() -> None:
    for path, text in artefacts(ROOT).items():
        assert path.exists(), f"{path} missing: run 'make generate'"
        assert path.read_text("utf-8") == text, f"{path.relative_to(ROOT)} is stale: run 'make generate'"


def test_shipped_schema_is_the_packaged_file() -> None:
    assert '"$comment"' in shipped_schema_text()


@pytest.mark.parametrize("name", template_names())
def test_templates_validate_against_schema(name: str) -> None:
    jsonschema.validate(yaml_rs.loads(template_text(name), parse_datetime=False), blueprint_schema())


def test_schema_rejects_unknown_keys_and_bad_shapes() -> None:
    schema = blueprint_schema()
    validator = jsonschema.Draft202012Validator(schema)
    good = {"blueprint": 1, "title": "T", "steps": [{"name": "S", "customer": [{"text": "A"}]}]}
    assert not list(validator.iter_errors(good))
    assert list(validator.iter_errors({**good, "colour": "red"}))
    assert list(validator.iter_errors({**good, "flows": ["a b"]}))
    assert list(validator.iter_errors({"title": "T"}))
