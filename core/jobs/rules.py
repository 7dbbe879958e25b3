"""The queue's rules: the lease, retries with exponential backoff, errors free of client data."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.errors import CrmError

LEASE = timedelta(seconds=60)  # a killed worker's job is taken again after this
BATCH = 20  # jobs claimed at once
BACKOFF_BASE = timedelta(seconds=5)
BACKOFF_CAP = timedelta(hours=1)
IDLE_SECONDS = 2.0  # the worker's pause when nothing is due


class JobError(CrmError):
    """A handler's failure whose message is safe to keep (written without client data)."""

    code = "job_failed"


def backoff(attempts: int) -> timedelta:
    """The pause before attempt `attempts + 1`: 5 s, 10 s, 20 s, ... at most an hour."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_CAP)


def next_try(now: datetime, attempts: int, max_attempts: int) -> datetime | None:
    """When to retry after a failed attempt; None: out of attempts, the job fails."""
    return None if attempts >= max_attempts else now + backoff(attempts)


def error_text(exc: BaseException) -> str:
    """What the queue records of a failure: the exception's class, and the message only of errors
    the project writes itself (`core.errors`: never client data). Other messages (a driver's, a
    library's) may quote values, so they are dropped."""
    name = type(exc).__name__
    if isinstance(exc, CrmError):
        return f"{name}: {exc.message}"[:400]
    return name
