"""Repository queries of the search line: index lookups and the summaries of what they found.

A search runs on every keystroke. Building and executing a Core statement costs ~10x the index
lookup itself (PERFORMANCE-NOTES), so these are fixed SQL texts, portable between SQLite and
PostgreSQL, built once, run on the DBAPI connection of one pool checkout: every lookup and the
summaries of one search share that connection and one read transaction.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.exc import DBAPIError

from core.clients.models import ClientSummary
from core.clients.names import full_name
from core.clients.search import Lookup
from core.clock import as_utc
from storage.engine import unit_dbapi

# Each lookup is served by its key's index. The merged-away and desk conditions are written
# `+c.merged_into`, `+c.desk_id` (an expression, not the column): without statistics SQLite would
# otherwise take `merged_into IS NULL` or the desk list as the seek (their own indexes), walk every
# card and sort: 600 ms for a name prefix at 1,000,000 clients instead of 0.3 ms.
_LOOKUP_SQL = {
    "phone": "SELECT DISTINCT p.client_id FROM phone p JOIN client c ON c.id = p.client_id WHERE p.e164 = :value",
    "email": (
        "SELECT DISTINCT e.client_id FROM email e JOIN client c ON c.id = e.client_id WHERE e.address_key = :value"
    ),
    "passport": "SELECT c.id FROM client c WHERE c.passport_key = :value AND +c.merged_into IS NULL",
    # F3: a merged-away card's id finds the card it was merged into
    "id": (
        "SELECT c.id FROM client c WHERE c.id = COALESCE((SELECT m.merged_into FROM client m WHERE m.id = :value),"
        " :value)"
    ),
    # name keys: a prefix is a range on the index (byte order: collation "C" on PostgreSQL)
    "name_key": (
        "SELECT c.id FROM client c WHERE c.name_key >= :low AND c.name_key < :high AND +c.merged_into IS NULL"
    ),
    "name_latin": (
        "SELECT c.id FROM client c WHERE c.name_latin >= :low AND c.name_latin < :high AND +c.merged_into IS NULL"
    ),
    # M7: a tag's clients are a range of the (tag_id, client_id) key; with a name, the name key's
    "tag": (
        "SELECT ct.client_id FROM client_tag ct JOIN client c ON c.id = ct.client_id"
        " WHERE ct.tag_id = (SELECT t.id FROM tag t WHERE t.key = :tag) AND +c.merged_into IS NULL"
    ),
    "tag_name": (
        "SELECT c.id FROM client c JOIN client_tag ct ON ct.client_id = c.id"
        " WHERE ct.tag_id = (SELECT t.id FROM tag t WHERE t.key = :tag) AND c.name_key >= :low AND c.name_key < :high"
        " AND +c.merged_into IS NULL"
    ),
}
_LOOKUP_ORDER = {
    "name_key": " ORDER BY c.name_key, c.id",
    "name_latin": " ORDER BY c.name_latin, c.id",
    "tag": " ORDER BY ct.client_id",
    "tag_name": " ORDER BY c.name_key, c.id",
}
_NAME_COLUMNS = ("name_key", "name_latin")
_MATCHED = {"latin": "name", "tag_name": "tag"}  # what a summary says it matched by
_SUMMARY_SQL = (
    "SELECT c.id, c.surname, c.first_name, c.patronymic, c.birth_date, c.client_type, c.lifecycle,"
    " r.name, t.name, d.name, p.e164, c.online_until FROM client c"
    " LEFT JOIN region r ON r.id = c.region_id"
    " LEFT JOIN town t ON t.id = c.town_id"
    " LEFT JOIN desk d ON d.id = c.desk_id"
    " LEFT JOIN phone p ON p.client_id = c.id"
    " WHERE c.id IN ({ids}) ORDER BY p.id"
)
_NAMED = re.compile(r":(\w+)")
_KEPT_LOCK = threading.Lock()
SEARCH_MMAP_BYTES = 2**31  # the kept read connection's map; SQLite caps it at its build's maximum (2 GB)
# core.clients.search's lookup kinds -> (SQL lookup, its parameters)
_KINDS: dict[str, Callable[[Lookup], tuple[str, dict[str, object]]]] = {
    "phone": lambda lk: ("phone", {"value": lk.value}),
    "id": lambda lk: ("id", {"value": int(lk.value)}),
    "passport": lambda lk: ("passport", {"value": lk.value}),
    "email": lambda lk: ("email", {"value": lk.value}),
    "name": lambda lk: ("name_key", {"low": lk.value, "high": lk.high or lk.value}),
    "latin": lambda lk: ("name_latin", {"low": lk.value, "high": lk.high or lk.value}),
    "tag": lambda lk: ("tag", {"tag": lk.value}),
    "tag_name": lambda lk: ("tag_name", {"tag": lk.tag, "low": lk.value, "high": lk.high or lk.value}),
}


@lru_cache(maxsize=256)
def _lookup_sql(kind: str, desks: int | None, limit: bool, pyformat: bool) -> str:
    sql = _LOOKUP_SQL[kind]
    if desks is not None:
        sql += " AND +c.desk_id IN (" + ", ".join(f":d{i}" for i in range(desks)) + ")"
    sql += _LOOKUP_ORDER.get(kind, "")
    if limit:
        sql += " LIMIT :limit"
    return _NAMED.sub(r"%(\1)s", sql) if pyformat else sql


@lru_cache(maxsize=512)
def _summary_sql(count: int, pyformat: bool) -> str:
    sql = _SUMMARY_SQL.format(ids=", ".join(f":i{i}" for i in range(count)))
    return _NAMED.sub(r"%(\1)s", sql) if pyformat else sql


# Built at import: every lookup without a desk filter, and the summaries of up to 50 ids.
for _kind in _LOOKUP_SQL:
    for _pyformat in (False, True):
        for _limit in (False, True):
            _lookup_sql(_kind, None, _limit, _pyformat)
        for _count in range(1, 51):
            _summary_sql(_count, _pyformat)


class _Reader:
    """The cursor of one checkout; statements are reported to the engine's cursor listeners
    (the statement counter of the tests) like SQLAlchemy's own."""

    def __init__(self, engine: Engine, cursor: Any) -> None:
        self.engine = engine
        self.cursor = cursor
        self.pyformat = engine.dialect.name != "sqlite"  # sqlite3 takes :name, psycopg %(name)s

    def fetch(self, sql: str, params: dict[str, object] | None = None) -> list[tuple]:
        listeners = self.engine.dispatch.before_cursor_execute
        if listeners:
            for listener in listeners:
                listener(None, self.cursor, sql, params, None, False)
        self.cursor.execute(sql, params or {})
        return self.cursor.fetchall()

    def ids(self, kind: str, params: dict[str, object], desk_ids: list[int] | None, limit: int | None) -> list[int]:
        if desk_ids is not None:
            if not desk_ids:
                return []  # an employee of no desk sees no client
            params.update((f"d{i}", desk_id) for i, desk_id in enumerate(desk_ids))
        if limit is not None:
            params["limit"] = limit
        sql = _lookup_sql(kind, None if desk_ids is None else len(desk_ids), limit is not None, self.pyformat)
        return [row[0] for row in self.fetch(sql, params)]

    def summaries(self, ids: list[int], matched: dict[int, str] | None = None) -> list[ClientSummary]:
        """The summaries of `ids` in that order; `matched`: what each was found by (search)."""
        if not ids:
            return []
        params = {f"i{i}": client_id for i, client_id in enumerate(ids)}
        rows: dict[int, tuple] = {}
        phones: dict[int, list[str]] = {}
        for row in self.fetch(_summary_sql(len(ids), self.pyformat), params):
            client_id = row[0]
            if client_id not in rows:
                rows[client_id] = row
                phones[client_id] = []
            if row[10] is not None:
                phones[client_id].append(row[10])
        out = []
        for client_id in ids:
            r = rows.get(client_id)
            if r is None:
                continue
            # Validated, not `model_construct`: pydantic-core checks these 12 fields in ~3 us, its
            # Python `model_construct` loop takes ~12 us; SQLite's date text is parsed there too.
            out.append(
                ClientSummary(
                    id=client_id,
                    full_name=full_name(r[1], r[2], r[3]),
                    birth_date=r[4],
                    client_type=r[5],
                    lifecycle=r[6],
                    region=r[7],
                    town=r[8],
                    desk=r[9],
                    phones=phones[client_id],
                    matched_by=matched[client_id] if matched else "",
                    online_until=_moment(r[11]),
                )
            )
        return out


