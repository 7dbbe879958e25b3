"""The live floor at a fixed clock on both engines: states, today's figures, the lists' counts,
the hours, desk isolation and hidden client names; one statement set per refresh."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert

from core.errors import NotFound, PermissionDenied
from core.floor.rules import HIDDEN
from storage.engine import write
from storage.tables import ContactRow
from tests.call_world import set_dnd
from tests.floor_world import FloorWorld
from tests.helpers import Crm
from tests.statements import counting


@pytest.fixture
def w(crm: Crm) -> FloorWorld:
    return FloorWorld(crm)


def row(floor, name: str):  # type: ignore[no-untyped-def]
    return next(e for e in floor.employees if e.employee == name)


def test_a_started_call_shows_with_whom_and_for_how_long(crm: Crm, w: FloorWorld) -> None:
    client_id = w.listed(w.main)
    card = w.op1.open_card(client_id)
    assert row(w.lead.floor(), "Anna Main").state == "idle"

    w.start(w.op1, w.main, client_id)
    crm.clock.advance(seconds=75)
    shown = row(w.lead.floor(), "Anna Main")

    assert (shown.state, shown.seconds, shown.client_id) == ("call", 75, client_id)
    assert shown.client == " ".join(p for p in (card.surname, card.first_name, card.patronymic) if p)
    assert shown.campaign == "Halva cross sell"


def test_the_result_form_then_the_save_then_idle_since_the_end(crm: Crm, w: FloorWorld) -> None:
    client_id = w.listed(w.main)
    started = w.start(w.op1, w.main, client_id)
    crm.clock.advance(seconds=30)
    w.op1.mark_result_form(client_id)
    crm.clock.advance(seconds=10)
    assert row(w.lead.floor(), "Anna Main").state == "form"

    ended = crm.clock.now()
    w.op1.save_call(started)  # not reached
    crm.clock.advance(minutes=2)
    shown = row(w.lead.floor(), "Anna Main")

    assert (shown.state, shown.since, shown.seconds, shown.client) == ("idle", ended, 120, None)
    assert (shown.calls, shown.reached, shown.last_result, shown.talk_average) == (1, 0, "not_reached", 40.0)


def test_todays_figures_per_employee(crm: Crm, w: FloorWorld) -> None:
    a, b = w.listed(w.main), w.listed(w.main)
    w.call(w.op1, w.main, a, "not_reached", talk=20)
    w.call(w.op1, w.main, b, "callback", talk=100)
    now = crm.clock.now()
    with write(crm.engine) as conn:  # an agreed call of today and one of yesterday
        for at in (now - timedelta(minutes=10), now - timedelta(days=1)):
            conn.execute(insert(ContactRow).values(client_id=a, kind="call", at=at, ended_at=at + timedelta(seconds=60),
                                                   campaign_id=w.main, result="agreed", employee_id=w.op1.whoami().id))  # fmt: skip
    shown = row(w.lead.floor(), "Anna Main")

    assert (shown.calls, shown.reached, shown.agreed) == (3, 2, 1)
    assert shown.reached_rate == round(2 / 3, 4)
    assert shown.talk_average == 60.0  # (20 + 100 + 60) / 3
    assert shown.last_result == "callback"  # the newest call's


def test_a_supervisor_sees_only_their_desks(crm: Crm, w: FloorWorld) -> None:
    mine = {e.employee for e in w.lead.floor().employees}
    everyone = {e.employee for e in w.root.floor().employees}

    assert {"Anna Main", "Vera Both"} <= mine and "Boris Far" not in mine
    assert {"Anna Main", "Boris Far", "Vera Both"} <= everyone
    assert {c.campaign for c in w.lead.floor().campaigns} == {"Halva cross sell", "Shared list"}
    with pytest.raises(NotFound):
        w.lead.floor_calls(w.op2.whoami().id)


def test_a_client_of_another_desk_is_hidden(crm: Crm, w: FloorWorld) -> None:
    far_client = w.listed(w.shared, console=w.op2)  # a card of the far desk
    w.start(w.op3, w.shared, far_client)

    seen_by_lead = row(w.lead.floor(), "Vera Both")
    seen_by_root = row(w.root.floor(), "Vera Both")

    assert (seen_by_lead.state, seen_by_lead.client, seen_by_lead.client_id) == ("call", HIDDEN, None)
    assert seen_by_root.client not in (None, HIDDEN) and seen_by_root.client_id == far_client


def test_signed_out_and_stale_sessions_leave_the_floor(crm: Crm, w: FloorWorld) -> None:
    w.op1.sign_out()
    assert "Anna Main" not in {e.employee for e in w.lead.floor().employees}
    crm.clock.advance(hours=13)  # past a session's longest life
    assert not [e for e in w.root.floor().employees if e.employee != "Lead Testov"]


def test_the_lists_counts_per_campaign(crm: Crm, w: FloorWorld) -> None:
    now = crm.clock.now()
    for state, at in (("new", None), ("new", None), ("callback", now - timedelta(minutes=5)),
                      ("callback", now + timedelta(hours=3)), ("retry", now + timedelta(hours=1)),
                      ("exhausted", None), ("done", None)):  # fmt: skip
        w.listed(w.main, state=state, next_call_at=at)
    set_dnd(crm, w.listed(w.main))  # fresh, but do-not-disturb
    set_dnd(crm, w.listed(w.main, state="callback", next_call_at=now - timedelta(minutes=1)))
    w.call(w.op1, w.main, w.listed(w.main), "not_reached")

    (halva,) = [c for c in w.lead.floor().campaigns if c.campaign_id == w.main]

    assert (halva.callbacks_due, halva.fresh, halva.retries, halva.exhausted) == (1, 2, 2, 1)
    assert halva.do_not_disturb == 2
    assert halva.dialled_today == 1


def test_the_hours_of_today_in_the_floors_time_zone(crm: Crm, w: FloorWorld) -> None:
    w.call(w.op1, w.main, w.listed(w.main), "not_reached")  # 09:00 UTC = 12:00 in Moscow
    crm.clock.advance(hours=2)
    w.call(w.op1, w.main, w.listed(w.main), "not_reached")
    w.call(w.op3, w.shared, w.listed(w.shared), "not_reached")
    floor = w.lead.floor()

    (halva,) = [c for c in floor.campaigns if c.campaign_id == w.main]
    assert len(halva.hours) == 24 and halva.hours[12] == 1 and halva.hours[14] == 1 and sum(halva.hours) == 2
    assert floor.hours[14] == 2 and sum(floor.hours) == 3


def test_an_employees_calls_of_today(crm: Crm, w: FloorWorld) -> None:
    first, second = w.listed(w.main), w.listed(w.main)
    w.call(w.op1, w.main, first, "not_reached", talk=15)
    w.call(w.op1, w.main, second, "callback", talk=45)

    calls = w.lead.floor_calls(w.op1.whoami().id)

    assert [(c.client_id, c.result, c.seconds) for c in calls] == [(second, "callback", 45), (first, "not_reached", 15)]


def test_the_floor_needs_its_permission(w: FloorWorld) -> None:
    with pytest.raises(PermissionDenied):
        w.op1.floor()
    with pytest.raises(PermissionDenied):
        w.op1.floor_calls(w.op1.whoami().id)


def test_one_refresh_is_one_transaction_of_four_statements(crm: Crm, w: FloorWorld) -> None:
    w.call(w.op1, w.main, w.listed(w.main), "not_reached")
    w.lead.floor()  # who the lead is: read once
    with counting(crm.engine) as count:
        w.lead.floor()
    # employees with today's figures, campaigns, list counts, hours; SQLite's BEGIN
    assert len(count.statements) <= 4 + (1 if crm.engine.dialect.name == "sqlite" else 0), str(count)
    assert count.checkouts == 1, str(count)


def names(floor) -> set[str]:  # type: ignore[no-untyped-def]
    return {e.employee for e in floor.employees}


def test_a_session_unused_past_its_idle_limit_leaves_the_floor(crm: Crm, w: FloorWorld) -> None:
    busy = crm.sign_in("op3")  # a second console of Vera, used every twenty minutes
    for _ in range(2):
        crm.clock.advance(minutes=20)
        busy.whoami()
    floor = w.root.floor()
    # Anna's console was quit without signing out 40 minutes ago: past the 30 minutes' idle limit
    assert "Anna Main" not in names(floor) and "Vera Both" in names(floor)

    w.op1.open_card(w.listed(w.main))  # used again: back on the floor
    assert "Anna Main" in names(w.root.floor())


def test_two_consoles_of_one_employee_show_the_busiest_and_sign_out_alone(crm: Crm, w: FloorWorld) -> None:
    client_id = w.listed(w.main)
    started = w.start(w.op1, w.main, client_id)
    crm.clock.advance(seconds=20)
    other = crm.sign_in("op1")  # Anna's second console, idle: it must not overwrite the call

    (shown,) = [e for e in w.lead.floor().employees if e.employee == "Anna Main"]
    assert (shown.state, shown.seconds, shown.client_id) == ("call", 20, client_id)

    w.op1.mark_result_form(client_id)
    assert row(w.lead.floor(), "Anna Main").state == "form"
    w.op1.save_call(started)
    w.op1.sign_out()
    shown = row(w.lead.floor(), "Anna Main")  # the other console is still signed in
    assert (shown.state, shown.calls) == ("idle", 1)

    other.sign_out()
    assert "Anna Main" not in names(w.lead.floor())


def test_the_busiest_session_decides() -> None:
    from datetime import UTC, datetime

    from core.floor.rules import busiest

    t = [datetime(2026, 12, 1, 9, m, tzinfo=UTC) for m in range(4)]
    assert busiest([("idle", t[0]), ("call", t[2]), ("form", t[1])]) == ("call", t[2])
    assert busiest([("idle", t[1]), ("form", t[3])]) == ("form", t[3])
    assert busiest([("idle", t[2]), ("idle", t[0])]) == ("idle", t[0])
