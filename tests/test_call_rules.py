"""Rules of the call at fixed instants (K3-K13, O3) and the call list (K16) on both engines.

T0 = Monday 2025-03-10 09:00 UTC = 12:00 in Moscow (UTC+3, no summer time).
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest

from core.access.rules import DEFAULT_ROLES, Permission, is_masked_phone
from core.calls import rules
from core.calls.catalogue import catalogue
from core.calls.inputs import CallResult, CallState
from core.calls.results import CallFacts, ResultInput, check_result, reason_availability, result_availability
from core.calls.rules import MemberState
from core.errors import ValidationFailed
from core.offices.rules import keyword_matches
from storage.engine import make_engine
from storage.sql_repository import SqlRepository
from tests.call_world import add_campaign, add_member, client, listed, member, set_dnd, strike_all_phones
from tests.helpers import T0, Crm

MSK = "Europe/Moscow"
CAT = catalogue()


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def facts(**kw: object) -> CallFacts:
    return CallFacts(now=T0, **kw)  # type: ignore[arg-type]


def perms(role: str) -> frozenset[str]:
    return frozenset(p.value for p in DEFAULT_ROLES[role][1])


# --- default dates --------------------------------------------------------------------------


def test_callback_defaults_to_tomorrow_same_time() -> None:
    assert rules.default_next_at(CAT["callback"], T0, MSK) == utc(2025, 3, 11, 9, 0)


def test_callback_after_hours_defaults_to_ten_tomorrow() -> None:
    late = utc(2025, 3, 10, 18, 30)  # 21:30 in Moscow
    assert rules.default_next_at(CAT["callback"], late, MSK) == utc(2025, 3, 11, 7, 0)  # 10:00 MSK


def test_tomorrow_is_counted_in_the_time_zone() -> None:
    night = utc(2025, 3, 10, 21, 30)  # already 00:30 on 11 March in Moscow
    assert rules.default_next_at(CAT["callback"], night, MSK) == utc(2025, 3, 12, 7, 0)
    assert rules.default_next_at(CAT["callback"], night, "UTC") == utc(2025, 3, 11, 10, 0)


def test_will_call_himself_is_fourteen_days_with_client_request() -> None:
    result = CAT["callback"]
    preset = result.preset("will_call_himself")
    assert preset is not None and preset.reason == "client_request"
    assert rules.default_next_at(result, T0, MSK, "will_call_himself") == utc(2025, 3, 24, 9, 0)
    assert rules.default_comment(result, "will_call_himself") == "Client will call himself"


def test_think_defaults_to_two_weeks() -> None:
    assert rules.default_next_at(CAT["think"], T0, MSK) == utc(2025, 3, 24, 9, 0)


def test_results_without_a_next_date_have_no_default() -> None:
    assert rules.default_next_at(CAT["agreed"], T0, MSK) is None


# --- follow-up of unreached clients ---------------------------------------------------------


def test_unreached_comes_back_in_two_hours_then_next_day_then_leaves() -> None:
    result = CAT["not_reached"]
    first = rules.follow_up(result, 0, T0, None, MSK)
    assert (first.state, first.attempts, first.next_call_at) == (MemberState.RETRY, 1, T0 + timedelta(hours=2))
    second = rules.follow_up(result, 1, T0, None, MSK)
    assert (second.state, second.attempts, second.next_call_at) == (MemberState.RETRY, 2, T0 + timedelta(days=1))
    last = rules.follow_up(result, rules.MAX_ATTEMPTS - 1, T0, None, MSK)
    assert (last.state, last.attempts, last.next_call_at) == (MemberState.EXHAUSTED, rules.MAX_ATTEMPTS, None)


def test_a_retry_after_hours_moves_to_the_next_morning() -> None:
    evening = utc(2025, 3, 10, 16, 30)  # 19:30 MSK; +2 h is 21:30
    plan = rules.follow_up(CAT["call_dropped"], 0, evening, None, MSK)
    assert plan.next_call_at == utc(2025, 3, 11, 7, 0)


def test_follow_ups_of_the_other_results() -> None:
    at = T0 + timedelta(days=1)
    assert rules.follow_up(CAT["callback"], 3, T0, at, MSK) == rules.FollowUp(MemberState.CALLBACK, at, 0, T0)
    assert rules.follow_up(CAT["agreed"], 0, T0, None, MSK).state == MemberState.DONE
    dnd = rules.follow_up(CAT["do_not_disturb"], 0, T0, None, MSK)
    assert dnd.state == MemberState.DONE and dnd.do_not_disturb


# --- preconditions ----------------------------------------------------------------------------


def test_refused_needs_two_objection_attempts() -> None:
    refused = CAT["refused"]
    for attempts in (0, 1):
        verdict = result_availability(refused, facts(talked=True, objection_attempts=attempts))
        assert not verdict.allowed
        assert verdict.why == f"Make 2 objection-handling attempts first ({attempts} of 2 made)."
    assert result_availability(refused, facts(talked=True, objection_attempts=2)).allowed


@pytest.mark.parametrize("code", ["non_target", "callback", "think", "refused", "agreed", "card_product"])
def test_conversation_results_only_after_talking(code: str) -> None:
    ready = {"objection_attempts": 2, "card_product": True, "halva_card": True}
    verdict = result_availability(CAT[code], facts(talked=False, **ready))
    assert not verdict.allowed and verdict.why == "Only after talking to the client or a third party."
    assert result_availability(CAT[code], facts(talked=True, **ready)).allowed


def test_outcomes_need_no_conversation() -> None:
    for code in ("not_reached", "call_dropped", "do_not_disturb"):
        assert result_availability(CAT[code], facts()).allowed


def test_consultation_needs_agreed_within_fourteen_days() -> None:
    consultation = CAT["consultation"]
    assert not result_availability(consultation, facts()).allowed
    assert result_availability(consultation, facts(last_agreed_at=T0 - timedelta(days=13, hours=23))).allowed
    verdict = result_availability(consultation, facts(last_agreed_at=T0 - timedelta(days=14, minutes=1)))
    assert not verdict.allowed and "last 14 days" in (verdict.why or "")


def test_changed_visit_date_is_disabled_for_contact_centre_operators() -> None:
    changed = CAT["changed_visit_date"]
    verdict = result_availability(changed, facts(permissions=perms("operator"), talked=True, upcoming_visit=True))
    assert not verdict.allowed and verdict.why == "Your role may not change visit dates."
    office = facts(permissions=perms("office"), talked=True, upcoming_visit=True)
    assert result_availability(changed, office).allowed
    no_visit = facts(permissions=perms("office"), talked=True)
    assert result_availability(changed, no_visit).why == "The client has no upcoming office visit to move."


def test_dnd_reasons_for_sme_and_control_group_only() -> None:
    dnd = CAT["do_not_disturb"]
    business, negative = dnd.reason("business_not_conducted"), dnd.reason("negative_information")
    assert business is not None and negative is not None
    operator = facts(permissions=perms("operator"))
    assert reason_availability(business, operator).why == "Only SME staff may use this."
    assert reason_availability(negative, operator).why == "Only the active control group may use this."
    assert reason_availability(business, facts(permissions=perms("sme"))).allowed
    assert not reason_availability(negative, facts(permissions=perms("sme"))).allowed
    assert reason_availability(negative, facts(permissions=perms("control"))).allowed
    assert all(reason_availability(r, operator).allowed for r in dnd.reasons[:5])


def test_visit_to_client_for_sme_only() -> None:
    visit = CAT["visit_to_client"]
    assert result_availability(visit, facts(permissions=perms("operator"))).why == "Only SME staff may use this."
    assert result_availability(visit, facts(permissions=perms("sme"))).allowed


def test_card_product_only_with_the_halva_card() -> None:
    verdict = result_availability(CAT["card_product"], facts(talked=True))
    assert verdict.why == "Only when the Halva instalment card is among the offered products."
    only_a_credit_card = facts(talked=True, card_product=True)  # slide 23: Halva, not any card
    assert result_availability(CAT["card_product"], only_a_credit_card).why == verdict.why
    assert result_availability(CAT["card_product"], facts(talked=True, card_product=True, halva_card=True)).allowed


def test_depositor_only_in_borrower_assessment() -> None:
    depositor = CAT["non_target"].reason("depositor")
    assert depositor is not None
    assert reason_availability(depositor, facts(talked=True)).why == "Only in a 'borrower assessment' campaign."
    assert reason_availability(depositor, facts(talked=True, campaign_kind="borrower_assessment")).allowed


def test_check_result_requires_the_fields() -> None:
    talking = facts(talked=True)
    with pytest.raises(ValidationFailed) as err:
        check_result(CAT, facts(), ResultInput("not_reached"))
    assert err.value.field == "reason"
    with pytest.raises(ValidationFailed) as err:
        check_result(CAT, talking, ResultInput("callback", "client_request", next_at=T0 - timedelta(minutes=1)))
    assert err.value.field == "next_at"
    with pytest.raises(ValidationFailed) as err:
        check_result(CAT, talking, ResultInput("agreed", product_ids=(1,)))
    assert err.value.field == "visit"
    with pytest.raises(ValidationFailed) as err:
        check_result(CAT, talking, ResultInput("agreed", has_visit=True))
    assert err.value.field == "products"
    with pytest.raises(ValidationFailed) as err:
        check_result(
            CAT,
            facts(card_product=True, halva_card=True, talked=True),
            ResultInput("card_product", "self_pickup", product_ids=(4,)),
        )
    assert err.value.field == "visit"  # self-pickup needs an office visit
    with pytest.raises(ValidationFailed) as err:
        check_result(
            CAT,
            talking,
            ResultInput("callback", "call_dropped", preset="will_call_himself", next_at=T0 + timedelta(days=1)),
        )
    assert err.value.field == "reason"  # the preset fixes "client's request"
    check_result(CAT, talking, ResultInput("callback", preset="will_call_himself", next_at=T0 + timedelta(days=14)))


# --- the visit SMS (O3) -----------------------------------------------------------------------


def test_visit_today_is_not_ticked_but_may_be_sent_now() -> None:
    visit = utc(2025, 3, 10, 14, 0)  # 17:00 MSK today
    assert not rules.visit_sms_default(visit, T0, MSK)
    assert rules.visit_sms_plan(visit, T0, None, MSK) == rules.SmsPlan(False, None)
    assert rules.visit_sms_plan(visit, T0, True, MSK) == rules.SmsPlan(True, None)  # ticked: sent at once


def test_visit_later_is_ticked_and_sent_the_day_before_at_ten() -> None:
    visit = utc(2025, 3, 13, 8, 0)  # Thursday 11:00 MSK
    assert rules.visit_sms_default(visit, T0, MSK)
    assert rules.visit_sms_plan(visit, T0, None, MSK) == rules.SmsPlan(True, utc(2025, 3, 12, 7, 0))
    assert rules.visit_sms_plan(visit, T0, False, MSK) == rules.SmsPlan(False, None)


def test_visit_tomorrow_called_after_ten_goes_out_at_once() -> None:
    visit = utc(2025, 3, 11, 8, 0)
    assert rules.visit_sms_plan(visit, T0, None, MSK) == rules.SmsPlan(True, None)  # 10:00 today has passed


def test_visit_sms_text() -> None:
    text = rules.visit_sms_text("Иван", "Петрович", utc(2025, 3, 13, 8, 0), "ул. Тверская, д. 22", MSK)
    assert text == "Иван Петрович, ждём вас 13.03.2025 в 11:00: ул. Тверская, д. 22."  # the client's language
    english = rules.visit_sms_text("Ivan", "Petrovich", utc(2025, 3, 13, 8, 0), "Tverskaya 22", MSK, language="en")
    assert english == "Ivan Petrovich, we are waiting for you on 13.03.2025 at 11:00: Tverskaya 22."


# --- offices keyword search, credit bureau --------------------------------------------------------


def test_keyword_search_folds_case_and_yo() -> None:
    office = ("Офис «Королёв»", "пр-т Космонавтов, д. 1", "м. Тверская, ТЦ Гринвич")
    assert keyword_matches("ТВЕРСКАЯ", *office)
    assert keyword_matches("королев", *office)
    assert keyword_matches("гринвич тверск", *office)
    assert not keyword_matches("гринвич арбат", *office)
    assert keyword_matches("", *office)


def test_builtin_bureau_is_deterministic() -> None:
    bureau = rules.BuiltinBureau()
    today = date(2025, 3, 10)
    assert bureau.decide("4510", "123456", date(2006, 1, 1), today) == "declined"  # 19 years old
    assert bureau.decide("4510", "123456", date(1950, 1, 1), today) == "declined"  # 75 years old
    answers = {bureau.decide("4510", f"{n:06d}", date(1980, 5, 17), today) for n in range(40)}
    assert answers == {"approved", "declined"}
    first = bureau.decide("4510", "000001", date(1980, 5, 17), today)
    assert all(bureau.decide("4510", "000001", date(1980, 5, 17), today) == first for _ in range(3))


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
