"""The job queue's store (`core.jobs.store.JobsStore`): claims with FOR UPDATE SKIP LOCKED on
PostgreSQL and under BEGIN IMMEDIATE on SQLite, a lease per claim, the done mark in the effect's
transaction."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Integer, and_, bindparam, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from core.clock import as_utc
from core.jobs.models import ClaimedJob, JobInfo, JobStatus, NewJob
from storage.bound import BoundEngine
from storage.engine import read, write
from storage.tables_jobs import JobRow

if TYPE_CHECKING:
    from core.repository import Repository

J = JobRow.__table__  # type: ignore[attr-defined]
QUEUED, RUNNING, DONE, FAILED = (s.value for s in JobStatus)

_DUE = (
    select(J.c.id)
    .where(
        or_(
            and_(J.c.status == QUEUED, J.c.run_after <= bindparam("now")),
            and_(J.c.status == RUNNING, J.c.claimed_until < bindparam("now")),
        )
    )
    .order_by(J.c.run_after, J.c.id)
    .limit(bindparam("n", type_=Integer))
    .with_for_update(skip_locked=True)  # PostgreSQL; SQLite renders none and holds the write lock
    .scalar_subquery()
)
_ANY_DUE = (
    select(J.c.id)
    .where(
        or_(
            and_(J.c.status == QUEUED, J.c.run_after <= bindparam("now")),
            and_(J.c.status == RUNNING, J.c.claimed_until < bindparam("now")),
        )
    )
    .limit(1)
)
_CLAIM = (
    update(J)
    .where(J.c.id.in_(_DUE))
    .values(
        status=RUNNING,
        attempts=J.c.attempts + 1,
        claimed_by=bindparam("worker"),
        claim_token=bindparam("token"),
        claimed_until=bindparam("until"),
    )
    .returning(J.c.id, J.c.kind, J.c.payload, J.c.attempts, J.c.max_attempts)
)
_MINE = and_(J.c.id == bindparam("job_id"), J.c.claim_token == bindparam("token"), J.c.status == RUNNING)
_DONE = update(J).where(_MINE).values(status=DONE, finished_at=bindparam("now"), claimed_until=None)
_FAIL = (
    update(J)
    .where(_MINE)
    .values(
        status=bindparam("status"),
        run_after=bindparam("retry_at"),
        finished_at=bindparam("finished"),
        last_error=bindparam("error"),
        claimed_by=None,
        claim_token=None,
        claimed_until=None,
    )
)
_REQUEUE = (
    update(J)
    .where(J.c.id == bindparam("job_id"), J.c.status == FAILED)
    .values(status=QUEUED, attempts=0, run_after=bindparam("now"), finished_at=None)
)
_LIST = select(J).order_by(J.c.id.desc()).limit(bindparam("n", type_=Integer))
_LIST_STATUS = (
    select(J).where(J.c.status == bindparam("status")).order_by(J.c.id.desc()).limit(bindparam("n", type_=Integer))
)
_ONE = select(J).where(J.c.id == bindparam("job_id"))
_INSERT = {
    "postgresql": postgresql.insert(J).on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(J.c.id),
    "sqlite": sqlite.insert(J).on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(J.c.id),
}


def insert_job(conn: Connection, job: NewJob, now: datetime) -> int | None:
    """Add a job inside the caller's transaction (an operation that enqueues follow-up work commits
    the job with its own change); None when its dedupe key exists."""
    values = {
        "kind": job.kind,
        "payload": json.dumps(job.payload, default=str),
        "status": QUEUED,
        "attempts": 0,
        "max_attempts": job.max_attempts,
        "run_after": job.run_after or now,
        "created_at": now,
        "dedupe_key": job.dedupe_key,
    }
    return conn.execute(_INSERT[conn.dialect.name], values).scalar()


def _info(row) -> JobInfo:  # type: ignore[no-untyped-def]
    return JobInfo(
        id=row.id,
        kind=row.kind,
        status=JobStatus(row.status),
        attempts=row.attempts,
        max_attempts=row.max_attempts,
        run_after=as_utc(row.run_after),
        created_at=as_utc(row.created_at),
        finished_at=as_utc(row.finished_at) if row.finished_at else None,
        last_error=row.last_error,
    )


class JobQueries:
    engine: object

    def enqueue_job(self, job: NewJob, now: datetime) -> int | None:
        with write(self.engine) as conn:  # type: ignore[arg-type]
            return insert_job(conn, job, now)

    def claim_jobs(self, worker: str, now: datetime, lease: timedelta, limit: int) -> list[ClaimedJob]:
        with read(self.engine) as conn:  # type: ignore[arg-type]
            if conn.execute(_ANY_DUE, {"now": now}).first() is None:
                return []  # an idle queue costs a read, not the write lock, every poll
        token = uuid.uuid4().hex
        until = now + lease
        with write(self.engine) as conn:  # type: ignore[arg-type]
            rows = conn.execute(
                _CLAIM, {"now": now, "n": limit, "worker": worker[:120], "token": token, "until": until}
            )
            claimed = [
                ClaimedJob(
                    id=r.id,
                    kind=r.kind,
                    payload=json.loads(r.payload or "{}"),
                    attempts=r.attempts,
                    max_attempts=r.max_attempts,
                    token=token,
                    claimed_until=until,
                )
                for r in rows
            ]
        return sorted(claimed, key=lambda c: c.id)

    def complete_job(self, job: ClaimedJob, now: datetime, effect: Callable[[Repository], None]) -> bool:
        with write(self.engine) as conn:  # type: ignore[arg-type]
            if conn.execute(_DONE, {"job_id": job.id, "token": job.token, "now": now}).rowcount != 1:
                return False
            effect(type(self)(BoundEngine(conn), getattr(self, "secret_file", None)))  # type: ignore[call-arg]
        return True

    def fail_job(self, job: ClaimedJob, now: datetime, error: str, retry_at: datetime | None) -> None:
        params = {
            "job_id": job.id,
            "token": job.token,
            "status": QUEUED if retry_at else FAILED,
            "retry_at": retry_at or now,
            "finished": None if retry_at else now,
            "error": error[:400],
        }
        with write(self.engine) as conn:  # type: ignore[arg-type]
            conn.execute(_FAIL, params)

    def list_jobs(self, status: JobStatus | None, limit: int) -> list[JobInfo]:
        with read(self.engine) as conn:  # type: ignore[arg-type]
            if status is None:
                rows = conn.execute(_LIST, {"n": limit})
            else:
                rows = conn.execute(_LIST_STATUS, {"status": status.value, "n": limit})
            return [_info(r) for r in rows]

    def job_info(self, job_id: int) -> JobInfo | None:
        with read(self.engine) as conn:  # type: ignore[arg-type]
            row = conn.execute(_ONE, {"job_id": job_id}).first()
            return _info(row) if row else None

    def requeue_job(self, job_id: int, now: datetime) -> bool:
        with write(self.engine) as conn:  # type: ignore[arg-type]
            return conn.execute(_REQUEUE, {"job_id": job_id, "now": now}).rowcount == 1
