"""F5 Administration at 80x24 by keyboard only: a desk's members, a stale save showing both
versions, every permission explained in full, ticks drawn [x]/[ ], the confirmation's words
translated, the audit log's actions in Russian."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from core.admin.inputs import EmployeeEdit, EmployeeFilter
from tests.tui import world
from tests.tui.conftest import SIZE, screen_text, type_text, until
from tests.tui.test_admin import open_admin
from tui.dialogs.confirm import ConfirmDialog
from tui.errors import translate_message
from tui.i18n import set_language
from tui.screens.admin.audit import AuditScreen
from tui.screens.admin.desk_members import DeskMembersScreen
from tui.screens.admin.desks import DesksScreen
from tui.screens.admin.employee_form import EmployeeForm
from tui.screens.admin.roles import RoleForm, RolesScreen


async def test_a_desks_members_and_their_form(make_app, chief: str) -> None:
    app = make_app(chief)
    async with app.run_test(size=SIZE) as pilot:
        await open_admin(pilot, app)
        await pilot.press("k")
        await until(pilot, lambda: isinstance(app.screen, DesksScreen) and app.screen.lines, "the desks")
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, DeskMembersScreen) and app.screen.lines, "the members")
        members = app.screen
        assert {e.login for e in members.lines} == {"operator", "office", "boss", "control", "chief"}
        text = screen_text(app)
        assert "Desk Main desk: members" in text and "Contact-centre operator" in text
        assert "5 employees on this desk." in text
        index = next(i for i, e in enumerate(members.lines) if e.login == "control")
        await pilot.press("home", *["down"] * index, "enter")
        await until(pilot, lambda: isinstance(app.screen, EmployeeForm), "the employee form")
        assert app.screen.line.login == "control"
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is members)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, DesksScreen))


async def test_a_stale_save_shows_both_versions_and_keeps_what_was_typed(make_app, db: Engine, chief: str) -> None:
    app = make_app(chief)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_admin(pilot, app)
        index = next(i for i, e in enumerate(screen.lines) if e.login == "office")
        await pilot.press("home", *["down"] * index, "enter")
        await until(pilot, lambda: isinstance(app.screen, EmployeeForm), "the employee form")
        form = app.screen
        other = world.signed_in(db, chief)  # another administrator saves first
        line = next(e for e in other.admin_employees(EmployeeFilter()) if e.login == "office")
        other.edit_employee(line.id, EmployeeEdit(full_name="Орлов Денис", expected_version=line.version))
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "Орлов Д. А.")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the confirmation")
        await pilot.press("y")
        await until(pilot, lambda: "Орлов Денис;" in screen_text(app), "both versions")
        text = screen_text(app)
        assert "changed this employee meanwhile" in text
        assert "Changed meanwhile:" in text and "Name: now Орлов Денис; yours Орлов Д. А." in text
        assert app.screen is form and form.query_one("#name").value == "Орлов Д. А."


async def test_the_role_form_explains_each_permission_in_full(make_app, chief: str) -> None:
    app = make_app(chief)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_admin(pilot, app)
        assert "boss: Supervisor · Desks: Main desk" in screen_text(app)  # the highlighted one, in full
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, RolesScreen) and app.screen.lines, "the roles")
        index = next(i for i, r in enumerate(app.screen.lines) if r.code == "office")
        await pilot.press("home", *["down"] * index, "n")
        await until(pilot, lambda: isinstance(app.screen, RoleForm), "the role form")
        await pilot.press("tab", "tab", "down")  # code, name, the permissions: the second one
        text = screen_text(app)
        assert "Edit the personal block of a card (name, birth date, region)" in text  # cut in the list, not here
        assert "[x] Edit phones and e-mails" in text and "[ ] Work with SME" in text
        await pilot.press("shift+tab", "shift+tab")
        await type_text(pilot, "helper")
        await pilot.press("tab")
        await type_text(pilot, "Helper")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the confirmation")
        text = screen_text(app)
        assert "Phone: - -> by the contacts permission" in text and "Read-only: - -> no" in text
        assert "default" not in text and "False" not in text
        del screen


async def test_the_audit_log_in_russian(make_app, db: Engine, chief: str) -> None:
    admin = world.signed_in(db, chief)
    line = next(e for e in admin.admin_employees(EmployeeFilter()) if e.login == "control")
    admin.edit_employee(line.id, EmployeeEdit(mask_phone="shown", expected_version=line.version))
    app = make_app(chief, lang="ru")
    async with app.run_test(size=SIZE) as pilot:
        await open_admin(pilot, app)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AuditScreen) and "control" in screen_text(app), "the log")
        text = screen_text(app)
        assert "Сотрудник изменён" in text and "Телефон: как у роли -> показан" in text
        assert "employee_edited" not in text and "mask_phone" not in text


@pytest.mark.parametrize(
    ("message", "russian"),
    [
        (
            "Someone changed this role meanwhile (now version 3, you edited 2): reopen and edit again.",
            "Роль за это время изменил кто-то другой (сейчас версия 3, вы правили 2): откройте заново и внесите "
            "правку ещё раз.",
        ),
        (
            "The role is given to 2 employee(s): give them another role first.",
            "Эта роль у сотрудников: 2; сначала назначьте им другую роль.",
        ),
        ("A role 'junior' exists already.", "Роль «junior» уже есть."),
        ("Login 'olga' is taken.", "Логин «olga» уже занят."),
        ("No employee with id 7.", "Нет сотрудника с id 7."),
    ],
)
def test_the_administrations_messages_in_russian(message: str, russian: str) -> None:
    set_language("ru")
    try:
        assert translate_message(message) == russian
    finally:
        set_language("en")
