"""Work content and cost per case, by role and by department.

Work content of a role = Σ over its actions of mean duration × expected executions per case
(run probability over all branches × 1 / (1 − repeat)). Its cost = work in hours × the role's
cost per hour, plus every action's fixed ``cost`` × its expected executions. Waits are not work:
nobody is paid to be a queue. Customer actions are the customer's time, not the provider's, so
they add no work; their fixed costs (a fee the provider pays per case) still count.
"""

from __future__ import annotations

from dataclasses import dataclass

from .basis import Basis

#: Row label for provider actions that name no role.
UNASSIGNED = "(no role)"
#: Row label for fixed costs on customer actions.
CUSTOMER = "(customer actions)"


@dataclass(frozen=True, slots=True)
class RoleCost:
    role: str
    """Role id, or one of the two pseudo-rows ``(no role)`` and ``(customer actions)``."""
    name: str
    department: str | None
    kind: str
    work: float
    """Seconds of work per case."""
    executions: float
    """Expected executions of the role's actions per case, added up."""
    rate: float | None
    """Cost per hour; None when the role has none."""
    time_cost: float
    fixed_cost: float

    @property
    def total(self) -> float:
        return self.time_cost + self.fixed_cost


@dataclass(frozen=True, slots=True)
class DepartmentCost:
    name: str
    roles: tuple[str, ...]
    work: float
    time_cost: float
    fixed_cost: float

    @property
    def total(self) -> float:
        return self.time_cost + self.fixed_cost


@dataclass(frozen=True, slots=True)
class Cost:
    currency: str | None
    roles: tuple[RoleCost, ...]
    departments: tuple[DepartmentCost, ...]
    unpriced: tuple[str, ...]
    """Roles that do work but have no cost per hour (their time is not in the total)."""

    @property
    def per_case(self) -> float:
        return sum(r.total for r in self.roles)

    @property
    def work_per_case(self) -> float:
        return sum(r.work for r in self.roles)


NO_DEPARTMENT = "(no department)"


def analyze_cost(basis: Basis) -> Cost:
    bp, plan = basis.bp, basis.plan
    executions = basis.executions
    work: dict[str, float] = {}
    count: dict[str, float] = {}
    fixed: dict[str, float] = {}
    for i in range(plan.size):
        action = basis.placed(i).action
        key = CUSTOMER if plan.customer[i] else (action.role or UNASSIGNED)
        e = float(executions[i])
        if not plan.customer[i] and action.duration is not None:
            work[key] = work.get(key, 0.0) + action.duration.mean * e
        count[key] = count.get(key, 0.0) + e
        if action.cost:
            fixed[key] = fixed.get(key, 0.0) + action.cost * e
    rows: list[RoleCost] = []
    keys = [r for r in bp.roles if r in count]
    keys += sorted(k for k in count if k not in bp.roles and k not in (UNASSIGNED, CUSTOMER))
    keys += [k for k in (UNASSIGNED, CUSTOMER) if k in count and (work.get(k) or fixed.get(k))]
    for key in keys:
        role = bp.roles.get(key)
        rate = role.cost.per_hour if role is not None and role.cost is not None else None
        w = work.get(key, 0.0)
        rows.append(RoleCost(
            role=key, name=(role.name if role and role.name else key), department=role.department if role else None,
            kind=role.kind if role else ("customer" if key == CUSTOMER else "person"), work=w,
            executions=count[key], rate=rate, time_cost=w / 3600 * rate if rate is not None else 0.0,
            fixed_cost=fixed.get(key, 0.0),
        ))
    departments: dict[str, list[RoleCost]] = {}
    for r in rows:
        departments.setdefault(r.department or NO_DEPARTMENT, []).append(r)
    depts = tuple(
        DepartmentCost(name, tuple(r.role for r in members), sum(r.work for r in members),
                       sum(r.time_cost for r in members), sum(r.fixed_cost for r in members))
        for name, members in departments.items()
    )
    unpriced = tuple(r.role for r in rows if r.rate is None and r.work > 0)
    return Cost(bp.currency, tuple(rows), depts, unpriced)
