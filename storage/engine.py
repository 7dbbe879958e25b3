"""Engines for SQLite (WAL, foreign keys, busy timeout, BEGIN IMMEDIATE for writes) and PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, RootTransaction, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError

from core.errors import StoreUnavailable
from storage.files import create_private_file, private_dir

BUSY_TIMEOUT_MS = 10_000
MMAP_BYTES = 256 * 1024 * 1024
POOL_HEADROOM = 4  # beyond the pool size: a thread holding two connections at once
PING_AFTER_IDLE_S = 10.0  # a pooled PostgreSQL connection idle this long is pinged at checkout


def database_url(target: str) -> str:
    """A file path or a URL -> a SQLAlchemy URL (psycopg 3 for PostgreSQL)."""
    if "://" not in target:
        return f"sqlite:///{Path(target).expanduser().resolve()}"
    if target.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + target.split("://", 1)[1]
    return target


def shown(target: str) -> str:
    """A database as messages may name it: a URL's password hidden (`postgresql://crm:***@db/crm`)."""
    if "://" not in target:
        return target
    try:
        return make_url(target).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a malformed URL: say nothing of what it holds
        return target.split("://", 1)[0] + "://…"


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(target: str, create_dir: bool = True, pool_size: int | None = None) -> Engine:
    """`pool_size`: connections kept for that many threads (the API's thread pool), plus a small
    headroom; no overflow connection is opened and closed per request below it."""
    url = make_url(database_url(target))
    sizing = {} if pool_size is None else {"pool_size": pool_size, "max_overflow": POOL_HEADROOM}
    if url.get_backend_name() == "sqlite":
        if create_dir and url.database and url.database != ":memory:":
            # 0700 folder, 0600 file before the first connection: WAL and SHM inherit the file's mode
            private_dir(Path(url.database).parent)
            create_private_file(Path(url.database))
        engine = create_engine(
            url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}, **sizing
        )
        _configure_sqlite(engine)
        return engine
    if url.get_backend_name() == "postgresql":
        engine = create_engine(
            url,
            connect_args={"connect_timeout": 5, "options": "-c timezone=UTC"},
            **({"pool_size": 10, "max_overflow": 20} | sizing),
        )
        _ping_when_idle(engine)
        return engine
    raise StoreUnavailable(f"Unsupported database '{url.get_backend_name()}': use a SQLite file or a PostgreSQL URL.")


def _idle_clock() -> float:
    return time.monotonic()


def _ping_when_idle(engine: Engine) -> None:
    """SQLAlchemy's pre-ping, for connections idle PING_AFTER_IDLE_S or longer only: a busy
    worker's connections go back and forth many times a second, and a ping per checkout was a
    round trip (and two autocommit switches) per request. A connection found dead by the ping is
    replaced at once; one that dies between two close uses fails its statement, which SQLAlchemy
    turns into an OperationalError (the API answers 503, retried) and it invalidates the pool's
    older connections with it, so they are replaced at their next checkout."""
    dialect = engine.dialect

    @event.listens_for(engine, "connect")
    def _connected(_dbapi_connection, record) -> None:  # type: ignore[no-untyped-def]
        record.info["crm_idle_since"] = _idle_clock()

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_connection, record) -> None:  # type: ignore[no-untyped-def]
        if record is not None:
            record.info["crm_idle_since"] = _idle_clock()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection, record, _proxy) -> None:  # type: ignore[no-untyped-def]
        since = record.info.get("crm_idle_since")
        if since is not None and _idle_clock() - since < PING_AFTER_IDLE_S:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as exc:
            if dialect.is_disconnect(exc, dbapi_connection, None):
                raise DisconnectionError() from exc  # the pool replaces it and checks out again
            raise


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        # Let SQLAlchemy's "begin" event issue BEGIN itself (the pysqlite recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA cache_size=-65536")  # 64 MiB: name ranges at a million clients
        # reads straight from the mapped file, no copy into the page cache: ~5-20% off a lookup
        cursor.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # A read-then-write transaction must hold the write lock from its start, or SQLite
        # fails it with "database is locked" when another connection wrote meanwhile.
        immediate = conn.get_execution_options().get("immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@dataclass
class _Unit:
    engine: Engine
    conn: Connection
    busy: bool = False  # a transaction of the unit is running: a nested one checks out its own
    pending: RootTransaction | None = None  # a read's transaction, left open for the next one


_UNIT: ContextVar[_Unit | None] = ContextVar("crm_unit_of_work", default=None)


@contextmanager
def unit_of_work(engine: Engine) -> Iterator[None]:
    """One pool checkout (pinged only after idling: `_ping_when_idle`) for every `read`/`write` of
    `engine` in the block, on this thread: an API request's token lookup and its operation share the connection. A read's
    transaction stays open and the next transaction continues it (the operation's first statement
    runs in the token lookup's transaction); a write commits at its end as always. On SQLite a
    write after a read commits the read first: a read transaction cannot take the write lock
    safely, so the write still begins IMMEDIATE."""
    if _UNIT.get() is not None:
        yield
        return
    with engine.connect() as conn:
        unit = _Unit(engine, conn)
        token = _UNIT.set(unit)
        try:
            yield
            if unit.pending is not None:
                unit.pending.commit()
        finally:
            _UNIT.reset(token)


def _unit_of(engine: Engine) -> _Unit | None:
    unit = _UNIT.get()
    return unit if unit is not None and unit.engine is engine and not unit.busy else None


@contextmanager
def unit_dbapi(engine: Engine) -> Iterator[Any | None]:
    """The DBAPI connection of the unit of work, in a read transaction of it (`read`), for a
    path that runs SQL on the driver's cursor; None outside a unit (check out one yourself)."""
    if _unit_of(engine) is None:
        yield None
        return
    with read(engine) as conn:
        yield conn.connection.dbapi_connection


@contextmanager
def write(engine: Engine) -> Iterator[Connection]:
    """A write transaction: BEGIN IMMEDIATE on SQLite; committed on success, rolled back on error."""
    unit = _unit_of(engine)
    if unit is None:
        with engine.connect().execution_options(immediate=True) as conn, conn.begin():
            yield conn
        return
    unit.busy = True
    try:
        transaction, unit.pending = unit.pending, None
        if transaction is not None and is_sqlite(engine):
            transaction.commit()
            transaction = None
        if transaction is None:
            transaction = unit.conn.execution_options(immediate=True).begin()
            unit.conn.execution_options(immediate=False)
        with transaction:
            yield unit.conn
    finally:
        unit.busy = False


@contextmanager
def read(engine: Engine) -> Iterator[Connection]:
    unit = _unit_of(engine)
    if unit is None:
        with engine.connect() as conn, conn.begin():
            yield conn
        return
    unit.busy = True
    try:
        transaction, unit.pending = unit.pending, None
        if transaction is None:
            transaction = unit.conn.begin()
        try:
            yield unit.conn
        except BaseException:
            transaction.rollback()
            raise
        unit.pending = transaction
    finally:
        unit.busy = False
