"""`crm worker --once`, `crm jobs`, `crm tasks` and `crm assign` on a real SQLite file."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from typer.testing import CliRunner

from cli import app
from core.jobs.models import NewJob
from tests.helpers import Crm

runner = CliRunner()


def crm_run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_worker_once_and_the_failed_jobs_list(sqlite_store: str, clock) -> None:  # type: ignore[no-untyped-def]
    crm = Crm(sqlite_store, clock)
    now = datetime.now(UTC)
    crm.repo.enqueue_job(NewJob(kind="noop"), now)
    crm.repo.enqueue_job(NewJob(kind="no.such", max_attempts=1), now)
    assert "2 jobs run" in crm_run("worker", "--once", "--db", sqlite_store)
    failed = json.loads(crm_run("jobs", "list", "--status", "failed", "--json", "--db", sqlite_store))
    assert [(j["kind"], j["last_error"]) for j in failed] == [
        ("no.such", "JobError: No handler for the job kind 'no.such'.")
    ]
    assert "queued" in crm_run("jobs", "retry", str(failed[0]["id"]), "--db", sqlite_store)
    missing = runner.invoke(app, ["jobs", "retry", "999", "--db", sqlite_store])
    assert missing.exit_code == 1 and "No failed job 999." in missing.output
    crm.close()


def test_tasks_and_assignment_from_the_command_line(sqlite_store: str, clock) -> None:  # type: ignore[no-untyped-def]
    crm = Crm(sqlite_store, clock)
    crm.add_employee("boss", role="supervisor")
    crm.add_employee("oper", role="operator")
    deadline = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
    db = ("--db", sqlite_store)
    out = crm_run(
        "tasks", "add", "--as", "boss", "Ring back", "--for", "oper", "--deadline", deadline, "--repeat", "daily", *db
    )
    task_id = out.split()[1]
    listed = json.loads(crm_run("tasks", "list", "--as", "oper", "--scope", "mine", "--json", *db))
    assert [(t["title"], t["repeat"]) for t in listed] == [("Ring back", "daily")]
    assert "done" in crm_run("tasks", "done", "--as", "oper", task_id, *db)
    assert "accepted" in crm_run("tasks", "check", "--as", "boss", task_id, "--accept", *db)
    assert "Main desk: round_robin" in crm_run("assign", "set", "Main desk", "--mode", "round_robin", *db)
    assert "round_robin   operator" in crm_run("assign", "show", *db)
    assert "oper: 0 regions" in crm_run("assign", "regions", "oper", *db)
    crm.close()
