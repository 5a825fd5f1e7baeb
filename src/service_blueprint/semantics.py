"""The flow semantics of DESIGN.md section 2, compiled once and shared.

Analysis (critical path, Monte Carlo), the simulator, BPMN export and mining must agree on what a
blueprint means; this module is the one place that says it:

* liveness: flows without ``p`` from one action all fire; flows with ``p`` from one action are one
  exclusive choice; an action runs when at least one explicit incoming flow is live (or it has
  none) and its own ``p`` draw allows; dead paths propagate (dead-path elimination);
* the customer chain is implicit and only orders time: a customer action that does not happen is
  passed over, never blocks the next one;
* timing: an action is ready when every timing predecessor has finished (a skipped action
  "finishes" when it is ready); ``a <-> b`` makes everything that follows ``a`` wait for ``b``;
* customer time ends with the last customer action, or action joined to one by a two-way flow,
  that ran; case time ends with the last action of any lane that ran.

``Plan`` is the compiled form (indices, not ids, so NumPy can work on it); ``sample_paths`` draws
whole cases at once for the no-queue view (infinite capacity) that analysis uses. The simulator
uses ``Plan`` with its own queues but the same ``Plan.decide`` rules.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .errors import ServiceBlueprintError
from .graph import adjacency, reachable
from .model import Blueprint
from .quantities import Duration
from .sampling import sample, sample_repeated

BoolArray = NDArray[np.bool_]
FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Incoming:
    """An explicit flow into an action, as seen by liveness.

    ``choice`` is the index of the exclusive choice the flow belongs to (``-1``: not part of a
    choice, it fires whenever its source runs) and ``option`` its branch within that choice.
    """

    source: int
    choice: int = -1
    option: int = -1


@dataclass(frozen=True, slots=True)
class Choice:
    """The ``p`` flows leaving one action: exactly one fires when the source runs."""

    source: int
    targets: tuple[int, ...]
    probabilities: tuple[float, ...]  # normalised to sum to 1


@dataclass(frozen=True, slots=True)
class Plan:
    """A blueprint compiled for execution; every per-action tuple is in ``order``'s index space.

    Indices are positions in ``ids``, which lists actions in a topological order of the timing
    graph (reading order breaks ties), so a single pass in index order respects every flow.
    """

    ids: tuple[str, ...]
    lanes: tuple[str, ...]
    roles: tuple[str | None, ...]
    durations: tuple[Duration | None, ...]
    waits: tuple[Duration | None, ...]
    p: tuple[float, ...]
    repeat: tuple[float, ...]
    customer: tuple[bool, ...]
    customer_time: tuple[bool, ...]
    preds: tuple[tuple[int, ...], ...]
    incoming: tuple[tuple[Incoming, ...], ...]
    choices: tuple[Choice, ...]
    choices_of: tuple[tuple[int, ...], ...]  # choice indices whose source is this action

    @property
    def size(self) -> int:
        return len(self.ids)

    def index(self, action_id: str) -> int:
        return self.ids.index(action_id)


class PlanError(ServiceBlueprintError):
    """The flow graph cannot be executed (a cycle); ``blueprint check`` reports it as E020."""


def compile_plan(bp: Blueprint) -> Plan:
    """Compile ``bp``'s flows into a ``Plan``. Flows naming unknown actions are ignored
    (the checker reports them); a cycle raises ``PlanError``."""
    placed = list(bp.placed())
    reading = {p.action.id: k for k, p in enumerate(placed)}
    index = bp.action_index
    edges = [e for e in bp.edges if e.source in index and e.target in index and e.source != e.target]

    succ = adjacency(reading, ((e.source, e.target) for e in edges))
    timing: dict[str, set[str]] = {a: set() for a in reading}
    pred_succ: dict[str, list[str]] = {a: [] for a in reading}
    for e in edges:
        if e.source not in timing[e.target]:
            timing[e.target].add(e.source)
            pred_succ[e.source].append(e.target)
    joined: set[str] = set()
    rank = _ranks(pred_succ, reading)
    for e in edges:
        if not e.two_way:
            continue
        if index[e.source].lane == "customer":
            joined.add(e.target)
        if index[e.target].lane == "customer":
            joined.add(e.source)
        for follower in succ[e.source]:
            # Everything after a waits for b, unless that would make b wait for itself.
            if follower == e.target or e.target in timing[follower]:
                continue
            if not _reaches(pred_succ, follower, e.target, rank):
                timing[follower].add(e.target)
                pred_succ[e.target].append(follower)
                if rank is not None and rank[e.target] > rank[follower]:
                    rank = _ranks(pred_succ, reading)

    for node in pred_succ:
        pred_succ[node].sort(key=reading.__getitem__)
    order = _stable_topological(pred_succ, reading)
    if order is None:
        raise PlanError("the flows form a cycle; run 'blueprint check' to see it (rule E020)")
    pos = {a: k for k, a in enumerate(order)}

    choice_flows: dict[str, list[tuple[str, float]]] = {}
    for e in edges:
        if e.p is not None and not e.implicit:
            choice_flows.setdefault(e.source, []).append((e.target, e.p))
    choices: list[Choice] = []
    branch: dict[tuple[str, str], tuple[int, int]] = {}
    choices_of: list[list[int]] = [[] for _ in order]
    for source in sorted(choice_flows, key=pos.__getitem__):
        flows = choice_flows[source]
        total = sum(p for _, p in flows)
        probs = tuple((p / total) if total > 0 else 1 / len(flows) for _, p in flows)
        c = len(choices)
        choices.append(Choice(pos[source], tuple(pos[t] for t, _ in flows), probs))
        choices_of[pos[source]].append(c)
        for k, (target, _) in enumerate(flows):
            branch.setdefault((source, target), (c, k))

    incoming: list[list[Incoming]] = [[] for _ in order]
    for e in edges:
        if e.implicit:
            continue
        c, k = branch.get((e.source, e.target), (-1, -1)) if e.p is not None else (-1, -1)
        incoming[pos[e.target]].append(Incoming(pos[e.source], c, k))

    actions = [index[a] for a in order]
    return Plan(
        ids=tuple(order),
        lanes=tuple(p.lane for p in actions),
        roles=tuple(p.action.role for p in actions),
        durations=tuple(p.action.duration for p in actions),
        waits=tuple(p.action.wait for p in actions),
        p=tuple(1.0 if p.action.p is None else p.action.p for p in actions),
        repeat=tuple(p.action.repeat or 0.0 for p in actions),
        customer=tuple(p.lane == "customer" for p in actions),
        customer_time=tuple(p.lane == "customer" or p.action.id in joined for p in actions),
        preds=tuple(tuple(sorted(pos[s] for s in timing[a])) for a in order),
        incoming=tuple(tuple(sorted(set(i), key=lambda x: (x.source, x.choice))) for i in incoming),
        choices=tuple(choices),
        choices_of=tuple(tuple(c) for c in choices_of),
    )


def _ranks(succ: dict[str, list[str]], reading: dict[str, int]) -> dict[str, int] | None:
    """Position of each node in a topological order (None if there is a cycle). Reading order
    breaks ties, so two-way partners in one step come before the next step's actions and the
    order rarely needs recomputing as two-way timing adds edges."""
    order = _stable_topological(succ, reading)
    return None if order is None else {n: k for k, n in enumerate(order)}


def _reaches(succ: dict[str, list[str]], start: str, goal: str, rank: dict[str, int] | None) -> bool:
    """Whether ``goal`` can be reached from ``start``. With a topological ``rank`` only nodes
    ranked before ``goal`` can lie on a path to it, which keeps two-way timing near linear on
    long blueprints (a plain search from every follower is quadratic)."""
    if rank is None:
        return goal in reachable(succ, [start])
    limit = rank[goal]
    if rank[start] > limit:
        return False
    seen = {start}
    stack = [start]
    while stack:
        for c in succ[stack.pop()]:
            if c == goal:
                return True
            if c not in seen and rank[c] < limit:
                seen.add(c)
                stack.append(c)
    return False


def _stable_topological(succ: dict[str, list[str]], reading: dict[str, int]) -> list[str] | None:
    """Kahn's algorithm taking the earliest action in reading order first, so the order is
    deterministic and close to how a person reads the blueprint."""
    indeg = dict.fromkeys(succ, 0)
    for targets in succ.values():
        for t in targets:
            indeg[t] += 1
    heap = [(reading[a], a) for a, d in indeg.items() if d == 0]
    heapq.heapify(heap)
    out: list[str] = []
    while heap:
        _, a = heapq.heappop(heap)
        out.append(a)
        for t in succ[a]:
            indeg[t] -= 1
            if indeg[t] == 0:
                heapq.heappush(heap, (reading[t], t))
    return out if len(out) == len(succ) else None


@dataclass(frozen=True, slots=True)
class Paths:
    """``n`` sampled cases without queues: which actions ran and when (seconds from arrival)."""

    ran: BoolArray  # (n, actions)
    ready: FloatArray  # (n, actions) all timing predecessors resolved
    start: FloatArray  # ready + the action's given wait
    finish: FloatArray  # start + duration (× executions); = ready when skipped
    customer_time: FloatArray  # (n,)
    case_time: FloatArray  # (n,)


def decide_live(plan: Plan, i: int, ran: BoolArray, picked: IntArray) -> BoolArray:
    """Whether action ``i`` is reached, given which earlier actions ran and which branch each
    choice took (``picked[:, c]``), for a batch of cases. Its own ``p`` is applied by the caller."""
    n = ran.shape[0]
    flows = plan.incoming[i]
    if not flows:
        return np.ones(n, dtype=bool)
    live = np.zeros(n, dtype=bool)
    for f in flows:
        fired = ran[:, f.source]
        if f.choice >= 0:
            fired = fired & (picked[:, f.choice] == f.option)
        live |= fired
    return live


def draw_choices(plan: Plan, i: int, rng: np.random.Generator, n: int, picked: IntArray) -> None:
    """Pick a branch of every choice that leaves action ``i`` (drawn even where ``i`` did not
    run, so the random stream does not depend on earlier outcomes)."""
    for c in plan.choices_of[i]:
        cum = np.cumsum(plan.choices[c].probabilities)
        cum[-1] = 1.0
        picked[:, c] = np.searchsorted(cum, rng.random(n), side="right")


def sample_paths(plan: Plan, rng: np.random.Generator, n: int) -> Paths:
    """Draw ``n`` cases under the flow semantics with unlimited staff (no queueing)."""
    a = plan.size
    ran = np.zeros((n, a), dtype=bool, order="F")  # column-major: the loop works column by column
    ready = np.zeros((n, a), order="F")
    start = np.zeros((n, a), order="F")
    finish = np.zeros((n, a), order="F")
    picked = np.full((n, max(len(plan.choices), 1)), -1, dtype=np.int64)
    for i in range(a):
        live = decide_live(plan, i, ran, picked)
        if plan.p[i] < 1.0:
            live &= rng.random(n) < plan.p[i]
        ran[:, i] = live
        draw_choices(plan, i, rng, n, picked)
        preds = plan.preds[i]
        r = finish[:, preds].max(axis=1) if preds else np.zeros(n)
        ready[:, i] = r
        wait = plan.waits[i]
        s = r + sample(wait, rng, n) if wait is not None else r
        d = sample_repeated(plan.durations[i], plan.repeat[i], rng, n)
        start[:, i] = np.where(live, s, r)
        finish[:, i] = np.where(live, s + d, r)
    cust = np.asarray(plan.customer_time, dtype=bool)
    done = np.where(ran, finish, 0.0)
    customer_time = done[:, cust].max(axis=1) if cust.any() else np.zeros(n)
    case_time = done.max(axis=1) if a else np.zeros(n)
    return Paths(ran, ready, start, finish, customer_time, case_time)


def run_probabilities(plan: Plan, rng: np.random.Generator, n: int = 20_000) -> FloatArray:
    """Monte Carlo estimate of the probability that each action runs in a case.

    Joins of correlated branches make the exact value a sum over paths; sampling is simpler and,
    at the default ``n``, within about 0.01. Drawn in batches so memory stays bounded."""
    batch = max(1, min(n, 2_000_000 // max(plan.size, 1)))
    counts = np.zeros(plan.size)
    done = 0
    while done < n:
        k = min(batch, n - done)
        counts += sample_paths(plan, rng, k).ran.sum(axis=0)
        done += k
    return counts / max(n, 1)


def action_ids(plan: Plan, indices: Sequence[int]) -> list[str]:
    return [plan.ids[i] for i in indices]
