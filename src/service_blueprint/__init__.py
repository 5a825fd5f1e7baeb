"""service-blueprint: service blueprints as data.

The public API; the CLI and the server call only these::

    from service_blueprint import load, check, dumps_yaml
    bp = load("repair.blueprint.yaml")
    for finding in check("repair.blueprint.yaml").findings:
        print(finding.format())
"""

from __future__ import annotations

from .analysis import (
    Analysis,
    BlueprintDiff,
    analyze,
    diff_blueprints,
    format_analysis,
    format_diff,
)
from .calendar import Hours, Peak, Shift, Window
from .checker import CheckResult, check, check_text
from .errors import LoadError, ServiceBlueprintError, TemplateNotFoundError, UsageError
from .findings import Finding, Severity
from .flows import Chain, Edge, Link
from .formatting import format_text
from .interop import ExportResult, ImportResult, export_blueprint, import_blueprint, read_mapping
from .journey import Journey, read_journey
from .loader import Document, load, loads, parse_document, read_document
from .model import (
    ACTION_LANES,
    LINES,
    Action,
    Blueprint,
    CustomLane,
    Demand,
    Evidence,
    FailPoint,
    Placed,
    Role,
    Scenario,
    Step,
)
from .quantities import CostRate, Duration, Rate
from .rules import RULES, Rule
from .schema import blueprint_schema
from .serialize import dumps_json, dumps_yaml, to_data
from .showcase import run_showcase
from .simulation import SimOptions, SimulationResult, StaffingPlan, plan_staff, simulate
from .templates import list_templates, new_from_template, template_text

__version__ = "0.1.0"

__all__ = [
    "ACTION_LANES",
    "LINES",
    "RULES",
    "Action",
    "Analysis",
    "Blueprint",
    "BlueprintDiff",
    "Chain",
    "CheckResult",
    "CostRate",
    "CustomLane",
    "Demand",
    "Document",
    "Duration",
    "Edge",
    "Evidence",
    "ExportResult",
    "FailPoint",
    "Finding",
    "Hours",
    "ImportResult",
    "Journey",
    "Link",
    "LoadError",
    "Peak",
    "Placed",
    "Rate",
    "Role",
    "Rule",
    "Scenario",
    "ServiceBlueprintError",
    "Severity",
    "Shift",
    "SimOptions",
    "SimulationResult",
    "StaffingPlan",
    "Step",
    "TemplateNotFoundError",
    "UsageError",
    "Window",
    "__version__",
    "analyze",
    "blueprint_schema",
    "check",
    "check_text",
    "diff_blueprints",
    "dumps_json",
    "dumps_yaml",
    "export_blueprint",
    "format_analysis",
    "format_diff",
    "format_text",
    "import_blueprint",
    "list_templates",
    "load",
    "loads",
    "new_from_template",
    "parse_document",
    "plan_staff",
    "read_document",
    "read_journey",
    "read_mapping",
    "run_showcase",
    "simulate",
    "template_text",
    "to_data",
]
