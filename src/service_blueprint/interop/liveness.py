"""When each flow carries a token, as conditions on the choices: which join gateway a merge needs.

DESIGN section 2 gives every action "wait until all incoming flows are resolved, run if one is
live" — dead-path elimination, which is BPMN's inclusive join. Most merges are simpler, and a
reader expects the simpler gateway: if the incoming flows are always live together it is a
parallel join; if at most one can be live it is an exclusive merge. Anything else stays an
inclusive join, which is always correct.

A condition is a set of terms (OR), each a set of literals (AND). A literal is either a choice
outcome ``("choice", source, option)`` or an optional action happening ``("p", action)``. Two
terms exclude each other when they pick different options of the same choice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum

from ..flows import Edge
from ..graph import adjacency, topological_order
from ..model import Blueprint

Literal = tuple[str, ...]
Term = frozenset[Literal]
Condition = frozenset[Term]

TRUE: Condition = frozenset({frozenset()})
#: Conditions with more terms than this are not compared (the join stays inclusive).
MAX_TERMS = 64


class JoinKind(StrEnum):
    PARALLEL = "parallel"
    EXCLUSIVE = "exclusive"
    INCLUSIVE = "inclusive"


def _absorb(terms: Iterable[Term]) -> Condition | None:
    """Drop terms implied by shorter ones; ``None`` when the condition grows too large."""
    kept: list[Term] = []
    for term in sorted(set(terms), key=lambda t: (len(t), sorted(t))):
        if not any(k <= term for k in kept):
            kept.append(term)
        if len(kept) > MAX_TERMS:
            return None
    return frozenset(kept)


def _and(cond: Condition | None, lit: Literal) -> Condition | None:
    if cond is None:
        return None
    return _absorb(t | {lit} for t in cond)


class Liveness:
    """The condition under which each action runs and each edge carries a token."""

    def __init__(self, bp: Blueprint) -> None:
        index = bp.action_index
        self._edges = [e for e in bp.edges if e.source in index and e.target in index and e.source != e.target]
        succ = adjacency(index, ((e.source, e.target) for e in self._edges))
        order = topological_order(succ) or list(index)
        incoming: dict[str, list[Edge]] = {a: [] for a in index}
        self._option: dict[tuple[str, int, int], int] = {}
        branches: dict[str, int] = {}
        for e in self._edges:
            if e.p is not None and not e.implicit:
                self._option[(e.source, e.spec, e.part)] = branches.get(e.source, 0)
                branches[e.source] = branches.get(e.source, 0) + 1
        for e in self._edges:
            if not e.implicit:
                incoming[e.target].append(e)
        self.action: dict[str, Condition | None] = {}
        for a in order:
            live: Condition | None = TRUE
            if incoming[a]:
                terms: list[Term] = []
                for e in incoming[a]:
                    cond = self.edge(e)
                    if cond is None:
                        live = None
                        break
                    terms.extend(cond)
                else:
                    live = _absorb(terms)
            p = index[a].action.p
            if p is not None and p < 1:
                live = _and(live, ("p", a))
            self.action[a] = live

    def edge(self, e: Edge) -> Condition | None:
        """When ``e`` carries a token: the implicit customer chain always does (the customer
        passes over what does not happen); a choice branch when its source runs and picks it."""
        if e.implicit:
            return TRUE
        live = self.action.get(e.source, TRUE)
        if e.p is None:
            return live
        option = self._option.get((e.source, e.spec, e.part), -1)
        return _and(live, ("choice", e.source, str(option)))

    def join(self, edges: Sequence[Edge]) -> JoinKind:
        """The gateway that merges ``edges`` into one action."""
        conds = [self.edge(e) for e in edges]
        if any(c is None for c in conds):
            return JoinKind.INCLUSIVE
        known = [c for c in conds if c is not None]
        if all(c == known[0] for c in known):
            return JoinKind.PARALLEL
        if all(_exclusive(a, b) for i, a in enumerate(known) for b in known[i + 1:]):
            return JoinKind.EXCLUSIVE
        return JoinKind.INCLUSIVE


def _exclusive(a: Condition, b: Condition) -> bool:
    return all(_conflict(s, t) for s in a for t in b)


def _conflict(s: Term, t: Term) -> bool:
    picked = {lit[1]: lit[2] for lit in s if lit[0] == "choice"}
    return any(lit[0] == "choice" and lit[1] in picked and picked[lit[1]] != lit[2] for lit in t)
