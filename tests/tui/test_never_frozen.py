"""Never frozen, never lost: a slow store shows a spinner while typing goes on; errors land in the
status line and what the operator typed stays."""

from __future__ import annotations

import threading

from core.errors import StoreUnavailable
from tests.tui import world
from tests.tui.conftest import SIZE, settle, status, type_text, until
from tui.screens.search import SearchScreen


class SlowConsole:
    """A signed-in console whose search waits until released, or fails as told."""

    def __init__(self, inner, fail: BaseException | None = None) -> None:  # type: ignore[no-untyped-def]
        self.inner = inner
        self.fail = fail
        self.release = threading.Event()

    def search(self, query: str, limit: int = 50):  # type: ignore[no-untyped-def]
        self.release.wait(10)
        if self.fail is not None:
            raise self.fail
        return self.inner.search(query, limit)

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self.inner, name)


def slow_app(make_app, db, fail: BaseException | None = None):  # type: ignore[no-untyped-def]
    from core.settings import Settings
    from tui.app import CrmApp

    console = SlowConsole(world.signed_in(db, "operator"), fail)
    clock = console.inner.clock
    app = CrmApp(
        Settings(database="unused", lang="en"),
        console_factory=lambda: console,
        clock=clock,
        employee=console.inner.whoami(),
        plain=False,
    )
    return app, console


async def pause_until(pilot, condition, rounds: int = 2000) -> None:  # type: ignore[no-untyped-def]
    """Pause (never sleep) until `condition()`: a worker is deliberately blocked here, so the
    usual wait for workers cannot be used."""
    for _ in range(rounds):
        await pilot.pause()
        if condition():
            return
    raise AssertionError("never happened")


async def test_a_slow_store_shows_a_spinner_and_typing_goes_on(make_app, db) -> None:
    app, console = slow_app(make_app, db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await type_text(pilot, "ив")  # a name: the search starts and hangs
        table = screen.query_one("#results")
        await pause_until(pilot, lambda: table.loading)  # the LoadingIndicator is up
        await type_text(pilot, "анов")  # typing is not blocked meanwhile
        assert screen.query_one("#query").value == "иванов"
        console.release.set()
        await until(pilot, lambda: not table.loading and table.row_count == 1)
        assert screen._shown_query == "иванов"  # the newest query won


async def test_a_dead_store_is_a_status_line_and_the_query_stays(make_app, db) -> None:
    app, console = slow_app(make_app, db, StoreUnavailable("Cannot reach the database db.example: timeout"))
    console.release.set()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_text(pilot, "+7 912 345 67 89")
        await pilot.press("enter")
        await until(pilot, lambda: status(app) != "Press Enter to search.")
        assert status(app) == "Cannot reach the database db.example: timeout"
        assert app.screen.query_one("#query").value == "+7 912 345 67 89"
        assert app.screen.focused.id == "query"


async def test_an_unexpected_error_does_not_crash_the_console(make_app, db) -> None:
    app, console = slow_app(make_app, db, RuntimeError("boom"))
    console.release.set()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_text(pilot, "иванов")
        await until(pilot, lambda: status(app).startswith("Unexpected error"))
        assert status(app) == "Unexpected error: RuntimeError: boom"
        assert app.is_running
        console.fail = None
        await pilot.press("enter")
        await until(pilot, lambda: status(app) == "1 client found")
