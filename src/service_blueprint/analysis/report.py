"""``analyze``: every figure of the analysis in one immutable, JSON-able result.

The parts live in their own modules (timing, cost, load, fails, handoffs, completeness); this one
runs them in order on one compiled plan and says, in ``notes``, which assumptions the numbers
rest on, so a reader of any output format sees them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

import numpy as np

from ..demand import DemandProfile, demand_profile
from ..errors import UsageError
from ..model import Blueprint
from ..quantities import fmt_number, fmt_seconds
from .basis import make_basis
from .completeness import Completeness, analyze_completeness
from .cost import Cost, analyze_cost
from .fails import Fails, analyze_fails
from .handoffs import Interactions, analyze_interactions
from .load import Load, analyze_load
from .timing import Timing, analyze_timing

DEFAULT_SAMPLES = 10_000
DEFAULT_TARGET = 0.8
DEFAULT_WITHIN = 120.0


@dataclass(frozen=True, slots=True)
class Settings:
    samples: int = DEFAULT_SAMPLES
    seed: int = 0
    target: float = DEFAULT_TARGET
    """Share of arrivals that must start each action within ``within`` (staffing target)."""
    within: float = DEFAULT_WITHIN
    """Seconds."""


@dataclass(frozen=True, slots=True)
class Analysis:
    """The diagnosis of one blueprint. ``to_data()`` gives the JSON form."""

    title: str
    state: str | None
    currency: str | None
    settings: Settings
    timing: Timing
    cost: Cost
    demand: DemandProfile | None
    load: Load
    fails: Fails
    interactions: Interactions
    completeness: Completeness
    exact: bool
    """Whether run probabilities were enumerated exactly (else estimated by sampling)."""
    notes: tuple[str, ...]
    blueprint: Blueprint = field(repr=False, compare=False)

    def to_data(self) -> dict[str, Any]:
        data = plain(self)
        assert isinstance(data, dict)
        return data


def analyze(
    bp: Blueprint,
    *,
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
    target: float = DEFAULT_TARGET,
    within: float = DEFAULT_WITHIN,
) -> Analysis:
    """Analyse a blueprint: time, cost, staff load, fail points, handoffs, completeness.

    ``samples`` Monte Carlo cases (0 skips the simulation part) drawn from ``seed``; staff
    needed is sized so that a share ``target`` of arrivals start within ``within`` seconds.
    """
    if samples < 0:
        raise UsageError("the number of samples cannot be negative")
    if not 0 < target < 1:
        raise UsageError("the service-level target is a share between 0 and 1 (e.g. 0.8)")
    if within < 0 or not math.isfinite(within):
        raise UsageError("the service-level time limit must be a duration of zero or more")
    for p in bp.placed():
        if p.action.repeat is not None and not 0 <= p.action.repeat < 1:
            raise UsageError(f"action '{p.action.id}': repeat must be at least 0 and below 1")
    basis = make_basis(bp, seed)
    timing = analyze_timing(basis, samples, seed)
    cost = analyze_cost(basis)
    profile = demand_profile(bp)
    load = analyze_load(cost, dict(bp.roles), profile, target, within)
    settings = Settings(samples, seed, target, within)
    notes = _notes(timing, cost, load, profile, settings, basis.overall.exact)
    return Analysis(
        title=bp.title, state=bp.state, currency=bp.currency, settings=settings, timing=timing, cost=cost,
        demand=profile, load=load, fails=analyze_fails(basis), interactions=analyze_interactions(basis),
        completeness=analyze_completeness(bp), exact=basis.overall.exact, notes=notes, blueprint=bp,
    )


def _notes(timing: Timing, cost: Cost, load: Load, profile: DemandProfile | None, settings: Settings,
           exact: bool) -> tuple[str, ...]:
    notes = []
    if timing.branches:
        taken = ", ".join(f"{b.source} -> {b.target} ({fmt_number(round(b.probability * 100, 1))} %)"
                          for b in timing.branches)
        notes.append(f"Standard times follow the most likely branch of each choice: {taken}. "
                     "The Monte Carlo percentiles cover every branch.")
    notes.append("Optional actions count with their probability in standard times (an expected time).")
    if not exact:
        notes.append("Run probabilities were estimated by sampling (too many combinations to enumerate).")
    if settings.samples:
        notes.append(f"Percentiles from {settings.samples} sampled cases (seed {settings.seed}), without queueing "
                     "for staff: the given waits stand in for queues.")
    if profile is None:
        notes.append("No demand with an arrival rate: staff load is not computed.")
    else:
        notes.append("Load attributes a case's work to the moment it arrives; staff needed is Erlang C for "
                     f"{fmt_number(round(settings.target * 100, 1))} % starting within {fmt_seconds(settings.within)}.")
    if load.unlimited:
        notes.append(f"Unlimited capacity (system and partner roles without staff): {', '.join(load.unlimited)}.")
    if cost.unpriced:
        notes.append(f"Roles without a cost per hour (their time is not in the cost): {', '.join(cost.unpriced)}.")
    return tuple(notes)


_SKIP = {"blueprint", "per_minute", "period_of"}


def plain(value: Any) -> Any:
    """Dataclasses (fields, then properties) to dicts, tuples to lists, floats rounded to 6
    decimals; infinity becomes the string ``"inf"`` (JSON has no infinity)."""
    if is_dataclass(value) and not isinstance(value, type):
        out = {f.name: plain(getattr(value, f.name)) for f in fields(value) if f.name not in _SKIP}
        for klass in reversed(type(value).__mro__):
            for name, attr in vars(klass).items():
                if isinstance(attr, property) and name not in out and name not in _SKIP:
                    out[name] = plain(getattr(value, name))
        return out
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        x = float(value)
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        return round(x, 6) if math.isfinite(x) else None
    return value
