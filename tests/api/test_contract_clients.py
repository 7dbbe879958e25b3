"""The clients' part of the Console port's contract (F1-F3, C1-C12, S4-S5): the same tests against the local console and the remote one
(a real uvicorn on 127.0.0.1), on SQLite and on PostgreSQL. Local and remote cannot drift apart."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

import pytest

from core.access.rules import is_masked_phone, phone_tail
from core.clients.inputs import ContactEdit, EmailInput, NewClient, PersonalEdit, PhoneInput, PhoneStrike
from core.console import PossibleDuplicate
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.idempotency import IdempotencyMismatch
from core.port import Console
from tests.api.world import World, unique_phone

SignIn = Callable[[str], Console]


def national(e164: str) -> str:
    """+79151234567 -> '8 (915) 123-45-67', the way an operator may type it."""
    d = e164[2:]
    return f"8 ({d[:3]}) {d[3:6]}-{d[6:8]}-{d[8:]}"


# --- search (F1, F2, S4, S5) ------------------------------------------------------------------


def test_search_by_phone_in_any_form_and_by_name(sign_in: SignIn, world: World) -> None:
    card = world.client("A", surname="Поисков", first_name="Пётр")
    phone = card.phones[0].number
    console = sign_in("off_a")
    for written in (phone, national(phone), phone[2:]):
        found = console.search(written)
        assert [s.id for s in found] == [card.id], written
        assert found[0].matched_by == "phone"
        assert found[0].phones == [phone]
    by_name = console.search("поиск")
    assert card.id in {s.id for s in by_name}
    assert console.search(str(card.id))[0].id == card.id


def test_search_masks_phones_for_a_role_without_view_contacts(sign_in: SignIn, world: World) -> None:
    """S5: the search answer of a masked employee holds only the phone's last two digits ("Call …89")."""
    card = world.client("A", phones=2)
    phone = card.phones[0].number
    found = sign_in("op_a").search(phone)
    assert [s.id for s in found] == [card.id]
    assert (
        found[0].phones
        == [phone_tail(p.number) for p in card.phones]
        == ["**" + phone[-2:], "**" + card.phones[1].number[-2:]]
    )
    answer = found[0].model_dump_json(include={"phones"})
    assert sum(ch.isdigit() for ch in answer) == 4  # two per phone, nothing beyond the last two


# --- the card -------------------------------------------------------------------------------


def test_open_card_and_history_page(sign_in: SignIn, world: World) -> None:
    card = world.client("A", email="mask.me@example.org", birth_date=date(1985, 1, 2))
    console = sign_in("off_a")
    opened = console.open_card(card.id)
    assert opened.id == card.id and opened.birth_date == date(1985, 1, 2)
    assert opened.emails[0].address == "mask.me@example.org"
    assert opened.personal_editable and opened.contacts_editable
    assert opened.history_total == 1 and opened.history[0].result == "created"
    console.add_comment(card.id, "first")
    console.add_comment(card.id, "second")
    page = console.history(card.id, offset=0, limit=2)
    assert [h.comment for h in page] == ["second", "first"]
    assert console.open_card(card.id, history_limit=1).history_total == 3
    with pytest.raises(NotFound):
        console.open_card(2_000_000_000)


def test_card_is_masked_for_an_operator_everywhere(sign_in: SignIn, world: World) -> None:
    card = world.client("A", email="secret.person@example.org")
    phone = card.phones[0].number
    office = sign_in("off_a")
    office.edit_contacts(
        card.id,
        ContactEdit(phones=[PhoneInput(number=unique_phone())], expected_version=card.contact_version),
    )
    office.send_sms(card.id, "callback", phone_id=card.phones[0].id)
    opened = sign_in("op_a").open_card(card.id)
    text = opened.model_dump_json()
    assert all(is_masked_phone(p.number) and p.masked for p in opened.phones)
    assert opened.emails[0].address != "secret.person@example.org" and opened.emails[0].masked
    assert phone not in text and "secret.person" not in text
    assert all(h.phone is None or is_masked_phone(h.phone) for h in opened.history)
    assert all(c.new is None or is_masked_phone(c.new) for c in opened.changes if c.field == "phone")
    assert not opened.contacts_editable or opened.contacts_editable  # the flag exists either way


