"""Administration's part of the Console contract, local and remote, on both engines: the same
answers from both, 403 without the permission, a desk move and a masking change at the employee's
next request (no new sign-in), a stale edit answering Conflict, the reset-password flow, the audit."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from core.access.rules import is_masked_phone
from core.admin.inputs import ActiveEdit, AuditFilter, EmployeeEdit, EmployeeFilter, NewRole, PasswordReset, RoleEdit
from core.admin.models import EmployeeLine, RoleLine
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.port import Console
from storage.remote import RemoteConsole
from tests.api.world import DESK_B, World

SignIn = Callable[[str], Console]
_numbers = itertools.count(1)


def employee(world: World, role: str = "operator", desks: tuple[str, ...] = ("Main desk",)) -> str:
    login = f"adm_t{next(_numbers)}_{world.engine_name[:2]}"
    world.crm.add_employee(login, role=role, desks=desks)
    return login


def line(console: Console, login: str):  # type: ignore[no-untyped-def]
    return next(e for e in console.admin_employees(EmployeeFilter()) if e.login == login)


def test_the_same_answers_local_and_remote(sign_in: SignIn, world: World) -> None:
    console, local = sign_in("adm"), world.local("adm")
    assert console.admin_permissions() == local.admin_permissions()
    assert console.admin_roles() == local.admin_roles()
    assert console.admin_desks() == local.admin_desks()
    operators = console.admin_employees(EmployeeFilter(role="operator", active=True))
    assert operators == local.admin_employees(EmployeeFilter(role="operator", active=True))
    assert {"op_a", "op_b"} <= {e.login for e in operators} and all(e.role == "operator" for e in operators)
    desk_b = next(d.id for d in console.admin_desks() if d.name == DESK_B)
    assert "op_a" not in {e.login for e in console.admin_employees(EmployeeFilter(desk_id=desk_b))}


def test_without_the_permission(sign_in: SignIn) -> None:
    supervisor = sign_in("sup")
    with pytest.raises(PermissionDenied, match="administer"):
        supervisor.admin_employees(EmployeeFilter())
    with pytest.raises(PermissionDenied):
        supervisor.add_desk("Nope")


def test_a_desk_move_takes_effect_at_the_next_request(sign_in: SignIn, world: World) -> None:
    login = employee(world, role="office")
    card = world.client("B", surname="Десков")
    mover, adm = sign_in(login), sign_in("adm")
    with pytest.raises(NotFound):
        mover.open_card(card.id)
    who = line(adm, login)
    desk_b = next(d.id for d in adm.admin_desks() if d.name == DESK_B)
    adm.edit_employee(who.id, EmployeeEdit(desk_ids=[desk_b], expected_version=who.version))
    assert mover.open_card(card.id).id == card.id  # the same session
    assert card.id in {s.id for s in mover.search(card.phones[0].number)}


def test_masking_per_employee_at_the_next_request(sign_in: SignIn, world: World) -> None:
    login = employee(world)
    card = world.client("A", surname="Маскированный")
    operator, adm = sign_in(login), sign_in("adm")
    assert operator.open_card(card.id).phones[0].masked
    who = line(adm, login)
    adm.edit_employee(who.id, EmployeeEdit(mask_phone="shown", mask_email="shown", expected_version=who.version))
    assert operator.open_card(card.id).phones[0].number == card.phones[0].number
    who = line(adm, login)
    adm.edit_employee(who.id, EmployeeEdit(mask_phone="role", expected_version=who.version))
    (found,) = operator.search(card.phones[0].number)
    assert is_masked_phone(found.phones[0])


def test_a_stale_edit_answers_409_saying_so(sign_in: SignIn, world: World) -> None:
    login = employee(world)
    adm = sign_in("adm")
    who = line(adm, login)
    adm.edit_employee(who.id, EmployeeEdit(full_name="First Edit", expected_version=who.version))
    with pytest.raises(Conflict, match="changed this employee meanwhile"):
        adm.edit_employee(who.id, EmployeeEdit(full_name="Second Edit", expected_version=who.version))
    assert line(adm, login).full_name == "First Edit"


def test_roles_copy_edit_and_in_use(sign_in: SignIn, world: World) -> None:
    adm = sign_in("adm")
    code = f"junior_{next(_numbers)}_{world.engine_name[:2]}"
    role = adm.add_role(NewRole(code=code, name="Junior operator", copy_from="operator"))
    edited = adm.edit_role(role.id, RoleEdit(permissions=["work_calls", "comment"], expected_version=role.version))
    assert edited.permissions == ["comment", "work_calls"] and edited.version == role.version + 1
    login = employee(world, role=code)
    with pytest.raises(ValidationFailed, match="given to 1 employee"):
        adm.delete_role(role.id, edited.version)
    with pytest.raises(Conflict):
        adm.delete_role(role.id, role.version)
    assert line(adm, login).role == code


def test_a_reset_password_is_changed_at_the_next_sign_in(sign_in: SignIn, world: World) -> None:
    login = employee(world, role="office")
    adm = sign_in("adm")
    who = line(adm, login)
    adm.reset_password(who.id, PasswordReset(password="temporary-Pass", expected_version=who.version))
    remote = RemoteConsole(world.server.url)
    try:
        challenge = remote.sign_in(login, "temporary-Pass")
        info = remote.verify_code(challenge.challenge_id, world.crm.last_code(login))
        assert info.employee.must_change_password
        remote.change_own_password("my-own-Pass1")
        assert not remote.whoami().must_change_password
    finally:
        remote.close()
    audit = adm.admin_audit(AuditFilter(target=login))
    assert [a.action for a in audit] == ["own_password", "password_reset"]


def test_the_audit_log_and_its_file(sign_in: SignIn, world: World) -> None:
    login = employee(world)
    adm = sign_in("adm")
    who = line(adm, login)
    adm.edit_employee(who.id, EmployeeEdit(role="office", expected_version=who.version))
    (entry,) = adm.admin_audit(AuditFilter(target=login))
    assert (entry.actor, entry.action, [(c.field, c.old, c.new) for c in entry.changes]) == (
        "adm", "employee_edited", [("role", "operator", "office")]
    )  # fmt: skip
    file = adm.export_admin_audit(AuditFilter(target=login))
    assert file.filename.startswith("admin_audit_") and "operator,office" in file.content.decode("utf-8-sig")
    with pytest.raises(PermissionDenied):
        sign_in("sup").admin_audit(AuditFilter())


def test_the_audit_log_is_append_only_over_http(world: World) -> None:
    from api.app import create_app

    paths = create_app(world.target).openapi()["paths"]
    audit = {path: set(ops) for path, ops in paths.items() if "/admin/audit" in path}
    assert audit == {"/api/v1/admin/audit": {"get"}, "/api/v1/admin/audit/export": {"post"}}


def test_a_stale_edit_carries_the_record_as_stored_now(sign_in: SignIn, world: World) -> None:
    login = employee(world)
    adm, local = sign_in("adm"), world.local("adm")
    who = line(adm, login)
    adm.edit_employee(who.id, EmployeeEdit(full_name="Stored Now", expected_version=who.version))
    with pytest.raises(Conflict) as stale:
        adm.edit_employee(who.id, EmployeeEdit(full_name="Mine", expected_version=who.version))
    with pytest.raises(Conflict) as stale_local:
        local.edit_employee(who.id, EmployeeEdit(full_name="Mine", expected_version=who.version))
    now = adm.admin_employee(who.id)
    assert isinstance(stale.value.current, EmployeeLine) and stale.value.current == now
    assert (stale.value.message, stale.value.current) == (stale_local.value.message, stale_local.value.current)
    assert now.full_name == "Stored Now" and now.version == who.version + 1
    with pytest.raises(Conflict) as disabled:
        adm.set_employee_active(who.id, ActiveEdit(active=False, expected_version=who.version))
    assert disabled.value.current == now


def test_a_stale_role_edit_carries_the_role_as_stored_now(sign_in: SignIn, world: World) -> None:
    adm, local = sign_in("adm"), world.local("adm")
    role = adm.add_role(NewRole(code=f"stale_{next(_numbers)}_{world.engine_name[:2]}", name="Stale role"))
    adm.edit_role(role.id, RoleEdit(name="Renamed first", expected_version=role.version))
    now = next(r for r in adm.admin_roles() if r.id == role.id)
    for console in (adm, local):
        with pytest.raises(Conflict, match="changed this role meanwhile") as stale:
            console.edit_role(role.id, RoleEdit(name="Mine", expected_version=role.version))
        assert isinstance(stale.value.current, RoleLine) and stale.value.current == now
        with pytest.raises(Conflict) as deleting:
            console.delete_role(role.id, role.version)
        assert deleting.value.current == now


def test_the_409_body_documents_the_record_as_stored_now(world: World) -> None:
    from api.app import create_app

    schema = create_app(world.target).openapi()
    paths, models = schema["paths"], schema["components"]["schemas"]
    edit = paths["/api/v1/admin/employees/{employee_id}"]["patch"]["responses"]["409"]
    assert edit["content"]["application/json"]["schema"]["$ref"].endswith("/StaleEmployeeLine")
    role = paths["/api/v1/admin/roles/{role_id}"]["patch"]["responses"]["409"]
    assert role["content"]["application/json"]["schema"]["$ref"].endswith("/StaleRoleLine")
    assert "current" in models["StaleEmployeeLine"]["properties"]
