"""The FastAPI app: every Console operation under /api/v1, OpenAPI at /openapi.json, docs at /docs."""

from __future__ import annotations

import gc
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import to_thread
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import DataError, InterfaceError, OperationalError

from api import docs, errors, logs
from api.deps import UNIT_THREADS, ApiState, State, check_request, checks_request
from api.lean import LeanRoute
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
from api.units import in_unit
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
API_THREADS = UNIT_THREADS  # and the signed-in routes' own threads (api.deps.in_unit_thread)

log = logging.getLogger("crm.api")


V1_RESPONSES = errors.responses(401, 413, 422, 503)


def _include_flat(app: FastAPI, routers: list[APIRouter]) -> None:
    """Every route of `routers` made again as a route of the app itself under API_PREFIX, with the
    check of `check_request` and the common error answers: as nested `include_router` calls would
    give it, minus the include tree to walk per request (a route whose first dependency is the
    signed-in console has it run the check: one dependency fewer). A sync signed-in route runs in
    one unit of work and one thread hop (`api.units.in_unit`); the hot call routes take the lean
    handler (`api.lean`)."""
    for router in routers:
        for route in router.routes:
            assert isinstance(route, APIRoute), f"{route!r}: only plain API routes are flattened"
            app.router.add_api_route(
                API_PREFIX + route.path,
                in_unit(route),
                response_model=route.response_model,
                status_code=route.status_code,
                tags=route.tags,
                dependencies=[*([] if checks_request(route) else [Depends(check_request)]), *route.dependencies],
                summary=route.summary,
                description=route.description,
                response_description=route.response_description,
                responses={**V1_RESPONSES, **route.responses},
                deprecated=route.deprecated,
                methods=route.methods,
                operation_id=route.operation_id,
                response_model_include=route.response_model_include,
                response_model_exclude=route.response_model_exclude,
                response_model_by_alias=route.response_model_by_alias,
                response_model_exclude_unset=route.response_model_exclude_unset,
                response_model_exclude_defaults=route.response_model_exclude_defaults,
                response_model_exclude_none=route.response_model_exclude_none,
                include_in_schema=route.include_in_schema,
                response_class=route.response_class,
                name=route.name,
                callbacks=route.callbacks,
                openapi_extra=route.openapi_extra,
                generate_unique_id_function=route.generate_unique_id_function,
                strict_content_type=route.strict_content_type,
                max_body_size=route.max_body_size,
                form_limits=route.form_limits,
                route_class_override=LeanRoute,
            )


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

    # first: a probe every few seconds should not walk the whole route list
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

    # One flat route list at the app (FastAPI 0.165 matches an included router's routes through
    # its include tree per request: 0.3-0.8 ms a hot route, measured by bench/route_match.py).
    _include_flat(
        app,
        [
            access.router,
            clients.router,
            clients.reference,
            calls.router,
            offices.router,
            reports.router,
            custody.router,
            trading.router,
            trading.events,
            work.router,
            tasks.router,
            mywork.router,
            assign.router,
            jobs.router,
            admin.router,
            admin.own,
            imports.router,
            imports.exports,
            automation.router,
            campaigns.router,
            floor.router,
            delivery.router,
        ],
    )

    docs.install(app, TITLE)
    limit = max_body if max_body is not None else int(os.environ.get(MAX_BODY_ENV, MAX_BODY_BYTES))
    app.add_middleware(BodyLimit, limit=limit, larger=((API_PREFIX + imports.PREFIX, imports.MAX_BODY),))
    app.add_middleware(RequestGuard)
    app.add_middleware(SecurityHeaders)  # the last added is the outermost: every answer gets the headers
    return app


def app_from_env() -> FastAPI:
    """Factory for `uvicorn --factory api.app:app_from_env` (used by serve() with several workers)."""
    from core.settings import load_settings

    app = create_app(os.environ[TARGET_ENV], worker=load_settings().worker)
    settle_gc()
    return app


GC_YOUNG_THRESHOLD = 10_000


def settle_gc(young: int = GC_YOUNG_THRESHOLD, older_scale: int = 1) -> None:
    """For a serving process once its app is built: that heap set aside from the cyclic GC
    (`gc.freeze`: a full collection walked it all, 0.3 s each), and the youngest generation
    collected after `young` net allocations instead of 700, which the objects of the requests in
    flight reached several times a save (a gen-0 collection each, survivors promoted); the older
    generations' thresholds times `older_scale`. The test run settles its collection the same way."""
    gc.collect()
    gc.freeze()
    _young, older, oldest = gc.get_threshold()
    gc.set_threshold(young, older * older_scale, oldest * older_scale)
