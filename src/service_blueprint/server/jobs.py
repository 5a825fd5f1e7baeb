"""Background jobs (simulations) on an in-process thread pool, with progress kept in the database.

Limits, by design (docs/server.md): jobs run in the server's own process, ``job_workers``
at a time (default one), so a long simulation shares the CPU and Python's interpreter lock with
the requests; at most ``max_queued_jobs`` may wait or run at once. Progress is saved after each
replication. A job that was queued or running when the server stopped is run again from the
start when it starts next (a job is a pure function of its version and options, so the result
is the same).
"""

from __future__ import annotations

import json
import logging
import threading
import traceback
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
from sqlalchemy import func, select, update

from ..errors import ServiceBlueprintError
from ..loader import parse_document
from ..simulation.engine import run
from ..simulation.model import SimOptions, build_model
from ..simulation.replications import summarise
from ..simulation.report import html_report, json_report
from .db import Database
from .models import Job, Version, now

log = logging.getLogger("service_blueprint.server")

UNFINISHED = ("queued", "running")


class JobLimit(Exception):
    """Too many jobs are waiting already."""


def sim_options(options: dict[str, Any]) -> SimOptions:
    """The simulator's options from a job's stored options (validated by the API on submit)."""
    return SimOptions(days=float(options["days"]), warmup=float(options["warmup_hours"]) * 3600.0,
                      replications=int(options["replications"]), seed=int(options["seed"]),
                      demand_factor=float(options["demand_factor"]))


class JobRunner:
    def __init__(self, db: Database, workers: int, max_unfinished: int) -> None:
        self.db = db
        self.max_unfinished = max_unfinished
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="blueprint-job")
        self._stopping = threading.Event()

    def submit(self, job_id: str) -> None:
        self._pool.submit(self._run_logged, job_id)

    def check_capacity(self) -> None:
        with self.db.reading() as s:
            waiting = s.scalar(select(func.count()).select_from(Job).where(Job.status.in_(UNFINISHED))) or 0
        if waiting >= self.max_unfinished:
            raise JobLimit(f"{waiting} jobs are already waiting or running; try again when one has finished")

    def resume(self) -> int:
        """Queue again every job the previous run of the server left unfinished."""
        with self.db.writing() as s:
            ids = list(s.scalars(select(Job.id).where(Job.status.in_(UNFINISHED)).order_by(Job.created_at)))
            if ids:
                s.execute(update(Job).where(Job.id.in_(ids)).values(status="queued", progress=0.0))
        for job_id in ids:
            self.submit(job_id)
        return len(ids)

    def shutdown(self, wait: bool = True) -> None:
        """Stop taking jobs; a running one stops after its current replication and stays unfinished."""
        self._stopping.set()
        self._pool.shutdown(wait=wait, cancel_futures=True)

    def _run_logged(self, job_id: str) -> None:
        try:
            self._run(job_id)
        except Exception as exc:  # a bug: record it on the job rather than lose it in a thread
            log.error("job %s failed: %s", job_id, traceback.format_exc())
            self._finish(job_id, error=f"internal error: {type(exc).__name__}")

    def _run(self, job_id: str) -> None:
        if self._stopping.is_set():
            return
        with self.db.reading() as s:
            job = s.get(Job, job_id)
            if job is None or job.status not in UNFINISHED:
                return
            text = s.scalar(select(Version.text).where(Version.blueprint_id == job.blueprint_id,
                                                       Version.number == job.version))
            options = json.loads(job.options)
        doc = parse_document(text or "", "job.blueprint.yaml")
        if doc.blueprint is None:
            self._finish(job_id, error="the version is not a readable blueprint")
            return
        self._progress(job_id, 0.0, status="running")
        try:
            opts = sim_options(options)
            model = build_model(doc.blueprint, opts)
            runs = []
            seeds = np.random.SeedSequence(opts.seed).spawn(opts.replications)
            for k, seed in enumerate(seeds):
                if self._stopping.is_set():
                    return
                runs.append(run(model, seed))
                self._progress(job_id, (k + 1) / (opts.replications + 1))
            result = summarise(model, opts, runs)
        except ServiceBlueprintError as exc:
            self._finish(job_id, error=str(exc))
            return
        self._finish(job_id, result=json_report(result), report=html_report(result))

    def _progress(self, job_id: str, progress: float, status: str | None = None) -> None:
        values: dict[str, Any] = {"progress": round(progress, 4)}
        if status:
            values["status"] = status
        with self.db.writing() as s:
            s.execute(update(Job).where(Job.id == job_id).values(**values))

    def _finish(self, job_id: str, *, result: str | None = None, report: str | None = None,
                error: str | None = None) -> None:
        with self.db.writing() as s:
            s.execute(update(Job).where(Job.id == job_id).values(
                status="failed" if error else "done", progress=1.0, result=result, report=report, error=error,
                finished_at=now()))
