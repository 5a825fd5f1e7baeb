"""The typed, immutable blueprint model (DESIGN section 2).

Validated once at the edge by :mod:`service_blueprint.loader`; everything downstream
trusts it. Fields mirror the file format one to one, so the JSON Schema generated from
these classes is the schema of ``*.blueprint.yaml`` files and serialising gives the same
YAML back. Structural rules that need the whole file (unknown ids, cycles…) are not
validators here but checker rules, so that a file with several mistakes reports all of
them with positions.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic.json_schema import SkipJsonSchema

from .calendar import Hours, Peak, Shift
from .flows import Edge, FlowSpec, expand_edges, parse_flow
from .ids import slugify, unique
from .quantities import CostRate, Duration, Rate

FORMAT_VERSION: Literal[1] = 1


class Lane(StrEnum):
    EVIDENCE = "evidence"
    CUSTOMER = "customer"
    FRONTSTAGE = "frontstage"
    BACKSTAGE = "backstage"
    SUPPORT = "support"


#: Lanes that hold actions, top to bottom.
ACTION_LANES: tuple[str, ...] = ("customer", "frontstage", "backstage", "support")
#: The named line drawn below each lane (DESIGN section 1).
LINES: dict[str, str] = {
    "customer": "line of interaction",
    "frontstage": "line of visibility",
    "backstage": "line of internal interaction",
}
State = Literal["current", "future"]
Source = Literal["observed", "assumed", "proposed"]
RoleKind = Literal["person", "system", "partner"]
MetricValue = str | int | float | bool


def _as_tuple(value: Any) -> Any:
    """Lists in YAML become tuples so the model stays hashable and immutable."""
    return tuple(value) if isinstance(value, list) else value


#: Key the id-deriving validator adds to mark ids it made up; never written by users.
_DERIVED = "__derived__"


def _one_or_many(value: Any) -> Any:
    """A single item where a list is expected (``evidence: Door``) becomes a one-item list."""
    if isinstance(value, (str, dict)):
        return (value,)
    return _as_tuple(value)


class Frozen(BaseModel):
    """Base of every model class: immutable, and unknown keys are errors (typos must surface)."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, use_attribute_docstrings=True)


class FailPoint(Frozen):
    """Shostack's circled F: how this action can fail, how likely, and who recovers it."""

    text: str
    """What goes wrong, as the customer would notice it."""
    likelihood: float | None = None
    """Probability that it fails on one execution (0..1)."""
    impact: int | None = None
    """Severity for the customer, 1 (minor) to 5 (service lost)."""
    owner: str | None = None
    """Role id of who owns preventing and recovering this failure."""
    recovery: str | None = None
    """Id of the action that recovers it, or a short description of the recovery."""
    note: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        return {"text": data} if isinstance(data, str) else data


class Evidence(Frozen):
    """A thing the customer sees or touches; usually written as plain text."""

    text: str
    note: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        return {"text": data} if isinstance(data, str) else data

    def to_data(self) -> Any:
        return self.text if self.note is None else {"text": self.text, "note": self.note}


class Action(Frozen):
    """One thing someone (or something) does in one lane of one step."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=False, use_attribute_docstrings=True)

    id: str = ""
    """Unique in the file; derived from the text when absent."""
    text: str
    """What is done, in a few words, from the performer's point of view."""
    role: str | None = None
    """Role id of the performer (customer actions have none)."""
    duration: Duration | None = None
    """How long it takes."""
    tolerance: Duration | None = None
    """Longest wait plus duration the customer accepts for this action."""
    wait: Duration | None = None
    """Observed wait before it starts (the W of practitioners)."""
    fail: FailPoint | None = None
    emotion: float | None = None
    """The customer's feeling here, -2 (very negative) to +2 (very positive)."""
    channel: str | None = None
    """Where it happens: in person, phone, web, app, email…"""
    p: float | None = None
    """Probability that this optional action happens at all."""
    repeat: float | None = None
    """Probability that it must be done again (rework)."""
    cost: float | None = None
    """Fixed money per execution (materials, fees), besides the role's time."""
    source: Source | None = None
    """Where the facts come from: observed, assumed, or proposed (future state)."""
    detail: str | None = None
    """Path of a more detailed blueprint of this action."""
    metrics: dict[str, MetricValue] | None = None
    """Free key-values, e.g. measured NPS or frequency."""
    note: str | None = None

    id_derived: SkipJsonSchema[bool] = Field(default=False, alias=_DERIVED, exclude=True, repr=False)
    """True when the file gave no id and it was made from the text (set by the loader)."""


