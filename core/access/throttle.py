"""Attempt limits (S1): growing delays per client address, a short block per login at an address.

The rules live here; the store counts atomically (`Repository.take_attempt` runs `decide` with the
counters locked). An attempt is counted *before* the password or code is checked, so parallel
requests cannot all pass one free slot; a success gives its attempt back (`refund`) or clears the
count (`clear`). The login is counted by the text typed, so an unknown login behaves exactly like
a known one, and a stranger blocks only the (login, address) pair he types from: staff signing in
from their own addresses are not locked out.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.clock import as_utc
from core.errors import CrmError


class TooManyAttempts(CrmError):
    """Too many attempts from here: wait `retry_after_s` seconds (HTTP 429 with Retry-After)."""

    code = "too_many_attempts"

    def __init__(self, retry_after_s: int) -> None:
        self.retry_after_s = max(1, retry_after_s)
        minutes = -(-self.retry_after_s // 60)
        super().__init__(
            f"Too many attempts: wait {minutes} min and try again. An administrator lifts the block of a "
            "login at once with a new password (crm users passwd LOGIN)."
        )


@dataclass(frozen=True)
class Limit:
    """`free` attempts in a row without delay; then a wait of `first_delay`, doubling, up to `max_delay`.
    The count starts again after `forget_after` without attempts; with `leak`, it also drains by one
    per `leak`, so a steady pace below one per `leak` is never slowed down."""

    scope: str
    free: int
    first_delay: timedelta
    max_delay: timedelta
    forget_after: timedelta
    leak: timedelta | None = None  # a leaky bucket: one attempt is forgotten per `leak`

    def delay(self, attempts: int) -> timedelta | None:
        """The wait before the next attempt once `attempts` were made in a row."""
        if attempts < self.free:
            return None
        return min(self.first_delay * 2 ** min(attempts - self.free, 30), self.max_delay)

    def key(self, *parts: str) -> str:
        """A short key of hashed parts: typed logins (sometimes a password typed in the wrong field)
        and addresses are not stored; `prefix(first part)` finds every key of that first part."""
        return self.scope + "".join(f":{_short_hash(p)}" for p in parts)

    def prefix(self, first: str) -> str:
        return f"{self.scope}:{_short_hash(first)}:"


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:20]


# Every sign-in step (password or code) from one client address: 10 free, then 1 s, 2 s, 4 s ... 15 min.
ADDRESS = Limit("address", 10, timedelta(seconds=1), timedelta(minutes=15), timedelta(hours=1))
# One login typed from one address: 5 failures in a row block that pair for 15 minutes.
LOGIN_AT_ADDRESS = Limit("login", 5, timedelta(minutes=15), timedelta(minutes=15), timedelta(minutes=15))
# Duplicate checks of one employee (F3, see core.clients.duplicates): bursts of 30, then one per 2 minutes.
DUPLICATE_CHECKS = Limit(
    "duplicates", 30, timedelta(seconds=30), timedelta(hours=1), timedelta(days=1), leak=timedelta(minutes=2)
)


@dataclass
class AttemptCount:
    attempts: int
    last_at: datetime | None
    blocked_until: datetime | None


def decide(limits: dict[str, Limit], counts: dict[str, AttemptCount], now: datetime) -> dict[str, AttemptCount] | int:
    """The counters after one more attempt, or the seconds to wait when any of them is blocked."""
    wait = 0
    for count in counts.values():
        if count.blocked_until is not None and as_utc(count.blocked_until) > now:
            wait = max(wait, math.ceil((as_utc(count.blocked_until) - now).total_seconds()))
    if wait:
        return wait
    after: dict[str, AttemptCount] = {}
    for key, limit in limits.items():
        count = counts.get(key) or AttemptCount(0, None, None)
        last = as_utc(count.last_at) if count.last_at is not None else None
        if last is None or now - last >= limit.forget_after:
            attempts, clock = 1, now
        elif limit.leak:
            drained = int((now - last) / limit.leak)
            left = max(0, count.attempts - drained)
            attempts, clock = left + 1, (last + drained * limit.leak if left else now)
        else:
            attempts, clock = count.attempts + 1, now
        delay = limit.delay(attempts)
        after[key] = AttemptCount(attempts, clock, now + delay if delay else None)
    return after


def refund(limit: Limit, count: AttemptCount) -> AttemptCount:
    """A success gives its attempt back: others' failures from the same address still count."""
    attempts = max(0, count.attempts - 1)
    delay = limit.delay(attempts)
    blocked = as_utc(count.last_at) + delay if delay and count.last_at else None
    return AttemptCount(attempts, count.last_at, blocked)
