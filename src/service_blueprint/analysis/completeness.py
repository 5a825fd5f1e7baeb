"""How much of the blueprint is known rather than drawn: the data behind the numbers.

Every figure of the analysis is only as good as the durations, roles and sources behind it, so
the report says how complete they are. Shares are of actions unless said otherwise:

* duration: every action (customer actions too: they make the customer's time);
* role: provider actions only (customer actions need none);
* evidence: steps with at least one piece of evidence (evidence belongs to a step);
* source: observed, assumed, proposed, or not said.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Blueprint


@dataclass(frozen=True, slots=True)
class Share:
    have: int
    of: int

    @property
    def share(self) -> float:
        return self.have / self.of if self.of else 1.0


@dataclass(frozen=True, slots=True)
class Completeness:
    actions: int
    duration: Share
    role: Share
    evidence: Share
    fail_likelihood: Share
    """Fail points with a likelihood."""
    role_cost: Share
    """Roles (people and partners) with a cost per hour."""
    sources: tuple[tuple[str, int], ...]
    """Actions by source: observed, assumed, proposed, unspecified."""
    missing_duration: tuple[str, ...]
    missing_role: tuple[str, ...]

    def source_share(self, source: str) -> float:
        return dict(self.sources).get(source, 0) / self.actions if self.actions else 0.0


def analyze_completeness(bp: Blueprint) -> Completeness:
    placed = list(bp.placed())
    provider = [p for p in placed if p.lane != "customer"]
    no_duration = tuple(p.action.id for p in placed if p.action.duration is None)
    no_role = tuple(p.action.id for p in provider if not p.action.role)
    fails = [p.action.fail for p in placed if p.action.fail is not None]
    people = [r for r in bp.roles.values() if r.kind != "system"]
    counts = {"observed": 0, "assumed": 0, "proposed": 0, "unspecified": 0}
    for p in placed:
        counts[p.action.source or "unspecified"] += 1
    return Completeness(
        actions=len(placed),
        duration=Share(len(placed) - len(no_duration), len(placed)),
        role=Share(len(provider) - len(no_role), len(provider)),
        evidence=Share(sum(1 for s in bp.steps if s.evidence), len(bp.steps)),
        fail_likelihood=Share(sum(1 for f in fails if f.likelihood is not None), len(fails)),
        role_cost=Share(sum(1 for r in people if r.cost is not None), len(people)),
        sources=tuple(counts.items()),
        missing_duration=no_duration,
        missing_role=no_role,
    )
