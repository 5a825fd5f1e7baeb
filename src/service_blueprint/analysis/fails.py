"""Fail points ranked by how often they bite and how badly, with gaps in ownership flagged.

Risk of a fail point = expected failures per case × impact, where expected failures per case =
likelihood per execution × expected executions of its action (so a fail point on a rarely taken
branch or an optional action ranks lower). Fail points without a likelihood or an impact are
ranked after every scored one, in reading order: an unknown is not a zero, it is homework.
"""

from __future__ import annotations

from dataclasses import dataclass

from .basis import Basis


@dataclass(frozen=True, slots=True)
class FailRisk:
    action: str
    step: str
    lane: str
    text: str
    likelihood: float | None
    impact: int | None
    executions: float
    owner: str | None
    recovery: str | None
    problems: tuple[str, ...]
    """What is missing: 'no owner', 'owner is not a role', 'no recovery', 'no likelihood',
    'no impact'."""

    @property
    def per_case(self) -> float | None:
        """Expected failures per case."""
        return None if self.likelihood is None else self.likelihood * self.executions

    @property
    def risk(self) -> float | None:
        per_case = self.per_case
        return None if per_case is None or self.impact is None else per_case * self.impact

    @property
    def visible(self) -> bool:
        """Whether the customer sees it happen (customer or frontstage lane)."""
        return self.lane in ("customer", "frontstage")


@dataclass(frozen=True, slots=True)
class Fails:
    points: tuple[FailRisk, ...]
    """Ranked, riskiest first."""

    @property
    def per_case(self) -> float:
        """Expected failures per case over the fail points with a likelihood."""
        return sum(f.per_case or 0.0 for f in self.points)

    @property
    def flagged(self) -> int:
        return sum(1 for f in self.points if any(p in ("no owner", "no recovery", "owner is not a role")
                                                 for p in f.problems))


def analyze_fails(basis: Basis) -> Fails:
    executions = {basis.plan.ids[i]: float(e) for i, e in enumerate(basis.executions)}
    roles = basis.bp.roles
    found: list[tuple[int, FailRisk]] = []
    for k, p in enumerate(basis.bp.placed()):
        fail = p.action.fail
        if fail is None:
            continue
        problems = []
        if not fail.owner:
            problems.append("no owner")
        elif fail.owner not in roles:
            problems.append("owner is not a role")
        if not fail.recovery:
            problems.append("no recovery")
        if fail.likelihood is None:
            problems.append("no likelihood")
        if fail.impact is None:
            problems.append("no impact")
        found.append((k, FailRisk(
            p.action.id, p.step.id, p.lane, fail.text, fail.likelihood, fail.impact,
            executions.get(p.action.id, 0.0), fail.owner, fail.recovery, tuple(problems))))

    def key(item: tuple[int, FailRisk]) -> tuple[int, float, float, int]:
        k, f = item
        if f.risk is not None:
            return (0, -f.risk, -(f.per_case or 0.0), k)
        if f.per_case is not None:
            return (1, -f.per_case, 0.0, k)
        return (2, 0.0, 0.0, k)

    return Fails(tuple(f for _, f in sorted(found, key=key)))
