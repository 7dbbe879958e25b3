"""Open the local Console on a database: a file path or a URL."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from core.clock import Clock
from core.console import LocalConsole
from core.errors import StoreUnavailable
from storage.engine import make_engine, shown
from storage.migrate import head_revision, schema_revision
from storage.sql_repository import SqlRepository


def open_engine(target: str, create: bool = False) -> Engine:
    """The engine of an existing, migrated database (or a new one when `create`)."""
    if "://" not in target and not create and not Path(target).expanduser().is_file():
        raise StoreUnavailable(f"No CRM database at {target}: run 'crm demo' or 'crm db upgrade' first.")
    name = shown(target)  # never a password in a message
    engine = make_engine(target, create_dir=create)
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
