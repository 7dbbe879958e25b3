"""The newcomer's first minutes: the sign-in screen of a local database shows where the code is
(F9 fills it in), a missing database is said before the login is typed, no URL password shows."""

from __future__ import annotations

from core.settings import Settings
from tests.tui.conftest import SIZE, screen_text, settle, status, type_text, until
from tui.app import CrmApp, open_store
from tui.screens.search import SearchScreen


async def test_f9_fills_in_the_newest_code_of_a_local_database(make_app, db) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "F9" not in screen_text(app)  # not before the password step
        await type_text(pilot, "operator")
        await pilot.press("enter")
        await type_text(pilot, "s3cret-Pass")
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.challenge is not None, "the code step")
        assert "F9" in screen_text(app) and "Code from this local database" in screen_text(app)
        await pilot.press("f9")
        await until(pilot, lambda: len(app.screen.query_one("#code").value) == 6, "the code filled in")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, SearchScreen), "signed in")


async def test_no_f9_for_a_server(make_app, db) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.settings.server = "http://crm.example:8000"
        await settle(pilot)
        await type_text(pilot, "operator")
        await pilot.press("enter")
        await type_text(pilot, "s3cret-Pass")
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.challenge is not None, "the code step")
        assert "F9" not in screen_text(app)


async def test_a_missing_database_is_said_before_the_login_is_typed(tmp_path) -> None:
    settings = Settings(database=str(tmp_path / "nowhere.sqlite3"), lang="en")
    app = CrmApp(settings, console_factory=lambda: open_store(settings))
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: "No CRM database at" in status(app), "the missing database reported")
        assert "crm demo" in status(app)


async def test_a_database_urls_password_is_never_shown(tmp_path) -> None:
    url = "postgresql://crm:Sup3rSecret@127.0.0.1:1/crm"
    settings = Settings(database=url, lang="en")
    app = CrmApp(settings, console_factory=lambda: open_store(settings))
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: bool(status(app)), "the unreachable database reported")
        assert "Sup3rSecret" not in screen_text(app) and "***" in status(app), status(app)


async def test_the_sign_in_screen_is_ascii_in_plain_mode(make_app) -> None:
    app = make_app(plain=True, lang="ru")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "Вход" in text or "Логин" in text
        assert {ch for ch in text if not ch.isascii() and not ch.isalpha()} == set()
