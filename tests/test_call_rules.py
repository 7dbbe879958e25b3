"""Rules of the call at fixed instants (K3-K13, O3) and the call list (K16) on both engines.

T0 = Monday 2025-03-10 09:00 UTC = 12:00 in Moscow (UTC+3, no summer time).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from core.access.rules import DEFAULT_ROLES
from core.calls import rules
from core.calls.catalogue import catalogue
from core.calls.results import CallFacts, ResultInput, check_result, reason_availability, result_availability
from core.calls.rules import MemberState
from core.errors import ValidationFailed
from core.offices.rules import keyword_matches
from tests.helpers import T0

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
