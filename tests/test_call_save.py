"""Saving a call (K15, C16) with its booking (O1-O3), products (O4), SMS and follow-up, in one
transaction, on SQLite and PostgreSQL; concurrent bookings of the last place; C11."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest

import storage.repo_calls
from core.calls.inputs import CallState, VisitChoice, VisitSms
from core.calls.rules import MemberState, SlotFull
from core.errors import ValidationFailed
from storage.engine import make_engine
from storage.sql_repository import SqlRepository
from tests.call_world import add_member, add_office, add_slot, client, member, product_id
from tests.helpers import T0, Crm
from tests.save_world import AGREED_PATH, TODAY_17, VISIT, World


@pytest.fixture
def world(crm: Crm) -> World:
    return World(crm)


# --- a full save -------------------------------------------------------------------------------


def test_agreed_saves_everything_and_the_card_shows_it(world: World) -> None:
    console, crm = world.console, world.crm
    client_id = world.client()
    call = world.agreed(client_id, comment="Придёт с паспортом")
    crm.clock.advance(minutes=4, seconds=30)
    entry = console.save_call(call)

    assert (entry.kind, entry.result, entry.campaign) == ("call", "agreed", "Halva cross sell")
    assert entry.duration_s == 270  # C16: start, end and duration
    assert entry.office == "Офис «Тверская»" and entry.visit_at == VISIT
    assert sorted(entry.products) == ["Best-rate deposit", "Halva instalment card"]
    assert entry.comment == "Придёт с паспортом"
    slot = crm.repo.slot(world.slot, crm.clock.now())
    assert slot is not None and (slot.booked, slot.free) == (1, 4)
    assert crm.count("booking", client_id=client_id, slot_id=world.slot) == 1
    row = member(crm, world.campaign, client_id)
    assert (row.state, row.next_call_at) == (MemberState.DONE, None)

    # O3: a later day -> ticked, queued for 10:00 MSK the day before, the card's mobile, in the history
    (sms,) = crm.rows("sms_outbox", purpose="visit")
    card = console.open_card(client_id)
    assert sms.to == card.phones[0].number
    assert sms.send_after.replace(tzinfo=UTC) == datetime(2025, 3, 12, 7, 0, tzinfo=UTC)
    assert sms.text == "Иван Иванович, ждём вас 13.03.2025 в 11:00: ул. Тверская, д. 22."
    kinds = [(h.kind, h.result) for h in card.history[:2]]
    assert ("call", "agreed") in kinds and ("sms", "Visit SMS") in kinds
    sms_entry = next(h for h in card.history if h.kind == "sms")
    assert sms_entry.phone == sms.to  # recorded with the number


def test_visit_today_sends_no_sms_unless_ticked(world: World) -> None:
    today = add_slot(world.crm, world.office, TODAY_17)
    first = world.client()
    world.console.save_call(world.agreed(first, slot=today))
    assert world.crm.count("sms_outbox", purpose="visit") == 0
    second = world.client()
    world.console.save_call(world.agreed(second, slot=today, sms=VisitSms(send=True, number="8 (999) 111-22-33")))
    (sms,) = world.crm.rows("sms_outbox", purpose="visit")
    assert sms.to == "+79991112233" and sms.send_after is None  # ticked today: sent at once


def test_an_office_in_omsk_keeps_its_own_time_in_the_calendar_and_the_sms(world: World) -> None:
    crm, console = world.crm, world.console
    omsk = add_office(crm, "OMS-01", "Омск", "Омская область", "Офис «Ленина»", "ул. Ленина, д. 14", "", "Asia/Omsk")
    nine_omsk = datetime(2025, 3, 13, 3, 0, tzinfo=UTC)  # Thursday 09:00 in Omsk (UTC+6), 06:00 in Moscow
    late_wednesday = datetime(2025, 3, 12, 20, 0, tzinfo=UTC)  # Thursday 02:00 in Omsk, Wednesday 23:00 MSK
    slot = add_slot(crm, omsk, nine_omsk)
    add_slot(crm, omsk, late_wednesday)
    assert console.office(omsk).timezone == "Asia/Omsk"
    # The calendar's Thursday is Omsk's Thursday: both times, though one is Wednesday in Moscow
    assert [s.starts_at for s in console.office_slots(omsk, date(2025, 3, 13), 1)] == [late_wednesday, nine_omsk]
    client_id = world.client()
    region, town = crm.region_id("Омская область"), crm.town_id(crm.region_id("Омская область"), "Омск")
    visit = VisitChoice(region_id=region, town_id=town, office_id=omsk, slot_id=slot)
    state = CallState(answers=AGREED_PATH, products=[world.halva])
    console.save_call(world.call(client_id, "agreed", state=state, visit=visit))
    (sms,) = crm.rows("sms_outbox", purpose="visit")
    assert "13.03.2025" in sms.text and "09:00" in sms.text and "06:00" not in sms.text  # the client's hour
    assert sms.send_after.replace(tzinfo=UTC) == datetime(2025, 3, 12, 4, 0, tzinfo=UTC)  # 10:00 Omsk the day before


def test_callback_keeps_the_client_on_the_list_for_tomorrow(world: World) -> None:
    client_id = world.client()
    entry = world.console.save_call(
        world.call(client_id, "callback", reason="client_request", state=CallState(reached=True))
    )
    assert entry.reason == "client_request"
    row = member(world.crm, world.campaign, client_id)
    assert (row.state, row.next_call_at) == (MemberState.CALLBACK, datetime(2025, 3, 11, 9, 0, tzinfo=UTC))
    (contact,) = world.crm.rows("contact", kind="call")
    assert contact.next_at.replace(tzinfo=UTC) == datetime(2025, 3, 11, 9, 0, tzinfo=UTC)


def test_will_call_himself(world: World) -> None:
    client_id = world.client()
    path = CallState(answers=[1, 1, 5])  # halva: ... offer -> "will call himself"
    entry = world.console.save_call(world.call(client_id, "callback", preset="will_call_himself", state=path))
    assert (entry.reason, entry.comment) == ("client_request", "Client will call himself")
    assert member(world.crm, world.campaign, client_id).next_call_at == datetime(2025, 3, 24, 9, 0, tzinfo=UTC)


def test_think_needs_a_future_date(world: World) -> None:
    client_id = world.client()
    with pytest.raises(ValidationFailed) as err:
        world.console.save_call(
            world.call(client_id, "think", state=CallState(reached=True), next_at=T0 - timedelta(hours=1))
        )
    assert err.value.field == "next_at"
    world.console.save_call(world.call(client_id, "think", state=CallState(reached=True)))
    assert member(world.crm, world.campaign, client_id).next_call_at == datetime(2025, 3, 24, 9, 0, tzinfo=UTC)


def test_non_target_only_after_talking(world: World) -> None:
    client_id = world.client()
    with pytest.raises(ValidationFailed, match="Only after talking"):
        world.console.save_call(world.call(client_id, "non_target", reason="age"))
    assert world.counts()["calls"] == 0
    world.console.save_call(world.call(client_id, "non_target", reason="age", state=CallState(answers=[1, 1, 4])))


def test_refused_needs_two_objection_attempts(world: World) -> None:
    client_id = world.client()
    one = CallState(answers=[1, 1, 3])
    with pytest.raises(ValidationFailed, match=r"\(1 of 2 made\)"):
        world.console.save_call(world.call(client_id, "refused", reason="no_need", state=one))
    bank = CallState(answers=[1, 1, 3], objections=["credit_fear"])  # the second attempt from the bank
    entry = world.console.save_call(world.call(client_id, "refused", reason="no_need", state=bank))
    assert entry.result == "refused"


def test_card_product_self_pickup_books_a_place(world: World) -> None:
    client_id = world.client()
    no_card = CallState(answers=[1, 1, 1], products=[world.deposit])
    with pytest.raises(ValidationFailed, match="Halva instalment card"):
        world.console.save_call(world.call(client_id, "card_product", reason="fc_delivery", state=no_card))
    credit_card = CallState(answers=[1, 1, 1], products=[product_id(world.crm, "credit_card")])
    with pytest.raises(ValidationFailed, match="Halva instalment card"):  # a card, yet not Halva (slide 23)
        world.console.save_call(world.call(client_id, "card_product", reason="fc_delivery", state=credit_card))
    state = CallState(answers=[1, 1, 1, 3], products=[world.halva])
    with pytest.raises(ValidationFailed) as err:
        world.console.save_call(world.call(client_id, "card_product", reason="self_pickup", state=state))
    assert err.value.field == "visit"
    entry = world.console.save_call(
        world.call(client_id, "card_product", reason="self_pickup", state=state, visit=world.visit())
    )
    assert entry.reason == "self_pickup" and entry.products == ["Halva instalment card"]
    assert world.crm.count("booking", client_id=client_id) == 1


def test_consultation_within_fourteen_days_of_agreed(world: World) -> None:
    client_id = world.client()
    with pytest.raises(ValidationFailed, match="last 14 days"):
        world.console.save_call(world.call(client_id, "consultation"))
    world.console.save_call(world.agreed(client_id))
    world.crm.clock.advance(days=13)
    world.console.save_call(world.call(client_id, "consultation"))
    world.crm.clock.advance(days=2)
    with pytest.raises(ValidationFailed, match="last 14 days"):
        world.console.save_call(world.call(client_id, "consultation"))


def test_changed_visit_date(crm: Crm) -> None:
    world = World(crm)
    client_id = world.client()
    world.console.save_call(world.agreed(client_id))
    operator = crm.console("op", role="operator")
    with pytest.raises(ValidationFailed, match="may not change visit dates"):
        operator.save_call(
            world.call(client_id, "changed_visit_date", operator, state=CallState(reached=True), visit=world.visit())
        )
    office_staff = crm.console("office", role="office")
    later = add_slot(crm, world.office, VISIT + timedelta(days=1))
    office_staff.save_call(
        world.call(
            client_id, "changed_visit_date", office_staff, state=CallState(reached=True), visit=world.visit(later)
        )
    )
    now = crm.clock.now()
    assert (crm.repo.slot(world.slot, now).booked, crm.repo.slot(later, now).booked) == (0, 1)  # type: ignore[union-attr]
    assert [b.slot_id for b in crm.rows("booking", client_id=client_id)] == [later]


def test_do_not_disturb_reasons_by_role(crm: Crm) -> None:
    world = World(crm)
    client_id = world.client()
    with pytest.raises(ValidationFailed, match="Only SME staff"):
        world.console.save_call(world.call(client_id, "do_not_disturb", reason="business_not_conducted"))
    sme = crm.console("sme", role="sme")
    add_member(crm, world.campaign, (other := client(sme).id))
    sme.save_call(world.call(other, "do_not_disturb", sme, reason="business_not_conducted"))
    assert sme.open_card(other).do_not_disturb


def test_visit_to_client_for_sme(crm: Crm) -> None:
    world = World(crm)
    client_id = world.client()
    with pytest.raises(ValidationFailed, match="Only SME staff"):
        world.console.save_call(world.call(client_id, "visit_to_client", visit_at=VISIT))
    sme = crm.console("sme", role="sme")
    add_member(crm, world.campaign, (other := client(sme).id))
    entry = sme.save_call(world.call(other, "visit_to_client", sme, visit_at=VISIT))
    assert entry.visit_at == VISIT


def test_the_client_must_be_on_the_list(world: World) -> None:
    stranger = client(world.console).id
    with pytest.raises(ValidationFailed, match="not on this campaign's list"):
        world.console.start_call(stranger, world.campaign)


def test_a_retry_with_the_same_idempotency_key_writes_once(world: World) -> None:
    client_id = world.client()
    call = world.agreed(client_id)
    first = world.console.save_call(call, idempotency_key="call-0001-abcdef")
    again = world.console.save_call(call, idempotency_key="call-0001-abcdef")
    assert again.id == first.id
    assert world.counts()["calls"] == 1 and world.counts()["bookings"] == 1


# --- all or nothing ---------------------------------------------------------------------------


def test_a_full_slot_leaves_nothing_behind(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    full = add_slot(world.crm, world.office, VISIT + timedelta(hours=1), capacity=5, booked=5)
    client_id = world.client()
    call = world.agreed(client_id, slot=full)
    before, row_before = world.counts(), member(world.crm, world.campaign, client_id)
    with pytest.raises(SlotFull, match="This time is full"):
        world.console.save_call(call)
    # The place went between the operator's look and the write: the store refuses it in the transaction.
    repo = world.console.repo
    stale = repo.slot(full, T0).model_copy(update={"booked": 4, "free": 1, "bookable": True})  # type: ignore[union-attr]
    monkeypatch.setattr(repo, "slot", lambda slot_id, now: stale)
    with pytest.raises(SlotFull, match="This time is full"):
        world.console.save_call(call)
    assert world.counts() == before
    assert member(world.crm, world.campaign, client_id) == row_before
    assert world.crm.repo.slot(full, T0).booked == 5  # type: ignore[union-attr]


def test_a_failure_after_the_contact_row_leaves_nothing_behind(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    client_id = world.client()
    call = world.agreed(client_id)
    before, row_before = world.counts(), member(world.crm, world.campaign, client_id)
    inserted: list[int] = []
    real_insert = storage.repo_calls._insert_call

    def spy(conn, call):  # type: ignore[no-untyped-def]
        inserted.append(real_insert(conn, call))
        return inserted[-1]

    def broken(conn, call) -> None:  # type: ignore[no-untyped-def]
        raise RuntimeError("the SMS queue broke")

    monkeypatch.setattr(storage.repo_calls, "_insert_call", spy)
    monkeypatch.setattr(storage.repo_calls, "_queue_sms", broken)
    with pytest.raises(RuntimeError):
        world.console.save_call(call)
    assert inserted  # the contact row and the booking were written inside the transaction ...
    assert world.counts() == before  # ... and rolled back with it
    assert world.crm.repo.slot(world.slot, T0).booked == 0  # type: ignore[union-attr]
    assert member(world.crm, world.campaign, client_id) == row_before


def test_a_dnd_failure_keeps_the_flag_unset(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    client_id = world.client()

    def broken(conn, call) -> None:  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    monkeypatch.setattr(storage.repo_calls, "_update_member", broken)
    with pytest.raises(RuntimeError):
        world.console.save_call(world.call(client_id, "do_not_disturb", reason="client_died"))
    assert world.counts()["calls"] == 0
    assert not world.console.open_card(client_id).do_not_disturb


# --- two operators, one last place --------------------------------------------------------------


def test_two_operators_cannot_both_take_the_last_place(crm: Crm) -> None:
    world = World(crm)
    last = add_slot(crm, world.office, VISIT + timedelta(hours=2), capacity=5, booked=4)
    second = crm.console("op2", role="supervisor")
    consoles = [world.console, second]
    clients = [world.client(), world.client()]
    calls = [world.agreed(c, console, slot=last) for c, console in zip(clients, consoles, strict=True)]
    engines = [make_engine(crm.target), make_engine(crm.target)]  # two connections, one each
    for console, engine in zip(consoles, engines, strict=True):
        console.repo = SqlRepository(engine)
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def book(console, call) -> None:  # type: ignore[no-untyped-def]
        barrier.wait(timeout=30)
        try:
            outcomes.append(console.save_call(call))
        except Exception as exc:  # noqa: BLE001 - collected for the assertions
            outcomes.append(exc)

    threads = [threading.Thread(target=book, args=pair) for pair in zip(consoles, calls, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    for engine in engines:
        engine.dispose()
    full = [o for o in outcomes if isinstance(o, SlotFull)]
    saved = [o for o in outcomes if not isinstance(o, Exception)]
    assert len(saved) == 1 and len(full) == 1, outcomes
    assert crm.repo.slot(last, T0).booked == 5  # type: ignore[union-attr]
    assert crm.count("booking", slot_id=last) == 1
    assert crm.count("contact", kind="call") == 1
