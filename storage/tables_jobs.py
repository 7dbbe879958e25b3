"""Tables of the job queue (core.jobs)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class JobRow(SQLModel, table=True):
    """One job of the durable queue; `claim_token` and `claimed_until` are a worker's lease."""

    __tablename__ = "job"
    __table_args__ = (Index("ix_job_status_run_after", "status", "run_after"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=60)
    payload: str = "{}"  # JSON
    status: str = "queued"  # core.jobs.models.JobStatus
    attempts: int = 0
    max_attempts: int = 5
    run_after: datetime
    created_at: datetime
    finished_at: datetime | None = None
    claimed_by: str | None = Field(default=None, max_length=120)
    claim_token: str | None = Field(default=None, max_length=40)
    claimed_until: datetime | None = None
    last_error: str | None = Field(default=None, max_length=400)
    dedupe_key: str | None = Field(default=None, max_length=200, unique=True)
