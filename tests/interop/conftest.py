"""Make ``_interop_kit.py`` importable whatever pytest's import mode; the OMG XSD fixture."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)


@pytest.fixture(scope="session")
def bpmn_schema() -> Any:
    """The OMG BPMN 2.0 XSD (BPMN20.xsd with Semantic, BPMNDI, DC and DI) shipped by SpiffWorkflow."""
    import xmlschema

    spec = importlib.util.find_spec("SpiffWorkflow")
    assert spec is not None and spec.submodule_search_locations, "dev dependency spiffworkflow is missing"
    folder = Path(next(iter(spec.submodule_search_locations))) / "bpmn" / "parser" / "schema"
    return xmlschema.XMLSchema(str(folder / "BPMN20.xsd"))
