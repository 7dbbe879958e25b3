"""The call's fixed statements on the driver's cursor (storage.driver_sql): the same rows as
SQLAlchemy's execution, counted like it, and a dead connection answered as SQLAlchemy would."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from core.calls.store import CallAsk
from storage import call_sql
from storage.engine import read, write
from tests.helpers import T0, Crm
from tests.save_world import World
from tests.statements import counting


def _ask(world: World, client_id: int) -> dict[str, object]:
    employee = world.console.whoami().id
    return call_sql.facts_params(
        CallAsk(world.campaign, client_id, employee, T0, world.slot, world.office, "key-1", "s")
    )


def test_the_facts_rows_equal_sqlalchemys_own(crm: Crm) -> None:
    world = World(crm)
    client_id = world.client()
    world.console.save_call(world.agreed(client_id))  # a booking, a last agreed date, products
    params = _ask(world, client_id)
    with read(crm.engine) as conn:
        expected = [repr(tuple(r)) for r in conn.execute(call_sql.SAVE_FACTS, params).all()]
        with counting(crm.engine) as count:
            rows = call_sql._SAVE_FACTS.rows(conn, params)
    assert [repr(tuple(r)) for r in rows] == expected  # the same values, types and time zones
    assert rows[0].campaign_id == world.campaign and rows[0].booking_id is not None
    assert len(count.statements) == 1, str(count)
    on_driver = crm.engine_name == "postgresql"
    assert (call_sql._SAVE_FACTS._compile(crm.engine.dialect) is not None) == on_driver


def test_an_update_tells_the_rows_it_matched(crm: Crm) -> None:
    world = World(crm)
    client_id = world.client()
    claim = {"m_campaign_id": world.campaign, "m_client_id": client_id, "now": T0, "hold_until": T0}
    with write(crm.engine) as conn:
        assert call_sql.CLAIM_RUN.rowcount(conn, claim) == 1
        assert call_sql.CLAIM_RUN.rowcount(conn, claim | {"m_client_id": client_id + 1000}) == 0


def test_a_dead_connection_is_sqlalchemys_operational_error_and_is_replaced(crm: Crm) -> None:
    if crm.engine_name != "postgresql":
        pytest.skip("the driver path runs on PostgreSQL")
    world = World(crm)
    params = _ask(world, world.client())
    with pytest.raises(OperationalError) as failed, read(crm.engine) as conn:
        pid = conn.scalar(text("SELECT pg_backend_pid()"))
        with crm.engine.connect() as other:  # the server ends this connection while it is checked out
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        call_sql._FACTS.rows(conn, params)
    assert failed.value.connection_invalidated
    with read(crm.engine) as conn:  # a new connection
        assert call_sql._FACTS.rows(conn, params)[0].campaign_id == world.campaign


def test_a_key_claimed_twice_is_a_race(crm: Crm) -> None:
    from core.idempotency import IdempotencyClaim, IdempotencyRace
    from storage.repo_api import claim_key

    employee = crm.console("boss", role="supervisor").whoami().id
    claim = IdempotencyClaim("key-2", employee, "save_call", "0" * 64, T0)
    with write(crm.engine) as conn:
        claim_key(conn, claim, '{"id": 1}')
        with pytest.raises(IdempotencyRace):
            claim_key(conn, claim, '{"id": 2}')
    assert crm.repo.idempotent_response(employee, "key-2").response == '{"id": 1}'


def test_the_calls_writes_run_on_the_driver_and_write_what_sqlalchemy_did(crm: Crm) -> None:
    from storage import activity, repo_floor

    world = World(crm)
    writes = (call_sql.CONTACT, call_sql.CALL_AND_SMS, activity._CALL, repo_floor._CALL_STARTED[crm.engine_name])
    on_driver = crm.engine_name == "postgresql"
    assert [w._compile(crm.engine.dialect) is not None for w in writes] == [on_driver] * 4
    plain, agreed = world.client(), world.client()
    call = world.call(plain, "not_reached", reason="no_answer")  # the start wrote the floor's row
    with read(crm.engine) as conn:
        floor = conn.execute(text("SELECT campaign_id, call_at FROM floor_session WHERE client_id = :c"), {"c": plain})
        assert [(f.campaign_id, f.call_at is not None) for f in floor] == [(world.campaign, True)]
    first = world.console.save_call(call)  # CONTACT
    second = world.console.save_call(world.agreed(agreed))  # CALL_AND_SMS: the call and its visit SMS
    for entry, client_id in ((first, plain), (second, agreed)):
        rows = crm.rows("contact", client_id=client_id)
        (row,) = [r for r in rows if r.kind == "call"]
        assert row.id == entry.id and row.result == entry.result
        (client,) = crm.rows("client", id=client_id)
        assert client.last_call_at is not None and client.last_contact_at >= client.last_call_at
    assert [r.kind for r in crm.rows("contact", client_id=agreed)].count("sms") == 1
