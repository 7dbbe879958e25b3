"""A statement counter: the SQL statements and pool checkouts an operation costs, on either engine."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import Engine, event


@dataclass
class Count:
    statements: list[str] = field(default_factory=list)
    checkouts: int = 0

    def __str__(self) -> str:
        return f"{len(self.statements)} statements, {self.checkouts} checkouts:\n" + "\n".join(self.statements)


@contextmanager
def counting(engine: Engine) -> Iterator[Count]:
    """Every statement sent to the driver (SQLAlchemy's and the raw search path's) and every checkout."""
    count = Count()

    def on_statement(_conn, _cursor, statement, _params, _context, _many) -> None:  # type: ignore[no-untyped-def]
        count.statements.append(statement)

    def on_checkout(*_args: object) -> None:
        count.checkouts += 1

    event.listen(engine, "before_cursor_execute", on_statement)
    event.listen(engine, "checkout", on_checkout)
    try:
        yield count
    finally:
        event.remove(engine, "before_cursor_execute", on_statement)
        event.remove(engine, "checkout", on_checkout)
