"""Simulations as background jobs: submit, poll progress, fetch the result and report."""

from __future__ import annotations

import json
import secrets
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Response
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from ..access import Editor, Viewer
from ..jobs import JobLimit
from ..models import Job, StoredBlueprint
from ..schemas import JobOut, SimulationIn
from ..store import audit
from .common import BlueprintName, State, model_of, version_row
from .render import SANDBOX

router = APIRouter(prefix="/api/workspaces/{ws}", tags=["jobs"])
JobId = Annotated[str, Path(min_length=1, max_length=32, pattern="^[0-9a-f]+$")]


def _out(job: Job, name: str) -> JobOut:
    return JobOut(id=job.id, kind=job.kind, blueprint=name, version=job.version, status=job.status,
                  progress=job.progress, created_at=job.created_at, finished_at=job.finished_at, error=job.error,
                  result=json.loads(job.result) if job.result else None)


@router.post("/blueprints/{name}/simulations", response_model=JobOut, status_code=202,
             responses={403: {}, 404: {}, 422: {}, 429: {}})
def start_simulation(name: BlueprintName, body: SimulationIn, acc: Editor, st: State, response: Response) -> JobOut:
    """Start simulating a version (docs/simulation.md) in the background; poll the job for progress.

    Editors may start jobs (they cost CPU); any member may read them.
    """
    limits = st.settings
    if body.replications > limits.max_sim_replications or body.days > limits.max_sim_days:
        raise HTTPException(422, f"this server runs at most {limits.max_sim_replications} replications of "
                                 f"{limits.max_sim_days:g} days")
    bp_id, v = version_row(st, acc.workspace_id, name, body.version)
    model_of(v, name)  # 422 now rather than a failed job later
    try:
        st.jobs.check_capacity()
    except JobLimit as exc:
        raise HTTPException(429, str(exc), headers={"Retry-After": "30"}) from exc
    options = body.model_dump(exclude={"version"})
    with st.db.writing() as s:
        job = Job(id=secrets.token_hex(12), workspace_id=acc.workspace_id, blueprint_id=bp_id, version=v.number,
                  kind="simulation", options=json.dumps(options, sort_keys=True), status="queued", progress=0.0,
                  created_by=acc.actor.user_id)
        s.add(job)
        audit(s, "job.start", user_id=acc.actor.user_id, workspace_id=acc.workspace_id, target=name,
              detail={"job": job.id, "version": v.number, **options})
        s.flush()
        out = _out(job, name)
    st.jobs.submit(out.id)
    response.headers["Location"] = f"/api/workspaces/{acc.slug}/jobs/{out.id}"
    return out


def _find(st: State, acc: Viewer, job_id: str) -> tuple[Job, str]:
    with st.db.reading() as s:
        row = s.execute(select(Job, StoredBlueprint.name).join(StoredBlueprint, StoredBlueprint.id == Job.blueprint_id)
                        .where(Job.id == job_id, Job.workspace_id == acc.workspace_id)).first()
    if row is None:
        raise HTTPException(404, "no such job in this workspace")
    return row[0], row[1]


@router.get("/jobs", response_model=list[JobOut], responses={404: {}})
def list_jobs(acc: Viewer, st: State) -> list[JobOut]:
    """The workspace's latest 100 jobs, newest first (without their results)."""
    with st.db.reading() as s:
        rows = s.execute(select(Job, StoredBlueprint.name).join(StoredBlueprint, StoredBlueprint.id == Job.blueprint_id)
                         .where(Job.workspace_id == acc.workspace_id).order_by(Job.created_at.desc(), Job.id)
                         .limit(100))
        return [_out(j, n).model_copy(update={"result": None}) for j, n in rows]


@router.get("/jobs/{job_id}", response_model=JobOut, responses={404: {}})
def get_job(job_id: JobId, acc: Viewer, st: State) -> JobOut:
    """A job's status and progress (0 to 1); when done, ``result`` holds the simulation summary."""
    job, name = _find(st, acc, job_id)
    return _out(job, name)


@router.get("/jobs/{job_id}/report", response_class=HTMLResponse, responses={404: {}, 409: {}})
def job_report(job_id: JobId, acc: Viewer, st: State) -> HTMLResponse:
    """The finished simulation's HTML report (as `blueprint simulate --report`)."""
    job, _ = _find(st, acc, job_id)
    if job.report is None:
        raise HTTPException(409, f"the job is {job.status}; the report exists once it is done")
    return HTMLResponse(job.report, headers={"Content-Security-Policy": SANDBOX})
