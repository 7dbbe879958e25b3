"""Bulk loading for the demo builder: the driver's own bulk path, indexes after.

Rows are plain tuples already in the stores' text forms (`storage.demo_world.stamp`), so they go
past SQLAlchemy's per-row parameter processing straight to the driver, inside the SQLAlchemy
transaction: sqlite3's `executemany`, PostgreSQL's `COPY ... FROM STDIN` (psycopg `cursor.copy`).
The load runs on one connection; the secondary indexes of the big tables are dropped first and
created again at the end (PERFORMANCE-NOTES: about 4x faster than loading into indexed tables),
on SQLite with foreign-key checks and fsync off, on PostgreSQL with the big tables' foreign keys
dropped too and added again after (one bulk check each instead of a trigger per row). Explicit
ids are used on both stores, so the PostgreSQL id sequences are moved past them afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, Table, func, select

from storage.engine import MMAP_BYTES
from storage.tables import metadata

# Tables the clients fill, in an order that satisfies the foreign keys.
LOAD_ORDER = [
    "client",
    "phone",
    "email",
    "client_product",
    "card_transaction",
    "contact",
    "contact_product",
    "contact_change",
    "sms_outbox",
    "campaign_member",
    "booking",
]

Progress = Callable[[str, int, int], None]
# SQLite during the load (a half-built demo is thrown away, not recovered). A small page cache,
# index sorts spilling to temporary files and no memory map: measured at 1M clients, the index
# builds ran 14 s instead of 19 s and the peak RSS fell from 1,040 MB to about 200 MB (a 256 MiB
# cache, in-memory sorts and the engine's 256 MiB map each count in the RSS).
# No rollback journal or WAL either (journal_mode=OFF, set apart: it needs the file to itself):
# each page is written once, not to the WAL and then again by the checkpoint; WAL comes back
# after the load. Index builds may sort on two threads (threads=2).
SQLITE_LOAD_PRAGMAS = (
    "foreign_keys=OFF", "synchronous=OFF", "cache_size=-16384", "temp_store=FILE", "mmap_size=0", "threads=2",
)  # fmt: skip
# Made again first, so that they lie in the file's first 2 GiB, all a connection can map (SQLite's
# cap; a 1,000,000-client demo is 2.2 GB): what every search reads, not through `read()`.
SEARCH_INDEXES = frozenset(
    {"ix_client_name_key", "ix_client_name_latin", "ix_client_passport_key", "ix_email_address_key"}
    | {"ix_phone_e164_client", "ix_phone_client_e164"}
)
SQLITE_AFTER_PRAGMAS = (  # the engine's own settings (storage.engine)
    "synchronous=NORMAL", "foreign_keys=ON", "cache_size=-65536", "temp_store=DEFAULT",
    f"mmap_size={MMAP_BYTES}", "threads=0",
)  # fmt: skip

# Column orders of the tuples made by `storage.demo_people` and `storage.demo`.
COLUMNS: dict[str, tuple[str, ...]] = {
    "client": (
        "id", "surname", "first_name", "patronymic", "name_key", "name_latin", "birth_date", "client_type",
        "lifecycle", "region_id", "town_id", "passport_series", "passport_number", "passport_key", "desk_id",
        "responsible_id", "referrer_id", "do_not_disturb", "possible_duplicate", "created_at",
        "personal_version", "contact_version", "last_note_at", "last_call_at", "last_contact_at",
    ),
    "phone": ("id", "client_id", "e164", "kind", "status", "strike_reason"),
    "email": ("id", "client_id", "address", "address_key"),
    "contact": (
        "id", "client_id", "kind", "at", "ended_at", "campaign_id", "result", "reason", "comment",
        "employee_id", "phone", "office_id", "visit_at", "next_at",
    ),
    "contact_product": ("contact_id", "product_id"),
    "client_product": ("id", "client_id", "product_id", "contract", "opened_on", "closed_on", "amount", "currency"),
    "card_transaction": ("id", "client_id", "client_product_id", "at", "kind", "amount", "currency", "description"),
    "contact_change": ("id", "client_id", "at", "field", "old", "new", "reason", "employee_id", "comment"),
    "sms_outbox": (
        "id", "to", "text", "status", "purpose", "created_at", "send_after", "sent_at", "client_id",
        "employee_id", "template_code",
    ),
    "campaign_member": ("campaign_id", "client_id", "state", "next_call_at", "attempts", "last_call_at"),
    "booking": ("id", "slot_id", "client_id", "contact_id", "created_at"),
    "office": (
        "id", "code", "name", "region_id", "town_id", "address", "keywords", "hours", "phone", "timezone",
    ),
    "office_slot": ("id", "office_id", "starts_at", "capacity", "booked"),
    "campaign": ("id", "code", "name", "active", "script", "desk_id"),
}  # fmt: skip


def table(name: str) -> Table:
    return metadata.tables[name]


def insert_rows(conn: Connection, name: str, rows: list[tuple]) -> None:
    """Rows in `COLUMNS[name]` order into the table, within `conn`'s open transaction."""
    if not rows:
        return
    columns = ", ".join(f'"{c}"' for c in COLUMNS[name])
    raw = conn.connection.driver_connection
    assert raw is not None
    if conn.dialect.name == "postgresql":
        with raw.cursor() as cursor, cursor.copy(f'COPY "{name}" ({columns}) FROM STDIN') as copy:
            write = copy.write_row
            for row in rows:
                write(row)
    else:
        marks = ", ".join("?" * len(COLUMNS[name]))
        raw.executemany(f'INSERT INTO "{name}" ({columns}) VALUES ({marks})', rows)


