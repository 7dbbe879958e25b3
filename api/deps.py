"""Dependencies: the store, the clock, and a console bound to the bearer token's employee."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from core.clock import Clock
from core.console import LocalConsole
from core.errors import NotSignedIn
from core.models import EmployeeInfo
from core.tokens import Sessions
from storage.sql_repository import SqlRepository

PEOPLE_TTL_S = 5.0


class PeopleCache:
    """`Repository.employee_info` remembered for a few seconds: it runs on every request.

    Disabling an employee still takes effect at once (the token lookup checks `active`); a change
    of role or desks reaches the API within PEOPLE_TTL_S.
    """

    def __init__(self, repo: SqlRepository, ttl_s: float = PEOPLE_TTL_S) -> None:
        self._repo = repo
        self._ttl = ttl_s
        self._known: dict[int, tuple[float, EmployeeInfo | None]] = {}

    def employee_info(self, employee_id: int) -> EmployeeInfo | None:
        now = time.monotonic()
        hit = self._known.get(employee_id)
        if hit is not None and now - hit[0] < self._ttl:
            return hit[1]
        info = self._repo.employee_info(employee_id)
        self._known[employee_id] = (now, info)
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


async def anonymous_console(state: State) -> LocalConsole:
    """A console nobody is signed in to: for the two sign-in steps."""
    return LocalConsole(state.repo, clock=state.clock, phone_region=state.phone_region)


def signed_in_console(state: State, token: Token) -> LocalConsole:
    """A console acting as the token's employee; every rule (desk, masking, S7) is applied by it."""
    console = LocalConsole(state.people, clock=state.clock, phone_region=state.phone_region)  # type: ignore[arg-type]
    console.act_as(state.sessions.employee_of(token))
    return console


AnonymousConsole = Annotated[LocalConsole, Depends(anonymous_console)]
SignedInConsole = Annotated[LocalConsole, Depends(signed_in_console)]
