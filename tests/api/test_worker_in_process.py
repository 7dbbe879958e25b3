"""`crm serve` runs the job worker in a thread by default (the `worker` setting turns it off)."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient
from sqlalchemy import text

import tests.jobs_probe  # noqa: F401 - registers test.probe
from api.app import create_app
from core.clock import SystemClock
from core.jobs.models import JobStatus, NewJob
from core.settings import Settings, load_settings
from storage.engine import make_engine
from storage.sql_repository import SqlRepository
from tests.jobs_probe import PROBE_TABLE


def test_the_served_app_runs_due_jobs_in_a_thread(sqlite_store: str) -> None:
    repo = SqlRepository(make_engine(sqlite_store))
    with repo.engine.begin() as conn:
        conn.execute(text(PROBE_TABLE))
    job_id = repo.enqueue_job(NewJob(kind="test.probe"), SystemClock().now())
    with TestClient(create_app(sqlite_store, worker=True)):
        deadline = time.monotonic() + 60
        while not repo.list_jobs(JobStatus.DONE, 10):
            assert time.monotonic() < deadline, "the in-process worker did not run the job"
            time.sleep(0.05)
    assert [j.id for j in repo.list_jobs(JobStatus.DONE, 10)] == [job_id]


def test_the_worker_setting_turns_it_off(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert load_settings(tmp_path / "none.toml").worker is True
    monkeypatch.setenv("CRM_WORKER", "0")
    assert load_settings(tmp_path / "none.toml").worker is False
    (tmp_path / "c.toml").write_text("worker = false\n")
    monkeypatch.delenv("CRM_WORKER")
    assert load_settings(tmp_path / "c.toml").worker is False


def test_the_local_console_runs_due_jobs_in_a_thread(sqlite_store: str) -> None:
    from tui.app import open_store

    repo = SqlRepository(make_engine(sqlite_store))
    with repo.engine.begin() as conn:
        conn.execute(text(PROBE_TABLE))
    console = open_store(Settings(database=sqlite_store, worker=True))
    try:
        job_id = repo.enqueue_job(NewJob(kind="test.probe"), SystemClock().now())
        deadline = time.monotonic() + 60
        while not repo.list_jobs(JobStatus.DONE, 10):
            assert time.monotonic() < deadline, "the console's worker did not run the job"
            time.sleep(0.05)
        assert [j.id for j in repo.list_jobs(JobStatus.DONE, 10)] == [job_id]
    finally:
        console.worker_thread.stop()  # type: ignore[attr-defined]
    assert not hasattr(open_store(Settings(database=sqlite_store, worker=False)), "worker_thread")
