"""Administration rules (S3-S6) through the local Console on both engines: permissions, the
last-administrator guard, stale edits, desk moves at the next request, masking per employee over
the role, read-only, password reset, unlock, the second factor, the append-only audit log."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.access.rules import Permission, is_masked_phone
from core.access.throttle import TooManyAttempts
from core.admin.inputs import (
    ActiveEdit,
    AuditFilter,
    EmployeeEdit,
    EmployeeFilter,
    NewEmployee,
    NewRole,
    PasswordReset,
    RoleEdit,
    SecondFactorEdit,
)
from core.admin.rules import effective_access
from core.console import LocalConsole
from core.errors import AuthFailed, Conflict, NotFound, PermissionDenied, ValidationFailed
from tests.helpers import MAIN_DESK, PASSWORD, Crm, new_client

NEW_PASSWORD = "brand-new-Pass1"


@pytest.fixture
def adm(crm: Crm) -> LocalConsole:
    return crm.console("adm", role="admin")


def line(console: LocalConsole, login: str):  # type: ignore[no-untyped-def]
    return next(e for e in console.admin_employees(EmployeeFilter()) if e.login == login)


def desk_id(console: LocalConsole, name: str) -> int:
    return next(d.id for d in console.admin_desks() if d.name == name)


def test_effective_access_the_employee_overrides_the_role() -> None:
    operator = ["edit_contacts", "edit_personal", "work_calls"]
    assert effective_access(operator, {}, False, {}, None) == (operator, ["phone", "email"])
    perms, masked = effective_access(operator, {}, False, {"phone": False, "email": False}, None)
    assert masked == [] and Permission.VIEW_CONTACTS in perms
    perms, masked = effective_access(["view_contacts"], {"country": True}, False, {"phone": True}, None)
    assert masked == ["phone", "country"] and Permission.VIEW_CONTACTS not in perms
    perms, _ = effective_access(operator, {}, True, {}, None)
    assert "edit_contacts" not in perms and "edit_personal" not in perms and "work_calls" in perms
    perms, _ = effective_access(operator, {}, True, {}, False)  # the employee's own "no" wins
    assert "edit_contacts" in perms


def test_only_administrators_administer(crm: Crm, console: LocalConsole) -> None:
    with pytest.raises(PermissionDenied, match="administer"):
        console.admin_employees(EmployeeFilter())
    with pytest.raises(PermissionDenied):
        console.add_role(NewRole(code="x_role", name="X"))


def test_every_permission_is_explained(adm: LocalConsole) -> None:
    infos = adm.admin_permissions()
    assert {i.code for i in infos} == {p.value for p in Permission}
    assert all(i.text for i in infos)


def test_add_edit_and_filter_employees(crm: Crm, adm: LocalConsole) -> None:
    main = desk_id(adm, MAIN_DESK)
    added = adm.add_employee(
        NewEmployee(login="ivan", full_name="Ivan  Petrov", password=PASSWORD, role="operator",
                    desk_ids=[main], mobile="8 912 000-11-22")
    )  # fmt: skip
    assert (added.channel, added.provisioning_uri) == ("sms", None)
    ivan = line(adm, "ivan")
    assert (ivan.full_name, ivan.mobile, ivan.must_change_password) == ("Ivan Petrov", "+79120001122", True)
    assert [e.login for e in adm.admin_employees(EmployeeFilter(role="operator"))] == ["ivan"]
    assert "ivan" not in {e.login for e in adm.admin_employees(EmployeeFilter(active=False))}
    edited = adm.edit_employee(ivan.id, EmployeeEdit(full_name="Ivan Sidorov", role="office", expected_version=0))
    assert (edited.full_name, edited.role, edited.version) == ("Ivan Sidorov", "office", 1)
    with pytest.raises(ValidationFailed, match="Unknown role"):
        adm.edit_employee(ivan.id, EmployeeEdit(role="nope", expected_version=1))
    with pytest.raises(ValidationFailed, match="taken"):
        adm.add_employee(NewEmployee(login="ivan", full_name="I", password=PASSWORD, role="operator", totp=True))


def test_a_stale_edit_answers_conflict_and_says_so(crm: Crm, adm: LocalConsole) -> None:
    crm.add_employee("olga", role="operator")
    olga = line(adm, "olga")
    adm.edit_employee(olga.id, EmployeeEdit(full_name="Olga A", expected_version=olga.version))
    with pytest.raises(Conflict, match="changed this employee meanwhile"):
        adm.edit_employee(olga.id, EmployeeEdit(full_name="Olga B", expected_version=olga.version))
    role = next(r for r in adm.admin_roles() if r.code == "operator")
    adm.edit_role(role.id, RoleEdit(name="Operator", expected_version=role.version))
    with pytest.raises(Conflict, match="changed this role meanwhile"):
        adm.edit_role(role.id, RoleEdit(name="Operator 2", expected_version=role.version))


def test_the_last_active_administrator_stays(crm: Crm, adm: LocalConsole) -> None:
    me = line(adm, "adm")
    crm.add_employee("helper", role="supervisor")
    helper = line(adm, "helper")
    with pytest.raises(ValidationFailed, match="yourself"):
        adm.set_employee_active(me.id, ActiveEdit(active=False, expected_version=me.version))
    with pytest.raises(ValidationFailed, match="last active administrator"):
        adm.edit_employee(me.id, EmployeeEdit(role="supervisor", expected_version=me.version))
    admin_role = next(r for r in adm.admin_roles() if r.code == "admin")
    without = [p for p in admin_role.permissions if p != Permission.MANAGE_USERS]
    with pytest.raises(ValidationFailed, match="last active administrator"):
        adm.edit_role(admin_role.id, RoleEdit(permissions=without, expected_version=admin_role.version))
    adm.edit_employee(helper.id, EmployeeEdit(role="admin", expected_version=helper.version))
    after = adm.edit_employee(me.id, EmployeeEdit(role="supervisor", expected_version=me.version))  # two now
    assert after.role == "supervisor"
    second = crm.sign_in("helper")
    with pytest.raises(ValidationFailed, match="last active administrator"):
        second.edit_role(admin_role.id, RoleEdit(permissions=without, expected_version=admin_role.version))


def test_roles_create_copy_rename_and_a_role_in_use_stays(crm: Crm, adm: LocalConsole) -> None:
    junior = adm.add_role(NewRole(code="junior", name="Junior operator", copy_from="operator"))
    operator = next(r for r in adm.admin_roles() if r.code == "operator")
    assert junior.permissions == operator.permissions and junior.members == 0
    with pytest.raises(ValidationFailed, match="Unknown permission"):
        adm.edit_role(junior.id, RoleEdit(permissions=["fly"], expected_version=0))
    renamed = adm.edit_role(junior.id, RoleEdit(name="Junior", expected_version=0))
    assert (renamed.name, renamed.version) == ("Junior", 1)
    crm.add_employee("kid", role="junior")
    with pytest.raises(ValidationFailed, match="given to 1 employee"):
        adm.delete_role(junior.id, 1)
    empty = adm.add_role(NewRole(code="empty_role", name="Empty", permissions=["comment"]))
    adm.delete_role(empty.id, 0)
    assert "empty_role" not in {r.code for r in adm.admin_roles()}


def test_a_desk_move_takes_effect_at_the_next_request(crm: Crm, adm: LocalConsole) -> None:
    other = adm.add_desk("Retention")
    creator = crm.console("maker", role="office", desks=["Retention"])
    card = new_client(creator, surname="Переездов")
    crm.add_employee("mover", role="operator")
    mover = crm.sign_in("mover")
    with pytest.raises(NotFound):
        mover.open_card(card.id)
    who = line(adm, "mover")
    adm.edit_employee(who.id, EmployeeEdit(desk_ids=[other.id], expected_version=who.version))
    assert mover.open_card(card.id).id == card.id  # the same session, no new sign-in
    assert mover.whoami().desks == ["Retention"]


def test_masking_per_employee_overrides_the_role_and_the_phone_still_dials(crm: Crm, adm: LocalConsole) -> None:
    maker = crm.console("ent", role="office")
    region = maker.regions()[0]
    card = new_client(maker, surname="Маскин", email="mask.me@mail.ru", region_id=region.id)
    number = card.phones[0].number
    crm.add_employee("op1", role="operator")
    op = crm.sign_in("op1")
    shown = op.open_card(card.id)
    assert shown.phones[0].masked and shown.emails[0].masked  # the role's default: no view_contacts
    who = line(adm, "op1")
    adm.edit_employee(who.id, EmployeeEdit(mask_email="shown", expected_version=who.version))
    shown = op.open_card(card.id)
    assert shown.emails[0].address == "mask.me@mail.ru" and shown.phones[0].masked
    office = next(r for r in adm.admin_roles() if r.code == "office")
    adm.edit_role(office.id, RoleEdit(mask_country="masked", expected_version=office.version))
    viewer = crm.console("offi", role="office")
    seen = viewer.open_card(card.id)
    assert seen.phones[0].number == number and seen.region == "***" and maker.open_card(card.id).region == "***"
    who = line(adm, "offi")
    adm.edit_employee(who.id, EmployeeEdit(mask_phone="masked", mask_country="shown", expected_version=who.version))
    seen = viewer.open_card(card.id)
    assert seen.phones[0].masked and is_masked_phone(seen.phones[0].number) and seen.region == region.name
    (found,) = viewer.search(number)  # the masked phone is still found by its number
    assert is_masked_phone(found.phones[0])


def test_read_only_for_one_employee_while_others_keep_editing(crm: Crm, adm: LocalConsole) -> None:
    crm.add_employee("ro", role="office")
    ro, other = crm.sign_in("ro"), crm.console("rw", role="office")
    card = new_client(other, surname="Читаемов")
    who = line(adm, "ro")
    adm.edit_employee(who.id, EmployeeEdit(read_only="yes", expected_version=who.version))
    assert not ro.open_card(card.id).contacts_editable
    assert other.open_card(card.id).contacts_editable
    role = next(r for r in adm.admin_roles() if r.code == "office")
    adm.edit_role(role.id, RoleEdit(read_only=True, expected_version=role.version))
    assert not other.open_card(card.id).personal_editable


def test_a_reset_password_must_be_changed_at_the_next_sign_in(crm: Crm, adm: LocalConsole) -> None:
    crm.add_employee("forgot", role="office")
    who = line(adm, "forgot")
    adm.reset_password(who.id, PasswordReset(password="temporary-1", expected_version=who.version))
    with pytest.raises(AuthFailed):
        crm.sign_in("forgot")  # the old password is gone
    console = crm.sign_in("forgot", "temporary-1")
    assert console.whoami().must_change_password
    card = new_client(crm.console("e2", role="office"))
    with pytest.raises(NotFound):  # no client data until a new password is set
        console.open_card(card.id)
    with pytest.raises(ValidationFailed, match="at least 8"):
        console.change_own_password("short")
    console.change_own_password(NEW_PASSWORD)
    assert not console.whoami().must_change_password
    assert console.open_card(card.id).id == card.id
    crm.sign_in("forgot", NEW_PASSWORD)


def test_unlock_lifts_the_failed_attempt_block(crm: Crm, adm: LocalConsole) -> None:
    crm.add_employee("blocked", role="office")
    for _ in range(5):
        with pytest.raises(AuthFailed):
            crm.new_console().sign_in("blocked", "wrong")
    with pytest.raises(TooManyAttempts):
        crm.new_console().sign_in("blocked", PASSWORD)
    adm.unlock_employee(line(adm, "blocked").id)
    crm.sign_in("blocked")


def test_switch_the_second_factor(crm: Crm, adm: LocalConsole) -> None:
    crm.add_employee("two", role="office")
    who = line(adm, "two")
    setup = adm.set_second_factor(who.id, SecondFactorEdit(channel="totp", expected_version=who.version))
    assert setup.channel == "totp" and setup.provisioning_uri.startswith("otpauth://totp/crm-console:two")
    assert crm.new_console().sign_in("two", PASSWORD).channel == "totp"
    who = line(adm, "two")
    back = adm.set_second_factor(who.id, SecondFactorEdit(channel="sms", expected_version=who.version))
    assert back.provisioning_uri is None and crm.new_console().sign_in("two", PASSWORD).channel == "sms"


def test_disable_ends_the_session_and_enable_brings_it_back(crm: Crm, adm: LocalConsole) -> None:
    crm.add_employee("gone", role="office")
    gone = crm.sign_in("gone")
    who = line(adm, "gone")
    who = adm.set_employee_active(who.id, ActiveEdit(active=False, expected_version=who.version))
    with pytest.raises(Exception, match="session has ended"):
        gone.search("x")
    adm.set_employee_active(who.id, ActiveEdit(active=True, expected_version=who.version))
    crm.sign_in("gone")


def test_the_audit_log_holds_old_and_new_and_only_grows(crm: Crm, adm: LocalConsole) -> None:
    crm.add_employee("aud", role="operator")
    who = line(adm, "aud")
    adm.edit_employee(who.id, EmployeeEdit(role="office", expected_version=who.version))
    adm.reset_password(who.id, PasswordReset(password="temporary-2", expected_version=who.version + 1))
    lines = adm.admin_audit(AuditFilter(target="aud"))
    assert [(a.action, a.actor) for a in lines] == [("password_reset", "adm"), ("employee_edited", "adm")]
    assert [(c.field, c.old, c.new) for c in lines[1].changes] == [("role", "operator", "office")]
    assert "temporary-2" not in str(lines)
    assert adm.admin_audit(AuditFilter(action="password_reset", target="aud"))[0].changes == []
    file = adm.export_admin_audit(AuditFilter(target="aud"))
    assert file.filename.endswith(".csv") and b"operator,office" in file.content
    with pytest.raises(PermissionDenied):
        crm.console("noexport", role="operator").export_admin_audit(AuditFilter())
    from storage.tables_admin import AdminAuditRow

    with crm.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(AdminAuditRow)) >= 2
    assert not [name for name in dir(adm) if "audit" in name and ("delete" in name or "edit" in name)]


def test_an_administrator_does_not_reset_their_own_access(adm: LocalConsole) -> None:
    me = line(adm, "adm")
    with pytest.raises(ValidationFailed, match="Not for yourself"):
        adm.reset_password(me.id, PasswordReset(password="temporary-3", expected_version=me.version))
    with pytest.raises(ValidationFailed, match="Not for yourself"):
        adm.set_second_factor(me.id, SecondFactorEdit(channel="totp", expected_version=me.version))


def test_an_administrator_of_one_desk_manages_only_its_staff(crm: Crm, adm: LocalConsole) -> None:
    admin_role = next(r for r in adm.admin_roles() if r.code == "admin")
    adm.add_role(NewRole(code="desk_admin", name="Desk administrator",
                         permissions=[p for p in admin_role.permissions if p != Permission.ALL_DESKS]))  # fmt: skip
    other = adm.add_desk("Far desk")
    crm.add_employee("faraway", role="operator", desks=["Far desk"])
    crm.add_employee("nearby", role="operator")
    lead = crm.console("lead", role="desk_admin")
    assert {e.login for e in lead.admin_employees(EmployeeFilter())} >= {"nearby", "lead"}
    assert "faraway" not in {e.login for e in lead.admin_employees(EmployeeFilter())}
    with pytest.raises(NotFound):
        lead.admin_employee(line(adm, "faraway").id)
    near = line(adm, "nearby")
    with pytest.raises(ValidationFailed, match="only desks of your own"):
        lead.edit_employee(near.id, EmployeeEdit(desk_ids=[other.id], expected_version=near.version))
    assert [d.name for d in lead.admin_desks()] == [MAIN_DESK]


def test_only_administration_staff_belong_to_several_desks(crm: Crm, adm: LocalConsole) -> None:
    main, far = desk_id(adm, MAIN_DESK), adm.add_desk("Far desk").id
    both = [main, far]
    new = {"full_name": "Two Desks", "password": PASSWORD, "mobile": "8 912 000-33-44"}
    with pytest.raises(ValidationFailed, match="Only administration staff belong to several desks") as refused:
        adm.add_employee(NewEmployee(login="two", role="supervisor", desk_ids=both, **new))
    assert refused.value.field == "desk_ids"
    adm.add_employee(NewEmployee(login="two", role="administration", desk_ids=both, **new))
    two = line(adm, "two")
    with pytest.raises(ValidationFailed, match="several desks"):  # the role may not leave them on both
        adm.edit_employee(two.id, EmployeeEdit(role="supervisor", expected_version=two.version))
    assert line(adm, "two").role == "administration"
    after = adm.edit_employee(two.id, EmployeeEdit(role="supervisor", desk_ids=[far], expected_version=two.version))
    assert after.role == "supervisor" and [d.name for d in after.desks] == ["Far desk"]
    with pytest.raises(ValidationFailed, match="several desks"):
        adm.edit_employee(two.id, EmployeeEdit(desk_ids=both, expected_version=after.version))
    role = next(r for r in adm.admin_roles() if r.code == "administration")
    adm.add_employee(NewEmployee(login="three", role="administration", desk_ids=both, **new | {"mobile": None},
                                 totp=True))  # fmt: skip
    with pytest.raises(ValidationFailed, match="1 employee\\(s\\) of this role belong to several desks"):
        adm.edit_role(role.id, RoleEdit(permissions=[p for p in role.permissions if p != "all_desks"],
                                        expected_version=role.version))  # fmt: skip
    assert "all_desks" in next(r for r in adm.admin_roles() if r.code == "administration").permissions
