"""`crm worker` processes killed with SIGKILL in the middle of a batch: after the restart every job
has run exactly once (SQLite with one worker, PostgreSQL with two)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from core.jobs.models import NewJob
from tests.helpers import Crm
from tests.jobs_probe import PROBE_TABLE

ROOT = Path(__file__).resolve().parents[1]
JOBS = 120
WAIT_S = 120  # an upper bound for a loaded machine, not a timing assertion


def start_worker(target: str) -> subprocess.Popen[bytes]:
    code = "import tests.jobs_probe, cli; cli.main()"
    args = [sys.executable, "-c", code, "worker", "--db", target, "--lease", "1", "--batch", "10", "--idle", "0.05"]
    env = os.environ | {"CRM_CONFIG": str(ROOT / "no-such-config.toml")}
    return subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def scalar(crm: Crm, sql: str) -> int:
    with crm.engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar() or 0)


def wait_for(condition: Callable[[], bool], workers: list[subprocess.Popen[bytes]]) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        for w in workers:
            assert w.poll() is None, (w.stderr.read() if w.stderr else b"").decode()
        assert time.monotonic() < deadline, "the condition did not come true"
        time.sleep(0.02)


@pytest.mark.parametrize("store", ["sqlite", "postgresql"], indirect=True)
def test_every_job_runs_exactly_once_after_a_kill(crm: Crm) -> None:
    with crm.engine.begin() as conn:
        conn.execute(text(PROBE_TABLE))
    for _ in range(JOBS):
        crm.repo.enqueue_job(NewJob(kind="test.probe", payload={"work_seconds": 0.02}), crm.clock.now())
    count = 2 if crm.engine_name == "postgresql" else 1
    workers = [start_worker(crm.target) for _ in range(count)]
    try:
        running = "SELECT count(*) FROM job WHERE status = 'running'"
        wait_for(lambda: scalar(crm, "SELECT count(*) FROM probe_effect") >= JOBS // 4, workers)
        while True:  # frozen (SIGSTOP) while holding a claimed batch, then killed
            for w in workers:
                w.send_signal(signal.SIGSTOP)
            if scalar(crm, running) > 0:
                break
            for w in workers:  # between two batches: let them claim the next one
                w.send_signal(signal.SIGCONT)
            time.sleep(0.01)
        for w in workers:
            w.send_signal(signal.SIGKILL)
        for w in workers:
            w.wait()
        assert scalar(crm, running) > 0  # killed holding claimed jobs, one inside its transaction
        assert scalar(crm, "SELECT count(*) FROM job WHERE status = 'done'") < JOBS

        workers = [start_worker(crm.target) for _ in range(count)]
        wait_for(lambda: scalar(crm, "SELECT count(*) FROM job WHERE status = 'done'") == JOBS, workers)
    finally:
        for w in workers:
            if w.poll() is None:
                w.terminate()
                w.wait()
    assert scalar(crm, "SELECT count(*) FROM probe_effect") == JOBS
    assert scalar(crm, "SELECT count(DISTINCT job_id) FROM probe_effect") == JOBS
    assert scalar(crm, "SELECT count(*) FROM job WHERE attempts > 1") > 0  # the killed claims were taken again
