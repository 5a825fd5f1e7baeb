"""What changed between two blueprints, and what the change does to the numbers.

Built for a current state against a future state, and for two versions of one file. Actions are
matched (:mod:`.matching`); every matched pair is compared field by field; a change of step or
lane is a move, and a move across the line of visibility (the customer now sees it, or no longer
does) is called out. Flows are compared after mapping old ids to new ones, so a renamed action
does not show up as a rewired one. Both blueprints are analysed with the same settings and seed,
and the headline figures are set side by side.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any, Literal

from ..model import Action, Blueprint, FailPoint, Placed, Role
from ..quantities import fmt_number
from ..serialize import action_data, flow_data, lane_data, role_data, step_data, to_data
from .matching import Match, match_actions
from .report import DEFAULT_SAMPLES, DEFAULT_TARGET, DEFAULT_WITHIN, Analysis, analyze, plain

Better = Literal["lower", "higher", ""]
Unit = Literal["time", "money", "count", "share", "number", "emotion"]


@dataclass(frozen=True, slots=True)
class ActionRef:
    id: str
    step: str
    lane: str
    text: str


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class ActionChange:
    id: str
    """Id in the new blueprint."""
    old_id: str
    matched_by: str
    text: str
    fields: tuple[FieldChange, ...]
    old_step: str
    new_step: str
    old_lane: str
    new_lane: str
    visibility: str
    """'' or 'now visible' / 'now hidden': a move across the line of visibility."""

    @property
    def moved(self) -> bool:
        return self.old_step != self.new_step or self.old_lane != self.new_lane


@dataclass(frozen=True, slots=True)
class FlowRef:
    source: str
    target: str
    two_way: bool
    p: float | None


@dataclass(frozen=True, slots=True)
class FlowChange:
    source: str
    target: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class RoleChange:
    role: str
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True, slots=True)
class Delta:
    name: str
    old: float | None
    new: float | None
    unit: Unit
    better: Better = "lower"

    @property
    def change(self) -> float | None:
        return None if self.old is None or self.new is None else self.new - self.old

    @property
    def verdict(self) -> str:
        """'better', 'worse' or 'same' when the direction is known."""
        c = self.change
        if c is None or not self.better:
            return ""
        if abs(c) < 1e-9:
            return "same"
        return "better" if (c < 0) == (self.better == "lower") else "worse"


@dataclass(frozen=True, slots=True)
class StaffDelta:
    role: str
    old_needed: int | None
    new_needed: int | None
    old_on_duty: int | None
    new_on_duty: int | None


@dataclass(frozen=True, slots=True)
class BlueprintDiff:
    old_title: str
    new_title: str
    old_label: str
    new_label: str
    added: tuple[ActionRef, ...]
    removed: tuple[ActionRef, ...]
    changed: tuple[ActionChange, ...]
    unchanged: int
    flows_added: tuple[FlowRef, ...]
    flows_removed: tuple[FlowRef, ...]
    flows_changed: tuple[FlowChange, ...]
    roles_added: tuple[str, ...]
    roles_removed: tuple[str, ...]
    roles_changed: tuple[RoleChange, ...]
    steps_added: tuple[str, ...]
    steps_removed: tuple[str, ...]
    deltas: tuple[Delta, ...]
    staff: tuple[StaffDelta, ...]
    old: Analysis = field(repr=False, compare=False)
    new: Analysis = field(repr=False, compare=False)

    @property
    def moved(self) -> tuple[ActionChange, ...]:
        return tuple(c for c in self.changed if c.moved)

    @property
    def identical(self) -> bool:
        return not (self.added or self.removed or self.changed or self.flows_added or self.flows_removed
                    or self.flows_changed or self.roles_added or self.roles_removed or self.roles_changed
                    or self.steps_added or self.steps_removed)

    def to_data(self) -> dict[str, Any]:
        """JSON form: every comparison and delta (the two full analyses are left out)."""
        out = {f.name: plain(getattr(self, f.name)) for f in fields(self) if f.name not in ("old", "new")}
        out.update(moved=[c.id for c in self.moved], identical=self.identical)
        return out

    def highlight(self) -> dict[str, str]:
        """Marks for the visual diff: new ids added/changed, old ids removed."""
        marks = {a.id: "added" for a in self.added}
        marks.update({c.id: "changed" for c in self.changed})
        marks.update({r.id: "removed" for r in self.removed})
        return marks


# ---- comparing values -------------------------------------------------------------------------


def _show(value: Any) -> str:
    if value is None or value == () or value == {}:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return fmt_number(value)
    if isinstance(value, tuple):
        return ", ".join(_show(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_show(v)}" for k, v in value.items())
    return str(value)


_ACTION_FIELDS = ("text", "role", "duration", "tolerance", "wait", "emotion", "channel", "p", "repeat", "cost",
                  "source", "detail", "metrics", "note")
_FAIL_FIELDS = ("text", "likelihood", "impact", "owner", "recovery", "note")
_ROLE_FIELDS = ("name", "department", "kind", "staff", "cost", "shifts", "note")


def _fields_of(old: Any, new: Any, names: tuple[str, ...], prefix: str = "") -> list[FieldChange]:
    out = []
    for name in names:
        a, b = getattr(old, name), getattr(new, name)
        if _show(a) != _show(b):
            out.append(FieldChange(prefix + name, _show(a), _show(b)))
    return out


def _action_changes(old: Action, new: Action) -> list[FieldChange]:
    out = _fields_of(old, new, _ACTION_FIELDS)
    if old.fail is None or new.fail is None:
        if old.fail is not new.fail:
            out.append(FieldChange("fail", _fail(old.fail), _fail(new.fail)))
    else:
        out += _fields_of(old.fail, new.fail, _FAIL_FIELDS, "fail.")
    return out


def _fail(fail: FailPoint | None) -> str:
    return "—" if fail is None else fail.text


def _visible(bp: Blueprint, lane: str) -> bool:
    order = bp.lane_order
    return order.index(lane) <= order.index("frontstage")


def _ref(p: Placed) -> ActionRef:
    return ActionRef(p.action.id, p.step.id, p.lane, p.action.text)


def _flows(bp: Blueprint, rename: Callable[[str], str]) -> dict[tuple[str, str], FlowRef]:
    out: dict[tuple[str, str], FlowRef] = {}
    for e in bp.edges:
        if e.implicit:
            continue
        s, t = rename(e.source), rename(e.target)
        out.setdefault((s, t), FlowRef(s, t, e.two_way, e.p))
    return out


def _flow_text(f: FlowRef) -> str:
    arrow = "<->" if f.two_way else "->"
    return f"{arrow}" + (f" p {fmt_number(f.p)}" if f.p is not None else "")


# ---- the diff ---------------------------------------------------------------------------------


def diff_blueprints(
    old: Blueprint,
    new: Blueprint,
    *,
    old_label: str = "old",
    new_label: str = "new",
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
    target: float = DEFAULT_TARGET,
    within: float = DEFAULT_WITHIN,
) -> BlueprintDiff:
    """Compare two blueprints: actions, flows, roles and steps, and the analysis figures."""
    matches = match_actions(old, new)
    matched_old = {m.old.action.id for m in matches}
    matched_new = {m.new.action.id for m in matches}
    added = tuple(_ref(p) for p in new.placed() if p.action.id not in matched_new
                  and new.action_index[p.action.id] is p)
    removed = tuple(_ref(p) for p in old.placed() if p.action.id not in matched_old
                    and old.action_index[p.action.id] is p)
    changed: list[ActionChange] = []
    unchanged = 0
    for m in matches:
        change = _compare(m, old, new)
        if change is None:
            unchanged += 1
        else:
            changed.append(change)

    rename_map = {m.old.action.id: m.new.action.id for m in matches}
    old_flows = _flows(old, lambda i: rename_map.get(i, i))
    new_flows = _flows(new, lambda i: i)
    flows_added = tuple(f for k, f in new_flows.items() if k not in old_flows)
    flows_removed = tuple(f for k, f in old_flows.items() if k not in new_flows)
    flows_changed = tuple(
        FlowChange(k[0], k[1], _flow_text(old_flows[k]), _flow_text(f))
        for k, f in new_flows.items() if k in old_flows and _flow_text(old_flows[k]) != _flow_text(f)
    )
    roles_changed = tuple(
        RoleChange(r, tuple(_fields_of(old.roles[r], role, _ROLE_FIELDS)))
        for r, role in new.roles.items() if r in old.roles and _fields_of(old.roles[r], role, _ROLE_FIELDS)
    )
    old_steps = [s.id for s in old.steps]
    new_steps = [s.id for s in new.steps]

    settings: dict[str, Any] = {"samples": samples, "seed": seed, "target": target, "within": within}
    a, b = analyze(old, **settings), analyze(new, **settings)
    return BlueprintDiff(
        old_title=old.title, new_title=new.title, old_label=old_label, new_label=new_label,
        added=added, removed=removed, changed=tuple(changed), unchanged=unchanged,
        flows_added=flows_added, flows_removed=flows_removed, flows_changed=flows_changed,
        roles_added=tuple(r for r in new.roles if r not in old.roles),
        roles_removed=tuple(r for r in old.roles if r not in new.roles),
        roles_changed=roles_changed,
        steps_added=tuple(s for s in new_steps if s not in old_steps),
        steps_removed=tuple(s for s in old_steps if s not in new_steps),
        deltas=_deltas(a, b), staff=_staff(a, b, old.roles, new.roles), old=a, new=b,
    )


def _compare(m: Match, old: Blueprint, new: Blueprint) -> ActionChange | None:
    fields = _action_changes(m.old.action, m.new.action)
    if m.by == "text" and m.old.action.id != m.new.action.id:
        fields.insert(0, FieldChange("id", m.old.action.id, m.new.action.id))
    moved = m.old.step.id != m.new.step.id or m.old.lane != m.new.lane
    if not fields and not moved:
        return None
    visibility = ""
    was, now = _visible(old, m.old.lane), _visible(new, m.new.lane)
    if was != now:
        visibility = "now visible" if now else "now hidden"
    return ActionChange(
        id=m.new.action.id, old_id=m.old.action.id, matched_by=m.by, text=m.new.action.text,
        fields=tuple(fields), old_step=m.old.step.id, new_step=m.new.step.id, old_lane=m.old.lane,
        new_lane=m.new.lane, visibility=visibility,
    )


def _deltas(a: Analysis, b: Analysis) -> tuple[Delta, ...]:
    def p90(x: Analysis) -> float | None:
        s = x.timing.customer_spread
        return s.p90 if s is not None else None

    def emotion(x: Analysis, how: str) -> float | None:
        values = [e.emotion for e in x.interactions.emotions if e.emotion is not None]
        if not values:
            return None
        return min(values) if how == "min" else sum(values) / len(values)

    def bottleneck(x: Analysis) -> float | None:
        roles = [r.average for r in x.load.roles]
        return max(roles) if roles else None

    def needed(x: Analysis) -> float | None:
        if not x.load.roles:
            return None
        return float(sum(max((p.needed for p in r.periods), default=0) for r in x.load.roles))

    return (
        Delta("customer standard time", a.timing.customer_time, b.timing.customer_time, "time"),
        Delta("customer time P90", p90(a), p90(b), "time"),
        Delta("case standard time", a.timing.case_time, b.timing.case_time, "time"),
        Delta("share of customer time in action", a.timing.lean.action_share, b.timing.lean.action_share,
              "share", "higher"),
        Delta("cost per case", a.cost.per_case, b.cost.per_case, "money"),
        Delta("work per case", a.cost.work_per_case, b.cost.work_per_case, "time"),
        Delta("highest utilisation (average rate)", bottleneck(a), bottleneck(b), "share"),
        Delta("staff needed at the busiest period, all roles", needed(a), needed(b), "count"),
        Delta("fail points", len(a.fails.points), len(b.fails.points), "count", ""),
        Delta("expected failures per case", a.fails.per_case, b.fails.per_case, "number"),
        Delta("handoffs", len(a.interactions.handoffs), len(b.interactions.handoffs), "count"),
        Delta("expected handoffs per case", a.interactions.expected_handoffs, b.interactions.expected_handoffs,
              "number"),
        Delta("service encounters", len(a.interactions.encounters), len(b.interactions.encounters), "count", ""),
        Delta("lowest emotion", emotion(a, "min"), emotion(b, "min"), "emotion", "higher"),
        Delta("mean emotion", emotion(a, "mean"), emotion(b, "mean"), "emotion", "higher"),
    )


def _staff(a: Analysis, b: Analysis, old_roles: dict[str, Role], new_roles: dict[str, Role]) -> tuple[StaffDelta, ...]:
    def peak(x: Analysis) -> dict[str, tuple[int, int]]:
        return {r.role: (max((p.needed for p in r.periods), default=0),
                         max((p.staff_max for p in r.periods), default=0)) for r in x.load.roles}

    pa, pb = peak(a), peak(b)
    roles = [r for r in new_roles if r in pa or r in pb] + [r for r in old_roles if r not in new_roles and r in pa]
    return tuple(StaffDelta(r, pa[r][0] if r in pa else None, pb[r][0] if r in pb else None,
                            pa[r][1] if r in pa else None, pb[r][1] if r in pb else None) for r in roles)


# ---- the visual diff --------------------------------------------------------------------------


def merged_blueprint(old: Blueprint, new: Blueprint, diff: BlueprintDiff) -> Blueprint:
    """``new`` with the removed actions of ``old`` put back where they were, for drawing.

    A removed action goes back into its old step (recreated after the step that preceded it
    when the new blueprint dropped the step), in its old lane, with the flows that touched it
    (their other end renamed to the matching new action). Roles and custom lanes it needs come
    along. Every action keeps its id, so ``diff.highlight()`` marks the right boxes.
    """
    removed = {r.id for r in diff.removed}
    lanes = list(new.lane_order)
    steps: list[dict[str, Any]] = []
    for s in new.steps:
        data = step_data(s, lanes)
        data["id"] = s.id
        for lane in lanes:
            for item, action in zip(data.get(lane, []), s.lane(lane), strict=True):
                item["id"] = action.id
        steps.append(data)
    by_id = {d["id"]: d for d in steps}
    roles = {rid: role_data(r) for rid, r in new.roles.items()}
    custom = {lid: lane_data(lane) for lid, lane in new.lanes.items()}
    insert_at = 0
    for s in old.steps:
        gone = [(lane, k, a) for lane in old.lane_order for k, a in enumerate(s.lane(lane)) if a.id in removed]
        if s.id in by_id:
            target = by_id[s.id]
            insert_at = steps.index(target) + 1
        elif gone:
            target = {"id": s.id, "name": s.name}
            steps.insert(insert_at, target)
            by_id[s.id] = target
            insert_at += 1
        else:
            continue
        for lane, k, a in gone:
            item = action_data(a)
            item["id"] = a.id
            cell = target.setdefault(lane, [])
            cell.insert(min(k, len(cell)), item)
            if lane not in lanes and lane in old.lanes:
                custom[lane] = lane_data(old.lanes[lane])
            for rid in (a.role, a.fail.owner if a.fail else None):
                if rid and rid not in roles and rid in old.roles:
                    roles[rid] = role_data(old.roles[rid])
    rename = {c.old_id: c.id for c in diff.changed}
    flows: list[Any] = [flow_data(f) for f in new.flows]
    for e in old.edges:
        if e.implicit or (e.source not in removed and e.target not in removed):
            continue
        link: dict[str, Any] = {"from": rename.get(e.source, e.source), "to": rename.get(e.target, e.target)}
        if e.two_way:
            link["two_way"] = True
        if e.label:
            link["label"] = e.label
        flows.append(link)
    data = to_data(new)
    data.update(steps=steps, roles=roles, flows=flows)
    if custom:
        data["lanes"] = custom
    return Blueprint.model_validate(data)
