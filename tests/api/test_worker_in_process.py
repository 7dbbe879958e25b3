"""`crm serve` runs the job worker in a thread by default (the `worker` setting turns it off)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import text

import tests.jobs_probe  # noqa: F401 - registers test.probe
from api.app import create_app
from core.clock import SystemClock
from core.jobs.models import JobStatus, NewJob
from core.settings import Settings, load_settings
from storage.engine import make_engine
from storage.sql_repository import SqlRepository
from tests.jobs_probe import PROBE_TABLE, RAN


def test_the_served_app_runs_due_jobs_in_a_thread(sqlite_store: str) -> None:
    repo = SqlRepository(make_engine(sqlite_store))
    with repo.engine.begin() as conn:
        conn.execute(text(PROBE_TABLE))
    job_id = repo.enqueue_job(NewJob(kind="test.probe"), SystemClock().now())
    RAN.clear()
    with TestClient(create_app(sqlite_store, worker=True)):
        assert RAN.wait(60), "the in-process worker did not run the job"
    # the app's end stops the worker thread: the job's done mark is committed by then
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
        RAN.clear()
        job_id = repo.enqueue_job(NewJob(kind="test.probe"), SystemClock().now())
        assert RAN.wait(60), "the console's worker did not run the job"
    finally:
        console.worker_thread.stop()  # type: ignore[attr-defined]  (joined: the done mark is in)
    assert [j.id for j in repo.list_jobs(JobStatus.DONE, 10)] == [job_id]
    assert not hasattr(open_store(Settings(database=sqlite_store, worker=False)), "worker_thread")
