"""How likely each action is to run and each flow to fire in one case.

Cost, load, handoffs and the standard time all weigh actions by how often they happen. The
liveness rules are those of :mod:`service_blueprint.semantics` (``decide_live``); this module
only decides *how* to average over the random parts of a case:

* exactly, by enumerating every combination of choice branches and of the ``p`` draws of
  optional actions that have explicit flows leaving them (those decide what runs downstream),
  each weighted by its probability; an optional action without outgoing flows needs no
  enumeration, its own ``p`` just multiplies the chance it is reached;
* by Monte Carlo (seeded) when that enumeration would exceed ``max_scenarios`` combinations.

``fixed`` pins choices to one branch: the standard time uses the most likely branch of each.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..semantics import Plan, decide_live, draw_choices

FloatArray = NDArray[np.float64]

#: Above this many combinations of branches and draws, fall back to sampling.
MAX_SCENARIOS = 4096
SAMPLES = 20_000


@dataclass(frozen=True, slots=True)
class Likelihoods:
    """Probabilities per action (plan index order) and per explicit flow ``(source, target)``."""

    run: FloatArray
    fire: Mapping[tuple[int, int], float]
    exact: bool


def most_likely_branches(plan: Plan) -> dict[int, int]:
    """The most likely branch of every choice (the first written one on a tie)."""
    return {c: int(np.argmax(choice.probabilities)) for c, choice in enumerate(plan.choices)}


def likelihoods(
    plan: Plan,
    fixed: Mapping[int, int] | None = None,
    *,
    max_scenarios: int = MAX_SCENARIOS,
    samples: int = SAMPLES,
    seed: int = 0,
) -> Likelihoods:
    """Run and fire probabilities, exact when the case has few enough random combinations."""
    fixed = fixed or {}
    free = [c for c in range(len(plan.choices)) if c not in fixed]
    has_flows_out = {f.source for flows in plan.incoming for f in flows}
    coins = [i for i in range(plan.size) if plan.p[i] < 1.0 and i in has_flows_out]
    combos = math.prod(len(plan.choices[c].targets) for c in free) * 2 ** len(coins)
    if combos <= max_scenarios:
        picked, coin, weight = _enumerate(plan, fixed, free, coins)
        exact = True
    else:
        picked, coin, weight = _draw(plan, fixed, free, coins, samples, seed)
        exact = False
    rows = weight.shape[0]
    ran = np.zeros((rows, plan.size), dtype=bool, order="F")
    run = np.zeros(plan.size)
    coin_col = {i: k for k, i in enumerate(coins)}
    fire: dict[tuple[int, int], float] = {}
    for i in range(plan.size):
        live = decide_live(plan, i, ran, picked)
        for f in plan.incoming[i]:
            fired = ran[:, f.source] if f.choice < 0 else ran[:, f.source] & (picked[:, f.choice] == f.option)
            key = (f.source, i)  # a plain flow and a branch between the same pair: the wider wins
            fire[key] = max(fire.get(key, 0.0), float(weight[fired].sum()))
        if i in coin_col:
            live = live & coin[:, coin_col[i]]
            run[i] = float(weight[live].sum())
        else:
            run[i] = float(weight[live].sum()) * plan.p[i]
        ran[:, i] = live
    return Likelihoods(np.minimum(run, 1.0), {k: min(v, 1.0) for k, v in fire.items()}, exact)


def _enumerate(
    plan: Plan, fixed: Mapping[int, int], free: list[int], coins: list[int]
) -> tuple[NDArray[np.int64], NDArray[np.bool_], FloatArray]:
    """Every combination as one row, with its probability as the weight."""
    sizes = [len(plan.choices[c].targets) for c in free] + [2] * len(coins)
    grid = np.indices(sizes).reshape(len(sizes), -1).T if sizes else np.zeros((1, 0), dtype=np.int64)
    rows = grid.shape[0]
    picked = np.full((rows, max(len(plan.choices), 1)), -1, dtype=np.int64)
    for c, k in fixed.items():
        picked[:, c] = k
    weight = np.ones(rows)
    for col, c in enumerate(free):
        picked[:, c] = grid[:, col]
        weight *= np.asarray(plan.choices[c].probabilities)[grid[:, col]]
    coin = np.zeros((rows, len(coins)), dtype=bool)
    for k, i in enumerate(coins):
        coin[:, k] = grid[:, len(free) + k] == 1
        weight *= np.where(coin[:, k], plan.p[i], 1.0 - plan.p[i])
    return picked, coin, weight


def _draw(
    plan: Plan, fixed: Mapping[int, int], free: list[int], coins: list[int], n: int, seed: int
) -> tuple[NDArray[np.int64], NDArray[np.bool_], FloatArray]:
    """``n`` random combinations, equally weighted."""
    rng = np.random.default_rng(seed)
    picked = np.full((n, max(len(plan.choices), 1)), -1, dtype=np.int64)
    for source in sorted({plan.choices[c].source for c in free}):
        draw_choices(plan, source, rng, n, picked)
    for c, k in fixed.items():
        picked[:, c] = k
    coin = np.zeros((n, len(coins)), dtype=bool)
    for k, i in enumerate(coins):
        coin[:, k] = rng.random(n) < plan.p[i]
    return picked, coin, np.full(n, 1.0 / n)
