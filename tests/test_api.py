"""The public API is pinned: removing or renaming a name is a deliberate, visible change."""

from __future__ import annotations

import service_blueprint

EXPECTED = {
    "ACTION_LANES", "LINES", "RULES", "Action", "Analysis", "Blueprint", "BlueprintDiff", "Chain", "CheckResult", "CostRate", "CustomLane",
    "Demand", "Document", "Duration", "Edge", "Evidence", "ExportResult", "FailPoint", "Finding", "Hours", "ImportResult", "Journey", "Link",
    "LoadError", "Peak", "Placed", "Rate", "Role", "Rule", "Scenario", "ServiceBlueprintError", "Severity", "Shift",
    "SimOptions", "SimulationResult", "StaffingPlan", "Step", "TemplateNotFoundError", "UsageError", "Window", "__version__", "analyze", "blueprint_schema", "check",
    "check_text", "diff_blueprints", "dumps_json", "dumps_yaml", "export_blueprint", "format_analysis", "format_diff", "format_text", "import_blueprint", "list_templates", "load", "loads",
    "new_from_template", "parse_document", "read_document", "plan_staff", "read_journey", "read_mapping", "run_showcase", "simulate", "template_text",
    "to_data",
}


def test_all_is_pinned() -> None:
    assert set(service_blueprint.__all__) == EXPECTED
    for name in EXPECTED:
        assert hasattr(service_blueprint, name), name


def test_py_typed_marker_is_shipped() -> None:
    from importlib import resources

    assert resources.files("service_blueprint").joinpath("py.typed").is_file()
