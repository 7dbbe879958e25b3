"""Keys typed ahead, with no pause between them, are never dropped nor land in the field left
(issue 17): they arrive as one burst, the way a fast typist's keys reach the terminal."""

from __future__ import annotations

from textual import events

from tests.tui import call_world, world
from tests.tui.conftest import SIZE, settle
from tui.screens.search import SearchScreen

call_template, db = call_world.call_template, call_world.db  # fixtures: the call world (it has the logins)

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


async def test_keys_typed_while_a_call_starts_from_the_card_wait_for_its_dialogs(make_app, db) -> None:
    from tests.tui.conftest import until
    from tests.tui.test_call_keys import open_card
    from tui.dialogs.call_result import ResultDialog

    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await open_card(pilot, "Иванов")
        burst(app, ["d", "2", "2"])  # start a call; campaign 2 (Halva); outcome 2 (Call dropped)
        await until(pilot, lambda: isinstance(app.screen, ResultDialog))
        session = app.screen.session
        assert session.start.campaign_id == call_world.campaign_id(db, call_world.HALVA)
        assert session.draft.result == "call_dropped"


async def test_keys_typed_while_the_next_client_is_taken_reach_the_outcome(make_app, db) -> None:
    from tests.tui.call_steps import HALVA_ROW
    from tests.tui.conftest import until
    from tui.dialogs.call_result import ResultDialog
    from tui.screens.calls import CallsScreen

    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await until(pilot, lambda: isinstance(app.screen, CallsScreen) and bool(app.screen.lists))
        burst(app, [*["down"] * HALVA_ROW, "enter", "1"])  # the next client of Halva, Not reached at once
        await until(pilot, lambda: isinstance(app.screen, ResultDialog))
        assert app.screen.session.draft.result == "not_reached"
