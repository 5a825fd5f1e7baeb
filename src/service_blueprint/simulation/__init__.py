"""Discrete-event simulation of a blueprint under its demand, shifts and flow semantics.

``simulate(bp, SimOptions(...))`` runs replications and returns a ``SimulationResult``;
``plan_staff`` finds the cheapest staffing for a target; ``sweep`` runs scenario grids.
See docs/simulation.md.
"""

from __future__ import annotations

from .model import SimOptions
from .replications import SimulationResult, simulate
from .staffing import StaffingPlan, parse_target, plan_staff
from .sweep import sweep

__all__ = ["SimOptions", "SimulationResult", "StaffingPlan", "parse_target", "plan_staff", "simulate", "sweep"]