_ActionList = Annotated[tuple[Action, ...], BeforeValidator(_as_tuple)]


class Step(Frozen):
    """A column: one moment of the scenario, with what happens in each lane at that moment."""

    model_config = ConfigDict(frozen=True, extra="allow", populate_by_name=False, use_attribute_docstrings=True)

    id: str = ""
    """Unique among steps; derived from the name when absent."""
    name: str
    evidence: Annotated[tuple[Evidence, ...], BeforeValidator(_one_or_many)] = ()
    customer: _ActionList = ()
    frontstage: _ActionList = ()
    backstage: _ActionList = ()
    support: _ActionList = ()
    note: str | None = None

    __pydantic_extra__: dict[str, _ActionList] = Field(init=False)
    id_derived: SkipJsonSchema[bool] = Field(default=False, alias=_DERIVED, exclude=True, repr=False)
    """True when the file gave no id and it was made from the name (set by the loader)."""

    @property
    def extra_lanes(self) -> dict[str, tuple[Action, ...]]:
        """Actions in custom lanes declared under ``lanes:``, by lane id."""
        return dict(self.__pydantic_extra__ or {})

    def lane(self, name: str) -> tuple[Action, ...]:
        if name in ACTION_LANES:
            actions: tuple[Action, ...] = getattr(self, name)
            return actions
        return (self.__pydantic_extra__ or {}).get(name, ())


class Role(Frozen):
    """Who performs actions: a kind of person, a system or a partner organisation."""

    name: str | None = None
    department: str | None = None
    kind: RoleKind = "person"
    staff: int | None = None
    """Head count (people) or capacity (systems; unlimited when absent)."""
    cost: CostRate | None = None
    shifts: Annotated[tuple[Shift, ...], BeforeValidator(_one_or_many)] = ()
    note: str | None = None

    @property
    def capacity(self) -> int | None:
        """Units that can work at once; ``None`` means unlimited.

        Systems and partners without ``staff`` are unlimited: a system scales, and a partner's
        capacity is outside the blueprint (the wholesaler serves many shops), so counting it as
        one unit would invent a bottleneck. People without ``staff`` count as one.
        """
        if self.staff is not None:
            return self.staff
        return 1 if self.kind == "person" else None


class Demand(Frozen):
    """How many customers start this scenario, and when."""

    arrivals: Rate | None = None
    hours: Annotated[tuple[Hours, ...], BeforeValidator(_one_or_many)] = ()
    peaks: Annotated[tuple[Peak, ...], BeforeValidator(_one_or_many)] = ()
    note: str | None = None


class Scenario(Frozen):
    """The one scenario a blueprint maps: whose, from where to where, and for what."""

    customer: str | None = None
    """The customer segment."""
    start: str | None = None
    end: str | None = None
    goal: str | None = None
    """What the customer wants to achieve."""
    tolerance: Duration | None = None
    """Longest end-to-end time the customer accepts."""
    note: str | None = None


class CustomLane(Frozen):
    """An extra lane (e.g. policies, systems) placed below a canon lane."""

    name: str | None = None
    after: str = "support"
    """Lane id this lane is drawn below."""
    line: str | None = None
    """Name of the line drawn above this lane, if any."""
    note: str | None = None


def _flows(value: Any) -> Any:
    if not isinstance(value, list):
        return value
    return tuple(parse_flow(item) for item in value)


@dataclass(frozen=True, slots=True)
class Placed:
    """An action with where it sits: the step, the lane and its index in that cell."""

    action: Action
    step: Step
    step_index: int
    lane: str
    index: int

    @property
    def path(self) -> tuple[str | int, ...]:
        return ("steps", self.step_index, self.lane, self.index)


