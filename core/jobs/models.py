"""What the job queue shows: a job with its state, attempts and (client-free) last error."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field


class JobStatus(StrEnum):
    QUEUED = "queued"  # waiting for run_after
    RUNNING = "running"  # claimed by a worker until claimed_until (its lease)
    DONE = "done"
    FAILED = "failed"  # out of attempts; `last_error` says why


class NewJob(BaseModel):
    kind: str = Field(max_length=60)
    payload: dict[str, Any] = Field(default_factory=dict)
    run_after: datetime | None = None  # None: now
    max_attempts: int = Field(default=5, ge=1, le=50)
    # A job with the key of a job already queued (any status) is not added again: once per event.
    dedupe_key: str | None = Field(default=None, max_length=200)


class JobInfo(BaseModel):
    id: int
    kind: str
    status: JobStatus
    attempts: int
    max_attempts: int
    run_after: datetime
    created_at: datetime
    finished_at: datetime | None = None
    last_error: str | None = None


class ClaimedJob(BaseModel):
    """A job a worker holds until `claimed_until`; `token` proves the claim when it finishes."""

    id: int
    kind: str
    payload: dict[str, Any]
    attempts: int  # including this one
    max_attempts: int
    token: str
    claimed_until: datetime
