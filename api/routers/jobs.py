"""The background job queue (administrators): jobs by state, failed ones with their error
(never client data), and a failed job queued again."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import SignedInConsole
from api.errors import responses
from core.jobs.models import JobInfo, JobStatus
from core.shapes import MAX_ID

router = APIRouter(prefix="/jobs", tags=["jobs"], responses=responses(403))


@router.get("", response_model=list[JobInfo])
def listing(
    console: SignedInConsole,
    status: Annotated[JobStatus | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[JobInfo]:
    """The newest jobs, of one state when given."""
    return console.jobs(status, limit)


@router.post("/{job_id}/retry", response_model=JobInfo, responses=responses(404))
def retry(job_id: Annotated[int, Path(ge=1, le=MAX_ID)], console: SignedInConsole) -> JobInfo:
    return console.retry_job(job_id)
