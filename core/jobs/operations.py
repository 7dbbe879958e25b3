"""The job queue's operations of the local Console: for employees who manage users (administrators)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.access.rules import Permission
from core.errors import NotFound, PermissionDenied
from core.jobs.models import JobInfo, JobStatus

if TYPE_CHECKING:
    from core.access.models import EmployeeInfo
    from core.clock import Clock
    from core.jobs.store import JobsStore

JOBS_MAX = 1000


class JobOperations:
    repo: JobsStore
    clock: Clock

    if TYPE_CHECKING:

        def whoami(self) -> EmployeeInfo: ...

    def _jobs_admin(self) -> None:
        if Permission.MANAGE_USERS not in self.whoami().permissions:
            raise PermissionDenied("Only an administrator sees the background jobs.")

    def jobs(self, status: JobStatus | None = None, limit: int = 100) -> list[JobInfo]:
        self._jobs_admin()
        return self.repo.list_jobs(JobStatus(status) if status else None, max(1, min(limit, JOBS_MAX)))

    def retry_job(self, job_id: int) -> JobInfo:
        self._jobs_admin()
        if not self.repo.requeue_job(job_id, self.clock.now()):
            raise NotFound(f"No failed job {job_id}.")
        return self.repo.job_info(job_id)  # type: ignore[return-value] - it exists: it was just queued
