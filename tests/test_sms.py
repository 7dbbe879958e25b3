"""C4: an SMS from a template to a card phone or a typed number; the outbox and the history."""

from __future__ import annotations

import inspect
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from core.clients.inputs import PhoneStrike
from core.console import LocalConsole
from core.errors import PermissionDenied, ValidationFailed
from core.port import Console
from tests.helpers import T0, Crm, new_client

OFFICE_HOURS = "Иван Иванович, наши офисы работают пн-пт 9:00-20:00, сб 10:00-17:00."


def test_send_from_a_template_to_a_card_phone(crm: Crm, console: LocalConsole) -> None:
    card = new_client(console, phones=["+79123456789", "+79161112233"])
    second = card.phones[1]

    item = console.send_sms(card.id, "office_hours", phone_id=second.id)

    assert (item.to, item.text, item.status, item.purpose, item.client_id) == (
        "+79161112233",
        OFFICE_HOURS,
        "queued",
        "client",
        card.id,
    )
    assert item.created_at == T0  # timezone-aware UTC on both engines
    (row,) = crm.rows("sms_outbox", client_id=card.id)
    assert (row.id, row.to, row.text, row.template_code) == (item.id, "+79161112233", OFFICE_HOURS, "office_hours")
    assert row.employee_id == console.whoami().id
    assert [o.id for o in crm.repo.outbox(10) if o.client_id == card.id] == [item.id]

    history = console.open_card(card.id).history
    sms = [h for h in history if h.kind == "sms"]
    assert len(sms) == 1
    assert (sms[0].phone, sms[0].comment, sms[0].result, sms[0].employee, sms[0].at) == (
        "+79161112233",
        OFFICE_HOURS,
        "Office hours",
        "Boss Testov",
        T0,
    )


def test_send_to_a_number_the_client_dictates(crm: Crm, console: LocalConsole) -> None:
    card = new_client(console)
    item = console.send_sms(card.id, "callback", number="8 (926) 111-22-33")
    assert item.to == "+79261112233"
    assert item.text == (
        "Иван Иванович, мы не смогли до вас дозвониться и перезвоним. Контакт-центр банка: 8 800 100-00-06."
    )
    (entry,) = [h for h in console.history(card.id) if h.kind == "sms"]
    assert (entry.phone, entry.comment) == ("+79261112233", item.text)
    assert crm.count("sms_outbox", client_id=card.id) == 1


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"template_code": "office_hours", "number": "12345"}, "phone"),
        ({"template_code": "office_hours", "number": "not a phone"}, "phone"),
        ({"template_code": "office_hours", "number": "  "}, "phone"),
        ({"template_code": "office_hours"}, "phone"),
        ({"template_code": "no_such_template", "number": "+79261112233"}, "template"),
    ],
)
def test_bad_requests_send_nothing(crm: Crm, console: LocalConsole, kwargs: dict, field: str) -> None:  # type: ignore[type-arg]
    card = new_client(console)
    with pytest.raises(ValidationFailed) as failure:
        console.send_sms(card.id, **kwargs)
    assert failure.value.field == field
    assert crm.count("sms_outbox", client_id=card.id) == 0
    assert [h.kind for h in console.history(card.id)] == ["status"]  # only "created"


def test_struck_or_foreign_phone_cannot_receive(crm: Crm, console: LocalConsole) -> None:
    card = new_client(console, phones=["+79123456789", "+79161112233"])
    other = new_client(console, surname="Петров", phones=["+79031234567"])
    card = console.strike_phone(
        card.id, PhoneStrike(phone_id=card.phones[0].id, reason="not_in_use", expected_version=card.contact_version)
    )
    for phone_id in (card.phones[0].id, other.phones[0].id):
        with pytest.raises(ValidationFailed, match="cannot receive SMS"):
            console.send_sms(card.id, "office_hours", phone_id=phone_id)
    assert crm.count("sms_outbox", client_id=card.id) == 0


def test_the_text_cannot_be_edited() -> None:
    """The port takes a template code and a number only: there is no way to pass a text."""
    for send in (Console.send_sms, LocalConsole.send_sms):
        params = set(inspect.signature(send).parameters)
        assert {"client_id", "template_code", "number"} <= params
        assert not params & {"text", "body", "message"}


def test_masked_operator_sends_to_call_but_the_outbox_has_the_number(crm: Crm, console: LocalConsole) -> None:
    card = new_client(console)
    operator = crm.console("olga", role="operator")
    item = operator.send_sms(card.id, "halva_info", phone_id=operator.open_card(card.id).phones[0].id)
    assert item.to == "+7 *** ***-**-89"
    (row,) = crm.rows("sms_outbox", client_id=card.id)
    assert row.to == "+79123456789"
    assert [h.phone for h in operator.history(card.id) if h.kind == "sms"] == ["+7 *** ***-**-89"]
    assert [h.phone for h in console.history(card.id) if h.kind == "sms"] == ["+79123456789"]


def test_a_role_without_send_sms_is_refused(crm: Crm, console: LocalConsole) -> None:
    card = new_client(console)
    control = crm.console("cg", role="control")
    with pytest.raises(PermissionDenied, match="may not send SMS"):
        control.send_sms(card.id, "office_hours", phone_id=card.phones[0].id)
    assert crm.count("sms_outbox", client_id=card.id) == 0


def test_templates_are_listed(console: LocalConsole) -> None:
    codes = [t.code for t in console.sms_templates()]
    assert codes == ["office_hours", "halva_info", "documents", "callback"]


def test_template_with_an_empty_field_leaves_no_stray_space() -> None:
    from core.clients.card_rules import render_template

    text = render_template("{first_name} {patronymic}, welcome  to {office}!", {"first_name": "Иван", "patronymic": ""})
    assert text == "Иван, welcome to {office}!"


def test_texts_to_a_client_are_in_the_clients_language_not_the_operators(crm: Crm, console: LocalConsole) -> None:
    """core.clients.card_rules: Russian by default; an English-speaking client gets the English text."""
    from core.calls.rules import visit_sms_text
    from core.clients.card_rules import client_text

    card = new_client(console)
    assert card.language == "ru"
    item = console.send_sms(card.id, "callback", phone_id=card.phones[0].id)
    assert "мы не смогли до вас дозвониться" in item.text and "we could not reach" not in item.text
    with crm.engine.begin() as conn:
        conn.execute(text("UPDATE client SET language = 'en' WHERE id = :id"), {"id": card.id})
    item = console.send_sms(card.id, "callback", phone_id=card.phones[0].id)
    assert "we could not reach you" in item.text
    assert client_text({"ru": "привет", "en": "hello"}, "de") == "привет"  # an unknown language: Russian
    visit = datetime(2025, 3, 13, 8, 0, tzinfo=UTC)
    assert "ждём вас 13.03.2025 в 11:00" in visit_sms_text("Иван", "Иванович", visit, "ул. Ленина, 1", "Europe/Moscow")
