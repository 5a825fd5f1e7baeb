"""Staff load: utilisation per role per demand period, the bottleneck, and staff needed.

A fluid view of the week, minute by minute: a role's offered load (in Erlangs, busy people) at a
moment is the arrival rate then × the role's work content per case. Work is attributed to the
moment the case arrives (a repair done three hours after drop-off counts at drop-off time); the
simulator is the tool when that lag matters.

* Staff on duty come from the role's shifts (``x2`` on a shift overrides the role's ``staff``;
  overlapping shifts add up) or, without shifts, the role's capacity all week. ``kind: system``
  roles without ``staff`` are unlimited and left out.
* Utilisation of a role in a period = offered load summed over the period's minutes / staff on
  duty summed over them (so a period part-covered by a shift is averaged fairly); infinite when
  work arrives and nobody is on duty. "At the average rate" uses every minute with demand.
* Staff needed: the role's work as one M/M/c queue, arrival rate λ × expected executions of its
  actions, mean service time their execution-weighted mean duration; the smallest ``c`` for
  which a share ``target`` of arrivals start within ``within`` (Erlang C).
* A period is short-staffed when fewer than needed are on duty at some minute of it, and
  over-staffed when more than needed are on duty throughout.
* The bottleneck is the role with the highest utilisation at the average rate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from ..calendar import WEEK_MINUTES
from ..demand import WEEK_HOURS, DemandProfile, describe_minutes
from ..model import Role
from ..queueing import min_servers
from .cost import Cost

FloatArray = NDArray[np.float64]
Status = Literal["short", "ok", "over"]


def staff_on_duty(role: Role) -> FloatArray | None:
    """Staff on duty at each minute of the week; ``None`` when capacity is unlimited."""
    capacity = role.capacity
    if capacity is None:  # a system without staff: unlimited, shifts or not (as the simulator)
        return None
    if not role.shifts:
        return np.full(WEEK_MINUTES, float(capacity))
    out = np.zeros(WEEK_MINUTES)
    for shift in role.shifts:
        n = shift.staff if shift.staff is not None else capacity
        for s, e in shift.window.intervals():
            out[s:e] += n
    return out


@dataclass(frozen=True, slots=True)
class PeriodLoad:
    period: str
    rate: float
    """Arrivals per hour of the scenario in this period."""
    utilisation: float
    staff_min: int
    staff_max: int
    needed: int

    @property
    def status(self) -> Status:
        if self.staff_min < self.needed:
            return "short"
        return "over" if self.staff_min > self.needed else "ok"


@dataclass(frozen=True, slots=True)
class RoleLoad:
    role: str
    name: str
    work: float
    """Seconds of work per case."""
    executions: float
    service_time: float
    """Mean seconds per execution (execution-weighted)."""
    average: float
    """Utilisation at the average rate (over every minute with demand)."""
    needed_average: int
    periods: tuple[PeriodLoad, ...]
    hourly: tuple[float, ...]
    """Utilisation in each hour of the week (Monday 00-01 first); 0 without demand."""
    hours_over: int
    """Hours of the week in which offered load exceeds the staff on duty."""
    unstaffed: str
    """When work arrives but nobody of this role is on duty, as text ('' if never)."""

    @property
    def peak(self) -> PeriodLoad | None:
        return max(self.periods, key=lambda p: p.utilisation, default=None)


@dataclass(frozen=True, slots=True)
class Load:
    target: float
    within: float
    average_rate: float
    periods: tuple[str, ...]
    roles: tuple[RoleLoad, ...]
    unlimited: tuple[str, ...]
    bottleneck: str | None

    @property
    def peak_bottleneck(self) -> tuple[str, str] | None:
        """The role and period with the highest utilisation of all."""
        best: tuple[float, str, str] | None = None
        for r in self.roles:
            for p in r.periods:
                if best is None or p.utilisation > best[0]:
                    best = (p.utilisation, r.role, p.period)
        return None if best is None else (best[1], best[2])


def _ratio(load: float, staff: float) -> float:
    if load <= 0:
        return 0.0
    return math.inf if staff <= 0 else load / staff


def analyze_load(cost: Cost, roles: dict[str, Role], profile: DemandProfile | None,
                 target: float = 0.8, within: float = 120.0) -> Load:
    if profile is None:
        return Load(target, within, 0.0, (), (), (), None)
    demand_min = profile.per_minute > 0
    unlimited: list[str] = []
    out: list[RoleLoad] = []
    for row in cost.roles:
        role = roles.get(row.role)
        if role is None or row.work <= 0:
            continue
        staff = staff_on_duty(role)
        if staff is None:
            unlimited.append(row.role)
            continue
        hours_per_case = row.work / 3600
        offered = profile.per_minute * hours_per_case  # Erlangs at each minute
        service_h = hours_per_case / row.executions

        def needed(rate_per_hour: float, row_executions: float = row.executions, s: float = service_h) -> int:
            return min_servers(rate_per_hour * row_executions, s, target, within / 3600)

        periods = []
        for k, period in enumerate(profile.periods):
            mask = profile.mask(k)
            on = staff[mask]
            periods.append(PeriodLoad(
                period.name, period.rate_per_hour, _ratio(float(offered[mask].sum()), float(on.sum())),
                int(on.min()), int(on.max()), needed(period.rate_per_hour)))
        by_hour_load = offered.reshape(WEEK_HOURS, 60).sum(axis=1)
        by_hour_staff = staff.reshape(WEEK_HOURS, 60).sum(axis=1)
        hourly = tuple(_ratio(float(a), float(s)) for a, s in zip(by_hour_load, by_hour_staff, strict=True))
        over = offered > staff
        out.append(RoleLoad(
            role=row.role, name=row.name, work=row.work, executions=row.executions, service_time=service_h * 3600,
            average=_ratio(float(offered[demand_min].sum()), float(staff[demand_min].sum())),
            needed_average=needed(profile.average_per_hour), periods=tuple(periods), hourly=hourly,
            hours_over=int(over.reshape(WEEK_HOURS, 60).any(axis=1).sum()),
            unstaffed=describe_minutes(demand_min & (staff <= 0)),
        ))
    bottleneck = None
    if out:
        bottleneck = max(out, key=lambda r: r.average).role
    return Load(target, within, profile.average_per_hour, tuple(p.name for p in profile.periods),
                tuple(out), tuple(unlimited), bottleneck)
