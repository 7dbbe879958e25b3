"""F5 Administration at 80x24 by keyboard only: employees (edit with the confirmation of what
changes, the TOTP switch with its QR code), roles (a copy), desks, the audit log; hidden without
the permission; after a password reset, the sign-in asks for a new password."""

from __future__ import annotations

from sqlalchemy import Engine

from core.admin.inputs import AuditFilter, EmployeeFilter, PasswordReset
from tests.tui import world
from tests.tui.conftest import SIZE, screen_text, settle, sign_in_ui, type_text, until
from tui.dialogs.confirm import ConfirmDialog
from tui.dialogs.message import MessageDialog
from tui.dialogs.new_password import NewPasswordDialog
from tui.screens.admin.audit import AuditScreen
from tui.screens.admin.desks import DesksScreen
from tui.screens.admin.employee_form import EmployeeForm
from tui.screens.admin.employees import SupervisorScreen
from tui.screens.admin.roles import RoleForm, RolesScreen
from tui.screens.floor.screen import FloorScreen
from tui.screens.search import SearchScreen


async def open_admin(pilot, app) -> SupervisorScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("f5")
    await until(pilot, lambda: isinstance(app.screen, FloorScreen), "the floor")
    await pilot.press("a")  # Administration from the floor
    await until(pilot, lambda: isinstance(app.screen, SupervisorScreen) and app.screen.lines, "the employees")
    return app.screen


async def to_row(pilot, screen: SupervisorScreen, login: str) -> None:  # type: ignore[no-untyped-def]
    index = next(i for i, e in enumerate(screen.lines) if e.login == login)
    await pilot.press("home", *["down"] * index)


async def test_edit_an_employee_by_keyboard(make_app, chief: str) -> None:
    app = make_app(chief)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_admin(pilot, app)
        text = screen_text(app)
        assert "Administration: employees" in text and "operator" in text and "Смирнова" in text
        await to_row(pilot, screen, "operator")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, EmployeeForm), "the employee form")
        assert app.focused.id == "name"
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "Смирнова Ольга")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the confirmation")
        assert "Name: Смирнова Ольга Петровна -> Смирнова Ольга" in screen_text(app)
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, SupervisorScreen), "back on the list")
        await settle(pilot)

        await until(pilot, lambda: any(e.full_name == "Смирнова Ольга" for e in screen.lines), "the new name")
        console = app.get_console()
        (entry,) = console.admin_audit(AuditFilter(target="operator"))
        assert [(c.field, c.new) for c in entry.changes] == [("name", "Смирнова Ольга")]


async def test_a_failed_save_keeps_what_was_typed(make_app, chief: str) -> None:
    app = make_app(chief)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_admin(pilot, app)
        await to_row(pilot, screen, "operator")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, EmployeeForm))
        await pilot.press("tab")  # the mobile
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "12")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await settle(pilot)

        await until(pilot, lambda: "not a valid phone number" in screen_text(app), "the error")
        assert isinstance(app.screen, EmployeeForm) and app.screen.query_one("#mobile").value == "12"


async def test_totp_shows_the_uri_and_roles_desks_audit(make_app, chief: str) -> None:
    app = make_app(chief)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_admin(pilot, app)
        await to_row(pilot, screen, "office")
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "SMS -> TOTP" in screen_text(app)
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, MessageDialog), "the URI")
        assert "otpauth://totp/crm-console:office" in screen_text(app).replace("\n", "")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, SupervisorScreen))
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, RolesScreen) and app.screen.lines, "the roles")
        roles = app.screen
        index = next(i for i, r in enumerate(roles.lines) if r.code == "operator")
        await pilot.press("home", *["down"] * index, "n")
        await until(pilot, lambda: isinstance(app.screen, RoleForm), "the role form")
        await type_text(pilot, "junior")
        await pilot.press("tab")
        await type_text(pilot, "Junior operator")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await settle(pilot)

        await settle(pilot)

        await until(pilot, lambda: any(r.code == "junior" for r in roles.lines), "the new role")
        await pilot.press("escape", "k")
        await until(pilot, lambda: isinstance(app.screen, DesksScreen) and app.screen.lines, "the desks")
        await pilot.press("escape", "a")
        await until(pilot, lambda: isinstance(app.screen, AuditScreen), "the audit log")
        await until(pilot, lambda: "Role added" in screen_text(app) and "Second factor switched" in screen_text(app))


async def test_plain_mode_draws_the_code_in_ascii(make_app, chief: str) -> None:
    app = make_app(chief, plain=True)
    async with app.run_test(size=(120, 50)) as pilot:
        screen = await open_admin(pilot, app)
        await to_row(pilot, screen, "office")
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, MessageDialog))
        text = str(app.screen.query_one("#message-text").render())
        assert "#######" in text and "█" not in text


async def test_the_administration_needs_the_permission(make_app) -> None:
    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f5")  # a supervisor without user management: the floor, no way to Administration
        await until(pilot, lambda: isinstance(app.screen, FloorScreen))
        assert "Administration" not in screen_text(app)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, FloorScreen)


async def test_after_a_reset_the_sign_in_asks_for_a_new_password(make_app, db: Engine, chief: str) -> None:
    admin = world.signed_in(db, chief)
    office = next(e for e in admin.admin_employees(EmployeeFilter()) if e.login == "office")
    admin.reset_password(office.id, PasswordReset(password="temporary-Pass", expected_version=office.version))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_ui(pilot, db, "office", "temporary-Pass")
        await until(pilot, lambda: isinstance(app.screen, NewPasswordDialog), "the new password")
        await type_text(pilot, "my-own-Pass1")
        await pilot.press("enter")
        await type_text(pilot, "my-own-Pass1")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, SearchScreen), "the office")
        assert not app.employee.must_change_password


async def test_the_administration_in_russian(make_app, chief: str) -> None:
    app = make_app(chief, lang="ru")
    async with app.run_test(size=SIZE) as pilot:
        await open_admin(pilot, app)
        text = screen_text(app)
        assert "Администрирование: сотрудники" in text and "активен" in text
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, RolesScreen) and app.screen.lines)
        assert "Администрирование: роли" in screen_text(app)
