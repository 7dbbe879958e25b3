"""S1, S2: two-step sign-in through the screen, good and bad; the header after sign-in."""

from __future__ import annotations

import sys

from core.errors import StoreUnavailable
from core.settings import Settings
from tests.tui import world
from tests.tui.conftest import SIZE, screen_text, settle, sign_in_ui, status, type_text, until
from tui.app import CrmApp, open_store
from tui.screens.search import SearchScreen
from tui.screens.sign_in import SignInScreen


async def test_good_sign_in_shows_the_office_and_the_header(make_app, db) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, SignInScreen)
        assert app.screen.focused.id == "login"
        await sign_in_ui(pilot, db, "operator")
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.focused.id == "query"  # F1: the search line has focus right away
        text = screen_text(app)
        assert "Смирнова Ольга Петровна · Contact-centre operator" in text
        assert "Mon 10.03.2025 12:00:00" in text  # S2: weekday, date, time (Moscow)
        assert app.employee.login == "operator"


async def test_code_step_says_where_the_code_went(make_app, db) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_text(pilot, "operator")
        await pilot.press("enter")
        await type_text(pilot, world.PASSWORD)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.focused.id == "code"
        assert "Code sent by SMS to +7 *** ***-**-01" in screen_text(app)


async def test_wrong_password_keeps_the_login_and_says_so(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_text(pilot, "operator")
        await pilot.press("enter")
        await type_text(pilot, "not-the-password")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert status(app) == "Wrong login, password or code."
        assert app.screen.query_one("#login").value == "operator"
        assert app.screen.query_one("#password").value == ""
        assert app.screen.focused.id == "password"


async def test_unknown_login_gets_the_same_message(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_text(pilot, "nobody")
        await pilot.press("enter")
        await type_text(pilot, "whatever")
        await pilot.press("enter")
        await settle(pilot)
        assert status(app) == "Wrong login, password or code."


async def test_wrong_code_then_esc_starts_again(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_text(pilot, "operator")
        await pilot.press("enter")
        await type_text(pilot, world.PASSWORD)
        await pilot.press("enter")
        await settle(pilot)
        await type_text(pilot, "000000")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert status(app).startswith("Wrong login, password or code.")
        assert app.screen.query_one("#code").value == ""
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.challenge is None
        assert not app.screen.query_one("#code").display
        assert app.screen.query_one("#login").value == "operator"


async def test_empty_fields_are_named(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # login -> password
        await pilot.press("enter")
        await settle(pilot)
        assert status(app) == "Type your login."
        assert app.screen.focused.id == "login"


async def test_a_missing_store_is_a_clear_status_and_the_input_stays(make_app) -> None:
    def broken():  # type: ignore[no-untyped-def]
        raise StoreUnavailable("No CRM database at /nowhere.sqlite3: run 'crm demo' or 'crm db upgrade' first.")

    app = make_app(console_factory=broken)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_text(pilot, "operator")
        await pilot.press("enter")
        await type_text(pilot, "secret")
        await pilot.press("enter")
        await settle(pilot)
        assert status(app) == "No CRM database at /nowhere.sqlite3: run 'crm demo' or 'crm db upgrade' first."
        assert app.screen.query_one("#login").value == "operator"
        assert app.screen.query_one("#password").value == "secret"


async def test_the_store_opens_while_the_sign_in_screen_is_shown(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, SignInScreen)  # shown before the store is asked for anything
        await settle(pilot)
        assert app.store_failed is None
        assert app.get_console() is not None


def test_a_server_without_the_remote_client_says_so(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "storage.remote", None)  # import fails
    try:
        open_store(Settings(server="https://crm.example"))
    except StoreUnavailable as exc:
        assert "https://crm.example" in exc.message
        assert "remote client is not installed" in exc.message
    else:
        raise AssertionError("no error")


async def test_sign_in_in_russian(make_app, db) -> None:
    app = make_app(lang="ru")
    async with app.run_test(size=SIZE) as pilot:
        assert "Вход в CRM" in screen_text(app)
        await sign_in_ui(pilot, db, "operator")
        text = screen_text(app)
        assert "Оператор контакт-центра" in text
        assert "пн 10.03.2025 12:00:00" in text


def test_run_is_the_entry_point() -> None:
    from tui import app as module

    assert callable(module.run)
    assert isinstance(CrmApp(Settings(database="/nonexistent")), CrmApp)


async def test_sign_out_returns_to_the_sign_in_screen(make_app, db) -> None:
    from tests.tui.conftest import until

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_ui(pilot, db, "operator")
        app.open_card(world.IVANOV)
        await settle(pilot)
        names = [name for name, _cb, _help in app.palette_commands()]
        assert "Sign out" in names
        app.action_sign_out()
        await until(pilot, lambda: isinstance(app.screen, SignInScreen))
        assert app.employee is None
        assert app.screen.query_one("#password").value == ""
        assert "Иванов" not in screen_text(app)
        await sign_in_ui(pilot, db, "boss")  # and in again, as someone else
        assert isinstance(app.screen, SearchScreen)
        assert "Волкова Ирина Николаевна" in screen_text(app)


async def test_signed_in_at_start_opens_on_the_office_and_signs_out_to_the_sign_in_screen(make_app, db) -> None:
    """An app given a signed-in console makes no sign-in screen, styles the Office as the sign-in
    screen would be styled, and its user keymap is on the Office's key line."""
    app = make_app("operator", keymap={"nav.new_client": "ctrl+n"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen) and app.current_mode == "office"
        assert not any(isinstance(s, SignInScreen) for stack in app._screen_stacks.values() for s in stack)
        assert app.screen._css_update_count == app._css_update_count
        assert app.screen.query_one("#query").styles.color == app.styles.color  # styled after the app
        assert "^n New client" in screen_text(app)
        app.action_sign_out()
        await until(pilot, lambda: isinstance(app.screen, SignInScreen))
        assert app.employee is None and "office" not in app._modes
        await sign_in_ui(pilot, db, "boss")
        assert isinstance(app.screen, SearchScreen) and app.employee.login == "boss"
