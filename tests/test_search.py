"""F1, F2 search by every key; S4 desk isolation; S5 masking. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.access.rules import is_masked_phone
from core.clients.inputs import ContactEdit, EmailInput, PhoneInput
from core.clients.search import MAX_CLIENT_ID, plan
from core.clock import FixedClock
from core.console import LocalConsole
from core.errors import NotFound, ValidationFailed
from tests.helpers import T0, Crm, new_client
from tests.test_phones import WRITTEN_FORMS


@dataclass
class People:
    ivanov: int
    ivanova: int
    yolkin: int
    elkina: int
    smith: int
    petrov: int


@pytest.fixture(scope="module")
def reader(module_store: str) -> Iterator[LocalConsole]:
    """A supervisor on a database shared by the read-only tests of this module."""
    crm = Crm(module_store, FixedClock(T0))
    yield crm.console("boss", role="supervisor")
    crm.close()


@pytest.fixture(scope="module")
def people(reader: LocalConsole) -> People:
    ivanov = new_client(
        reader,
        phones=["8 912 345-67-89"],
        passport_series="4510",
        passport_number="123456",
        email="Ivan.Ivanov@Mail.ru",
    )
    ivanova = new_client(
        reader,
        allow_duplicate=True,  # shares the number with Иванов
        surname="Иванова",
        first_name="Мария",
        patronymic="Петровна",
        phones=["+79123456789", "+79161112233"],
    )
    yolkin = new_client(reader, surname="Ёлкин", first_name="Пётр", patronymic="Сергеевич", phones=["+79031234567"])
    elkina = new_client(reader, surname="Елкина", first_name="Анна", patronymic="Сергеевна", phones=["+79037654321"])
    smith = new_client(
        reader, surname="Smith", first_name="John", patronymic="", phones=["+79055550011"], client_type="internet"
    )
    petrov = new_client(reader, surname="Петров", first_name="Иван", patronymic="", phones=["+79267778899"])
    return People(ivanov.id, ivanova.id, yolkin.id, elkina.id, smith.id, petrov.id)


def ids(console: LocalConsole, query: str) -> set[int]:
    return {s.id for s in console.search(query)}


def test_phone_in_every_written_form_finds_every_card_carrying_it(reader: LocalConsole, people: People) -> None:
    for written in WRITTEN_FORMS:
        found = reader.search(written)
        assert {s.id for s in found} == {people.ivanov, people.ivanova}, written
        assert {s.matched_by for s in found} == {"phone"}
        assert all("+79123456789" in s.phones for s in found)
    assert ids(reader, "+7 916 111-22-33") == {people.ivanova}
    assert ids(reader, "8 999 000-00-00") == set()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("иванов", {"ivanov", "ivanova"}),  # lower-case prefix of the surname
        ("Иванов", {"ivanov", "ivanova"}),
        ("ИВАНОВ", {"ivanov", "ivanova"}),  # upper case (SQLite's lower() knows ASCII only)
        ("ива", {"ivanov", "ivanova"}),
        ("иванова", {"ivanova"}),
        ("иванов иван", {"ivanov"}),  # "surname name" prefix
        ("Иванов  Иван Ив", {"ivanov"}),
        ("иванова м", {"ivanova"}),
        ("ёлкин", {"yolkin", "elkina"}),  # ё = е both ways
        ("елкин", {"yolkin", "elkina"}),
        ("ЁЛКИНА", {"elkina"}),
        ("елкин петр", {"yolkin"}),
        ("ivanov", {"ivanov", "ivanova"}),  # Latin transliteration of a Cyrillic name
        ("Ivanov Ivan", {"ivanov"}),
        ("elkin", {"yolkin", "elkina"}),
        ("smith", {"smith"}),  # a name written in Latin
        ("SMITH J", {"smith"}),
        ("петров", {"petrov"}),
        ("иван", {"ivanov", "ivanova"}),  # a prefix of the surname, not of the first name
        ("сидоров", set()),
    ],
)
def test_name_search(reader: LocalConsole, people: People, query: str, expected: set[str]) -> None:
    found = reader.search(query)
    assert {s.id for s in found} == {getattr(people, n) for n in expected}
    assert all(s.matched_by == "name" for s in found)


def test_name_search_result_carries_the_summary(reader: LocalConsole, people: People) -> None:
    (found,) = reader.search("иванов иван")
    assert found.full_name == "Иванов Иван Иванович"
    assert found.phones == ["+79123456789"]
    assert found.client_type == "interested"
    assert found.desk == "Main desk"


def test_crm_id(reader: LocalConsole, people: People) -> None:
    for query in (f"id:{people.smith}", f"ID {people.smith}", f"id: {people.smith}"):
        found = reader.search(query)
        assert [s.id for s in found] == [people.smith], query
        assert found[0].matched_by == "id"
    plain = reader.search(str(people.elkina))
    assert [(s.id, s.matched_by) for s in plain] == [(people.elkina, "id")]
    assert reader.search("id:987654") == []
    assert reader.open_card(people.smith).full_name == "Smith John"


@pytest.mark.parametrize("query", ["4510 123456", "4510123456", " 4510  123456 "])
def test_passport_with_or_without_space(reader: LocalConsole, people: People, query: str) -> None:
    found = reader.search(query)
    assert [(s.id, s.matched_by) for s in found] == [(people.ivanov, "passport")]


def test_passport_unknown(reader: LocalConsole, people: People) -> None:
    assert reader.search("4510 654321") == []


@pytest.mark.parametrize("query", ["ivan.ivanov@mail.ru", "IVAN.IVANOV@MAIL.RU", "  Ivan.Ivanov@Mail.ru "])
def test_email_any_case(reader: LocalConsole, people: People, query: str) -> None:
    found = reader.search(query)
    assert [(s.id, s.matched_by) for s in found] == [(people.ivanov, "email")]


def test_email_unknown_and_empty_query(reader: LocalConsole, people: People) -> None:
    assert reader.search("ivan@mail.ru") == []
    assert reader.search("") == []
    assert reader.search("   ") == []


# --- S4: desks ---------------------------------------------------------------------------------


def test_an_employee_never_finds_another_desks_clients(crm: Crm) -> None:
    alice = crm.console("alice", role="office", desks=["Desk A"])
    bob = crm.console("bob", role="office", desks=["Desk B"])
    admin = crm.console("root", role="admin", desks=["Desk A"])
    a = new_client(alice, surname="Петров", first_name="Пётр", patronymic="", phones=["+79161234567"])
    b = new_client(
        bob,
        surname="Петров",
        first_name="Павел",
        patronymic="",
        phones=["+79161234567", "+79169990000"],
        passport_series="4600",
        passport_number="111222",
        email="pavel@example.com",
        allow_duplicate=True,  # same number as Alice's client, other desk
    )
    assert a.desk == "Desk A" and b.desk == "Desk B"

    for query in ("петров", "petrov", "+79161234567", "8 916 999-00-00", "4600 111222", "pavel@example.com"):
        assert b.id not in ids(alice, query), query
        assert a.id not in ids(bob, query), query
    assert ids(alice, "петров") == {a.id}
    assert ids(bob, "петров") == {b.id}
    assert ids(alice, f"id:{b.id}") == set()
    with pytest.raises(NotFound):
        alice.open_card(b.id)
    with pytest.raises(NotFound):
        alice.history(b.id)

    # administration staff with all_desks see both
    assert ids(admin, "петров") == {a.id, b.id}
    assert ids(admin, "+7 916 123-45-67") == {a.id, b.id}
    assert admin.open_card(b.id).desk == "Desk B"


def test_employee_of_two_desks_sees_both(crm: Crm) -> None:
    alice = crm.console("alice", role="office", desks=["Desk A"])
    bob = crm.console("bob", role="office", desks=["Desk B"])
    both = crm.console("carol", role="office", desks=["Desk A", "Desk B"])
    a = new_client(alice, surname="Сидоров", phones=["+79161234567"])
    b = new_client(bob, surname="Сидорова", phones=["+79161234568"])
    assert ids(both, "сидоров") == {a.id, b.id}


# --- S5: masking -------------------------------------------------------------------------------


def test_operator_without_view_contacts_sees_masked_numbers_and_nothing_unmasked(
    crm: Crm, console: LocalConsole
) -> None:
    card = new_client(console, phones=["+79123456789"], email="ivan.petrov@mail.ru")
    # leave numbers in the change history and the contact history too
    card = console.edit_contacts(
        card.id,
        ContactEdit(
            phones=[PhoneInput(id=card.phones[0].id, number="+79123450000"), PhoneInput(number="+79035551122")],
            emails=[EmailInput(id=card.emails[0].id, address="ivan.p@mail.ru")],
            expected_version=card.contact_version,
        ),
    )
    console.send_sms(card.id, "office_hours", phone_id=card.phones[0].id)
    console.send_sms(card.id, "callback", number="8 926 111-22-33")

    operator = crm.console("olga", role="operator")
    assert "view_contacts" not in operator.whoami().permissions

    found = operator.search("+7 912 345-00-00")
    assert [s.id for s in found] == [card.id]
    assert found[0].phones == ["**00", "**22"]  # S5: only the last two digits ("Call …00")
    assert operator.search("иванов")[0].phones == found[0].phones

    seen = operator.open_card(card.id)
    assert [p.number for p in seen.phones] == ["+7 *** ***-**-00", "+7 *** ***-**-22"]  # the card keeps the code
    assert all(p.masked for p in seen.phones)
    assert [e.address for e in seen.emails] == ["i***@m***.ru"]
    assert all(e.masked for e in seen.emails)
    assert {h.phone for h in seen.history if h.kind == "sms"} == {"+7 *** ***-**-00", "+7 *** ***-**-33"}
    assert {c.field for c in seen.changes} == {"phone", "email"}
    assert seen.contacts_editable is False

    dumped = seen.model_dump_json()
    for secret in ("9123456789", "9123450000", "9035551122", "9261112233", "ivan.petrov", "ivan.p@", "mail.ru"):
        assert secret not in dumped, secret
    history = operator.history(card.id)
    assert all(h.phone is None or is_masked_phone(h.phone) for h in history)

    # the supervisor (view_contacts) sees the real values
    unmasked = console.open_card(card.id)
    assert [p.number for p in unmasked.phones] == ["+79123450000", "+79035551122"]
    assert [e.address for e in unmasked.emails] == ["ivan.p@mail.ru"]


# --- any input: digits of every script, never an exception (issue 8, defect 2) -----------------


@pytest.mark.parametrize(
    ("query", "kind", "value"),
    [
        ("¹", "id", "1"),  # superscript: NFKC gives a decimal digit
        ("٣", "id", "3"),  # Arabic-Indic
        ("１２３", "id", "123"),  # fullwidth
        ("id:②", "id", "2"),
        ("+7 ９١٢ ３４５-６７-８９", "phone", "+79123456789"),
        ("᧚", "name", "᧚"),  # a digit to str.isdigit() that int() refuses: text
        ("id:᧚", "name", "id:᧚"),
    ],
)
def test_digits_of_other_scripts_are_digits_or_text(query: str, kind: str, value: str) -> None:
    assert (plan(query, "RU")[0].kind, plan(query, "RU")[0].value) == (kind, value)


@given(st.text(max_size=40))
@settings(max_examples=500, deadline=None)
def test_any_text_is_a_query_or_a_clear_refusal(query: str) -> None:
    try:
        lookups = plan(query, "RU")
    except ValidationFailed:
        return
    for lookup in lookups:
        if lookup.kind == "id":
            assert 0 < int(lookup.value) <= MAX_CLIENT_ID


def test_odd_digits_find_the_card(reader: LocalConsole, people: People) -> None:
    arabic = "".join(chr(0x0660 + int(d)) for d in str(people.smith))
    assert ids(reader, arabic) == {people.smith}
    assert ids(reader, "８ ９１２ ３４５-６７-８９") == {people.ivanov, people.ivanova}
    assert reader.search("¹²³⁴⁵⁶⁷⁸⁹") == [] and reader.search("᧚᧚᧚") == []
