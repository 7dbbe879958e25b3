"""The client's derived dates (M5: last note, last call, last contact, last deposit), kept on the
client row in the transaction that writes the history entry, so that views filter them by index."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, bindparam, case, or_, update
from sqlalchemy.sql.elements import ColumnElement

from core.work.rules import DATES_MOVED_BY
from storage.driver_sql import Fixed
from storage.engine import write
from storage.tables import ClientRow

_c = ClientRow.__table__.c
_at = bindparam("at")


def _later(name: str, at: ColumnElement = _at) -> ColumnElement:
    col = _c[name]
    return case((or_(col.is_(None), col < at), at), else_=col)


_UPDATES = {
    kind: update(ClientRow).where(_c.id == bindparam("cid")).values({n: _later(n) for n in names})
    for kind, names in DATES_MOVED_BY.items()
}
# A saved call moves the last call to its start and the last contact to the latest of the call
# and its visit SMS, in one statement (the call's statement budget, tests/test_statement_budget.py).
_CALL = Fixed(  # on the driver's cursor on PostgreSQL (storage.driver_sql)
    update(ClientRow)
    .where(_c.id == bindparam("cid"))
    .values(last_call_at=_later("last_call_at"), last_contact_at=_later("last_contact_at", bindparam("contact_at")))
)
# Fills the dates from the history (the migration and the demo builder).
BACKFILL = (
    "UPDATE client SET"
    " last_call_at = (SELECT MAX(h.at) FROM contact h WHERE h.client_id = client.id AND h.kind = 'call'),"
    " last_contact_at = (SELECT MAX(h.at) FROM contact h WHERE h.client_id = client.id"
    " AND h.kind IN ('call', 'sms', 'visit')),"
    " last_note_at = (SELECT MAX(h.at) FROM contact h WHERE h.client_id = client.id AND h.kind = 'comment')"
)


def touch(conn: Connection, client_id: int, kind: str, at: object) -> None:
    """A history entry of `kind` at `at` was written: move the client's dates it concerns."""
    statement = _UPDATES.get(str(kind))
    if statement is not None:
        conn.execute(statement, {"cid": client_id, "at": at})


def touch_call(conn: Connection, client_id: int, at: object, contact_at: object) -> None:
    """A call started at `at` was saved, with its last contact (the call or its SMS) at `contact_at`."""
    _CALL.rowcount(conn, {"cid": client_id, "at": at, "contact_at": contact_at})


def backfill(engine: Engine) -> None:
    """Every client's dates from the history (after a bulk load that bypassed `touch`)."""
    with write(engine) as conn:
        conn.exec_driver_sql(BACKFILL)