def test_edit_personal_saves_and_a_stale_version_is_a_conflict(sign_in: SignIn, world: World) -> None:
    card = world.client("A")
    first, second = sign_in("off_a"), sign_in("sup")
    edit = PersonalEdit(
        surname="Новиков", first_name="Клиент", patronymic="Иванович", expected_version=card.personal_version
    )
    saved = first.edit_personal(card.id, edit)
    assert saved.surname == "Новиков" and saved.personal_version == card.personal_version + 1
    assert saved.changes[0].field == "surname" and saved.changes[0].new == "Новиков"
    with pytest.raises(Conflict):
        second.edit_personal(card.id, edit.model_copy(update={"surname": "Старов"}))
    assert second.open_card(card.id).surname == "Новиков"


def test_edit_personal_validation_names_the_field(sign_in: SignIn, world: World) -> None:
    card = world.client("A")
    edit = PersonalEdit(surname=" ", first_name="Клиент", expected_version=card.personal_version)
    with pytest.raises(ValidationFailed) as failed:
        sign_in("off_a").edit_personal(card.id, edit)
    assert failed.value.field == "surname"


def test_personal_data_of_a_client_type_card_is_read_only(sign_in: SignIn, world: World) -> None:
    """S7: cards of type Client and Front-office applicant are read-only."""
    card = world.client("A", client_type="client")
    console = sign_in("off_a")
    opened = console.open_card(card.id)
    assert not opened.personal_editable and opened.personal_readonly_reason
    edit = PersonalEdit(surname="Другов", first_name="Клиент", expected_version=card.personal_version)
    with pytest.raises(PermissionDenied):
        console.edit_personal(card.id, edit)


def test_role_without_edit_rights_is_refused(sign_in: SignIn, world: World) -> None:
    """S6: the control group may not edit contact data."""
    card = world.client("A")
    edit = ContactEdit(phones=[PhoneInput(number=unique_phone())], expected_version=card.contact_version)
    with pytest.raises(PermissionDenied):
        sign_in("ctl_a").edit_contacts(card.id, edit)


def test_edit_contacts_and_conflict(sign_in: SignIn, world: World) -> None:
    card = world.client("A")
    console = sign_in("off_a")
    added = unique_phone()
    saved = console.edit_contacts(
        card.id,
        ContactEdit(
            phones=[PhoneInput(number=national(added), kind="home")],
            emails=[EmailInput(address="New.Mail@Example.org")],
            expected_version=card.contact_version,
        ),
    )
    assert [p.number for p in saved.phones] == [card.phones[0].number, added]
    assert saved.emails[0].address.lower() == "new.mail@example.org"
    assert saved.contact_version == card.contact_version + 1
    with pytest.raises(Conflict):
        console.edit_contacts(
            card.id, ContactEdit(phones=[PhoneInput(number=unique_phone())], expected_version=card.contact_version)
        )


def test_strike_a_phone(sign_in: SignIn, world: World) -> None:
    card = world.client("A", phones=2)
    console = sign_in("off_a")
    phone = card.phones[1]
    with pytest.raises(ValidationFailed) as failed:
        console.strike_phone(card.id, PhoneStrike(phone_id=phone.id, reason="bored", expected_version=1))
    assert failed.value.field == "reason"
    struck = console.strike_phone(
        card.id, PhoneStrike(phone_id=phone.id, reason="wrong", comment="not him", expected_version=1)
    )
    assert [p.status for p in struck.phones] == ["active", "struck"]
    assert struck.phones[1].strike_reason == "wrong"
    with pytest.raises(Conflict):
        console.strike_phone(card.id, PhoneStrike(phone_id=card.phones[0].id, reason="wrong", expected_version=1))


def test_comment(sign_in: SignIn, world: World) -> None:
    card = world.client("A")
    console = sign_in("op_a")
    entry = console.add_comment(card.id, "  Просил перезвонить вечером  ")
    assert (entry.kind, entry.comment, entry.employee) == ("comment", "Просил перезвонить вечером", "Op_a Testov")
    with pytest.raises(ValidationFailed) as failed:
        console.add_comment(card.id, "   ")
    assert failed.value.field == "comment"


# --- SMS (C4) and no double save -------------------------------------------------------------


def test_sms_to_a_masked_phone_is_sent_and_stays_masked(sign_in: SignIn, world: World) -> None:
    card = world.client("A")
    console = sign_in("op_a")
    templates = {t.code for t in console.sms_templates()}
    assert "callback" in templates
    item = console.send_sms(card.id, "callback", phone_id=card.phones[0].id)
    assert is_masked_phone(item.to) and item.status == "queued" and item.client_id == card.id
    assert "Клиент" in item.text
    assert world.outbox_count(card.id) == 1
    history = console.history(card.id)
    assert history[0].kind == "sms" and is_masked_phone(history[0].phone)
    typed = unique_phone()
    assert console.send_sms(card.id, "callback", number=national(typed)).to == typed
    with pytest.raises(ValidationFailed) as failed:
        console.send_sms(card.id, "no_such_template", phone_id=card.phones[0].id)
    assert failed.value.field == "template"


