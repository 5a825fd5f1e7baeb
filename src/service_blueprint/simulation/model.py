"""A blueprint compiled for the simulator: the flow plan plus staffing, demand and run options.

``SimModel`` holds only plain data (tuples, NumPy arrays, the compiled ``semantics.Plan``), so a
process pool or a Dask worker can receive it pickled and run replications on its own.

Decisions recorded here (see docs/simulation.md):

* an action's role is *queued* when the role has limited capacity; customer actions and actions
  without a role never queue, and neither do roles with unlimited capacity;
* an action's given ``wait`` is the observed queue W: for queued actions the queue produces the
  wait, so the given one is not added (reports show both side by side); for actions that do not
  queue it is a pure delay before the action starts (external waiting, e.g. a delivery);
* a blueprint without customer actions measures the customer's time as the case time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..demand import demand_profile
from ..errors import UsageError
from ..model import Blueprint
from ..quantities import Duration
from ..semantics import Plan, compile_plan
from .arrivals import WeeklyRate
from .shifts import RoleRoster, StaffSpec, roster

DAY = 86400.0
MAX_DAYS = 3660  # ten years per replication: longer runs are almost certainly a typo
MAX_REPLICATIONS = 1000


@dataclass(frozen=True, slots=True)
class SimOptions:
    """How to run: length, warm-up, replications, seed, staffing and demand changes."""

    days: float = 7.0
    warmup: float = DAY  # seconds simulated before statistics start
    start: float = 0.0  # where the run starts, in seconds from Monday 00:00 (less than a week)
    replications: int = 5
    seed: int = 1
    staff: Mapping[str, StaffSpec] | None = None
    demand_factor: float = 1.0
    patience: Duration | None = None
    drain_days: float = 28.0  # at most this long after the end to let open cases finish

    def __post_init__(self) -> None:
        if not 0 < self.days <= MAX_DAYS:
            raise UsageError(f"--days must be above zero and at most {MAX_DAYS}")
        if self.warmup < 0:
            raise UsageError("--warmup cannot be negative")
        if not 0 <= self.start < 7 * DAY:
            raise UsageError("the start must lie within the week (Monday 00:00 to Sunday 24:00)")
        if not 1 <= self.replications <= MAX_REPLICATIONS:
            raise UsageError(f"--replications must be between 1 and {MAX_REPLICATIONS}")
        if self.warmup > MAX_DAYS * DAY:
            raise UsageError(f"--warmup must be at most {MAX_DAYS} days")
        if not self.demand_factor >= 0:
            raise UsageError("the demand factor cannot be negative")


@dataclass(frozen=True, slots=True)
class SimModel:
    """Everything one replication needs, in the plan's index space."""

    title: str
    plan: Plan
    rosters: tuple[RoleRoster, ...]  # every declared role, in file order
    role_labels: tuple[str, ...]  # readable names of the roles
    role_of: tuple[int, ...]  # per action: index into ``rosters``, -1 for none (customer actions)
    queued: tuple[bool, ...]  # per action: holds a unit of a limited role (FIFO queue)
    delay: tuple[Duration | None, ...]  # per action: given wait applied as a pure delay
    cost_per_hour: tuple[float, ...]  # per role
    fixed_cost: tuple[float, ...]  # per action execution
    rate: WeeklyRate
    start: float  # the clock at the start of the run (seconds from Monday 00:00)
    warmup: float  # the clock when measuring starts (start + warm-up)
    end: float  # the clock when measuring (and arrivals) stop
    drain: float
    patience: Duration | None
    tolerance: float | None
    customer_measured: bool  # False: no customer actions, the customer time is the case time

    @property
    def window(self) -> float:
        return self.end - self.warmup

    def role_names(self) -> tuple[str, ...]:
        return tuple(r.role for r in self.rosters)


def build_model(bp: Blueprint, options: SimOptions) -> SimModel:
    """Compile ``bp`` under ``options``; user mistakes raise ``UsageError``."""
    plan = compile_plan(bp)
    if not plan.size:
        raise UsageError("the blueprint has no actions to simulate")
    profile = demand_profile(bp)
    if profile is None or profile.arrivals_per_week <= 0:
        raise UsageError("the blueprint gives no demand: add 'demand: {arrivals: 4/h}' (and opening hours)")
    rosters = roster(bp, options.staff)
    names = list(rosters)
    role_of: list[int] = []
    queued: list[bool] = []
    delay: list[Duration | None] = []
    for i in range(plan.size):
        role = plan.roles[i]
        r = names.index(role) if role in rosters and not plan.customer[i] else -1
        q = r >= 0 and not rosters[names[r]].unlimited
        if q and not rosters[names[r]].minutes.any():
            raise UsageError(f"role '{names[r]}' is never on duty, so '{plan.ids[i]}' would wait forever; "
                             "give it staff or a shift")
        role_of.append(r)
        queued.append(q)
        delay.append(None if q else plan.waits[i])
    index = bp.action_index
    tolerance = bp.scenario.tolerance.mean if bp.scenario.tolerance is not None else None
    warmup = options.start + options.warmup
    return SimModel(
        title=bp.title,
        plan=plan,
        rosters=tuple(rosters.values()),
        role_labels=tuple(r.name or rid for rid, r in bp.roles.items()),
        role_of=tuple(role_of),
        queued=tuple(queued),
        delay=tuple(delay),
        cost_per_hour=tuple((r.cost.per_hour if r.cost is not None else 0.0) for r in bp.roles.values()),
        fixed_cost=tuple(index[a].action.cost or 0.0 for a in plan.ids),
        rate=WeeklyRate.from_profile(profile, options.demand_factor),
        start=options.start,
        warmup=warmup,
        end=warmup + options.days * DAY,
        drain=options.drain_days * DAY,
        patience=options.patience,
        tolerance=tolerance,
        customer_measured=any(plan.customer_time),
    )
