"""Fixed statements of the hot requests run on the driver's cursor, on PostgreSQL.

`conn.execute(statement)` costs SQLAlchemy's compiled-cache lookup, its parameter processing and
its result set-up on every call (profiled: about 2/3 of the time of a call's statements in an API
worker). A `Fixed` statement is compiled once per dialect; on PostgreSQL it is then run on the
cursor of the connection's own DBAPI connection, in its transaction, with the columns' own
bind and result processors applied (the UTC dates of `UTCDateTime`) and nothing else. On SQLite,
whose dates SQLAlchemy stores as text, it goes through `conn.execute` as before.
Statements are reported to the engine's cursor listeners (the tests' statement counter), driver
errors go through SQLAlchemy's own handling (its exception classes, a dead connection invalidated).
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Dialect
from sqlalchemy.sql.expression import Executable


@dataclass(frozen=True)
class _Compiled:
    sql: str
    defaults: dict[str, Any]  # the statement's literal values (`'agreed'`, `1`), under their bind names
    binds: tuple[tuple[str, Callable[[Any], Any]], ...]  # bind name -> its type's processor
    results: tuple[tuple[int, Callable[[Any], Any]], ...]  # column index -> its type's processor
    row: Any  # a namedtuple of the selected or returned columns' names; None for DML without RETURNING


class Fixed:
    """One statement built at import; `rows` / `rowcount` run it on a connection."""

    def __init__(self, statement: Executable) -> None:
        self.statement = statement
        self._compiled: dict[int, _Compiled | None] = {}

    def _compile(self, dialect: Dialect) -> _Compiled | None:
        """None when the statement needs SQLAlchemy's processing on this dialect."""
        key = id(dialect)
        if key in self._compiled:
            return self._compiled[key]
        compiled: _Compiled | None = None
        if dialect.name == "postgresql" and dialect.paramstyle == "pyformat":
            c = self.statement.compile(dialect=dialect)
            if not c.literal_execute_params and not c.post_compile_params:
                try:
                    results = tuple(
                        (i, p)
                        for i, column in enumerate(c._result_columns)
                        if (p := column[3]._cached_result_processor(dialect, None)) is not None
                    )
                except Exception:  # noqa: BLE001 - a type that needs the driver's column type: SQLAlchemy's path
                    results = None
                if results is not None:
                    names = list(getattr(self.statement, "exported_columns", {}).keys())  # a SELECT's, a RETURNING's
                    row = namedtuple("Row", names, rename=True) if names else None  # noqa: PYI024
                    binds = tuple(c._bind_processors.items())
                    defaults = dict(c.construct_params(_check=False))
                    compiled = _Compiled(c.string, defaults, binds, results, row)
        self._compiled[key] = compiled
        return compiled

    def _run(self, conn: Connection, params: dict[str, Any]) -> tuple[_Compiled | None, Any]:
        compiled = self._compile(conn.dialect)
        if compiled is None:
            return None, conn.execute(self.statement, params)
        values = compiled.defaults | params
        for name, process in compiled.binds:
            values[name] = process(values[name])
        raw = conn.connection.dbapi_connection
        assert raw is not None
        cursor = raw.cursor()
        listeners = conn.engine.dispatch.before_cursor_execute
        for listener in listeners:
            listener(conn, cursor, compiled.sql, values, None, False)
        try:
            cursor.execute(compiled.sql, values)
        except conn.dialect.loaded_dbapi.Error as exc:
            # SQLAlchemy's own handling: its exception class, a dead connection (and the pool's
            # older ones) invalidated, parameters hidden when the engine hides them
            conn._handle_dbapi_exception(exc, compiled.sql, values, cursor, None)  # noqa: SLF001
            raise  # not reached: the handler raises
        return compiled, cursor

    def rows(self, conn: Connection, params: dict[str, Any]) -> list[Any]:
        """Every row, each with the columns as attributes."""
        compiled, result = self._run(conn, params)
        if compiled is None:
            return list(result.all())
        try:
            fetched = result.fetchall()
        finally:
            result.close()
        if compiled.results:
            fetched = [list(r) for r in fetched]
            for r in fetched:
                for i, process in compiled.results:
                    r[i] = process(r[i])
        return [compiled.row._make(r) for r in fetched]

    def rowcount(self, conn: Connection, params: dict[str, Any]) -> int:
        """The rows an UPDATE or DELETE matched."""
        compiled, result = self._run(conn, params)
        if compiled is None:
            return result.rowcount
        try:
            return result.rowcount
        finally:
            result.close()
