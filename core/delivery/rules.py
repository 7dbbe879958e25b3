"""The outbox's rules: statuses, retries with backoff, what an interrupted send becomes."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum


class DeliveryStatus(StrEnum):
    QUEUED = "queued"  # waiting for its time (send_after, or the next try after a failure)
    SENDING = "sending"  # handed to a sender; marked in its own transaction BEFORE the send
    SENT = "sent"
    FAILED = "failed"  # `error` says why


MAX_ATTEMPTS = 12  # about 3.5 hours of retries with the backoff below
BACKOFF_BASE = timedelta(seconds=5)
BACKOFF_CAP = timedelta(minutes=30)
LEASE = timedelta(seconds=120)  # a 'sending' row older than this belongs to a worker that died
SEND_TIMEOUT_S = 30.0
UNKNOWN_OUTCOME = "unknown outcome: the worker stopped during the send; not sent again"


def backoff(attempts: int) -> timedelta:
    """The pause after the `attempts`-th failed try: 5 s, 10 s, 20 s, ... at most 30 minutes."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_CAP)


def next_try(now: datetime, attempts: int, max_attempts: int = MAX_ATTEMPTS) -> datetime | None:
    """When to try again after a retryable failure; None: out of attempts, the message fails."""
    return None if attempts >= max_attempts else now + backoff(attempts)


def send_timeout(lease: timedelta) -> float:
    """A send must end well inside the lease, or a second worker could judge it interrupted."""
    return max(0.1, min(SEND_TIMEOUT_S, lease.total_seconds() / 3))
