"""The job queue's part of the Console contract, local and remote, on both engines: an
administrator sees a failed job with its error (no client data) and queues it again; others may not."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from core.clock import SystemClock
from core.errors import NotFound, PermissionDenied
from core.jobs.models import JobStatus, NewJob
from core.jobs.worker import Worker
from core.port import Console
from tests.api.world import World

SignIn = Callable[[str], Console]


def test_a_failed_job_is_visible_and_can_be_retried(sign_in: SignIn, world: World) -> None:
    payload = {"client_phone": "+79161234567"}
    job_id = world.crm.repo.enqueue_job(NewJob(kind="test.unknown", payload=payload, max_attempts=1), datetime.now(UTC))
    Worker(world.crm.repo, SystemClock()).run_until_idle()  # (or the served app's own worker)
    adm = sign_in("adm")
    failed = {j.id: j for j in adm.jobs(JobStatus.FAILED)}
    assert failed[job_id].last_error == "JobError: No handler for the job kind 'test.unknown'."
    assert "+7916" not in str(adm.jobs())
    again = adm.retry_job(job_id)
    assert again.id == job_id and again.max_attempts == 1
    with pytest.raises(NotFound):
        adm.retry_job(2**31 - 1)


def test_only_administrators_see_jobs(sign_in: SignIn) -> None:
    with pytest.raises(PermissionDenied, match="Only an administrator"):
        sign_in("sup").jobs()