def test_sms_retried_with_the_same_key_is_sent_once(sign_in: SignIn, world: World) -> None:
    card = world.client("A")
    console = sign_in("off_a")
    key = f"test-{uuid.uuid4()}"
    first = console.send_sms(card.id, "callback", phone_id=card.phones[0].id, idempotency_key=key)
    again = console.send_sms(card.id, "callback", phone_id=card.phones[0].id, idempotency_key=key)
    assert again == first
    assert world.outbox_count(card.id) == 1
    assert len([h for h in console.history(card.id) if h.kind == "sms"]) == 1
    with pytest.raises(IdempotencyMismatch):
        console.send_sms(card.id, "office_hours", phone_id=card.phones[0].id, idempotency_key=key)
    assert world.outbox_count(card.id) == 1
    # another key is another SMS
    console.send_sms(card.id, "callback", phone_id=card.phones[0].id, idempotency_key=f"test-{uuid.uuid4()}")
    assert world.outbox_count(card.id) == 2


# --- new client and duplicates (K17, F3) ------------------------------------------------------


def test_new_client_with_a_duplicate_phone(sign_in: SignIn, world: World) -> None:
    existing = world.client("A")
    phone = existing.phones[0].number
    console = sign_in("op_a")
    draft = NewClient(surname="Дублев", first_name="Денис", phones=[national(phone)])
    assert [m.id for m in console.find_duplicates(draft)] == [existing.id]
    with pytest.raises(PossibleDuplicate) as dup:
        console.create_client(draft)
    assert [m.id for m in dup.value.matches] == [existing.id]
    assert is_masked_phone(dup.value.matches[0].phones[0]) and dup.value.field == "phones"
    created = console.create_client(draft, allow_duplicate=True)
    assert created.possible_duplicate and created.desk == "Main desk"
    assert created.surname == "Дублев" and is_masked_phone(created.phones[0].number)
    with pytest.raises(ValidationFailed) as failed:
        console.create_client(NewClient(surname="Безномеров", first_name="Б", phones=[]))
    assert failed.value.field == "phones"


# --- desks (S4) -----------------------------------------------------------------------------


def test_another_desks_card_does_not_exist_for_an_operator(sign_in: SignIn, world: World) -> None:
    theirs = world.client("B", surname="Чужаков")
    phone = theirs.phones[0]
    console = sign_in("op_a")
    assert console.search(phone.number) == []
    assert theirs.id not in {s.id for s in console.search("чужаков")}
    assert console.search(str(theirs.id)) == []
    calls: list[Callable[[], object]] = [
        lambda: console.open_card(theirs.id),
        lambda: console.history(theirs.id),
        lambda: console.add_comment(theirs.id, "hi"),
        lambda: console.send_sms(theirs.id, "callback", phone_id=phone.id),
        lambda: console.edit_personal(
            theirs.id, PersonalEdit(surname="X", first_name="Y", expected_version=theirs.personal_version)
        ),
        lambda: console.edit_contacts(theirs.id, ContactEdit(expected_version=theirs.contact_version)),
        lambda: console.strike_phone(
            theirs.id, PhoneStrike(phone_id=phone.id, reason="wrong", expected_version=theirs.contact_version)
        ),
    ]
    for call in calls:
        with pytest.raises(NotFound) as missing:
            call()
        assert phone.number not in missing.value.message
    # duplicates are counted across desks, but the other desk's card is not shown
    draft = NewClient(surname="Чужаков", first_name="Ч", phones=[phone.number])
    with pytest.raises(PossibleDuplicate) as dup:
        console.create_client(draft)
    assert dup.value.matches == []
    # an employee of both desks sees it
    assert sign_in("adm").open_card(theirs.id).id == theirs.id


# --- reference data -------------------------------------------------------------------------


def test_regions_and_towns(sign_in: SignIn, world: World) -> None:
    console = sign_in("op_a")
    regions = console.regions()
    region = next(r for r in regions if r.name == "Костромская область")
    assert {t.name for t in console.towns(region.id)} >= {"Кострома", "Буй"}
    assert console.towns(999_999) == []
