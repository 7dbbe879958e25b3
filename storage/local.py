"""Open the local Console on a database: a file path or a URL."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from core.clock import Clock
from core.console import LocalConsole
from core.errors import StoreUnavailable
from storage.engine import make_engine
from storage.migrate import is_current
from storage.sql_repository import SqlRepository


def open_engine(target: str, create: bool = False) -> Engine:
    """The engine of an existing, migrated database (or a new one when `create`)."""
    engine = make_engine(target)
    try:
        ready = is_current(engine)
    except OperationalError as exc:
        raise StoreUnavailable(f"Cannot reach the database {target}: {exc.orig}") from None
    if not ready and not create:
        raise StoreUnavailable(f"No CRM database at {target}: run 'crm demo' or 'crm db upgrade' first.")
    return engine


def open_console(target: str, clock: Clock | None = None, phone_region: str = "RU") -> LocalConsole:
    return LocalConsole(SqlRepository(open_engine(target)), clock=clock, phone_region=phone_region)
