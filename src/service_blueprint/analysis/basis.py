"""What every part of the analysis starts from: the compiled plan and how often things happen."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..model import Blueprint, Placed
from ..sampling import expected_executions
from ..semantics import Plan, compile_plan
from .probability import Likelihoods, likelihoods, most_likely_branches

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Basis:
    """A blueprint with its plan, compiled once and shared by the analysis modules.

    ``overall`` averages over every branch (for cost, load, handoffs, fail points);
    ``standard`` pins each choice to its most likely branch (for the standard time).
    """

    bp: Blueprint
    plan: Plan
    overall: Likelihoods
    standard: Likelihoods
    branches: dict[int, int]

    def placed(self, i: int) -> Placed:
        return self.bp.action_index[self.plan.ids[i]]

    @property
    def executions(self) -> FloatArray:
        """Expected executions per case: run probability × 1 / (1 − repeat)."""
        reps = np.asarray([expected_executions(r) for r in self.plan.repeat], dtype=np.float64)
        out: FloatArray = self.overall.run * reps
        return out


def make_basis(bp: Blueprint, seed: int = 0) -> Basis:
    plan = compile_plan(bp)
    branches = most_likely_branches(plan)
    return Basis(bp, plan, likelihoods(plan, seed=seed), likelihoods(plan, branches, seed=seed), branches)
