"""Rules about single values that the types allow but the method does not."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Finding, Severity
from ..quantities import fmt_number, fmt_seconds
from .context import Context
from .registry import rule


@rule("E030", "emotion-range", Severity.ERROR, "an emotion is outside -2..+2",
      "The emotion curve uses one five-point scale so steps and blueprints can be compared.")
def emotion_range(ctx: Context) -> Iterator[Finding]:
    for placed in ctx.blueprint.placed():
        e = placed.action.emotion
        if e is not None and not -2 <= e <= 2:
            yield ctx.at_action("E030", placed, f"emotion {fmt_number(e)} is outside -2..+2",
                                "-2 very negative, 0 neutral, +2 very positive", field="emotion")


@rule("E031", "value-range", Severity.ERROR,
      "a count or amount is out of range (negative staff or cost, impact outside 1..5)",
      "Negative staff or money cannot be simulated or costed.")
def value_range(ctx: Context) -> Iterator[Finding]:
    for role_id, role in ctx.blueprint.roles.items():
        if role.staff is not None and role.staff < 0:
            yield ctx.at("E031", ("roles", role_id, "staff"), f"staff {role.staff} is negative")
        for i, shift in enumerate(role.shifts):
            if shift.staff is not None and shift.staff < 0:
                yield ctx.at("E031", ("roles", role_id, "shifts", i), "staff on duty is negative")
        if role.cost is not None and role.cost.per_hour < 0:
            yield ctx.at("E031", ("roles", role_id, "cost"), "cost is negative")
    for placed in ctx.blueprint.placed():
        a = placed.action
        if a.cost is not None and a.cost < 0:
            yield ctx.at_action("E031", placed, f"cost {fmt_number(a.cost)} is negative", field="cost")
        if a.fail and a.fail.impact is not None and not 1 <= a.fail.impact <= 5:
            yield ctx.at("E031", placed.path + ("fail", "impact"),
                         f"impact {a.fail.impact} is outside 1..5", "1 minor … 5 the service is lost")


@rule("W110", "tolerance-shorter-than-duration", Severity.WARNING,
      "an action's tolerance is shorter than its wait plus mean duration",
      "If the normal time already exceeds what the customer accepts, the action fails by design.")
def tolerance_shorter(ctx: Context) -> Iterator[Finding]:
    for placed in ctx.blueprint.placed():
        a = placed.action
        if a.tolerance is None or (a.duration is None and a.wait is None):
            continue
        needed = (a.duration.mean if a.duration else 0.0) + (a.wait.mean if a.wait else 0.0)
        if a.tolerance.mean < needed - 1e-9:
            what = "wait plus duration" if a.wait else "duration"
            yield ctx.at_action("W110", placed,
                                f"tolerance {a.tolerance} is shorter than the mean {what} {fmt_seconds(needed)}",
                                "shorten the action or its wait, or check the tolerance", field="tolerance")
