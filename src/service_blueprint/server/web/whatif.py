"""What-if simulations for the review page: a stored version run with other staff numbers.

The server's simulation jobs run a stored version as it is; the simulation panel asks "what if
the clinic had one more nurse?", which changes staff without saving a new version. These runs
are background jobs too (one worker thread, a few queued at most), kept in memory only: they
are a pure function of the version and the options, so nothing is lost by forgetting them,
and they never change stored data. Progress is reported after each replication.
"""

from __future__ import annotations

import json
import queue
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any

import numpy as np
from fastapi import APIRouter, HTTPException, Path, Request
from pydantic import BaseModel, ConfigDict, Field

from ...errors import ServiceBlueprintError
from ...model import Blueprint
from ...simulation.engine import run
from ...simulation.model import SimOptions, build_model
from ...simulation.replications import summarise
from ...simulation.report import json_report
from ...simulation.shifts import parse_staff
from ..access import CurrentActor, Editor
from ..routes.common import BlueprintName, State, model_of, version_row

router = APIRouter(include_in_schema=False)
KEEP_SECONDS = 3600.0
MAX_UNFINISHED = 4


class WhatIfIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int | None = Field(default=None, ge=1)
    staff: dict[str, int] = Field(default_factory=dict, max_length=200,
                                  description="Head count per role id; roles left out keep the blueprint's.")
    days: float = Field(default=7.0, gt=0)
    replications: int = Field(default=3, ge=1)
    demand_factor: float = Field(default=1.0, ge=0, le=100)
    seed: int = Field(default=1, ge=0, le=2**63 - 1)


@dataclass
class Run:
    id: str
    user_id: int
    workspace_id: int
    status: str = "queued"
    progress: float = 0.0
    result: dict[str, Any] | None = None
    error: str | None = None
    created: float = field(default_factory=time.monotonic)

    def out(self) -> dict[str, Any]:
        return {"id": self.id, "status": self.status, "progress": self.progress, "result": self.result,
                "error": self.error}


class WhatIfRunner:
    """One worker thread and the runs it knows about, oldest forgotten after an hour.

    The worker is a daemon thread: stopping the server never waits for a what-if run, which
    nobody could collect afterwards anyway.
    """

    def __init__(self) -> None:
        self._queue: queue.Queue[tuple[Run, Blueprint, SimOptions]] = queue.Queue()
        self._runs: dict[str, Run] = {}
        self._lock = threading.Lock()
        self._worker: threading.Thread | None = None

    def submit(self, bp: Blueprint, options: SimOptions, user_id: int, workspace_id: int) -> Run:
        with self._lock:
            now = time.monotonic()
            for key in [k for k, r in self._runs.items() if now - r.created > KEEP_SECONDS]:
                del self._runs[key]
            if sum(r.status in ("queued", "running") for r in self._runs.values()) >= MAX_UNFINISHED:
                raise HTTPException(429, "several simulations are waiting already; try again when one has finished",
                                    headers={"Retry-After": "30"})
            job = Run(secrets.token_hex(12), user_id, workspace_id)
            self._runs[job.id] = job
            if self._worker is None:
                self._worker = threading.Thread(target=self._work, name="blueprint-whatif", daemon=True)
                self._worker.start()
        self._queue.put((job, bp, options))
        return job

    def get(self, run_id: str, user_id: int) -> Run | None:
        with self._lock:
            job = self._runs.get(run_id)
        return job if job is not None and job.user_id == user_id else None

    def _work(self) -> None:
        while True:
            self._run(*self._queue.get())

    def _run(self, job: Run, bp: Blueprint, options: SimOptions) -> None:
        job.status = "running"
        try:
            model = build_model(bp, options)
            seeds = np.random.SeedSequence(options.seed).spawn(options.replications)
            runs = []
            for k, seed in enumerate(seeds):
                runs.append(run(model, seed))
                job.progress = round((k + 1) / (options.replications + 1), 4)
            job.result = json.loads(json_report(summarise(model, options, runs)))
            job.status = "done"
        except ServiceBlueprintError as exc:
            job.error, job.status = str(exc), "failed"
        except Exception as exc:  # a bug: report it on the run instead of losing it in the thread
            job.error, job.status = f"internal error: {type(exc).__name__}", "failed"
        job.progress = 1.0


def runner(request: Request) -> WhatIfRunner:
    """The app's runner, made on first use (the app's state belongs to the server package)."""
    state = request.app.state
    found = getattr(state, "web_whatif", None)
    if found is None:
        found = WhatIfRunner()
        state.web_whatif = found
    assert isinstance(found, WhatIfRunner)
    return found


def staff_options(staff: Mapping[str, int], roles: Mapping[str, object]) -> list[str]:
    unknown = sorted(set(staff) - set(roles))
    if unknown:
        raise HTTPException(422, f"no role named {unknown[0]!r} in this blueprint")
    if any(n < 0 or n > 10_000 for n in staff.values()):
        raise HTTPException(422, "staff must be between 0 and 10000")
    return [f"{rid}={n}" for rid, n in sorted(staff.items())]


@router.post("/web/api/workspaces/{ws}/blueprints/{name}/whatif", status_code=202)
def start(name: BlueprintName, body: WhatIfIn, acc: Editor, st: State, request: Request) -> dict[str, Any]:
    """Simulate a version with other staff numbers in the background; poll the run it returns."""
    limits = st.settings
    if body.replications > limits.max_sim_replications or body.days > limits.max_sim_days:
        raise HTTPException(422, f"this server runs at most {limits.max_sim_replications} replications of "
                                 f"{limits.max_sim_days:g} days")
    _, v = version_row(st, acc.workspace_id, name, body.version)
    bp = model_of(v, name)
    try:
        options = SimOptions(days=body.days, replications=body.replications, seed=body.seed,
                             demand_factor=body.demand_factor, staff=parse_staff(staff_options(body.staff, bp.roles)))
    except ServiceBlueprintError as exc:
        raise HTTPException(422, str(exc)) from exc
    return runner(request).submit(bp, options, acc.actor.user_id, acc.workspace_id).out()


RunId = Annotated[str, Path(min_length=1, max_length=32, pattern="^[0-9a-f]+$")]


@router.get("/web/api/whatif/{run_id}")
def poll(run_id: RunId, who: CurrentActor, request: Request) -> dict[str, Any]:
    """A run's status and progress (0 to 1); when done, ``result`` is `blueprint simulate -f json`."""
    job = runner(request).get(run_id, who.user_id)
    if job is None:
        raise HTTPException(404, "no such simulation (runs are kept for an hour)")
    return job.out()