def insert_batch(conn: Connection, rows: dict[str, list[tuple]]) -> None:
    """One batch (table -> rows, `LOAD_ORDER` tables) in one transaction."""
    with conn.begin():
        for name in LOAD_ORDER:
            insert_rows(conn, name, rows.get(name, []))


def next_id(conn: Connection, name: str) -> int:
    return (conn.scalar(select(func.max(table(name).c.id))) or 0) + 1


# PostgreSQL: the big tables' plain secondary indexes and their foreign keys, to drop and make again
PG_INDEXES = (
    "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i"
    " JOIN pg_class t ON t.oid = i.indrelid"
    " WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ANY(%(tables)s)"
    " AND NOT i.indisprimary AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)"
    " ORDER BY 1"
)
PG_FOREIGN_KEYS = (
    "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c"
    " JOIN pg_class t ON t.oid = c.conrelid"
    " WHERE c.contype = 'f' AND t.relnamespace = current_schema()::regnamespace AND t.relname = ANY(%(tables)s)"
    " ORDER BY 1, 2"
)


@contextmanager
def bulk_connection(engine: Engine, progress: Progress) -> Iterator[Connection]:
    """One connection for the whole load, with the big tables' secondary indexes dropped first and
    made again at the end; on SQLite with the load settings above, on PostgreSQL without the
    foreign keys of the big tables meanwhile (checked once, in bulk, when they are added again)."""
    with engine.connect() as conn:
        load = _sqlite_load if engine.dialect.name == "sqlite" else _postgres_load
        with load(conn, progress):
            yield conn


@contextmanager
def _sqlite_load(conn: Connection, progress: Progress) -> Iterator[None]:
    raw = conn.connection.driver_connection  # sqlite3, in autocommit mode (storage.engine)
    assert raw is not None
    for pragma in SQLITE_LOAD_PRAGMAS:
        raw.execute(f"PRAGMA {pragma}")
    journal = raw.execute("PRAGMA journal_mode=OFF").fetchone()[0]  # 'wal' while another holds the file
    marks = ",".join("?" * len(LOAD_ORDER))
    indexes = raw.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({marks})"
        " ORDER BY name",
        LOAD_ORDER,
    ).fetchall()
    indexes.sort(key=lambda index: index[0] not in SEARCH_INDEXES)  # stable: the rest in name order
    for name, _sql in indexes:
        raw.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        for done, (_name, sql) in enumerate(indexes, 1):
            raw.execute(sql)
            progress("indexes", done, len(indexes))
        if journal == "off":
            raw.execute("PRAGMA journal_mode=WAL")
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        for pragma in SQLITE_AFTER_PRAGMAS:
            raw.execute(f"PRAGMA {pragma}")


@contextmanager
def _postgres_load(conn: Connection, progress: Progress) -> Iterator[None]:
    with conn.begin():
        indexes = conn.exec_driver_sql(PG_INDEXES, {"tables": LOAD_ORDER}).all()
        keys = conn.exec_driver_sql(PG_FOREIGN_KEYS, {"tables": LOAD_ORDER}).all()
        for owner, name, _definition in keys:
            conn.exec_driver_sql(f'ALTER TABLE {owner} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            conn.exec_driver_sql(f"DROP INDEX {name}")
    try:
        yield
    finally:
        if conn.in_transaction():
            conn.rollback()
        with conn.begin():
            conn.exec_driver_sql("SET LOCAL maintenance_work_mem = '256MB'")  # the server's sort memory
            for done, (_name, definition) in enumerate(indexes, 1):
                conn.exec_driver_sql(definition)
                progress("indexes", done, len(indexes) + len(keys))
            for done, (owner, name, definition) in enumerate(keys, len(indexes) + 1):
                conn.exec_driver_sql(f'ALTER TABLE {owner} ADD CONSTRAINT "{name}" {definition}')
                progress("indexes", done, len(indexes) + len(keys))


def after_load(engine: Engine, names: list[str]) -> None:
    """PostgreSQL: move each id sequence past the explicit ids, and refresh the planner statistics."""
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as conn:
        for name in names:
            if "id" not in table(name).c:
                continue
            conn.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "
                f'COALESCE((SELECT MAX(id) FROM "{name}"), 0) + 1, false)'
            )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("ANALYZE")
