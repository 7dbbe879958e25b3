"""Open the local Console on a database: a file path or a URL."""

from __future__ import annotations

import sys
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from core.access import sign_in
from core.clients.models import OutboxItem
from core.clock import Clock
from core.console import LocalConsole
from core.delivery.rules import LEASE
from core.errors import StoreUnavailable
from storage.engine import make_engine, shown
from storage.files import loose_store_files, loose_warning
from storage.migrate import head_revision, schema_revision
from storage.sql_repository import SqlRepository


def open_engine(target: str, create: bool = False, pool_size: int | None = None) -> Engine:
    """The engine of an existing, migrated database (or a new one when `create`); `pool_size`: see
    `storage.engine.make_engine`."""
    if "://" not in target and not create and not Path(target).expanduser().is_file():
        raise StoreUnavailable(f"No CRM database at {target}: run 'crm demo' or 'crm db upgrade' first.")
    name = shown(target)  # never a password in a message
    engine = make_engine(target, create_dir=create, pool_size=pool_size)
    try:
        revision = schema_revision(engine)
    except OperationalError as exc:
        first_line = str(exc.orig).strip().splitlines()[0]
        raise StoreUnavailable(f"Cannot reach the database {name}: {first_line}") from None
    if revision is None and not create:
        raise StoreUnavailable(f"No CRM database at {name}: run 'crm demo' or 'crm db upgrade' first.")
    if revision is not None and revision != head_revision() and not create:
        raise StoreUnavailable(
            f"The database schema is at {revision}, not {head_revision()}: run 'crm db upgrade' first."
        )
    return engine


def open_console(
    target: str, clock: Clock | None = None, phone_region: str = "RU", timezone: str | None = None
) -> LocalConsole:
    console = LocalConsole(SqlRepository(open_engine(target)), clock=clock, phone_region=phone_region)
    if timezone:
        console.timezone = timezone
    return console


def start_worker_thread(repo: SqlRepository, clock: Clock | None = None):  # type: ignore[no-untyped-def]
    """The job queue's worker in a daemon thread (`crm serve`, the local console): one machine needs
    no `crm worker` of its own. Returns the `core.jobs.worker.WorkerThread`; `.stop()` ends it."""
    from core.clock import SystemClock
    from core.jobs.worker import Worker, WorkerThread

    clock = clock or SystemClock()
    return WorkerThread(Worker(repo, clock, delivery=deliverer(repo, clock))).start()


def deliverer(repo: SqlRepository, clock: Clock, lease: timedelta = LEASE):  # type: ignore[no-untyped-def]
    """The worker's delivery pass over the senders the settings name (I2, I3)."""
    from core.delivery.deliverer import Deliverer
    from core.delivery.rules import send_timeout
    from core.settings import load_settings
    from storage.senders import senders_from

    return Deliverer(repo, clock, senders_from(load_settings().delivery, send_timeout(lease)), lease)


def read_outbox(target: str, limit: int, now: datetime) -> list[OutboxItem]:
    """`crm outbox`: the newest messages of both outboxes (SMS, e-mail), after redacting sign-in
    codes that have expired."""
    repo = SqlRepository(open_engine(target))
    repo.redact_sign_in_codes(now, sign_in.SIGN_IN_SMS_REDACTED)
    return repo.messages(limit)


def warn_loose_files(target: str, secret_file: str | None) -> None:
    """One line on stderr when other local users may read the store's files (`crm serve`)."""
    line = loose_warning(loose_store_files(target, secret_file))
    if line:
        print(line, file=sys.stderr)
