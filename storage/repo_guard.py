"""Repository queries of the sign-in guard: attempt counters (core.access.throttle), the audit log, the
server secret of code digests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core.access.store import AuditEvent
from core.access.throttle import AttemptCount
from core.settings import load_settings
from storage import secret
from storage.engine import is_sqlite, write
from storage.tables_access import AttemptCounterRow, AuditEventRow

_counter = AttemptCounterRow.__table__.c


class GuardQueries:
    engine: Engine
    secret_file: str | Path | None
    _code_key: bytes | None = None

    def code_key(self) -> bytes:
        if self._code_key is None:
            self._code_key = secret.load_or_create(Path(self.secret_file or load_settings().secret_file))
        return self._code_key

    def update_attempts(
        self, keys: list[str], step: Callable[[dict[str, AttemptCount]], dict[str, AttemptCount | None] | int]
    ) -> dict[str, AttemptCount | None] | int:
        """The counters are locked for the whole step: BEGIN IMMEDIATE on SQLite, FOR UPDATE on PostgreSQL."""
        keys = sorted(set(keys))  # one lock order for every caller: no deadlocks
        with write(self.engine) as conn:
            query = select(AttemptCounterRow).where(_counter.key.in_(keys))
            if not is_sqlite(self.engine):
                # a row that does not exist cannot be locked: make it first (0 attempts, never used)
                conn.execute(
                    pg_insert(AttemptCounterRow)
                    .values([{"key": k, "attempts": 0} for k in keys])
                    .on_conflict_do_nothing()
                )
                query = query.order_by(_counter.key).with_for_update()
            counts = {
                r.key: AttemptCount(r.attempts, r.last_at, r.blocked_until)
                for r in conn.execute(query)
                if r.last_at is not None or r.attempts
            }
            after = step(counts)
            if isinstance(after, int):
                return after
            for key, count in after.items():
                if count is None:
                    conn.execute(delete(AttemptCounterRow).where(_counter.key == key))
                    continue
                values = {"attempts": count.attempts, "last_at": count.last_at, "blocked_until": count.blocked_until}
                if is_sqlite(self.engine):
                    conn.execute(
                        sqlite_insert(AttemptCounterRow)
                        .values(key=key, **values)
                        .on_conflict_do_update(index_elements=["key"], set_=values)
                    )
                else:
                    conn.execute(update(AttemptCounterRow).where(_counter.key == key).values(**values))
            return after

    def record_audit(self, event: AuditEvent) -> None:
        with write(self.engine) as conn:
            conn.execute(
                insert(AuditEventRow).values(
                    at=event.at,
                    event=event.event,
                    address=(event.address or "")[:64] or None,
                    login=event.login,
                    employee_id=event.employee_id or None,
                    detail=(event.detail or "")[:400] or None,
                )
            )
