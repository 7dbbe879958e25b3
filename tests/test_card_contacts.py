"""C3 striking phones, C2 contact edits, C10 their audit rows."""

from __future__ import annotations

import pytest

from core.clients.inputs import ContactEdit, EmailInput, PhoneInput, PhoneStrike
from core.clients.models import ClientCard
from core.console import LocalConsole
from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.vocab import StrikeReason
from storage import repo_clients
from tests.helpers import T0, Crm, new_client

FOUR_PHONES = ["+79123456789", "+79161112233", "+79031234567", "+74942312045"]


def contacts(card: ClientCard, phones=(), emails=(), **extra: object) -> ContactEdit:  # type: ignore[no-untyped-def]
    return ContactEdit(phones=list(phones), emails=list(emails), expected_version=card.contact_version, **extra)


# --- C3: striking a phone ----------------------------------------------------------------------


def test_strike_each_phone_with_each_reason(crm: Crm, console: LocalConsole) -> None:
    card = new_client(console, phones=FOUR_PHONES)
    reasons = list(StrikeReason)
    assert len(reasons) == len(card.phones) == 4

    for phone, reason in zip(card.phones, reasons, strict=True):
        before = card.contact_version
        card = console.strike_phone(
            card.id,
            PhoneStrike(phone_id=phone.id, reason=reason.value, comment=f"{reason.value}!", expected_version=before),
        )
        struck = next(p for p in card.phones if p.id == phone.id)
        assert (struck.number, struck.status, struck.strike_reason) == (phone.number, "struck", reason.value)
        assert card.contact_version == before + 1
        latest = card.changes[0]
        assert (latest.field, latest.old, latest.new) == (
            "phone_status",
            f"{phone.number} active",
            f"{phone.number} struck",
        )
        assert (latest.reason, latest.employee, latest.comment, latest.at) == (
            reason.label,
            "Boss Testov",
            f"{reason.value}!",
            T0,
        )

    assert [p.strike_reason for p in card.phones] == [r.value for r in reasons]
    assert sorted(c.reason for c in card.changes) == sorted(["Do not contact", "Changed", "Not in use", "Wrong"])
    assert crm.count("contact_change", field="phone_status") == 4
    assert crm.count("phone", status="struck") == 4


def test_unknown_strike_reason_is_rejected(crm: Crm, console: LocalConsole) -> None:
    card = new_client(console)
    with pytest.raises(ValidationFailed) as failure:
        console.strike_phone(
            card.id, PhoneStrike(phone_id=card.phones[0].id, reason="dislike", expected_version=card.contact_version)
        )
    assert failure.value.field == "reason"
    assert failure.value.message == "Choose a reason: Do not contact, Changed, Not in use, Wrong."
    assert console.open_card(card.id).phones[0].status == "active"
    assert crm.count("contact_change") == 0


def test_striking_twice_is_rejected(crm: Crm, console: LocalConsole) -> None:
    card = new_client(console)
    phone_id = card.phones[0].id
    card = console.strike_phone(
        card.id, PhoneStrike(phone_id=phone_id, reason="wrong", expected_version=card.contact_version)
    )
    with pytest.raises(ValidationFailed, match="struck already"):
        console.strike_phone(
            card.id, PhoneStrike(phone_id=phone_id, reason="changed", expected_version=card.contact_version)
        )
    after = console.open_card(card.id)
    assert after.phones[0].strike_reason == "wrong"
    assert crm.count("contact_change") == 1


def test_strike_with_a_stale_version_changes_nothing(crm: Crm, console: LocalConsole) -> None:
    card = new_client(console, phones=FOUR_PHONES[:2])
    console.strike_phone(
        card.id, PhoneStrike(phone_id=card.phones[0].id, reason="wrong", expected_version=card.contact_version)
    )
    with pytest.raises(Conflict):
        console.strike_phone(
            card.id, PhoneStrike(phone_id=card.phones[1].id, reason="wrong", expected_version=card.contact_version)
        )
    assert [p.status for p in console.open_card(card.id).phones] == ["struck", "active"]
    assert crm.count("contact_change") == 1


