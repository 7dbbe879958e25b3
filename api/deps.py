"""Dependencies: the store, the clock, and a console bound to the bearer token's employee."""

from __future__ import annotations

import asyncio
import contextvars
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar
from urllib.parse import unquote

from fastapi import Depends, Request
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from core.access.models import EmployeeInfo
from core.access.tokens import Sessions, token_digest
from core.clock import Clock
from core.console import LocalConsole
from core.errors import NotSignedIn, ValidationFailed
from storage.engine import unit_of_work
from storage.sql_repository import SqlRepository

PEOPLE_TTL_S = 5.0
UNIT_THREADS = 16  # = api.app.API_THREADS: the connection pool is sized to it
T = TypeVar("T")

# The threads of the signed-in routes' units of work. `loop.run_in_executor` on a plain executor
# instead of anyio's `run_in_threadpool` (its capacity limiter, checkpoints and cancel scope per
# call): the same one hop, about half of its event-loop CPU (bench/api_concurrency.py pairs).
_UNITS = ThreadPoolExecutor(UNIT_THREADS, thread_name_prefix="crm-unit")


async def in_unit_thread(func: Callable[..., T], *args: Any) -> T:
    """`func(*args)` in a unit thread, in a copy of the request's context (its request id)."""
    context = contextvars.copy_context()
    return await asyncio.get_running_loop().run_in_executor(_UNITS, context.run, func, *args)


class PeopleCache:
    """`Repository.employee_info` remembered for a few seconds: it runs on every request.

    A change of password or activity takes effect at the next request: it raises the employee's
    auth_version, so every older token fails its lookup. A change of desks, role or masking raises
    their access_version (read with the token): an entry remembered for other versions than the
    token's is read again (`expect`), and the session goes on.
    """

    def __init__(self, repo: SqlRepository, ttl_s: float = PEOPLE_TTL_S) -> None:
        self._repo = repo
        self._ttl = ttl_s
        self._known: dict[int, tuple[float, tuple[int, int], EmployeeInfo | None]] = {}
        self._version: dict[int, tuple[int, int]] = {}

    def expect(self, employee_id: int, version: tuple[int, int]) -> None:
        """The next lookup of this employee is for a token of `version` (auth_version, access_version)."""
        self._version[employee_id] = version

    def employee_info(self, employee_id: int) -> EmployeeInfo | None:
        now = time.monotonic()
        version = self._version.get(employee_id, (0, 0))
        hit = self._known.get(employee_id)
        if hit is not None and now - hit[0] < self._ttl and hit[1] == version:
            return hit[2]
        info = self._repo.employee_info(employee_id)
        self._known[employee_id] = (now, version, info)
        return info

    def __getattr__(self, name: str) -> Any:
        return getattr(self._repo, name)


@dataclass
class ApiState:
    repo: SqlRepository
    clock: Clock
    sessions: Sessions
    phone_region: str = "RU"
    people: PeopleCache | None = None

    def __post_init__(self) -> None:
        if self.people is None:
            self.people = PeopleCache(self.repo)


# Dependencies that do no I/O are `async def`: a plain `def` would cost a thread-pool hop each.
async def get_state(request: Request) -> ApiState:
    return request.app.state.crm


State = Annotated[ApiState, Depends(get_state)]

# auto_error=False: a missing token answers our own 401 body, not FastAPI's 403.
_bearer = HTTPBearer(auto_error=False, description="The access_token from POST /api/v1/auth/verify.")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


async def bearer_token(credentials: Credentials) -> str:
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise NotSignedIn()
    return credentials.credentials


Token = Annotated[str, Depends(bearer_token)]


async def anonymous_console(state: State, request: Request) -> LocalConsole:
    """A console nobody is signed in to: for the two sign-in steps, counted per client address.

    The address is the TCP peer's; behind a reverse proxy uvicorn puts the forwarded one there, but
    only for proxies listed in `trusted_proxies` (api.serve), so a client cannot choose its own."""
    address = request.client.host if request.client else "unknown"
    return LocalConsole(state.repo, clock=state.clock, phone_region=state.phone_region, address=address)


def _console_of(state: ApiState, token: str) -> LocalConsole:
    """A console acting as the token's employee; every rule (desk, masking, S7) is applied by it."""
    console = LocalConsole(state.people, clock=state.clock, phone_region=state.phone_region)  # type: ignore[arg-type]
    employee_id, version = state.sessions.session_of(token)
    assert state.people is not None
    state.people.expect(employee_id, version)
    console.act_as(employee_id, session=token_digest(token))  # the token's use keeps it on the floor
    return console


