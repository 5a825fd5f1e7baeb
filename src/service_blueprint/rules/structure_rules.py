"""Rules from the blueprinting canon: lanes, lines, scenario and the state of the map."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Finding, Severity
from ..model import LINES
from .context import Context
from .registry import rule


@rule("W101", "step-without-customer", Severity.WARNING, "a step has no customer action",
      "A blueprint is read from the customer's point of view; each column is a moment of the customer's.")
def step_without_customer(ctx: Context) -> Iterator[Finding]:
    for i, step in enumerate(ctx.blueprint.steps):
        if not step.customer:
            yield ctx.at("W101", ("steps", i), f"step '{step.id}' has no customer action",
                         "add what the customer does or experiences at this moment")


@rule("W102", "frontstage-unlinked", Severity.WARNING, "a frontstage action is linked to no customer action",
      "Frontstage means seen by the customer: it should meet a customer action across the line of interaction.")
def frontstage_unlinked(ctx: Context) -> Iterator[Finding]:
    lane = ctx.lane_of
    linked: set[str] = set()
    for e in ctx.known_edges:
        if lane[e.source] == "customer":
            linked.add(e.target)
        if lane[e.target] == "customer":
            linked.add(e.source)
    for placed in ctx.blueprint.placed():
        if placed.lane == "frontstage" and placed.action.id not in linked:
            yield ctx.at_action("W102", placed, f"frontstage action '{placed.action.id}' is linked to no customer action",
                                "add a flow from or to the customer action it serves, or move it backstage")


@rule("W103", "unreached-action", Severity.WARNING, "a backstage or support action has no incoming flow",
      "Work out of sight must be triggered by something; an unreached action has no start in the flow.")
def unreached_action(ctx: Context) -> Iterator[Finding]:
    reached = {e.target for e in ctx.known_edges}
    for placed in ctx.blueprint.placed():
        if placed.lane in ("backstage", "support") and placed.action.id not in reached:
            yield ctx.at_action("W103", placed, f"{placed.lane} action '{placed.action.id}' is reached by no flow",
                                "add a flow that triggers it")


@rule("W104", "step-without-evidence", Severity.WARNING,
      "a step has no physical evidence (not reported for four-lane blueprints, which have none at all)",
      "Evidence is what the customer sees or touches; a moment with none is often an overlooked touchpoint.")
def step_without_evidence(ctx: Context) -> Iterator[Finding]:
    if not ctx.blueprint.has_evidence:
        return
    for i, step in enumerate(ctx.blueprint.steps):
        if not step.evidence:
            yield ctx.at("W104", ("steps", i), f"step '{step.id}' has no evidence",
                         "list what the customer sees or touches here (a place, a form, a screen, a message)")


@rule("W105", "scenario-incomplete", Severity.WARNING, "the scenario lacks its customer, start, end or goal",
      "A blueprint maps one scenario for one segment; without them readers cannot tell what it covers.")
def scenario_incomplete(ctx: Context) -> Iterator[Finding]:
    sc = ctx.blueprint.scenario
    missing = [k for k in ("customer", "start", "end", "goal") if not getattr(sc, k)]
    if missing:
        path: tuple[str | int, ...] = ("scenario",) if "scenario" in ctx.blueprint.model_fields_set else ()
        yield ctx.at("W105", path, f"scenario has no {', '.join(missing)}",
                     "say whose scenario this is, where it starts and ends, and the customer's goal", key=True)


@rule("W106", "state-missing", Severity.WARNING, "the blueprint does not say whether it is current or future",
      "Current-state maps diagnose; future-state maps design. Mixing them misleads the reader.")
def state_missing(ctx: Context) -> Iterator[Finding]:
    if ctx.blueprint.state is None:
        yield ctx.at("W106", (), "state is missing", "add 'state: current' or 'state: future'")


@rule("W107", "proposed-in-current", Severity.WARNING, "a current-state blueprint contains proposed actions",
      "The method warns against jumping to solutions: map the service as it is first, then design the future.")
def proposed_in_current(ctx: Context) -> Iterator[Finding]:
    if ctx.blueprint.state != "current":
        return
    for placed in ctx.blueprint.placed():
        if placed.action.source == "proposed":
            yield ctx.at_action("W107", placed, f"action '{placed.action.id}' is proposed in a current-state blueprint",
                                "move proposals to a future-state copy (state: future)", field="source")


@rule("W111", "no-steps", Severity.WARNING, "the blueprint has no steps",
      "An empty blueprint is probably a file started and never filled in.")
def no_steps(ctx: Context) -> Iterator[Finding]:
    if not ctx.blueprint.steps:
        yield ctx.at("W111", ("steps",) if "steps" in ctx.blueprint.model_fields_set else (),
                     "blueprint has no steps", key=True)


@rule("I201", "fail-point-incomplete", Severity.INFO, "a fail point names no owner or no recovery",
      "Shostack's fail points are useful when someone owns them and a recovery is planned.")
def fail_point_incomplete(ctx: Context) -> Iterator[Finding]:
    for placed in ctx.blueprint.placed():
        fail = placed.action.fail
        if fail is None:
            continue
        missing = [k for k in ("owner", "recovery") if getattr(fail, k) is None]
        if missing:
            yield ctx.at("I201", placed.path + ("fail",), f"fail point on '{placed.action.id}' has no {' or '.join(missing)}",
                         "name the role that owns it and the action that recovers it", key=True)


@rule("I202", "customer-to-backstage", Severity.INFO,
      "a customer action is linked straight to a backstage or support action (legal: e.g. a booking by phone)",
      "Not an error (Bitner et al.): a reservation taken by an unseen system has no frontstage action.")
def customer_to_backstage(ctx: Context) -> Iterator[Finding]:
    lane = ctx.lane_of
    for e in ctx.known_edges:
        a, b = lane[e.source], lane[e.target]
        if {a, b} & {"customer"} and {a, b} & {"backstage", "support"}:
            other = e.target if a == "customer" else e.source
            yield ctx.at_edge("I202", e, "target",
                              f"customer action linked straight to {lane[other]} action '{other}' (no frontstage)")


@rule("I203", "internal-handoff", Severity.INFO, "a flow crosses the line of internal interaction (a handoff)",
      "Handoffs between contact staff and support are where time and information get lost; they are worth seeing.")
def internal_handoff(ctx: Context) -> Iterator[Finding]:
    lane = ctx.lane_of
    order = ctx.blueprint.lane_order
    line_at = order.index("support")  # the line of internal interaction is drawn above support
    for e in ctx.known_edges:
        a, b = lane[e.source], lane[e.target]
        if "customer" in (a, b):
            continue
        above = (order.index(a) < line_at, order.index(b) < line_at)
        if above[0] != above[1]:
            yield ctx.at_edge("I203", e, "target",
                              f"handoff across the {LINES['backstage']}: {e.source} ({a}) -> {e.target} ({b})")
