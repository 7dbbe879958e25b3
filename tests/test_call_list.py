"""The call list (K16) on SQLite and PostgreSQL: order, do-not-disturb, attempts, desks, no double hand-out."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from core.access.rules import DEFAULT_ROLES, Permission, is_masked_phone
from core.calls import rules
from core.calls.catalogue import catalogue
from core.calls.inputs import CallResult, CallState
from core.calls.rules import MemberState
from core.errors import ValidationFailed
from storage.engine import make_engine
from storage.sql_repository import SqlRepository
from tests.call_world import add_campaign, add_member, client, listed, member, set_dnd, strike_all_phones
from tests.helpers import T0, Crm

MSK = "Europe/Moscow"
CAT = catalogue()


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- the call list (K16), on SQLite and PostgreSQL -------------------------------------------------


@pytest.fixture
def boss(crm: Crm):  # type: ignore[no-untyped-def]
    return crm.console("boss", role="supervisor")


def test_call_list_order(crm: Crm, boss) -> None:  # type: ignore[no-untyped-def]
    campaign = add_campaign(crm)
    fresh_1 = listed(crm, boss, campaign)
    retry_due = listed(crm, boss, campaign, state="retry", next_call_at=T0 - timedelta(hours=3), attempts=1,
                       last_call_at=T0 - timedelta(hours=5))  # fmt: skip
    callback_late = listed(crm, boss, campaign, state="callback", next_call_at=T0 - timedelta(minutes=5))
    callback_early = listed(crm, boss, campaign, state="callback", next_call_at=T0 - timedelta(hours=2))
    listed(crm, boss, campaign, state="callback", next_call_at=T0 + timedelta(hours=1))  # not due yet
    listed(crm, boss, campaign, state="retry", next_call_at=T0 + timedelta(hours=1), attempts=1)  # not due yet
    fresh_2 = listed(crm, boss, campaign)
    listed(crm, boss, campaign, state="done")
    listed(crm, boss, campaign, state="exhausted", attempts=5)

    lists = {c.campaign.id: c for c in boss.call_lists()}
    assert (lists[campaign].due_callbacks, lists[campaign].fresh, lists[campaign].due_retries) == (2, 2, 1)
    handed = []
    while (card := boss.next_client(campaign)) is not None:
        handed.append(card.id)
    assert handed == [callback_early, callback_late, fresh_1, fresh_2, retry_due]


def test_dnd_and_struck_only_clients_are_never_handed_out(crm: Crm, boss) -> None:  # type: ignore[no-untyped-def]
    campaign = add_campaign(crm)
    dnd = listed(crm, boss, campaign, state="callback", next_call_at=T0 - timedelta(hours=1))
    set_dnd(crm, dnd)
    struck = listed(crm, boss, campaign)
    strike_all_phones(crm, struck)
    ok = listed(crm, boss, campaign)
    assert boss.next_client(campaign).id == ok  # type: ignore[union-attr]
    assert boss.next_client(campaign) is None


def test_a_dnd_result_takes_the_client_off_every_list(crm: Crm, boss) -> None:  # type: ignore[no-untyped-def]
    halva, loan = add_campaign(crm, "halva_cross_sell"), add_campaign(crm, "cash_loan_preapproved")
    card = client(boss)
    add_member(crm, halva, card.id)
    add_member(crm, loan, card.id)
    start = boss.start_call(card.id, halva)
    boss.save_call(
        CallResult(
            client_id=card.id,
            campaign_id=halva,
            phone_id=start.phone_id,
            started_at=start.started_at,
            result="do_not_disturb",
            reason="refused_conversation",
        )
    )
    assert boss.open_card(card.id).do_not_disturb
    crm.clock.advance(days=30)
    assert boss.next_client(loan) is None
    assert boss.next_client(halva) is None


def test_attempts_cap_and_recent_calls(crm: Crm, boss) -> None:  # type: ignore[no-untyped-def]
    campaign = add_campaign(crm)
    capped = listed(
        crm, boss, campaign, state="retry", attempts=rules.MAX_ATTEMPTS, next_call_at=T0 - timedelta(days=1)
    )
    recent = listed(crm, boss, campaign, last_call_at=T0 - timedelta(minutes=30))  # abandoned 30 min ago
    due_recent = listed(crm, boss, campaign, state="callback", next_call_at=T0, last_call_at=T0 - timedelta(minutes=10))
    assert boss.next_client(campaign).id == due_recent  # type: ignore[union-attr]  # a due call-back comes anyway
    assert boss.next_client(campaign) is None
    crm.clock.advance(minutes=31)
    # The call-back taken 31 minutes ago was never saved: after the hold it comes first again.
    assert boss.next_client(campaign).id == due_recent  # type: ignore[union-attr]
    assert boss.next_client(campaign).id == recent  # type: ignore[union-attr]
    assert boss.next_client(campaign) is None
    assert member(crm, campaign, capped).attempts == rules.MAX_ATTEMPTS


def test_unreached_five_times_leaves_the_list(crm: Crm, boss) -> None:  # type: ignore[no-untyped-def]
    campaign = add_campaign(crm)
    card_id = listed(crm, boss, campaign)
    for attempt in range(1, rules.MAX_ATTEMPTS + 1):
        card = boss.next_client(campaign)
        assert card is not None and card.id == card_id, attempt
        start = boss.start_call(card_id, campaign)
        boss.save_call(
            CallResult(
                client_id=card_id,
                campaign_id=campaign,
                phone_id=start.phone_id,
                started_at=start.started_at,
                result="not_reached",
                reason="no_answer",
            )
        )
        assert boss.next_client(campaign) is None  # not before the delay
        crm.clock.advance(days=1, hours=1)
    row = member(crm, campaign, card_id)
    assert (row.state, row.attempts) == (MemberState.EXHAUSTED, rules.MAX_ATTEMPTS)
    crm.clock.advance(days=10)
    assert boss.next_client(campaign) is None


def test_only_clients_of_the_employees_desks(crm: Crm, boss) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import insert

    from storage.engine import write
    from storage.tables import DeskRow

    with write(crm.engine) as conn:
        conn.execute(insert(DeskRow).values(name="Retention desk"))
    other = crm.console("other", role="operator", desks=("Retention desk",))
    campaign = add_campaign(crm)
    listed(crm, boss, campaign)  # a client of the main desk
    assert other.next_client(campaign) is None
    mine = listed(crm, other, campaign)
    assert other.next_client(campaign).id == mine  # type: ignore[union-attr]


def test_no_double_hand_out(crm: Crm, boss) -> None:  # type: ignore[no-untyped-def]
    campaign = add_campaign(crm)
    ids = {listed(crm, boss, campaign) for _ in range(6)}
    consoles = [boss, crm.console("op1", role="operator"), crm.console("op2", role="operator")]
    engines = [make_engine(crm.target) for _ in consoles]  # a connection pool of its own for each operator
    for console, engine in zip(consoles, engines, strict=True):
        console.repo = SqlRepository(engine)
    got: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(consoles))

    def work(console) -> None:  # type: ignore[no-untyped-def]
        try:
            barrier.wait(timeout=30)
            for _ in range(2):
                card = console.next_client(campaign)
                if card is not None:
                    got.append(card.id)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(c,)) for c in consoles]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    for engine in engines:
        engine.dispose()
    assert not errors, errors
    assert sorted(got) == sorted(ids)  # all six handed out, none twice


def test_start_call_takes_the_client_off_other_lists(crm: Crm, boss) -> None:  # type: ignore[no-untyped-def]
    campaign = add_campaign(crm)
    card_id = listed(crm, boss, campaign)
    start = boss.start_call(card_id, campaign)
    assert start.script is not None and not start.script.problems
    assert start.text_values["client.first_name"] == "Иван"
    other = crm.console("op", role="operator")
    assert other.next_client(campaign) is None
    assert is_masked_phone(other.start_call(card_id, campaign).phone)  # masked for the operator role


def test_result_options_say_why(crm: Crm) -> None:
    operator = crm.console("op", role="operator")
    campaign = add_campaign(crm)
    card_id = listed(crm, operator, campaign)
    options = {o.code: o for o in operator.result_options(card_id, campaign, CallState())}
    assert options["not_reached"].available and options["not_reached"].group == "outcome"
    assert not options["non_target"].available
    assert options["non_target"].why == "Only after talking to the client or a third party."
    assert options["changed_visit_date"].why == "Your role may not change visit dates."
    assert options["callback"].default_next_at == utc(2025, 3, 11, 9, 0)
    assert options["callback"].presets[0].default_next_at == utc(2025, 3, 24, 9, 0)
    dnd = {r.code: r for r in options["do_not_disturb"].reasons}
    assert not dnd["business_not_conducted"].available and dnd["refused_conversation"].available
    # Through the script: client on the line -> talking; "not interested" -> first objection block.
    talking = {o.code: o for o in operator.result_options(card_id, campaign, CallState(answers=[1, 1, 3]))}
    assert talking["non_target"].available
    assert talking["refused"].why == "Make 2 objection-handling attempts first (1 of 2 made)."
    after_two = {o.code: o for o in operator.result_options(card_id, campaign, CallState(answers=[1, 1, 3, 2, 2]))}
    assert after_two["refused"].available and after_two["refused"].script_suggests
    with pytest.raises(ValidationFailed):
        operator.result_options(card_id, campaign, CallState(answers=[9]))
    assert Permission.WORK_CALLS in DEFAULT_ROLES["operator"][1]


def test_an_unreached_call_does_not_put_a_closed_client_back() -> None:
    plan = rules.follow_up(CAT["not_reached"], 0, T0, None, MSK, state=MemberState.DONE)
    assert (plan.state, plan.next_call_at, plan.attempts) == (MemberState.DONE, None, 0)
    exhausted = rules.follow_up(CAT["call_dropped"], 5, T0, None, MSK, state=MemberState.EXHAUSTED)
    assert (exhausted.state, exhausted.attempts) == (MemberState.EXHAUSTED, 5)


def test_a_dnd_client_cannot_be_called_from_the_card(crm: Crm, boss) -> None:  # type: ignore[no-untyped-def]
    campaign = add_campaign(crm)
    card_id = listed(crm, boss, campaign)
    set_dnd(crm, card_id)
    with pytest.raises(ValidationFailed, match="not to be disturbed"):
        boss.start_call(card_id, campaign)


def test_visit_sms_text_without_a_patronymic_leaves_no_stray_space() -> None:
    english = rules.visit_sms_text("Ivan", "", utc(2025, 3, 13, 8, 0), "Tverskaya 22", MSK, language="en")
    assert english.startswith("Ivan, we are waiting for you on 13.03.2025 at 11:00")
    assert rules.visit_sms_text("Иван", "", utc(2025, 3, 13, 8, 0), "ул. Тверская, д. 22", MSK).startswith("Иван, ждём")
