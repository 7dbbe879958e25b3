"""Errors over HTTP: every core error becomes `{"error", "message", "field"?, "matches"?, "current"?}`.

The body carries the operator-facing message of the core error only: never a stack trace, and
never a masked value (core messages do not hold any; duplicate matches are masked summaries; the
`current` record of a stale edit is the one the reader may read, masked as for them).
"""

from __future__ import annotations

import functools
from typing import Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, create_model
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from api.deps import _token_of, console_binder, signed_in_console
from core.access.throttle import TooManyAttempts
from core.clients.models import ClientSummary
from core.console import PossibleDuplicate
from core.errors import (
    AuthFailed,
    Conflict,
    CrmError,
    NotFound,
    NotSignedIn,
    PermissionDenied,
    StoreUnavailable,
    ValidationFailed,
)


class ErrorBody(BaseModel):
    error: str
    message: str
    field: str | None = None
    matches: list[ClientSummary] | None = None


STATUS: list[tuple[type[CrmError], int]] = [
    (AuthFailed, 401),
    (NotSignedIn, 401),
    (PermissionDenied, 403),
    (NotFound, 404),
    (Conflict, 409),
    (ValidationFailed, 422),
    (StoreUnavailable, 503),
    (TooManyAttempts, 429),
]

_DESCRIPTIONS = {
    401: "Not signed in, session ended, or wrong login/password/code (`auth_failed`, `not_signed_in`).",
    403: "The role may not do this (`forbidden`).",
    404: "No such object, or it belongs to another desk (`not_found`).",
    409: "Someone else changed the block first (`conflict`): reopen the card.",
    422: (
        "Invalid input (`invalid`, with `field`); a possible duplicate (`duplicate`, with `matches`); "
        "an Idempotency-Key reused with a different request (`idempotency_mismatch`)."
    ),
    413: "The request body is larger than the server takes (`too_large`; 64 KiB unless configured).",
    429: "Too many attempts (`too_many_attempts`): sign-in from this address or login, or duplicate checks; "
    "see Retry-After.",
    503: "The database is unavailable (`unavailable`).",
}


def responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The error answers a route documents in OpenAPI."""
    return {code: {"model": ErrorBody, "description": _DESCRIPTIONS[code]} for code in codes}


def stale(model: type[BaseModel], codes: tuple[int, ...] = (404, 422)) -> dict[int | str, dict[str, Any]]:
    """`responses(*codes)` and a 409 whose body carries the record as stored now (`current`)."""
    body = _stale_body(model)
    description = "Someone else changed it first (`conflict`); `current` is the record as stored now."
    return {**responses(*codes), 409: {"model": body, "description": description}}


@functools.cache
def _stale_body(model: type[BaseModel]) -> type[ErrorBody]:
    """One body model per record shape, so OpenAPI names it once (`StaleEmployeeLine` …)."""
    return create_model(f"Stale{model.__name__}", __base__=ErrorBody, current=(model | None, None))


def status_of(exc: CrmError) -> int:
    for cls, status in STATUS:
        if isinstance(exc, cls):
            return status
    return 400


def body_of(exc: CrmError) -> dict[str, Any]:
    body: dict[str, Any] = {"error": exc.code, "message": exc.message}
    field = getattr(exc, "field", None)
    if field:
        body["field"] = field
    if isinstance(exc, PossibleDuplicate):
        body["matches"] = [m.model_dump(mode="json") for m in exc.matches]
    if isinstance(exc, Conflict) and isinstance(exc.current, BaseModel):
        body["current"] = exc.current.model_dump(mode="json")
    return body


def error_response(exc: CrmError) -> JSONResponse:
    status = status_of(exc)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if isinstance(exc, TooManyAttempts):
        headers = {"Retry-After": str(exc.retry_after_s)}
    return JSONResponse(body_of(exc), status_code=status, headers=headers)


def _signed_in(request: Request) -> bool:
    """Whether the request's route takes a signed-in console (decided once per route, kept on it)."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return False
    known = vars(route).get("_signed_in")
    if known is None:
        stack, known = [dependant], False
        while stack and not known:
            node = stack.pop()
            known = node.call is signed_in_console or node.call is console_binder
            stack.extend(node.dependencies)
        vars(route)["_signed_in"] = known
    return known


async def refused_token(request: Request) -> JSONResponse | None:
    """On a signed-in route, the 401 of a missing, invalid or expired token, or None when it is live.

    FastAPI checks the body and the query before the route's unit of work looks the token up, and
    `api.deps.check_request` refuses a request before it too: without this, a caller with no live
    token would learn the schema's rules from the 422. Asked only on the way to a 422, so a valid
    request still costs one token lookup."""
    if not _signed_in(request):
        return None
    state = request.app.state.crm
    try:
        await run_in_threadpool(state.sessions.session_of, _token_of(request))
    except CrmError as exc:  # NotSignedIn; StoreUnavailable: a 503, not the 422
        return error_response(exc)
    return None


def install(app: FastAPI) -> None:
    @app.exception_handler(CrmError)
    async def _crm_error(request: Request, exc: CrmError) -> JSONResponse:
        if isinstance(exc, ValidationFailed) and (refused := await refused_token(request)) is not None:
            return refused
        return error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        if (refused := await refused_token(request)) is not None:
            return refused
        errors = exc.errors()
        first = errors[0] if errors else {}
        loc = [str(part) for part in first.get("loc", ()) if part not in ("body", "query", "path", "header")]
        message = first.get("msg", "Invalid request.")
        field = loc[-1] if loc else None
        text = f"{'.'.join(loc)}: {message}" if loc else str(message)
        if first.get("type") == "string_too_long" and field in ("comment", "text"):
            # the domain's own message, which the console translates
            text, field = f"The comment is longer than {first['ctx']['max_length']} characters.", "comment"
        return JSONResponse({"error": "invalid", "message": text, "field": field}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400:  # FastAPI's "error parsing the body": bad input like any other
            if (refused := await refused_token(request)) is not None:
                return refused
            return JSONResponse({"error": "invalid", "message": "The request body is not valid JSON."}, status_code=422)
        code = HTTP_CODES.get(exc.status_code, "error")
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(allowed_methods(request))
        return JSONResponse({"error": code, "message": str(exc.detail)}, status_code=exc.status_code, headers=headers)

    # Any other exception: api.middleware.RequestGuard answers 500 without details.


HTTP_CODES = {401: "not_signed_in", 403: "forbidden", 404: "not_found", 405: "method_not_allowed", 413: "too_large"}


METHODS = ("DELETE", "GET", "HEAD", "PATCH", "POST", "PUT")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route serves on this path (Starlette names only the first route's)."""
    routes = request.app.router.routes
    return [
        method
        for method in METHODS
        if any(route.matches({**request.scope, "method": method})[0] == Match.FULL for route in routes)
    ]
