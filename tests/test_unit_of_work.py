"""`storage.engine.unit_of_work`: the transactions of one block share one pool checkout; a read's
transaction is continued by the next one, a write still commits at its end (BEGIN IMMEDIATE on
SQLite), a failed write leaves nothing behind, and a nested transaction takes a connection of its own."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from storage.engine import read, unit_of_work, write
from storage.tables import EmployeeRow
from tests.helpers import Crm
from tests.statements import counting

_e = EmployeeRow.__table__.c  # type: ignore[attr-defined]


def _name(crm: Crm, login: str) -> str:
    with read(crm.engine) as conn:
        return conn.scalar(select(_e.full_name).where(_e.login == login))


def _rename(conn, login: str, name: str) -> None:  # type: ignore[no-untyped-def]
    conn.execute(update(EmployeeRow).where(_e.login == login).values(full_name=name))


def test_reads_and_writes_of_a_unit_share_one_checkout(crm: Crm) -> None:
    crm.add_employee("unit")
    with counting(crm.engine) as count, unit_of_work(crm.engine):
        with read(crm.engine) as conn:
            first = conn.scalar(select(_e.id).where(_e.login == "unit"))
        with write(crm.engine) as conn:
            _rename(conn, "unit", "Renamed")
        with read(crm.engine) as conn:
            assert conn.scalar(select(_e.full_name).where(_e.id == first)) == "Renamed"
    assert count.checkouts == 1, str(count)
    if crm.engine.dialect.name == "sqlite":  # the write took the write lock from its start
        assert [s for s in count.statements if s.startswith("BEGIN")] == ["BEGIN", "BEGIN IMMEDIATE", "BEGIN"]
    else:  # the write continued the first read's transaction
        assert not any(s.startswith("BEGIN") for s in count.statements), str(count)
    assert _name(crm, "unit") == "Renamed"


def test_a_failed_write_of_a_unit_leaves_nothing_and_the_unit_goes_on(crm: Crm) -> None:
    crm.add_employee("unit")
    with unit_of_work(crm.engine):
        with pytest.raises(RuntimeError), write(crm.engine) as conn:
            _rename(conn, "unit", "Never")
            raise RuntimeError("refused")
        with write(crm.engine) as conn:
            _rename(conn, "unit", "Kept")
    assert _name(crm, "unit") == "Kept"


def test_a_transaction_inside_another_checks_out_its_own_connection(crm: Crm) -> None:
    crm.add_employee("unit")
    with counting(crm.engine) as count, unit_of_work(crm.engine), write(crm.engine) as outer:
        _rename(outer, "unit", "Outer")
        with read(crm.engine) as inner:  # its own connection: does not see the outer's write yet
            assert inner.scalar(select(_e.full_name).where(_e.login == "unit")) != "Outer"
    assert count.checkouts == 2, str(count)
    assert _name(crm, "unit") == "Outer"
