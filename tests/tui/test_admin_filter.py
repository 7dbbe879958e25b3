"""F5 Administration at 80x24 by keyboard: F filters the employees by desk, role and state, the
title line says what is filtered, Clear shows everyone again; in Russian too."""

from __future__ import annotations

from tests.tui.conftest import SIZE, screen_text, until
from tests.tui.test_admin import open_admin
from tui.screens.admin.employee_filter import EmployeeFilterDialog
from tui.screens.admin.employees import SupervisorScreen


async def _choose(pilot, app, widget_id: str, value: str) -> None:  # type: ignore[no-untyped-def]
    """Open the focused Select with Enter and pick `value` by arrow keys."""
    dialog = app.screen
    options = [str(v) for _label, v in dialog.query_one(f"#{widget_id}")._options]
    await pilot.press("enter", "home", *["down"] * options.index(value), "enter")
    await until(pilot, lambda: str(dialog.query_one(f"#{widget_id}").value) == value, widget_id)


async def _open_filter(pilot, app):  # type: ignore[no-untyped-def]
    await pilot.press("f")
    await until(pilot, lambda: isinstance(app.screen, EmployeeFilterDialog), "the filter")
    return app.screen


async def test_filter_by_role_and_state_then_clear(make_app, chief: str) -> None:
    app = make_app(chief)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_admin(pilot, app)
        everyone = {e.login for e in screen.lines}
        dialog = await _open_filter(pilot, app)
        assert "Filter employees" in screen_text(app) and dialog.focused.id == "desk"
        await pilot.press("tab")
        await _choose(pilot, app, "role", "operator")
        await pilot.press("tab")
        await _choose(pilot, app, "state", "active")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is screen and {e.login for e in screen.lines} == {"operator"}, "one")
        assert "Administration: employees · Role: Contact-centre operator · active" in screen_text(app)
        await _open_filter(pilot, app)
        await pilot.press("tab")
        await _choose(pilot, app, "role", "admin")
        await pilot.press("tab")
        await _choose(pilot, app, "state", "disabled")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "No employee matches the filter." in screen_text(app), "none")
        assert screen.lines == [] and "Role: Administrator · disabled" in screen_text(app)
        await _open_filter(pilot, app)
        await pilot.press("tab", "tab", "tab", "tab", "enter")  # desk, role, state, Apply, Clear
        await until(pilot, lambda: {e.login for e in screen.lines} == everyone, "everyone")
        assert "Administration: employees ·" not in screen_text(app)


async def test_filter_by_desk_in_russian(make_app, chief: str) -> None:
    app = make_app(chief, lang="ru")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_admin(pilot, app)
        dialog = await _open_filter(pilot, app)
        text = screen_text(app)
        assert "Отбор сотрудников" in text and "Группа" in text and "Применить" in text
        desk = next(v for _label, v in dialog.query_one("#desk")._options if v != "*")
        await _choose(pilot, app, "desk", str(desk))
        await pilot.press("tab", "tab")
        await _choose(pilot, app, "state", "active")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is screen and "Группа: Main desk · активен" in screen_text(app), "t")
        assert isinstance(app.screen, SupervisorScreen) and all(e.active for e in screen.lines)
        assert "Filter" not in screen_text(app)
