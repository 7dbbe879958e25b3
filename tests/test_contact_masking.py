"""S5, S6: the effective masking of one employee (their own masks over the role's) decides whether
they edit the contact block, not the role's contacts permission."""

from __future__ import annotations

import pytest

from core.admin.inputs import EmployeeEdit, EmployeeFilter
from core.clients.card_rules import contacts_edit_verdict
from core.clients.inputs import ContactEdit, EmailInput, PhoneInput
from core.console import LocalConsole
from core.errors import PermissionDenied
from tests.helpers import Crm, new_client


def test_the_verdict_follows_what_is_masked_not_the_permission() -> None:
    seeing = {"edit_contacts", "view_contacts"}
    assert not contacts_edit_verdict(seeing, {"email"}).allowed
    assert not contacts_edit_verdict(seeing, ["phone"]).allowed
    assert contacts_edit_verdict({"edit_contacts"}, ()).allowed  # unmasked for them, whatever the role says
    assert contacts_edit_verdict({"edit_contacts"}, {"country"}).allowed  # the country is not in the block
    assert contacts_edit_verdict(set(), ()).reason == "Your role may not edit contact data."


def _unmask(adm: LocalConsole, login: str, **masks: str) -> None:
    who = next(e for e in adm.admin_employees(EmployeeFilter()) if e.login == login)
    adm.edit_employee(who.id, EmployeeEdit(expected_version=who.version, **masks))


def test_an_employee_shown_the_contacts_edits_them_though_the_role_masks(crm: Crm) -> None:
    adm = crm.console("adm", role="admin")
    card = new_client(crm.console("maker", role="office"), surname="Правкин")
    operator = crm.console("olga", role="operator")  # the role: no view_contacts, edit_contacts
    assert not operator.open_card(card.id).contacts_editable
    _unmask(adm, "olga", mask_phone="shown", mask_email="shown")
    seen = operator.open_card(card.id)
    assert seen.contacts_editable and seen.contacts_readonly_reason is None
    edit = ContactEdit(
        phones=[PhoneInput(id=seen.phones[0].id, number=seen.phones[0].number), PhoneInput(number="+79261112233")],
        emails=[EmailInput(address="new.one@mail.ru")],
        expected_version=seen.contact_version,
    )
    after = operator.edit_contacts(card.id, edit)
    assert [p.number for p in after.phones][-1] == "+79261112233" and after.emails[0].address == "new.one@mail.ru"


def test_an_employee_masked_one_field_may_not_edit_though_the_role_sees(crm: Crm) -> None:
    adm = crm.console("adm", role="admin")
    office = crm.console("kate", role="office")  # the role: view_contacts, edit_contacts
    card = new_client(office, surname="Скрытнов")
    _unmask(adm, "kate", mask_email="masked")
    seen = office.open_card(card.id)
    assert not seen.contacts_editable
    assert seen.contacts_readonly_reason == "Contact data is masked for you; ask a supervisor to change it."
    edit = ContactEdit(phones=[PhoneInput(number="+79261112233")], expected_version=seen.contact_version)
    with pytest.raises(PermissionDenied):
        office.edit_contacts(card.id, edit)
    assert [p.number for p in office.open_card(card.id).phones] == [p.number for p in seen.phones]
