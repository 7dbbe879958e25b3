"""The worker loop: claim a batch, run each job's handler inside the job's own transaction, retry
failures with backoff; then the outboxes' delivery pass (core.delivery), when it has one. Runs as
`crm worker` or as a thread inside `crm serve` and the console."""

from __future__ import annotations

import logging
import os
import socket
import threading
from typing import TYPE_CHECKING

import core.jobs.builtin  # noqa: F401  (the kinds every queue knows register themselves)
from core.jobs import rules
from core.jobs.models import ClaimedJob
from core.jobs.registry import JobContext, handler_for

if TYPE_CHECKING:
    from datetime import timedelta

    from core.clock import Clock
    from core.delivery.deliverer import Deliverer
    from core.repository import Repository

log = logging.getLogger("crm.worker")


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


class Worker:
    def __init__(
        self,
        repo: Repository,
        clock: Clock,
        name: str | None = None,
        lease: timedelta = rules.LEASE,
        batch: int = rules.BATCH,
        delivery: Deliverer | None = None,
    ) -> None:
        self.repo = repo
        self.clock = clock
        self.name = name or worker_name()
        self.lease = lease
        self.batch = batch
        self.delivery = delivery

    def run_once(self) -> int:
        """Claim and run one batch, then deliver due messages; the number of jobs and messages."""
        claimed = self.repo.claim_jobs(self.name, self.clock.now(), self.lease, self.batch)
        for job in claimed:
            self._run(job)
        return len(claimed) + (self.delivery.run_once(self.batch) if self.delivery else 0)

    def run_until_idle(self) -> int:
        """Batches until nothing is due (tests, `crm worker --once`); the number of jobs and messages."""
        total = 0
        while n := self.run_once():
            total += n
        return total

    def run_forever(self, stop: threading.Event, idle: float = rules.IDLE_SECONDS) -> None:
        """Until `stop` is set; pauses `idle` seconds when nothing was due. A store error is logged
        (its class only) and the loop goes on: the next batch may find the database back."""
        while not stop.is_set():
            try:
                busy = self.run_once()
            except Exception as exc:  # noqa: BLE001 - the loop must outlive a dead database
                log.warning("job batch failed: %s", rules.error_text(exc))
                busy = 0
            if not busy:
                stop.wait(idle)

    def _run(self, job: ClaimedJob) -> None:
        handler = handler_for(job.kind)
        if handler is None:
            self._failed(job, rules.JobError(f"No handler for the job kind '{job.kind}'."))
            return
        try:
            done = self.repo.complete_job(
                job,
                self.clock.now(),
                lambda repo: handler(JobContext(repo, self.clock, job.id, job.attempts), job.payload),
            )
        except Exception as exc:  # noqa: BLE001 - any failure of a handler is the job's, not the loop's
            self._failed(job, exc)
            return
        if not done:
            log.info("job %s: claim lost to another worker", job.id)

    def _failed(self, job: ClaimedJob, exc: BaseException) -> None:
        now = self.clock.now()
        error = rules.error_text(exc)
        retry_at = rules.next_try(now, job.attempts, job.max_attempts)
        log.warning("job %s (%s) attempt %s failed: %s", job.id, job.kind, job.attempts, error)
        self.repo.fail_job(job, now, error, retry_at)


class WorkerThread:
    """A worker in a daemon thread: `crm serve` and the local console start one by default."""

    def __init__(self, worker: Worker, idle: float = rules.IDLE_SECONDS) -> None:
        self.worker = worker
        self.stop_event = threading.Event()
        self.thread = threading.Thread(
            target=worker.run_forever, args=(self.stop_event, idle), name="crm-worker", daemon=True
        )

    def start(self) -> WorkerThread:
        self.thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self.stop_event.set()
        self.thread.join(timeout)
