"""A job kind for the queue's tests: its effect is a row in `probe_effect` (made by the tests),
written through the repository the job runs with, so it commits with the job's done mark."""

from __future__ import annotations

import threading
import time
from typing import Any

from sqlalchemy import text

from core.jobs.registry import JobContext, job_kind
from core.jobs.rules import JobError

RAN = threading.Event()  # set when a probe has done its work (in this process)
PROBE_TABLE = "CREATE TABLE IF NOT EXISTS probe_effect (job_id INTEGER NOT NULL, attempt INTEGER NOT NULL)"


@job_kind("test.probe")
def probe(ctx: JobContext, payload: dict[str, Any]) -> None:
    with ctx.repo.engine.begin() as conn:  # type: ignore[attr-defined]
        conn.execute(
            text("INSERT INTO probe_effect (job_id, attempt) VALUES (:j, :a)"), {"j": ctx.job_id, "a": ctx.attempts}
        )
    if payload.get("fail_until", 0) >= ctx.attempts:
        raise ValueError(payload.get("secret", "boom"))  # its message must not reach the queue
    if payload.get("refuse"):
        raise JobError("The probe refused.")
    if payload.get("work_seconds"):
        time.sleep(payload["work_seconds"])  # work in progress: a kill lands inside the transaction
    RAN.set()
