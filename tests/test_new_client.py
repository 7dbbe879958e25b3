"""K17 / F3: a new client by hand, with the duplicate check on phone and passport."""

from __future__ import annotations

from datetime import date

import pytest

from core.console import LocalConsole, PossibleDuplicate
from core.errors import PermissionDenied, ValidationFailed
from tests.helpers import T0, Crm, draft, new_client


def test_a_new_client_gets_a_card(crm: Crm, console: LocalConsole) -> None:
    card = new_client(
        console,
        phones=["8 912 345-67-89", "+7 912 345 67 89"],  # the same number twice is kept once
        passport_series="4510",
        passport_number="123 456",
        email="ivan@mail.ru",
        comment="walked in",
    )
    assert card.full_name == "Иванов Иван Иванович"
    assert [p.number for p in card.phones] == ["+79123456789"]
    assert (card.passport_series, card.passport_number) == ("4510", "123456")
    assert [e.address for e in card.emails] == ["ivan@mail.ru"]
    assert (card.client_type, card.lifecycle, card.desk, card.responsible) == (
        "interested",
        "lead",
        "Main desk",
        "Boss Testov",
    )
    assert card.possible_duplicate is False
    assert card.created_at == T0
    assert [(h.kind, h.result, h.comment) for h in card.history] == [("status", "created", "walked in")]


def test_duplicate_phone_is_refused_with_the_matches(crm: Crm, console: LocalConsole) -> None:
    first = new_client(console)
    with pytest.raises(PossibleDuplicate) as dup:
        new_client(console, surname="Петров", phones=["8 (912) 345 67 89"])
    assert isinstance(dup.value, ValidationFailed)
    assert dup.value.code == "duplicate"
    assert [(m.id, m.matched_by, m.full_name) for m in dup.value.matches] == [
        (first.id, "phone", "Иванов Иван Иванович")
    ]
    assert dup.value.message == "Possible duplicate of 1 existing card(s)."
    assert crm.count("client") == 1


def test_duplicate_passport_is_refused_with_the_matches(crm: Crm, console: LocalConsole) -> None:
    first = new_client(console, passport_series="4510", passport_number="123456")
    with pytest.raises(PossibleDuplicate) as dup:
        new_client(console, surname="Петров", phones=["+79031234567"], passport_series="4510", passport_number="123456")
    assert [(m.id, m.matched_by) for m in dup.value.matches] == [(first.id, "passport")]
    assert crm.count("client") == 1


def test_phone_and_passport_matching_two_cards(crm: Crm, console: LocalConsole) -> None:
    by_phone = new_client(console, phones=["+79123456789"])
    by_passport = new_client(
        console, surname="Петров", phones=["+79031234567"], passport_series="4510", passport_number="123456"
    )
    candidate = draft(surname="Сидоров", phones=["+79123456789"], passport_series="4510", passport_number="123456")
    assert {(m.id, m.matched_by) for m in console.find_duplicates(candidate)} == {
        (by_phone.id, "phone"),
        (by_passport.id, "passport"),
    }
    with pytest.raises(PossibleDuplicate) as dup:
        console.create_client(candidate)
    assert {m.id for m in dup.value.matches} == {by_phone.id, by_passport.id}


def test_allow_duplicate_creates_a_flagged_card(crm: Crm, console: LocalConsole) -> None:
    first = new_client(console, passport_series="4510", passport_number="123456")
    second = new_client(console, allow_duplicate=True, surname="Иванова", first_name="Мария", phones=["89123456789"])
    assert second.possible_duplicate is True
    assert console.open_card(second.id).possible_duplicate is True
    assert console.open_card(first.id).possible_duplicate is False
    assert {s.id for s in console.search("+79123456789")} == {first.id, second.id}
    assert crm.count("client") == 2


def test_no_duplicate_no_flag(console: LocalConsole) -> None:
    new_client(console, phones=["+79123456789"], passport_series="4510", passport_number="123456")
    other = new_client(console, phones=["+79123456780"], passport_series="4510", passport_number="123457")
    assert other.possible_duplicate is False


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"phones": []}, "phones"),
        ({"phones": ["   "]}, "phones"),
        ({"phones": ["12345"]}, "phone"),
        ({"surname": ""}, "surname"),
        ({"first_name": "J0hn"}, "first_name"),
        ({"client_type": "vip"}, "client_type"),
        ({"passport_series": "45", "passport_number": "123456"}, "passport_series"),
        ({"passport_series": "4510", "passport_number": ""}, "passport_number"),
        ({"email": "nobody@"}, "email"),
        ({"birth_date": date(2030, 1, 1)}, "birth_date"),
    ],
)
def test_invalid_questionnaire(crm: Crm, console: LocalConsole, changes: dict, field: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ValidationFailed) as failure:
        new_client(console, **changes)
    assert failure.value.field == field
    assert crm.count("client") == 0


def test_recommendation_only_by_office_staff(crm: Crm, console: LocalConsole) -> None:
    referrer = new_client(console)
    operator = crm.console("olga", role="operator")
    with pytest.raises(PermissionDenied, match="office staff only"):
        new_client(operator, surname="Петров", phones=["+79031234567"], referrer_id=referrer.id)
    office = crm.console("oleg", role="office")
    linked = new_client(
        office, surname="Петров", phones=["+79031234567"], referrer_id=referrer.id, client_type="recommended"
    )
    assert linked.referrer == "Иванов Иван Иванович"
    assert [card.id for card in console.open_card(referrer.id).linked] == [linked.id]


def test_a_supervisor_may_not_enter_a_recommendation(crm: Crm, console: LocalConsole) -> None:
    """C9: office staff only; the supervisor role of a new database lacks the permission."""
    referrer = new_client(console)
    assert "enter_recommendation" not in console.whoami().permissions
    with pytest.raises(PermissionDenied, match="office staff only"):
        new_client(console, surname="Петров", phones=["+79031234567"], referrer_id=referrer.id)
