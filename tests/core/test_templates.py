from __future__ import annotations

import pytest

from service_blueprint import check_text, list_templates, loads, new_from_template
from service_blueprint.errors import TemplateNotFoundError, UsageError
from service_blueprint.findings import Severity
from service_blueprint.templates import template_names, template_text

REQUIRED = {
    "saas-onboarding", "clinic-visit", "ecommerce-order", "consulting-engagement", "restaurant-dine-in",
    "bank-loan", "it-helpdesk", "permit-application",
}


def test_required_templates_exist() -> None:
    assert set(template_names()) >= REQUIRED
    assert len(template_names()) >= 10


@pytest.mark.parametrize("name", template_names())
def test_template_checks_clean(name: str) -> None:
    result = check_text(template_text(name), f"{name}.blueprint.yaml")
    bad = [f.format() for f in result.findings if f.severity is not Severity.INFO]
    assert bad == []


@pytest.mark.parametrize("name", template_names())
def test_template_is_complete(name: str) -> None:
    bp = loads(template_text(name))
    assert bp.state in ("current", "future")
    sc = bp.scenario
    assert sc.customer and sc.start and sc.end and sc.goal and sc.tolerance
    assert bp.demand is not None and bp.demand.arrivals is not None and bp.demand.peaks
    assert any(r.department for r in bp.roles.values())
    actions = list(bp.actions())
    assert any(a.fail for a in actions)
    assert any(a.duration for a in actions)
    assert any(e.p is not None for e in bp.edges), "each template shows an exclusive choice"
    assert any(e.two_way for e in bp.edges)


def test_four_lane_example_and_current_future_pair() -> None:
    four = [n for n in template_names() if not loads(template_text(n)).has_evidence]
    assert four, "one template is a four-lane blueprint"
    states = {n: loads(template_text(n)).state for n in template_names()}
    current = [n.removesuffix("-current") for n, s in states.items() if n.endswith("-current") and s == "current"]
    assert any(states.get(f"{base}-future") == "future" for base in current)


def test_list_templates_has_titles() -> None:
    rows = list_templates()
    assert all(r.title and r.steps and r.actions for r in rows)


def test_new_from_template(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = new_from_template("clinic-visit", tmp_path / "c.blueprint.yaml")
    assert path.read_text() == template_text("clinic-visit")
    with pytest.raises(UsageError, match="already exists"):
        new_from_template("clinic-visit", path)
    new_from_template("bank-loan", path, force=True)
    with pytest.raises(TemplateNotFoundError, match="did you mean 'bank-loan'"):
        template_text("bank-lone")
