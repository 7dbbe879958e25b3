"""Keys typed ahead, with no pause between them, are never dropped nor land in the field left
(issue 17): they arrive as one burst, the way a fast typist's keys reach the terminal."""

from __future__ import annotations

from textual import events

from tests.tui import world
from tests.tui.conftest import SIZE, settle
from tui.screens.search import SearchScreen

CHARACTERS = {"tab": "\t", "enter": "\r", "space": " "}


def burst(app, keys: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Every key queued at once: none is handled before the next one has arrived."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else CHARACTERS.get(key)))


async def test_a_tab_right_after_the_login_moves_to_the_password(make_app, db) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, [*"operator", "tab", *world.PASSWORD])
        await settle(pilot)
        screen = app.screen
        assert screen.query_one("#login").value == "operator"
        assert screen.query_one("#password").value == world.PASSWORD
        burst(app, ["shift+tab"])  # and back
        await settle(pilot)
        assert screen.focused.id == "login"


async def test_login_tab_password_enter_then_the_code_signs_in(make_app, db) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, [*"operator", "tab", *world.PASSWORD, "enter"])
        await settle(pilot)
        assert app.screen.focused.id == "code"
        burst(app, [*world.last_code(db), "enter"])
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
