"""The job queue's part of the Console port: administrators see jobs (failed ones with their
error) and queue a failed one again."""

from __future__ import annotations

from typing import Protocol

from core.jobs.models import JobInfo, JobStatus


class JobsPort(Protocol):
    def jobs(self, status: JobStatus | None = None, limit: int = 100) -> list[JobInfo]: ...
    def retry_job(self, job_id: int) -> JobInfo:
        """A failed job queued again with fresh attempts."""
        ...