class Blueprint(Frozen):
    """A service blueprint: one scenario, its lanes, steps, roles, demand and flows."""

    blueprint: Literal[1] = FORMAT_VERSION
    """File format version."""
    title: str
    description: str | None = None
    state: State | None = None
    """Whether this maps the service as it is (current) or as designed (future)."""
    currency: str | None = None
    scenario: Scenario = Scenario()
    roles: dict[str, Role] = {}
    demand: Demand | None = None
    lanes: dict[str, CustomLane] = {}
    phases: dict[str, Annotated[tuple[str, ...], BeforeValidator(_one_or_many)]] = {}
    steps: Annotated[tuple[Step, ...], BeforeValidator(_as_tuple)] = ()
    flows: Annotated[tuple[FlowSpec, ...], BeforeValidator(_flows)] = ()
    ignore: Annotated[tuple[str, ...], BeforeValidator(_one_or_many)] = ()
    """Rule ids (or names) not to report for this file."""
    tags: Annotated[tuple[str, ...], BeforeValidator(_one_or_many)] = ()

    @model_validator(mode="before")
    @classmethod
    def _derive_ids(cls, data: Any) -> Any:
        """Fill in ids the author left out, so flows and tools can always name things.

        Explicit ids are reserved first, so a derived id never takes one the author wrote;
        which ids were derived is remembered to write the file back as it was.
        """
        if not isinstance(data, dict) or not isinstance(data.get("steps"), list):
            return data
        steps = data["steps"]
        taken_actions: set[str] = set()
        taken_steps: set[str] = set()
        for step in steps:
            if not isinstance(step, dict):
                continue
            if isinstance(step.get("id"), str):
                taken_steps.add(step["id"])
            for lane_items in _lane_lists(step):
                for item in lane_items:
                    if isinstance(item, dict) and isinstance(item.get("id"), str):
                        taken_actions.add(item["id"])
        new_steps = []
        for step in steps:
            if not isinstance(step, dict):
                new_steps.append(step)
                continue
            step = {k: v for k, v in step.items() if k != _DERIVED}
            if "id" not in step and isinstance(step.get("name"), str):
                step["id"] = unique(slugify(step["name"], fallback="step"), taken_steps)
                step[_DERIVED] = True
            for key, value in list(step.items()):
                if key in _STEP_FIELDS - set(ACTION_LANES) or not isinstance(value, list):
                    continue
                items = []
                for item in value:
                    if isinstance(item, dict):
                        if _DERIVED in item:
                            item = {k: v for k, v in item.items() if k != _DERIVED}
                        if "id" not in item and isinstance(item.get("text"), str):
                            item = {**item, "id": unique(slugify(item["text"]), taken_actions), _DERIVED: True}
                    items.append(item)
                step[key] = items
            new_steps.append(step)
        return {**data, "steps": new_steps}

    # ---- navigation --------------------------------------------------------------------
    @cached_property
    def _placed(self) -> tuple[Placed, ...]:
        lanes = self.lane_order
        return tuple(
            Placed(action, step, si, lane, ai)
            for si, step in enumerate(self.steps)
            for lane in lanes
            for ai, action in enumerate(step.lane(lane))
        )

    def placed(self) -> Iterator[Placed]:
        """Every action with its position, in reading order (step by step, lane by lane)."""
        return iter(self._placed)

    def actions(self) -> Iterator[Action]:
        return (p.action for p in self._placed)

    @cached_property
    def action_index(self) -> dict[str, Placed]:
        """Actions by id (the first one when an id is duplicated, which the checker reports)."""
        index: dict[str, Placed] = {}
        for p in self.placed():
            index.setdefault(p.action.id, p)
        return index

    def action(self, action_id: str) -> Action:
        return self.action_index[action_id].action

    @property
    def lane_order(self) -> tuple[str, ...]:
        """Action lanes top to bottom, custom lanes inserted below the lane they follow."""
        order = list(ACTION_LANES)
        for lane_id, lane in self.lanes.items():
            if lane_id in ACTION_LANES or lane_id == "evidence":
                continue  # redeclaring a canon lane is reported (E018), not drawn twice
            if lane.after == "evidence":
                pos = 0  # drawn above the customer lane, just below the evidence row
            else:
                anchor = lane.after if lane.after in order else "support"
                pos = order.index(anchor) + 1
            while pos < len(order) and order[pos] in self.lanes and order[pos] != lane_id:
                pos += 1
            order.insert(pos, lane_id)
        return tuple(order)

    @property
    def has_evidence(self) -> bool:
        """False for a four-lane blueprint (no evidence lane)."""
        return any(step.evidence for step in self.steps)

    @cached_property
    def edges(self) -> tuple[Edge, ...]:
        """Every flow as single edges, with the implicit customer chain first."""
        customer_ids = [a.id for s in self.steps for a in s.customer]
        return expand_edges(self.flows, customer_ids)

    def step_of(self, action_id: str) -> Step | None:
        p = self.action_index.get(action_id)
        return p.step if p else None


_STEP_FIELDS = {"id", "name", "evidence", "note", *ACTION_LANES}


def _lane_lists(step: dict[str, Any]) -> Iterator[list[Any]]:
    for key, value in step.items():
        if key not in _STEP_FIELDS - set(ACTION_LANES) and isinstance(value, list):
            yield value