def test_strike_needs_edit_contacts(crm: Crm, console: LocalConsole) -> None:
    card = new_client(console)
    control = crm.console("cg", role="control")
    with pytest.raises(PermissionDenied, match="may not edit contact data"):
        control.strike_phone(
            card.id, PhoneStrike(phone_id=card.phones[0].id, reason="wrong", expected_version=card.contact_version)
        )
    assert console.open_card(card.id).phones[0].status == "active"


# --- C2: contact edits -------------------------------------------------------------------------


def test_change_a_number_and_add_one(crm: Crm, console: LocalConsole) -> None:
    card = new_client(console, phones=FOUR_PHONES[:2])
    first, second = card.phones

    saved = console.edit_contacts(
        card.id,
        contacts(
            card,
            phones=[
                PhoneInput(id=first.id, number="8 (926) 111-22-33"),
                PhoneInput(id=second.id, number="+7 916 111-22-33"),  # the same number, written otherwise
                PhoneInput(number="8 4942 31-20-45", kind="home"),
            ],
            reason="Client's request",
            comment="dictated by phone",
        ),
    )

    assert [(p.number, p.kind) for p in saved.phones] == [
        ("+79261112233", "mobile"),
        ("+79161112233", "mobile"),
        ("+74942312045", "home"),
    ]
    assert saved.contact_version == card.contact_version + 1
    rows = [(c.field, c.old, c.new) for c in saved.changes]
    assert sorted(rows, key=str) == [("phone", "+79123456789", "+79261112233"), ("phone", None, "+74942312045")]
    assert all((c.reason, c.comment, c.employee) == ("Client's request", "dictated by phone", "Boss Testov")
               for c in saved.changes)  # fmt: skip
    assert [s.id for s in console.search("8 926 111 22 33")] == [card.id]
    assert console.search("8 912 345 67 89") == []


def test_add_change_and_remove_an_email(crm: Crm, console: LocalConsole) -> None:
    card = new_client(console)
    assert card.emails == []

    card = console.edit_contacts(card.id, contacts(card, emails=[EmailInput(address=" Ivan@Mail.RU ")]))
    assert [e.address for e in card.emails] == ["Ivan@Mail.RU"]
    assert [s.id for s in console.search("ivan@mail.ru")] == [card.id]

    card = console.edit_contacts(
        card.id, contacts(card, emails=[EmailInput(id=card.emails[0].id, address="ivan.new@yandex.ru")])
    )
    assert [e.address for e in card.emails] == ["ivan.new@yandex.ru"]
    assert console.search("ivan@mail.ru") == []
    assert [s.id for s in console.search("IVAN.NEW@YANDEX.RU")] == [card.id]

    card = console.edit_contacts(card.id, contacts(card, emails=[EmailInput(id=card.emails[0].id, address="")]))
    assert card.emails == []
    assert console.search("ivan.new@yandex.ru") == []

    assert [(c.field, c.old, c.new) for c in reversed(card.changes)] == [
        ("email", None, "Ivan@Mail.RU"),
        ("email", "Ivan@Mail.RU", "ivan.new@yandex.ru"),
        ("email", "ivan.new@yandex.ru", None),
    ]
    assert card.contact_version == 4
    assert crm.count("email") == 0


@pytest.mark.parametrize("written", ["8 912 345-67-89", "+79123456789", "9123456789"])
def test_adding_a_number_already_on_the_card_is_rejected(crm: Crm, console: LocalConsole, written: str) -> None:
    card = new_client(console, phones=FOUR_PHONES[:2])
    with pytest.raises(ValidationFailed) as failure:
        console.edit_contacts(card.id, contacts(card, phones=[PhoneInput(number=written)]))
    assert failure.value.field == "phone"
    assert failure.value.message == "+79123456789 is already on this card."
    assert len(console.open_card(card.id).phones) == 2
    assert crm.count("contact_change") == 0


def test_changing_a_number_into_another_on_the_card_is_rejected(crm: Crm, console: LocalConsole) -> None:
    card = new_client(console, phones=FOUR_PHONES[:2])
    first, second = card.phones
    with pytest.raises(ValidationFailed, match=r"\+79123456789 is already on this card"):
        console.edit_contacts(card.id, contacts(card, phones=[PhoneInput(id=second.id, number=first.number)]))
    with pytest.raises(ValidationFailed, match=r"\+79261112233 is already on this card"):
        console.edit_contacts(
            card.id, contacts(card, phones=[PhoneInput(number="+79261112233"), PhoneInput(number="89261112233")])
        )
    assert [p.number for p in console.open_card(card.id).phones] == FOUR_PHONES[:2]
    assert crm.count("contact_change") == 0


