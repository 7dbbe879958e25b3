"""The job queue's part of the remote Console (`core.jobs.port.JobsPort` over HTTP)."""

from __future__ import annotations

from core.jobs.models import JobInfo, JobStatus
from storage.remote.base import RemoteBase


class RemoteJobs(RemoteBase):
    def jobs(self, status: JobStatus | None = None, limit: int = 100) -> list[JobInfo]:
        params: dict[str, object] = {"limit": int(limit)}
        if status:
            params["status"] = JobStatus(status).value
        return self._get("/jobs", list[JobInfo], **params)

    def retry_job(self, job_id: int) -> JobInfo:
        return self._send("POST", f"/jobs/{int(job_id)}/retry", JobInfo)