class SearchQueries:
    engine: Engine

    @contextmanager
    def _reading(self) -> Iterator[_Reader]:
        """One connection and one read transaction (the unit of work's, the kept SQLite one,
        or one pool checkout); DBAPI errors come out as SQLAlchemy's."""
        engine = self.engine
        with unit_dbapi(engine) as held:  # an API request's unit of work: its connection and snapshot
            if held is not None:
                cursor = held.cursor()
                try:
                    yield _Reader(engine, cursor)
                except engine.dialect.loaded_dbapi.Error as exc:
                    raise DBAPIError.instance(None, None, exc, engine.dialect.loaded_dbapi.Error) from exc
                finally:
                    cursor.close()
                return
        sqlite = engine.dialect.name == "sqlite"
        kept = self._search_kept_start(engine) if sqlite and _keeps_connection(engine) else None
        if kept is not None and kept.lock.acquire(blocking=False):
            try:
                yield from _on_kept(engine, kept)
            finally:
                kept.lock.release()
            return
        yield from _on_checkout(engine, sqlite)  # PostgreSQL, or another thread is on the kept one

    def _search_kept_start(self, engine: Engine) -> _Kept:
        kept = self.__dict__.get("_search_kept")
        if kept is not None:
            return kept
        with _KEPT_LOCK:
            if "_search_kept" not in self.__dict__:
                kept = _Kept()
                event.listen(engine, "engine_disposed", lambda _engine: kept.close())
                self.__dict__["_search_kept"] = kept
            return self.__dict__["_search_kept"]

    def search(self, lookups: list[Lookup], desk_ids: list[int] | None, limit: int) -> list[ClientSummary]:
        found: dict[int, str] = {}
        with self._reading() as reader:
            for lookup in lookups:
                kind, params = _KINDS[lookup.kind](lookup)
                for client_id in reader.ids(kind, params, desk_ids, None if kind == "id" else limit):
                    found.setdefault(client_id, _MATCHED.get(lookup.kind, lookup.kind))
            return reader.summaries(list(found)[:limit], found)

    # --- single lookups (duplicate checks) ------------------------------------------------

    def ids_by_phone(self, e164: str, desk_ids: list[int] | None, limit: int) -> list[int]:
        return self._ids("phone", {"value": e164}, desk_ids, limit)

    def ids_by_name(self, column: str, low: str, high: str, desk_ids: list[int] | None, limit: int) -> list[int]:
        if column not in _NAME_COLUMNS:
            raise ValueError(f"Not a name key column: {column!r}")
        return self._ids(column, {"low": low, "high": high}, desk_ids, limit)

    def ids_by_passport(self, key: str, desk_ids: list[int] | None, limit: int) -> list[int]:
        return self._ids("passport", {"value": key}, desk_ids, limit)

    def ids_by_email(self, key: str, desk_ids: list[int] | None, limit: int) -> list[int]:
        return self._ids("email", {"value": key}, desk_ids, limit)

    def ids_by_id(self, client_id: int, desk_ids: list[int] | None) -> list[int]:
        return self._ids("id", {"value": client_id}, desk_ids, None)

    def _ids(self, kind: str, params: dict[str, object], desk_ids: list[int] | None, limit: int | None) -> list[int]:
        if desk_ids is not None and not desk_ids:
            return []
        with self._reading() as reader:
            return reader.ids(kind, params, desk_ids, limit)

    def summaries(self, ids: list[int]) -> list[ClientSummary]:
        if not ids:
            return []
        with self._reading() as reader:
            return reader.summaries(ids)