class SignIn:
    """The bearer token of a sync route, its sign-in (token lookup, `act_as`) deferred to the route's
    thread: `api.units.in_unit` binds it there, inside the route's unit of work."""

    __slots__ = ("state", "token")

    def __init__(self, state: ApiState, token: str) -> None:
        self.state, self.token = state, token

    def bind(self) -> LocalConsole:
        return _console_of(self.state, self.token)


class ConsoleUnit:
    """A signed-in console for an `async def` route, made and used in the route's one thread hop
    (`run`): a hot route costs one hop instead of three (the sync dependency, the sync route, and
    the response check FastAPI runs in the thread pool after a sync route), and the token lookup
    runs on the operation's own connection and transaction (`storage.engine.unit_of_work`): one
    pool checkout and pre-ping per request, and still the token read fresh, so a sign-out or a
    disable on another worker counts at once."""

    def __init__(self, state: ApiState, token: str) -> None:
        self._state, self._token = state, token

    def _in_unit(self, operation: Callable[[LocalConsole], T]) -> T:
        with unit_of_work(self._state.repo.engine):
            return operation(_console_of(self._state, self._token))

    async def run(self, operation: Callable[[LocalConsole], T]) -> T:
        return await in_unit_thread(self._in_unit, operation)


def _query_names(dependant: Any) -> frozenset[str]:
    names = {param.alias for param in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return frozenset(names)


async def check_request(request: Request) -> None:
    """Refuses, before any rule runs, query parameters the route does not take or given twice, and NUL
    characters (not text; PostgreSQL refuses them)."""
    route = request.scope.get("route")
    if getattr(route, "dependant", None) is not None:  # what the route takes, kept on the route itself
        taken = vars(route).get("_query_names")
        if taken is None:
            taken = vars(route)["_query_names"] = _query_names(route.dependant)  # type: ignore[union-attr]
        if not set(request.query_params) <= taken:
            raise ValidationFailed("The request has a query parameter this operation does not take.", field="query")
    if len(request.query_params.multi_items()) != len(request.query_params):  # the last one would win silently
        raise ValidationFailed("A query parameter is given more than once.", field="query")
    if "\x00" in unquote(request.url.query) or "\x00" in unquote(request.url.path):
        raise ValidationFailed("Text may not contain NUL characters.")
    if request.method in ("POST", "PUT", "PATCH"):
        body = await request.body()
        if b"\\u0000" in body or b"\x00" in body:
            raise ValidationFailed("Text may not contain NUL characters.")


def _token_of(request: Request) -> str:
    """The bearer token of the Authorization header, as `HTTPBearer` + `bearer_token` read it."""
    scheme, _, credentials = (request.headers.get("authorization") or "").partition(" ")
    credentials = credentials.strip()
    if scheme.lower() != "bearer" or not credentials:
        raise NotSignedIn()
    return credentials


class _BearerDependency(HTTPBearer):
    """ONE dependency reading the request (the app's state and the bearer token) for a signed-in
    route, instead of the chain state + HTTPBearer + token + binder: FastAPI's resolution costs per
    dependency. An `HTTPBearer` itself, so the OpenAPI document keeps the same security scheme."""

    def __init__(self, make: Callable[[ApiState, str], Any]) -> None:
        super().__init__(auto_error=False, scheme_name="HTTPBearer", description=_bearer.model.description)
        self._make = make

    async def __call__(self, request: Request) -> Any:  # type: ignore[override]
        await check_request(request)  # the route's own check_request is left out (`checks_request`)
        return self._make(request.app.state.crm, _token_of(request))


# No I/O in either (no thread hop): a sync route receives the bound console (`api.units`), an
# `async` route runs its operation with `ConsoleUnit.run`.
signed_in_console = _BearerDependency(SignIn)
console_binder = _BearerDependency(ConsoleUnit)


def checks_request(route: APIRoute) -> bool:
    """Whether the route's first dependency is a signed-in console, which runs `check_request`."""
    first = route.dependant.dependencies[:1]
    return not route.dependencies and bool(first) and isinstance(first[0].call, _BearerDependency)


AnonymousConsole = Annotated[LocalConsole, Depends(anonymous_console)]
# A sync route's console: bound in the route's own thread hop and unit of work (`api.units.in_unit`).
SignedInConsole = Annotated[LocalConsole, Depends(signed_in_console)]
BindConsole = Annotated[ConsoleUnit, Depends(console_binder)]