def test_two_numbers_may_swap(console: LocalConsole) -> None:
    card = new_client(console, phones=FOUR_PHONES[:2])
    first, second = card.phones
    saved = console.edit_contacts(
        card.id,
        contacts(
            card, phones=[PhoneInput(id=first.id, number=second.number), PhoneInput(id=second.id, number=first.number)]
        ),
    )
    assert [p.number for p in saved.phones] == [FOUR_PHONES[1], FOUR_PHONES[0]]


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        ({"phones": [PhoneInput(number="12345")]}, "phone"),
        ({"phones": [PhoneInput(number="+79261112233", kind="fax")]}, "phone_kind"),
        ({"emails": [EmailInput(address="ivan@")]}, "email"),
        ({"emails": [EmailInput(address="ivan mail.ru")]}, "email"),
    ],
)
def test_invalid_contacts_are_rejected(crm: Crm, console: LocalConsole, edit: dict, field: str) -> None:  # type: ignore[type-arg]
    card = new_client(console)
    with pytest.raises(ValidationFailed) as failure:
        console.edit_contacts(card.id, contacts(card, **edit))
    assert failure.value.field == field
    assert console.open_card(card.id).contact_version == card.contact_version
    assert crm.count("contact_change") == 0


def test_contact_edit_with_a_stale_version_changes_nothing(crm: Crm, console: LocalConsole) -> None:
    card = new_client(console)
    console.edit_contacts(card.id, contacts(card, emails=[EmailInput(address="a@b.ru")]))
    with pytest.raises(Conflict):
        console.edit_contacts(card.id, contacts(card, phones=[PhoneInput(number="+79261112233")]))
    after = console.open_card(card.id)
    assert [p.number for p in after.phones] == ["+79123456789"]
    assert crm.count("contact_change") == 1


def test_contact_edit_failing_after_the_update_leaves_nothing(
    crm: Crm, console: LocalConsole, monkeypatch: pytest.MonkeyPatch
) -> None:
    card = new_client(console)
    real_audit = repo_clients._audit

    def audit_then_fail(*args, **kwargs):  # type: ignore[no-untyped-def]
        real_audit(*args, **kwargs)
        raise RuntimeError("connection lost")

    monkeypatch.setattr(repo_clients, "_audit", audit_then_fail)
    with pytest.raises(RuntimeError):
        console.edit_contacts(
            card.id,
            contacts(
                card,
                phones=[PhoneInput(id=card.phones[0].id, number="+79261112233"), PhoneInput(number="+79031234567")],
                emails=[EmailInput(address="a@b.ru")],
            ),
        )
    monkeypatch.undo()
    after = console.open_card(card.id)
    assert [p.number for p in after.phones] == ["+79123456789"]
    assert after.emails == []
    assert after.contact_version == card.contact_version
    assert (crm.count("contact_change"), crm.count("phone"), crm.count("email")) == (0, 1, 0)


def test_masked_operator_may_not_edit_contacts(crm: Crm, console: LocalConsole) -> None:
    card = new_client(console)
    operator = crm.console("olga", role="operator")
    seen = operator.open_card(card.id)
    assert seen.contacts_editable is False
    assert seen.contacts_readonly_reason == "Contact data is masked for you; ask a supervisor to change it."
    with pytest.raises(PermissionDenied):
        operator.edit_contacts(card.id, contacts(seen, phones=[PhoneInput(number="+79261112233")]))
    assert crm.count("phone") == 1


def test_masked_operator_sees_no_number_in_the_change_history(crm: Crm, console: LocalConsole) -> None:
    card = new_client(console, phones=["+79123456789", "+79161112233"])
    phone = card.phones[0]
    console.strike_phone(card.id, PhoneStrike(phone_id=phone.id, reason="wrong", expected_version=card.contact_version))
    seen = crm.console("olga", role="operator").open_card(card.id)
    assert (seen.changes[0].old, seen.changes[0].new) == ("+7 *** ***-**-89 active", "+7 *** ***-**-89 struck")
    dumped = seen.model_dump_json()
    assert "9123456789" not in dumped and "9161112233" not in dumped
