"""Rules about names: every id is unique and every reference points at something that exists."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Finding, Severity
from ..ids import is_id, suggestion
from .context import Context
from .registry import rule


@rule("E010", "duplicate-action-id", Severity.ERROR, "two actions share an id",
      "Flows, fail points and comments name actions by id; a shared id makes them ambiguous.")
def duplicate_action_id(ctx: Context) -> Iterator[Finding]:
    first: dict[str, int] = {}
    for placed in ctx.blueprint.placed():
        aid = placed.action.id
        if aid in first:
            where = ""
            if ctx.source:
                line, _ = ctx.source.locate(_first_path(ctx, aid))
                where = f" (first used on line {line})" if line else ""
            yield ctx.at_action("E010", placed, f"duplicate action id '{aid}'{where}",
                                "give each action its own id", field="id" if not placed.action.id_derived else None)
        else:
            first[aid] = placed.step_index


def _first_path(ctx: Context, aid: str) -> tuple[str | int, ...]:
    return ctx.blueprint.action_index[aid].path + ("id",)


@rule("E011", "duplicate-step-id", Severity.ERROR, "two steps share an id",
      "Phases name steps by id; a shared id makes a phase ambiguous.")
def duplicate_step_id(ctx: Context) -> Iterator[Finding]:
    seen: set[str] = set()
    for i, step in enumerate(ctx.blueprint.steps):
        if step.id in seen:
            yield ctx.at("E011", ("steps", i, "id" if not step.id_derived else "name"),
                         f"duplicate step id '{step.id}'", "give each step its own id")
        seen.add(step.id)


@rule("E012", "unknown-role", Severity.ERROR, "an action names a role that is not declared under roles:",
      "Load, cost and handoffs are computed per role; an undeclared role (often a typo) would be lost.")
def unknown_role(ctx: Context) -> Iterator[Finding]:
    roles = ctx.blueprint.roles
    for placed in ctx.blueprint.placed():
        role = placed.action.role
        if role is not None and role not in roles:
            yield ctx.at_action("E012", placed, f"unknown role '{role}'{suggestion(role, roles)}",
                                "declare it under 'roles:'", field="role")


@rule("E013", "unknown-action", Severity.ERROR, "a flow names an action id that does not exist",
      "A flow to nowhere silently breaks the critical path and every analysis built on it.")
def unknown_action(ctx: Context) -> Iterator[Finding]:
    index = ctx.blueprint.action_index
    for edge in ctx.blueprint.edges:
        if edge.implicit:
            continue
        for end in ("source", "target"):
            aid = edge.source if end == "source" else edge.target
            if aid in index:
                continue
            if end == "source" and edge.part > 0:
                continue  # in a chain this id was already reported as the previous arrow's target
            yield ctx.at_edge("E013", edge, end, f"unknown action '{aid}' in flow{suggestion(aid, index)}",
                              "flows name action ids; ids are derived from the text when not given")


@rule("E014", "unknown-step", Severity.ERROR, "a phase names a step id that does not exist",
      "Phases group steps by id; a misspelt id drops the step from its phase.")
def unknown_step(ctx: Context) -> Iterator[Finding]:
    steps = {s.id for s in ctx.blueprint.steps}
    for name, members in ctx.blueprint.phases.items():
        for i, sid in enumerate(members):
            if sid not in steps:
                yield ctx.at("E014", ("phases", name, i), f"unknown step '{sid}' in phase '{name}'{suggestion(sid, steps)}")


@rule("E015", "unknown-owner", Severity.ERROR, "a fail point's owner is not a declared role",
      "The owner is who answers for the failure; it must be a role so it shows in load and handoffs.")
def unknown_owner(ctx: Context) -> Iterator[Finding]:
    roles = ctx.blueprint.roles
    for placed in ctx.blueprint.placed():
        fail = placed.action.fail
        if fail and fail.owner is not None and fail.owner not in roles:
            yield ctx.at("E015", placed.path + ("fail", "owner"),
                         f"unknown owner '{fail.owner}'{suggestion(fail.owner, roles)}", "the owner is a role id")


@rule("E016", "unknown-recovery", Severity.ERROR, "a fail point's recovery looks like an id but names no action",
      "A recovery written as an id links to the action that recovers the failure; a broken link hides it.")
def unknown_recovery(ctx: Context) -> Iterator[Finding]:
    index = ctx.blueprint.action_index
    for placed in ctx.blueprint.placed():
        fail = placed.action.fail
        if fail and fail.recovery and is_id(fail.recovery) and fail.recovery not in index:
            yield ctx.at("E016", placed.path + ("fail", "recovery"),
                         f"unknown recovery action '{fail.recovery}'{suggestion(fail.recovery, index)}",
                         "name an action id, or describe the recovery in words")


@rule("E017", "missing-detail", Severity.ERROR, "a detail link points at a file that does not exist",
      "A backstage action may open a more detailed blueprint; the link must not dangle.")
def missing_detail(ctx: Context) -> Iterator[Finding]:
    if ctx.base_dir is None:
        return
    for placed in ctx.blueprint.placed():
        detail = placed.action.detail
        if detail and not (ctx.base_dir / detail).is_file():
            yield ctx.at_action("E017", placed, f"detail blueprint '{detail}' not found",
                                "paths are relative to this file", field="detail")


@rule("E018", "unknown-lane", Severity.ERROR, "a custom lane is placed after a lane that does not exist",
      "Custom lanes sit below a named lane; an unknown anchor leaves their place undefined.")
def unknown_lane(ctx: Context) -> Iterator[Finding]:
    known = set(ctx.blueprint.lane_order) | {"evidence"}
    for lane_id, lane in ctx.blueprint.lanes.items():
        if lane.after not in known:
            yield ctx.at("E018", ("lanes", lane_id, "after"),
                         f"lane '{lane_id}' is placed after unknown lane '{lane.after}'{suggestion(lane.after, known)}")
        if lane_id in ("evidence", "customer", "frontstage", "backstage", "support"):
            yield ctx.at("E018", ("lanes", lane_id), f"'{lane_id}' is a canon lane and cannot be redeclared",
                         key=True)


@rule("W109", "phase-coverage", Severity.WARNING, "a step is in no phase, or in more than one",
      "Phases partition the journey; a step outside them or in two is drawn under the wrong band.")
def phase_coverage(ctx: Context) -> Iterator[Finding]:
    phases = ctx.blueprint.phases
    if not phases:
        return
    seen: dict[str, str] = {}
    for name, members in phases.items():
        for i, sid in enumerate(members):
            if sid in seen:
                yield ctx.at("W109", ("phases", name, i), f"step '{sid}' is in phases '{seen[sid]}' and '{name}'")
            seen.setdefault(sid, name)
    for i, step in enumerate(ctx.blueprint.steps):
        if step.id not in seen:
            yield ctx.at("W109", ("steps", i), f"step '{step.id}' is in no phase", "add it to one of 'phases:'")


@rule("I204", "unused-role", Severity.INFO, "a declared role performs no action",
      "An unused role is often left over from an edit, or a sign that its work is missing from the map.")
def unused_role(ctx: Context) -> Iterator[Finding]:
    used = {a.role for a in ctx.blueprint.actions()}
    used |= {a.fail.owner for a in ctx.blueprint.actions() if a.fail}
    for role_id in ctx.blueprint.roles:
        if role_id not in used:
            yield ctx.at("I204", ("roles", role_id), f"role '{role_id}' performs no action", key=True)