class _Kept:
    """The local console's kept SQLite read connection (one per repository): taken from the pool
    once and detached from it, so a search costs no checkout. Searches take turns on it (`lock`);
    one that finds it busy checks out of the pool instead. Textual runs each store call on a
    thread of its own, so one connection per thread would open a connection per search."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.fairy: Any = None

    def close(self) -> None:
        """`engine.dispose()` closes it too; the next search takes a fresh one."""
        with self.lock:
            if self.fairy is not None:
                self.fairy.close()  # detached: closes the driver's connection
                self.fairy = None


def _on_kept(engine: Engine, kept: _Kept) -> Iterator[_Reader]:
    """On the kept connection (its lock held). Between searches it holds no transaction (no
    snapshot, nothing that stops a WAL checkpoint); after a driver error it is closed and the next
    search takes a fresh one."""
    if kept.fairy is None:
        fairy = engine.raw_connection()
        fairy.detach()  # the pool makes another for the others; this one is the searches'
        # the whole file mapped, not the engine's 256 MiB: a card's page not yet read is then a
        # page of the OS cache, not a read() into SQLite's (at 1M clients: 66 -> 32 us a card)
        fairy.dbapi_connection.execute(f"PRAGMA mmap_size={SEARCH_MMAP_BYTES}")
        kept.fairy = fairy
    dbapi = kept.fairy.dbapi_connection
    cursor = dbapi.cursor()
    failed = None
    reader = _Reader(engine, cursor)
    try:
        reader.fetch("BEGIN")  # autocommit driver mode (storage.engine): open the snapshot ourselves
        yield reader
    except engine.dialect.loaded_dbapi.Error as exc:
        failed = exc
    finally:
        cursor.close()
        if failed is not None:
            kept.fairy.close()
            kept.fairy = None
        elif dbapi.in_transaction:
            dbapi.rollback()  # read only: ending it either way is the same
    if failed is not None:
        raise DBAPIError.instance(None, None, failed, engine.dialect.loaded_dbapi.Error) from failed


def _on_checkout(engine: Engine, sqlite: bool) -> Iterator[_Reader]:
    """On one pool checkout, in one read transaction."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        reader = _Reader(engine, cursor)
        try:
            if sqlite:  # autocommit driver mode (storage.engine): open the snapshot ourselves
                reader.fetch("BEGIN")
            yield reader
        finally:
            cursor.close()
            if sqlite and raw.dbapi_connection.in_transaction:
                raw.dbapi_connection.rollback()  # read only: ending it either way is the same
    except engine.dialect.loaded_dbapi.Error as exc:
        if engine.dialect.is_disconnect(exc, raw.dbapi_connection, None):
            raw.invalidate(exc)
        raise DBAPIError.instance(None, None, exc, engine.dialect.loaded_dbapi.Error) from exc
    finally:
        raw.close()  # back to the pool, which ends the PostgreSQL transaction (reset on return)


def _keeps_connection(engine: Engine) -> bool:
    """A SQLite file (an in-memory database lives in its one connection: never detach that)."""
    database = engine.url.database
    return bool(database) and database != ":memory:" and not database.startswith("file:")


def _moment(value: object) -> datetime | None:
    """A timestamp from the raw cursor: text on SQLite, a datetime on PostgreSQL; UTC either way."""
    if value is None:
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return as_utc(moment)  # type: ignore[arg-type]
