"""Staff on duty per role over the week, from ``staff``, ``shifts`` and ``--staff`` overrides.

A role's shifts are weekly windows; while one runs, its ``xN`` (or else the role's ``staff``)
is on duty. Where shifts of one role overlap, their people add up (staggered shifts ``07:00-15:00
x3`` and ``11:00-19:00 x3`` put six on duty from 11:00 to 15:00), as in the analysis of staff
load. Outside every shift nobody is on duty. A role without shifts is on duty all week; a ``kind: system``
or ``kind: partner`` role without ``staff`` has unlimited capacity and ignores shifts.

Times are seconds from Monday 00:00; the calendar works at minute resolution, as shifts do.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from ..calendar import WEEK_MINUTES, Shift, Window
from ..errors import UsageError
from ..ids import suggestion
from ..model import Blueprint, Role

WEEK = WEEK_MINUTES * 60.0  # seconds in a week
HOURS_OF_WEEK = 168
UNLIMITED = -1


@dataclass(frozen=True, slots=True)
class StaffSpec:
    """A ``--staff`` override: one head count for the role, or one count per shift in order.

    ``blocks`` (from staffing plans, not the command line) replaces the role's calendar with
    weekly windows and the people on duty in each; overlapping blocks add up, like shifts."""

    role: str
    counts: tuple[int, ...]  # one value: the role's staff; several: one per shift
    unlimited: bool = False
    blocks: tuple[tuple[Window, int], ...] = ()

    def text(self) -> str:
        return f"{self.role}=" + ("inf" if self.unlimited else ",".join(map(str, self.counts)))


_STAFF_RE = re.compile(r"^\s*([^=\s]+)\s*=\s*(inf|\d+(?:\s*,\s*\d+)*)\s*$", re.IGNORECASE)


def parse_staff(texts: Iterable[str]) -> dict[str, StaffSpec]:
    """Read ``ROLE=N``, ``ROLE=N1,N2`` (one per shift) or ``ROLE=inf``; later ones win."""
    specs: dict[str, StaffSpec] = {}
    for text in texts:
        m = _STAFF_RE.match(text)
        if not m:
            raise UsageError(f"cannot read --staff {text!r}; write ROLE=N, ROLE=N1,N2 (one per shift) or ROLE=inf")
        role, value = m[1], m[2]
        if value.lower() == "inf":
            specs[role] = StaffSpec(role, (), unlimited=True)
        else:
            specs[role] = StaffSpec(role, tuple(int(v) for v in value.split(",")))
    return specs


@dataclass(frozen=True, slots=True)
class RoleRoster:
    """How many units of one role are on duty at each minute of the week."""

    role: str
    unlimited: bool
    staff: int  # the head count shifts without ``xN`` use
    shifts: tuple[Shift, ...]
    counts: tuple[int, ...]  # on duty during each shift, in the order of ``shifts``
    minutes: NDArray[np.int64] = field(repr=False, compare=False)  # capacity per minute of week
    blocks: tuple[tuple[Window, int], ...] = ()  # a planned calendar replacing staff and shifts

    @property
    def constant(self) -> bool:
        return self.unlimited or not self.shifts

    def changes(self) -> list[tuple[float, int]]:
        """``(second of week, capacity from then on)`` at every change, sorted; empty when the
        capacity never changes."""
        m = self.minutes
        if self.unlimited or bool((m == m[0]).all()):
            return []
        idx = np.flatnonzero(np.diff(m, prepend=m[-1]) != 0)
        return [(float(k) * 60.0, int(m[k])) for k in idx]

    def capacity_at(self, t: float) -> int:
        """Units on duty at time ``t`` (seconds from Monday 00:00); ``UNLIMITED`` for no limit."""
        if self.unlimited:
            return UNLIMITED
        return int(self.minutes[int((t % WEEK) // 60)])

    def on_duty_seconds(self, start: float, end: float) -> NDArray[np.float64]:
        """Capacity × seconds on duty in ``[start, end)``, per hour of the week (168 values).
        Whole weeks are counted at once, so a ten-year window costs no more than a week."""
        out = np.zeros(HOURS_OF_WEEK)
        if self.unlimited or end <= start:
            return out
        per_minute = self.minutes.astype(np.float64)
        weeks = math.floor((end - start) / WEEK)
        if weeks:
            out += weeks * 60.0 * per_minute.reshape(HOURS_OF_WEEK, 60).sum(axis=1)
            start += weeks * WEEK
        first, last = math.floor(start / 60), math.ceil(end / 60)
        k = np.arange(first, last)
        lo = np.maximum(k * 60.0, start)
        hi = np.minimum(k * 60.0 + 60.0, end)
        np.add.at(out, (k % WEEK_MINUTES) // 60, per_minute[k % WEEK_MINUTES] * (hi - lo))
        return out

    def weekly_hours(self) -> float:
        """Paid person-hours in one week."""
        return 0.0 if self.unlimited else float(self.minutes.sum()) / 60.0


def role_roster(role_id: str, role: Role, spec: StaffSpec | None = None) -> RoleRoster:
    """The on-duty calendar of one role, with an optional override."""
    base = role.staff
    shifts = tuple(role.shifts)
    counts: tuple[int, ...] = tuple((s.staff if s.staff is not None else -1) for s in shifts)
    unlimited = role.capacity is None
    if spec is not None:
        unlimited = spec.unlimited
        if not spec.unlimited:
            if len(spec.counts) == len(shifts):  # one per shift (a role with one shift: its count)
                counts = spec.counts
            elif len(spec.counts) == 1:  # the head count; shifts with their own xN keep it
                base = spec.counts[0]
            else:
                raise UsageError(
                    f"--staff {spec.text()} gives {len(spec.counts)} numbers but role '{role_id}' has "
                    f"{len(shifts)} shift{'s' if len(shifts) != 1 else ''}; give one number, or one per shift"
                )
    staff = base if base is not None else (role.capacity or 1)
    if not unlimited:
        counts = tuple(staff if c < 0 else c for c in counts)
    minutes = np.zeros(WEEK_MINUTES, dtype=np.int64)
    if spec is not None and spec.blocks and not unlimited:
        for window, n in spec.blocks:
            for s, e in window.intervals():
                minutes[s:e] += n
        return RoleRoster(role_id, False, staff, (), (), minutes, spec.blocks)
    if unlimited:
        pass
    elif not shifts:
        minutes[:] = staff
    else:
        for shift, n in zip(shifts, counts, strict=True):
            for s, e in shift.window.intervals():
                minutes[s:e] += n
    return RoleRoster(role_id, unlimited, staff, shifts, counts if not unlimited else (), minutes)


def roster(bp: Blueprint, overrides: Mapping[str, StaffSpec] | None = None) -> dict[str, RoleRoster]:
    """The calendar of every declared role, with ``--staff`` overrides applied."""
    overrides = overrides or {}
    for name in overrides:
        if name not in bp.roles:
            raise UsageError(f"--staff names unknown role '{name}'{suggestion(name, list(bp.roles))}")
    return {rid: role_roster(rid, role, overrides.get(rid)) for rid, role in bp.roles.items()}


def staffing_text(r: RoleRoster) -> str:
    """The roster as ``--staff`` would write it: ``mechanic=3,1`` (one number per shift),
    ``counter=2``, ``stock=inf``; passing it back gives the same roster."""
    if r.unlimited:
        return f"{r.role}=inf"
    if r.blocks:  # a planned calendar: not a --staff value, shown as its windows
        return f"{r.role}=" + "; ".join(f"{w.canonical()} x{n}" for w, n in r.blocks if n)
    if r.shifts:
        return f"{r.role}=" + ",".join(map(str, r.counts))
    return f"{r.role}={r.staff}"
