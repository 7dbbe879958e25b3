"""What the queue needs from a store: add, claim with a lease, finish in the effect's transaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol

from core.jobs.models import ClaimedJob, JobInfo, JobStatus, NewJob

# The effect gets a core.repository.Repository bound to the job's transaction; named loosely here,
# since the union of the stores (core.repository) includes this one.
BoundRepository = Any


class JobsStore(Protocol):
    def enqueue_job(self, job: NewJob, now: datetime) -> int | None:
        """The new job's id; None when a job with its `dedupe_key` exists already."""
        ...

    def claim_jobs(self, worker: str, now: datetime, lease: timedelta, limit: int) -> list[ClaimedJob]:
        """Due queued jobs and running ones whose lease ran out, marked running for `worker` until
        now + lease. Two workers never get one job (SKIP LOCKED on PostgreSQL, the write lock on SQLite)."""
        ...

    def complete_job(self, job: ClaimedJob, now: datetime, effect: Callable[[BoundRepository], None]) -> bool:
        """In ONE transaction: mark the job done (only while this claim holds it) and run `effect`
        over the repository bound to that transaction. False: the claim was lost, nothing done.
        An error of `effect` rolls both back and propagates."""
        ...

    def fail_job(self, job: ClaimedJob, now: datetime, error: str, retry_at: datetime | None) -> None:
        """Record the attempt's error; queued again at `retry_at`, or failed when None."""
        ...

    def list_jobs(self, status: JobStatus | None, limit: int) -> list[JobInfo]: ...
    def job_info(self, job_id: int) -> JobInfo | None: ...

    def requeue_job(self, job_id: int, now: datetime) -> bool:
        """A failed job queued again with fresh attempts; False when no failed job has that id."""
        ...
