"""S7 personal block, S6 read-only roles, C10 audit in the same transaction, lost-update guard."""

from __future__ import annotations

from datetime import date

import pytest

from core.clients.inputs import PersonalEdit
from core.clients.models import ClientCard
from core.console import LocalConsole
from core.errors import Conflict, PermissionDenied, ValidationFailed
from storage import repo_clients
from storage.sql_repository import SqlRepository
from tests.helpers import T0, Crm, new_client

EDITABLE = ["internet", "interested", "recommended", "online_chat"]
READ_ONLY = {"client": "Client", "front_office": "Front-office applicant"}


def personal(card: ClientCard, **changes: object) -> PersonalEdit:
    values: dict[str, object] = {
        "surname": card.surname,
        "first_name": card.first_name,
        "patronymic": card.patronymic,
        "birth_date": card.birth_date,
        "region_id": card.region_id,
        "town_id": card.town_id,
        "expected_version": card.personal_version,
    }
    values.update(changes)
    return PersonalEdit(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize("client_type", EDITABLE)
def test_personal_data_editable_on_cards_from_these_sources(console: LocalConsole, client_type: str) -> None:
    card = new_client(console, client_type=client_type)
    assert card.personal_editable is True
    assert card.personal_readonly_reason is None

    saved = console.edit_personal(card.id, personal(card, surname="Петров", birth_date=date(1981, 1, 2)))

    assert (saved.surname, saved.birth_date, saved.full_name) == ("Петров", date(1981, 1, 2), "Петров Иван Иванович")
    assert saved.personal_version == card.personal_version + 1
    assert console.open_card(card.id).surname == "Петров"
    assert [s.id for s in console.search("петров иван")] == [card.id]  # the name keys follow the edit
    assert [s.id for s in console.search("petrov")] == [card.id]
    assert console.search("иванов") == []


@pytest.mark.parametrize(("client_type", "label"), READ_ONLY.items())
def test_client_and_front_office_cards_are_read_only(
    crm: Crm, console: LocalConsole, client_type: str, label: str
) -> None:
    card = new_client(console, client_type=client_type)
    reason = f"Personal data of a card of type '{label}' cannot be changed."
    assert card.personal_editable is False
    assert card.personal_readonly_reason == reason

    with pytest.raises(PermissionDenied) as denied:
        console.edit_personal(card.id, personal(card, surname="Петров"))

    assert denied.value.message == reason
    after = console.open_card(card.id)
    assert (after.surname, after.personal_version) == ("Иванов", card.personal_version)
    assert crm.count("contact_change") == 0


def test_a_role_without_edit_personal_is_read_only(crm: Crm, console: LocalConsole) -> None:
    card = new_client(console)
    sme = crm.console("sam", role="sme")
    seen = sme.open_card(card.id)
    assert seen.personal_editable is False
    assert seen.personal_readonly_reason == "Your role may not edit personal data."
    with pytest.raises(PermissionDenied, match="may not edit personal data"):
        sme.edit_personal(card.id, personal(seen, surname="Петров"))
    assert console.open_card(card.id).surname == "Иванов"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"birth_date": date(2025, 3, 11)}, "birth_date", "Birth date is in the future."),
        ({"birth_date": date(2015, 1, 1)}, "birth_date", "Birth date gives an age of 10; expected 14 to 120."),
        ({"surname": ""}, "surname", "Surname is required."),
        ({"surname": "   "}, "surname", "Surname is required."),
        ({"first_name": ""}, "first_name", "First name is required."),
        ({"first_name": "Иван2"}, "first_name", "First name may hold letters, spaces, hyphens only."),
        ({"surname": "Ив@нов"}, "surname", "Surname may hold letters, spaces, hyphens only."),
        ({"patronymic": "1"}, "patronymic", "Patronymic may hold letters, spaces, hyphens only."),
        ({"region_id": None, "town_id": "kostroma"}, "region", "Choose the region before the town."),
        ({"region_id": 99_999}, "region", "Unknown region."),
        ({"region_id": "kostroma_region", "town_id": "zelenograd"}, "town", "The town is not in the chosen region."),
    ],
)
def test_invalid_personal_data_is_rejected_with_the_field(
    crm: Crm, console: LocalConsole, changes: dict[str, object], field: str, message: str
) -> None:
    kostroma_region = crm.region_id("Костромская область")
    places = {
        "kostroma_region": kostroma_region,
        "kostroma": crm.town_id(kostroma_region, "Кострома"),
        "zelenograd": crm.town_id(crm.region_id("Москва"), "Зеленоград"),
    }
    card = new_client(console)
    resolved = {k: places.get(v, v) if isinstance(v, str) and k.endswith("_id") else v for k, v in changes.items()}

    with pytest.raises(ValidationFailed) as failure:
        console.edit_personal(card.id, personal(card, **resolved))

    assert (failure.value.field, failure.value.message) == (field, message)
    after = console.open_card(card.id)
    assert after.personal_version == card.personal_version
    assert (after.surname, after.first_name, after.birth_date) == ("Иванов", "Иван", date(1980, 5, 17))
    assert crm.count("contact_change") == 0


