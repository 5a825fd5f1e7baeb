"""The FastAPI application: ``create_app(settings)`` wires database, security and routes.

Creating the app migrates the database to the newest schema (Alembic, in one transaction) and
queues again any job a previous run left unfinished. No response ever carries a traceback:
unexpected errors are logged and answered with a plain 500.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..errors import ServiceBlueprintError
from . import web
from .config import Settings, redact
from .db import Database
from .jobs import JobRunner
from .limits import BodyLimit
from .migrate import current_revision, migrate
from .pages import router as pages_router
from .ratelimit import RateLimiter
from .routes import analysis, auth, blueprints, comments, interop, jobs, render, workspaces
from .routes.common import ConflictError, conflict_response
from .schemas import HealthOut
from .security import Passwords
from .state import LRUCache, ServerState

log = logging.getLogger("service_blueprint.server")

DESCRIPTION = """\
A multi-user store of service blueprints: workspaces with roles (owner, editor, commenter,
viewer), blueprints saved as immutable versions with optimistic concurrency (ETag / If-Match),
history, diffs and restore, comment threads on actions, an audit log, rendering, analysis,
export/import and simulation jobs. Authenticate with `Authorization: Bearer <token>` (create a
token with `POST /api/auth/token` or `blueprint login`). See docs/server.md.
"""


def build_state(settings: Settings) -> ServerState:
    db = Database(settings)
    migrate(db.engine)
    return ServerState(
        settings=settings,
        db=db,
        passwords=Passwords(settings),
        login_limiter=RateLimiter(settings.login_attempts, settings.login_window_seconds),
        address_limiter=RateLimiter(settings.login_attempts * 5, settings.login_window_seconds),
        jobs=JobRunner(db, settings.job_workers, settings.max_queued_jobs),
        renders=LRUCache(settings.render_cache_entries),
    )


def create_app(settings: Settings, state: ServerState | None = None) -> FastAPI:
    """The ASGI app. Pass ``state`` to share one database and job runner between apps (tests)."""
    app = assemble(settings)
    app.state.server = state or build_state(settings)
    return app


def openapi_spec() -> dict[str, object]:
    """The OpenAPI document, without a database (for docs and property tests)."""
    return assemble(Settings()).openapi()


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    st: ServerState = app.state.server
    st.jobs.resume()
    yield
    st.jobs.shutdown(wait=True)
    st.db.dispose()


def assemble(settings: Settings) -> FastAPI:
    """Routes, error handlers and the body limit; the state is attached by :func:`create_app`."""
    # No /docs or /redoc: FastAPI's pages load their scripts from a CDN, and servers here may
    # have no internet. /openapi.json is complete; any OpenAPI viewer reads it.
    app = FastAPI(title="service-blueprint server", version=__version__, description=DESCRIPTION,
                  lifespan=_lifespan, docs_url=None, redoc_url=None)
    for r in (auth.router, workspaces.router, blueprints.router, comments.router, render.router,
              analysis.router, interop.router, jobs.router, pages_router, web.router):
        app.include_router(r)
    _handlers(app)

    @app.get("/healthz", response_model=HealthOut, tags=["server"])
    def healthz(request: Request) -> HealthOut:
        """Liveness and database check (no authentication)."""
        st: ServerState = request.app.state.server
        with st.db.reading() as s:
            s.execute(text("SELECT 1"))
        return HealthOut(status="ok", database=st.db.engine.dialect.name,
                         schema_revision=current_revision(st.db.engine) or "")

    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    return app


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(ConflictError)
    async def _conflict(_r: Request, exc: ConflictError) -> JSONResponse:
        return conflict_response(exc)

    @app.exception_handler(ServiceBlueprintError)
    async def _usage(_r: Request, exc: ServiceBlueprintError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=422)

    @app.exception_handler(IntegrityError)
    async def _integrity(_r: Request, exc: IntegrityError) -> JSONResponse:
        log.info("integrity error (a concurrent change): %s", exc.orig)
        return JSONResponse({"detail": "the change conflicts with a concurrent one; read again and retry"},
                            status_code=409)

    @app.exception_handler(OperationalError)
    async def _busy(_r: Request, exc: OperationalError) -> JSONResponse:
        log.warning("database unavailable: %s", exc.orig)
        return JSONResponse({"detail": "the database is busy or unavailable; retry shortly"}, status_code=503,
                            headers={"Retry-After": "2"})

    @app.exception_handler(RequestValidationError)
    async def _invalid(_r: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in exc.errors()]
        return JSONResponse({"detail": errors}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_r: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> JSONResponse:
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return JSONResponse({"detail": "internal error; the server log has the details"}, status_code=500)


__all__ = ["Settings", "assemble", "build_state", "create_app", "openapi_spec", "redact"]
