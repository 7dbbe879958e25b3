"""The FastAPI app: every Console operation under /api/v1, OpenAPI at /openapi.json, docs at /docs."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import unquote

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import DataError, InterfaceError, OperationalError

from api import errors
from api.deps import ApiState, State
from api.routers import auth, calls, clients, offices, reference, reports
from core.clock import Clock, SystemClock
from core.errors import StoreUnavailable, ValidationFailed
from core.tokens import Sessions
from storage.local import open_engine
from storage.sql_repository import SqlRepository

API_PREFIX = "/api/v1"
TARGET_ENV = "CRM_SERVE_DB"

log = logging.getLogger("crm.api")


async def reject_nul(request: Request) -> None:
    """NUL characters are not text (PostgreSQL refuses them): refuse them before any rule runs."""
    if "\x00" in unquote(request.url.query) or "\x00" in unquote(request.url.path):
        raise ValidationFailed("Text may not contain NUL characters.")
    if request.method in ("POST", "PUT", "PATCH"):
        body = await request.body()
        if b"\\u0000" in body or b"\x00" in body:
            raise ValidationFailed("Text may not contain NUL characters.")


class Health(BaseModel):
    status: str


class _NoQueryInAccessLog(logging.Filter):
    """Access-log lines keep the path only: search queries hold phones, names and passports."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str) and "?" in args[2]:
            record.args = (*args[:2], args[2].split("?", 1)[0] + "?…", *args[3:])
        return True


def create_app(target: str, clock: Clock | None = None) -> FastAPI:
    engine = open_engine(target)
    engine.hide_parameters = True  # SQL errors must not carry personal data into logs
    clock = clock or SystemClock()
    repo = SqlRepository(engine)
    state = ApiState(repo=repo, clock=clock, sessions=Sessions(repo, clock))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = FastAPI(
        title="crm-console API",
        version="1",
        description=(
            "Every operation of the console. Sign in with POST /api/v1/auth/login then /api/v1/auth/verify; "
            "send the access_token as `Authorization: Bearer <token>`. Errors answer "
            '`{"error", "message", "field"?, "matches"?}`.'
        ),
        lifespan=lifespan,
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

    v1 = APIRouter(prefix=API_PREFIX, dependencies=[Depends(reject_nul)], responses=errors.responses(401, 422, 503))
    v1.include_router(auth.router)
    v1.include_router(clients.router)
    v1.include_router(reference.router)
    v1.include_router(calls.router)
    v1.include_router(offices.router)
    v1.include_router(reports.router)
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

    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, _NoQueryInAccessLog) for f in access.filters):
        access.addFilter(_NoQueryInAccessLog())
    return app


def app_from_env() -> FastAPI:
    """Factory for `uvicorn --factory api.app:app_from_env` (used by serve() with several workers)."""
    return create_app(os.environ[TARGET_ENV])
