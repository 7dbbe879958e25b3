"""The FastAPI app: every Console operation under /api/v1, OpenAPI at /openapi.json, docs at /docs."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import unquote

from anyio import to_thread
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import DataError, InterfaceError, OperationalError

from api import docs, errors, logs
from api.deps import ApiState, State
from api.middleware import MAX_BODY_BYTES, BodyLimit, RequestGuard, SecurityHeaders
from api.routers import (
    access,
    admin,
    assign,
    automation,
    calls,
    campaigns,
    clients,
    custody,
    delivery,
    floor,
    imports,
    jobs,
    mywork,
    offices,
    reports,
    tasks,
    trading,
    work,
)
from core.access.tokens import Sessions
from core.clock import Clock, SystemClock
from core.errors import StoreUnavailable, ValidationFailed
from storage.local import open_engine, start_worker_thread
from storage.sql_repository import SqlRepository

API_PREFIX = "/api/v1"
TARGET_ENV = "CRM_SERVE_DB"
MAX_BODY_ENV = "CRM_MAX_BODY_BYTES"
TITLE = "crm-console API"
# Sync routes and dependencies run in anyio's thread pool (40 threads by default); the store's
# connection pool is sized to it, so a busy worker opens no connection per request.
API_THREADS = 16

log = logging.getLogger("crm.api")


_QUERY_NAMES: dict[int, frozenset[str]] = {}  # id(route dependant) -> the query parameters it takes


def _query_names(dependant: Any) -> frozenset[str]:
    known = _QUERY_NAMES.get(id(dependant))
    if known is None:
        names = {param.alias for param in dependant.query_params}
        for sub in dependant.dependencies:
            names |= _query_names(sub)
        known = _QUERY_NAMES[id(dependant)] = frozenset(names)
    return known


async def check_request(request: Request) -> None:
    """Refuses, before any rule runs, query parameters the route does not take or given twice, and NUL
    characters (not text; PostgreSQL refuses them)."""
    dependant = getattr(request.scope.get("route"), "dependant", None)
    if dependant is not None and not set(request.query_params) <= _query_names(dependant):
        raise ValidationFailed("The request has a query parameter this operation does not take.", field="query")
    if len(request.query_params.multi_items()) != len(request.query_params):  # the last one would win silently
        raise ValidationFailed("A query parameter is given more than once.", field="query")
    if "\x00" in unquote(request.url.query) or "\x00" in unquote(request.url.path):
        raise ValidationFailed("Text may not contain NUL characters.")
    if request.method in ("POST", "PUT", "PATCH"):
        body = await request.body()
        if b"\\u0000" in body or b"\x00" in body:
            raise ValidationFailed("Text may not contain NUL characters.")


class Health(BaseModel):
    status: str


def create_app(target: str, clock: Clock | None = None, max_body: int | None = None, worker: bool = False) -> FastAPI:
    """The API over `target`; bodies over `max_body` bytes (default CRM_MAX_BODY_BYTES or 64 KiB) get 413;
    `worker`: run the job queue's worker in a thread while the app runs (`crm serve`)."""
    logs.install()
    engine = open_engine(target, pool_size=API_THREADS)
    engine.hide_parameters = True  # SQL errors must not carry personal data into logs
    clock = clock or SystemClock()
    repo = SqlRepository(engine)
    repo.code_key()  # the server secret of code digests: created on first start, or a clear error now
    state = ApiState(repo=repo, clock=clock, sessions=Sessions(repo, clock))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        to_thread.current_default_thread_limiter().total_tokens = API_THREADS
        jobs = start_worker_thread(repo, clock) if worker else None
        yield
        if jobs:
            jobs.stop()
        engine.dispose()

    app = FastAPI(
        title=TITLE,
        version="1",
        description=(
            "Every operation of the console. Sign in with POST /api/v1/auth/login then /api/v1/auth/verify; "
            "send the access_token as `Authorization: Bearer <token>`. Errors answer "
            '`{"error", "message", "field"?, "matches"?}`.'
        ),
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.crm = state
    errors.install(app)

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    async def _db_down(_request: Request, exc: Exception) -> JSONResponse:
        log.error("database error: %s", type(exc).__name__)
        return errors.error_response(StoreUnavailable("The database is unavailable; try again in a moment."))

    @app.exception_handler(OverflowError)
    @app.exception_handler(DataError)
    async def _out_of_range(_request: Request, exc: Exception) -> JSONResponse:
        # e.g. an id beyond 64 bits reaching SQLite: no such record can exist, the input is at fault
        return errors.error_response(ValidationFailed("A number or date in the request is out of range."))

    v1 = APIRouter(
        prefix=API_PREFIX, dependencies=[Depends(check_request)], responses=errors.responses(401, 413, 422, 503)
    )
    v1.include_router(access.router)
    v1.include_router(clients.router)
    v1.include_router(clients.reference)
    v1.include_router(calls.router)
    v1.include_router(offices.router)
    v1.include_router(reports.router)
    v1.include_router(custody.router)
    v1.include_router(trading.router)
    v1.include_router(trading.events)
    v1.include_router(work.router)
    v1.include_router(tasks.router)
    v1.include_router(mywork.router)
    v1.include_router(assign.router)
    v1.include_router(jobs.router)
    v1.include_router(admin.router)
    v1.include_router(admin.own)
    v1.include_router(imports.router)
    v1.include_router(imports.exports)
    v1.include_router(automation.router)
    v1.include_router(campaigns.router)
    v1.include_router(floor.router)
    v1.include_router(delivery.router)
    app.include_router(v1)

    @app.get(
        "/health",
        tags=["health"],
        response_model=Health,
        responses={503: {"model": Health, "description": "The database does not answer."}},
    )
    def health(state: State) -> Health | JSONResponse:
        try:
            with state.repo.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except (OperationalError, InterfaceError):
            return JSONResponse({"status": "unavailable"}, status_code=503)
        return Health(status="ok")

    docs.install(app, TITLE)
    limit = max_body if max_body is not None else int(os.environ.get(MAX_BODY_ENV, MAX_BODY_BYTES))
    app.add_middleware(BodyLimit, limit=limit, larger=((API_PREFIX + imports.PREFIX, imports.MAX_BODY),))
    app.add_middleware(RequestGuard)
    app.add_middleware(SecurityHeaders)  # the last added is the outermost: every answer gets the headers
    return app


def app_from_env() -> FastAPI:
    """Factory for `uvicorn --factory api.app:app_from_env` (used by serve() with several workers)."""
    from core.settings import load_settings

    return create_app(os.environ[TARGET_ENV], worker=load_settings().worker)
