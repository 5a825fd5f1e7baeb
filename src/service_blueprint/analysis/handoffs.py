"""Handoffs, line crossings, service encounters, moments of truth and the emotion curve.

Definitions (DESIGN section 1, made countable):

* a **handoff** is an explicit flow between two provider actions (neither in the customer lane)
  that changes the performing role, or the department, or crosses the line of internal
  interaction;
* a flow **crosses a line** when its two actions sit in lanes on opposite sides of it; the lines
  are the canon's (interaction below customer, visibility below frontstage, internal interaction
  below backstage) and those custom lanes declare with ``line:`` (drawn above that lane);
* a **service encounter** is a flow crossing the line of interaction;
* a **moment of truth** is a customer action where the customer's opinion of the service is
  likely made: its emotion is strongly negative (−1.5 or lower), or it carries a fail point, or
  a flow joins it to a provider action that carries one (the customer is there when it fails);
* the **emotion curve** is the customer actions' emotions in reading order.

Counts are of flows as drawn; "expected" figures weigh each flow by the chance it fires in a case.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from ..model import ACTION_LANES, LINES, Blueprint
from .basis import Basis

STRONGLY_NEGATIVE = -1.5
INTERACTION = LINES["customer"]
INTERNAL = LINES["backstage"]


@dataclass(frozen=True, slots=True)
class Handoff:
    source: str
    target: str
    from_role: str | None
    to_role: str | None
    from_department: str | None
    to_department: str | None
    reasons: tuple[str, ...]
    probability: float


@dataclass(frozen=True, slots=True)
class DepartmentPair:
    source: str
    target: str
    count: int
    expected: float


@dataclass(frozen=True, slots=True)
class LineCrossing:
    line: str
    count: int
    expected: float
    flows: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Encounter:
    customer: str
    provider: str
    lane: str
    two_way: bool
    channel: str | None
    probability: float


@dataclass(frozen=True, slots=True)
class MomentOfTruth:
    action: str
    step: str
    text: str
    emotion: float | None
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EmotionPoint:
    action: str
    step: str
    step_name: str
    text: str
    emotion: float | None


@dataclass(frozen=True, slots=True)
class Interactions:
    handoffs: tuple[Handoff, ...]
    department_pairs: tuple[DepartmentPair, ...]
    crossings: tuple[LineCrossing, ...]
    encounters: tuple[Encounter, ...]
    moments: tuple[MomentOfTruth, ...]
    emotions: tuple[EmotionPoint, ...]

    @property
    def expected_handoffs(self) -> float:
        return sum(h.probability for h in self.handoffs)

    @property
    def lowest(self) -> EmotionPoint | None:
        scored = [e for e in self.emotions if e.emotion is not None]
        return min(scored, key=lambda e: e.emotion or 0.0, default=None)

    @property
    def end(self) -> EmotionPoint | None:
        scored = [e for e in self.emotions if e.emotion is not None]
        return scored[-1] if scored else None


def lines_of(bp: Blueprint) -> list[str | None]:
    """The line under each lane of ``bp.lane_order`` but the last (None: no named line there)."""
    order = bp.lane_order
    out: list[str | None] = []
    for upper, lower in pairwise(order):
        custom = bp.lanes.get(lower) if lower not in ACTION_LANES else None
        if custom is not None and custom.line:
            out.append(custom.line)
        else:
            out.append(LINES.get(upper))
    return out


def analyze_interactions(basis: Basis) -> Interactions:
    bp, plan = basis.bp, basis.plan
    index = bp.action_index
    pos = {a: k for k, a in enumerate(plan.ids)}
    order = bp.lane_order
    lane_pos = {lane: k for k, lane in enumerate(order)}
    lines = lines_of(bp)

    def dept(role: str | None) -> str | None:
        r = bp.roles.get(role) if role else None
        return r.department if r is not None else None

    seen: set[tuple[str, str]] = set()
    handoffs: list[Handoff] = []
    crossing: dict[str, list[tuple[str, str, float]]] = {}
    encounters: list[Encounter] = []
    for e in bp.edges:
        if e.implicit or e.source not in index or e.target not in index or (e.source, e.target) in seen:
            continue
        if e.source == e.target:
            continue
        seen.add((e.source, e.target))
        a, b = index[e.source], index[e.target]
        prob = basis.overall.fire.get((pos[e.source], pos[e.target]), 0.0)
        lo, hi = sorted((lane_pos[a.lane], lane_pos[b.lane]))
        crossed = [name for name in lines[lo:hi] if name]
        for name in crossed:
            crossing.setdefault(name, []).append((e.source, e.target, prob))
        if INTERACTION in crossed:
            cust, prov = (a, b) if a.lane == "customer" else (b, a)
            if cust.lane == "customer":
                encounters.append(Encounter(cust.action.id, prov.action.id, prov.lane, e.two_way,
                                            cust.action.channel or prov.action.channel, prob))
        if "customer" in (a.lane, b.lane):
            continue
        ra, rb = a.action.role, b.action.role
        da, db = dept(ra), dept(rb)
        reasons = []
        if ra and rb and ra != rb:
            reasons.append("role")
        if da and db and da != db:
            reasons.append("department")
        if INTERNAL in crossed:
            reasons.append("line of internal interaction")
        if reasons:
            handoffs.append(Handoff(e.source, e.target, ra, rb, da, db, tuple(reasons), prob))

    pairs: dict[tuple[str, str], list[float]] = {}
    for h in handoffs:
        key = (h.from_department or "(no department)", h.to_department or "(no department)")
        pairs.setdefault(key, []).append(h.probability)
    department_pairs = tuple(DepartmentPair(s, t, len(v), sum(v)) for (s, t), v in pairs.items())
    named = [name for name in dict.fromkeys(lines) if name]
    crossings = tuple(
        LineCrossing(name, len(crossing.get(name, [])), sum(p for *_, p in crossing.get(name, [])),
                     tuple((s, t) for s, t, _ in crossing.get(name, [])))
        for name in named
    )
    return Interactions(tuple(handoffs), department_pairs, crossings, tuple(encounters),
                        _moments(bp), _emotions(bp))


def _moments(bp: Blueprint) -> tuple[MomentOfTruth, ...]:
    index = bp.action_index
    touching: dict[str, list[str]] = {}
    for e in bp.edges:
        if e.implicit or e.source not in index or e.target not in index:
            continue
        for mine, other in ((e.source, e.target), (e.target, e.source)):
            if index[mine].lane == "customer" and index[other].lane != "customer":
                touching.setdefault(mine, [])
                if other not in touching[mine]:
                    touching[mine].append(other)
    out = []
    for p in bp.placed():
        if p.lane != "customer":
            continue
        a = p.action
        reasons = []
        if a.emotion is not None and a.emotion <= STRONGLY_NEGATIVE:
            reasons.append(f"emotion {a.emotion:g}")
        if a.fail is not None:
            reasons.append(f"fail point: {a.fail.text}")
        for other in touching.get(a.id, []):
            fail = index[other].action.fail
            if fail is not None:
                reasons.append(f"fail point on {other}: {fail.text}")
        if reasons:
            out.append(MomentOfTruth(a.id, p.step.id, a.text, a.emotion, tuple(reasons)))
    return tuple(out)


def _emotions(bp: Blueprint) -> tuple[EmotionPoint, ...]:
    return tuple(EmotionPoint(p.action.id, p.step.id, p.step.name, p.action.text, p.action.emotion)
                 for p in bp.placed() if p.lane == "customer")
