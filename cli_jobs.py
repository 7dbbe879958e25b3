"""`crm worker` (the job queue's worker) and `crm jobs list|retry` (registered on `crm` by cli.py);
`crm tasks` and `crm assign` join them from their own modules."""

from __future__ import annotations

import contextlib
import json
import signal
from collections.abc import Callable
from datetime import timedelta
from typing import Annotated, Any

import typer

DbOption = Annotated[str | None, typer.Option("--db", help="SQLite file or database URL (default: as for `crm`).")]
jobs_app = typer.Typer(help="The background job queue: list jobs, retry failed ones.", no_args_is_help=True)


def register(app: typer.Typer, settings_for: Callable[[str | None], Any], guard: Callable[[Any], Any]) -> None:
    from cli_tasks import register as register_tasks

    @app.command("worker")
    @guard
    def worker(
        db: DbOption = None,
        once: Annotated[bool, typer.Option("--once", help="Run what is due now, then stop.")] = False,
        lease: Annotated[
            float, typer.Option("--lease", min=0.1, help="Seconds a claimed job or message is held.")
        ] = 60.0,
        batch: Annotated[int, typer.Option("--batch", min=1, help="Jobs claimed at once.")] = 20,
        idle: Annotated[float, typer.Option("--idle", min=0.01, help="Pause (s) when nothing is due.")] = 2.0,
    ) -> None:
        """Run the background jobs (reminders, recurring tasks, messages) until stopped (Ctrl+C)."""
        import threading

        from core.clock import SystemClock
        from core.jobs.worker import Worker
        from storage.local import deliverer, open_engine
        from storage.sql_repository import SqlRepository

        repo, clock, held = (
            SqlRepository(open_engine(settings_for(db).database)),
            SystemClock(),
            timedelta(seconds=lease),
        )
        runner = Worker(repo, clock, lease=held, batch=batch, delivery=deliverer(repo, clock, held))
        if once:
            typer.echo(f"{runner.run_until_idle()} jobs run")
            return
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        typer.echo(f"worker {runner.name} started", err=True)
        with contextlib.suppress(KeyboardInterrupt):
            runner.run_forever(stop, idle)

    @jobs_app.command("list")
    @guard
    def jobs_list(
        status: Annotated[str | None, typer.Option("--status", help="queued, running, done or failed.")] = None,
        limit: Annotated[int, typer.Option("--limit", min=1, max=1000)] = 50,
        as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
        db: DbOption = None,
    ) -> None:
        """The newest jobs with their state and, for failed ones, the error."""
        from core.errors import ValidationFailed
        from core.jobs.models import JobStatus
        from storage.local import open_engine
        from storage.sql_repository import SqlRepository

        if status is not None and status not in {s.value for s in JobStatus}:
            raise ValidationFailed(f"Unknown status '{status}'.", field="status")
        repo = SqlRepository(open_engine(settings_for(db).database))
        jobs = repo.list_jobs(JobStatus(status) if status else None, limit)
        if as_json:
            typer.echo(json.dumps([j.model_dump(mode="json") for j in jobs], ensure_ascii=False, indent=2))
            return
        for j in jobs:
            typer.echo(
                f"{j.id:>6}  {j.kind:<20} {j.status.value:<8} {j.attempts}/{j.max_attempts}  {j.last_error or ''}"
            )

    @jobs_app.command("retry")
    @guard
    def jobs_retry(job_id: int, db: DbOption = None) -> None:
        """Queue a failed job again with fresh attempts."""
        from core.clock import SystemClock
        from core.errors import NotFound
        from storage.local import open_engine
        from storage.sql_repository import SqlRepository

        repo = SqlRepository(open_engine(settings_for(db).database))
        if not repo.requeue_job(job_id, SystemClock().now()):
            raise NotFound(f"No failed job {job_id}.")
        typer.echo(f"job {job_id} queued")

    app.add_typer(jobs_app, name="jobs")
    register_tasks(app, settings_for, guard)
