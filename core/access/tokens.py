"""Bearer tokens of the HTTP API (S1 over the network): issue, check, touch, revoke.

A token is 256 random bits, handed to the client once; the store keeps only its SHA-256. It dies
after `IDLE` without use, `ABSOLUTE` after it was issued, at sign-out, when the employee is
disabled (the store's lookup returns nothing for an inactive employee), and when the employee's
password, role or desks change: the token keeps the employee's `auth_version` of its issue, and
every change raises that counter (storage.users), so older tokens fail at their next lookup.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from core.clock import Clock, SystemClock, as_utc
from core.errors import NotSignedIn

IDLE = timedelta(minutes=30)
ABSOLUTE = timedelta(hours=12)
# Writing "last used" on every request would make every read a write; a coarse step is enough
# for an idle limit of half an hour.
TOUCH_STEP = timedelta(seconds=60)
TOKEN_BYTES = 32

SESSION_ENDED = "Your session has ended; sign in again."


@dataclass
class TokenRecord:
    digest: str
    employee_id: int
    created_at: datetime
    last_used_at: datetime
    revoked_at: datetime | None
    auth_version: int = 0  # the employee's when the token was issued
    employee_auth_version: int = 0  # the employee's now
    access_version: int = 0  # the employee's: raised when their desks, role or masking change


class TokenStore(Protocol):
    def create_token(self, digest: str, employee_id: int, at: datetime) -> None:
        """Store the token with the employee's current auth_version."""
        ...

    def token(self, digest: str) -> TokenRecord | None:
        """The token of an active employee, or None (unknown token, or the employee is disabled)."""
        ...

    def touch_token(self, digest: str, at: datetime) -> None:
        """The token was used at `at`; so was its console session on the live floor."""
        ...

    def revoke_token(self, digest: str, at: datetime) -> None:
        """The token dies; its console session leaves the live floor."""
        ...


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def expires_at(record: TokenRecord, idle: timedelta = IDLE, absolute: timedelta = ABSOLUTE) -> datetime:
    """When the token dies if it is not used again."""
    return min(as_utc(record.last_used_at) + idle, as_utc(record.created_at) + absolute)


def is_alive(record: TokenRecord, now: datetime, idle: timedelta = IDLE, absolute: timedelta = ABSOLUTE) -> bool:
    return (
        record.revoked_at is None
        and record.auth_version == record.employee_auth_version
        and now < expires_at(record, idle, absolute)
    )


class Sessions:
    """The token policy over a `TokenStore`; the API calls it, the rules live here."""

    def __init__(
        self, store: TokenStore, clock: Clock | None = None, idle: timedelta = IDLE, absolute: timedelta = ABSOLUTE
    ) -> None:
        self.store = store
        self.clock = clock or SystemClock()
        self.idle = idle
        self.absolute = absolute

    def issue(self, employee_id: int, token: str | None = None) -> tuple[str, datetime]:
        """A new token (or `token`, made by `new_token`) for an employee who has just passed both
        sign-in steps."""
        now = self.clock.now()
        token = token or new_token()
        self.store.create_token(token_digest(token), employee_id, now)
        return token, min(now + self.idle, now + self.absolute)

    def employee_of(self, token: str | None) -> int:
        """The employee a live token belongs to; slides the idle limit. NotSignedIn otherwise."""
        return self.session_of(token)[0]

    def session_of(self, token: str | None) -> tuple[int, tuple[int, int]]:
        """(employee id, (auth_version, access_version)) of a live token; slides the idle limit.
        NotSignedIn otherwise. A new access_version means: read the employee again (their desks,
        role or masking changed), the session goes on."""
        if not token:
            raise NotSignedIn()
        now = self.clock.now()
        digest = token_digest(token)
        record = self.store.token(digest)
        if record is None or not is_alive(record, now, self.idle, self.absolute):
            raise NotSignedIn(SESSION_ENDED)
        if now - as_utc(record.last_used_at) >= TOUCH_STEP:
            self.store.touch_token(digest, now)
        return record.employee_id, (record.auth_version, record.access_version)

    def revoke(self, token: str | None) -> None:
        if token:
            self.store.revoke_token(token_digest(token), self.clock.now())