def test_one_audit_row_per_changed_field(crm: Crm, console: LocalConsole) -> None:
    region = crm.region_id("Костромская область")
    town = crm.town_id(region, "Кострома")
    card = new_client(console)

    saved = console.edit_personal(
        card.id,
        personal(
            card,
            surname="Петров",
            birth_date=date(1979, 12, 31),
            region_id=region,
            town_id=town,
            reason="Client's request",
            comment="new passport",
        ),
    )

    assert (saved.region, saved.town) == ("Костромская область", "Кострома")
    changes = {c.field: c for c in saved.changes}
    assert set(changes) == {"surname", "birth_date", "region", "town"}  # first name, patronymic unchanged
    assert (changes["surname"].old, changes["surname"].new) == ("Иванов", "Петров")
    assert (changes["birth_date"].old, changes["birth_date"].new) == ("1980-05-17", "1979-12-31")
    assert (changes["region"].old, changes["region"].new) == (None, "Костромская область")
    assert (changes["town"].old, changes["town"].new) == (None, "Кострома")
    for change in changes.values():
        assert change.employee == "Boss Testov"
        assert change.reason == "Client's request"
        assert change.comment == "new passport"
        assert change.at == T0
    assert crm.count("contact_change", client_id=card.id) == 4


def test_saving_without_changes_writes_nothing(crm: Crm, console: LocalConsole) -> None:
    card = new_client(console)
    same = console.edit_personal(card.id, personal(card, surname=" Иванов "))
    assert same.personal_version == card.personal_version
    assert crm.count("contact_change") == 0


def test_stale_version_raises_conflict_and_changes_nothing(crm: Crm, console: LocalConsole) -> None:
    card = new_client(console)
    colleague = crm.console("kate", role="supervisor")
    colleague.edit_personal(card.id, personal(card, surname="Петров"))

    with pytest.raises(Conflict, match="Someone else has changed this block"):
        console.edit_personal(card.id, personal(card, first_name="Пётр"))  # still holds version 1

    after = console.open_card(card.id)
    assert (after.surname, after.first_name, after.personal_version) == ("Петров", "Иван", 2)
    assert [(c.field, c.employee) for c in after.changes] == [("surname", "Kate Testov")]


def test_a_writer_who_loses_the_race_gets_conflict(crm: Crm, console: LocalConsole) -> None:
    """The version is checked again inside the write: a change saved between read and write wins."""
    card = new_client(console)
    colleague = crm.console("kate", role="supervisor")

    class Racing(SqlRepository):
        def update_personal(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            colleague.edit_personal(card.id, personal(card, surname="Сидоров"))
            return super().update_personal(*args, **kwargs)

    console.repo = Racing(crm.engine)
    with pytest.raises(Conflict):
        console.edit_personal(card.id, personal(card, surname="Петров"))

    after = colleague.open_card(card.id)
    assert (after.surname, after.personal_version) == ("Сидоров", 2)
    assert [(c.field, c.new) for c in after.changes] == [("surname", "Сидоров")]


def test_a_failure_after_the_update_leaves_neither_change_nor_audit(
    crm: Crm, console: LocalConsole, monkeypatch: pytest.MonkeyPatch
) -> None:
    card = new_client(console)
    real_audit = repo_clients._audit

    def audit_then_fail(*args, **kwargs):  # type: ignore[no-untyped-def]
        real_audit(*args, **kwargs)  # the audit rows are written, then the transaction breaks
        raise RuntimeError("disk full")

    monkeypatch.setattr(repo_clients, "_audit", audit_then_fail)
    with pytest.raises(RuntimeError, match="disk full"):
        console.edit_personal(card.id, personal(card, surname="Петров", birth_date=date(1970, 1, 1)))
    monkeypatch.undo()

    after = console.open_card(card.id)
    assert (after.surname, after.birth_date, after.personal_version) == ("Иванов", date(1980, 5, 17), 1)
    assert after.changes == []
    assert crm.count("contact_change") == 0
    # and the store still works afterwards
    console.edit_personal(card.id, personal(after, surname="Петров"))
    assert crm.count("contact_change") == 1
