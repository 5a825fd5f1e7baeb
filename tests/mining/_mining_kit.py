"""Shared helpers of the mining tests: simulated event logs of templates."""

from __future__ import annotations

import re
from pathlib import Path

from service_blueprint import Blueprint, loads
from service_blueprint.simulation.eventlog import EventLog as LogWriter
from service_blueprint.simulation.model import SimOptions
from service_blueprint.simulation.replications import simulate
from service_blueprint.simulation.shifts import parse_staff
from service_blueprint.templates import template_text


def without_waits(name: str) -> Blueprint:
    """A template with ample staff in mind: its given waits removed (with unlimited staff they
    would be fixed delays that make concurrent actions always happen in one order)."""
    return loads(re.sub(r", wait: [^,}]*|\n *wait: .*", "", template_text(name)))


def simulated_log(bp: Blueprint, path: Path, days: float = 14, seed: int = 3, ample: bool = True) -> Path:
    """Simulate ``bp`` (one replication; every role unlimited when ``ample``) into ``path``."""
    staff = parse_staff([f"{r}=inf" for r in bp.roles]) if ample else None
    with LogWriter(path, bp) as sink:
        simulate(bp, SimOptions(days=days, replications=1, seed=seed, staff=staff), sink=sink)
    return path
