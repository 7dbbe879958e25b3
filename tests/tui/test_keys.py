"""Keys: every binding has an id and a description, F1 help follows the focus, Ctrl+P commands
follow the screen, a user keymap overrides keys, KEYMAP.md is current, Esc goes back a level."""

from __future__ import annotations

from textual.binding import Binding
from textual.command import CommandPalette

from tests.tui import world
from tests.tui.conftest import SIZE, flat, screen_text, settle, shows, until
from tui import keymap
from tui.dialogs.help import HelpDialog
from tui.screens.calls import CallsScreen
from tui.screens.card import CardScreen
from tui.screens.floor.screen import FloorScreen
from tui.screens.new_client import NewClientScreen
from tui.screens.search import SearchScreen


def test_every_binding_has_an_id_and_a_description() -> None:
    for _where, cls in keymap.places():
        for binding in keymap.own_bindings(cls):
            assert isinstance(binding, Binding)
            assert binding.id, (cls.__name__, binding.key)
            assert binding.description, (cls.__name__, binding.id)


def test_binding_ids_are_unique() -> None:
    ids = [b.id for _w, cls in keymap.places() for b in keymap.own_bindings(cls)]
    repeated = {i for i in ids if ids.count(i) > 1}
    assert repeated == {"table.first", "table.last"}  # the same row keys on both kinds of tables


def test_keymap_md_is_current() -> None:
    assert keymap.KEYMAP_FILE.read_text(encoding="utf-8") == keymap.markdown(), "run: python -m tui.keymap --write"


async def test_each_place_is_one_key_away_and_esc_returns(make_app) -> None:
    app = make_app("boss")  # F5 opens for an employee with view_floor
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key, screen_type in (
            ("f3", CallsScreen),
            ("f5", FloorScreen),
            ("f4", NewClientScreen),
            ("f2", SearchScreen),
        ):
            await pilot.press(key)
            await until(pilot, lambda t=screen_type: isinstance(app.screen, t), key)
        await pilot.press("f5")
        await until(pilot, lambda: isinstance(app.screen, FloorScreen))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, SearchScreen))


async def test_navigation_waits_for_sign_in(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        assert type(app.screen).__name__ == "SignInScreen"


async def test_f1_help_is_about_the_focused_place(make_app) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpDialog))
        text = flat(screen_text(app))
        assert "Help: Office: search" in text
        assert "Names are searched as you type" in app.screen.focused_help  # the search line's own help
        assert "searched" in text.split()
        assert "F4" in text and "New client" in text  # the keys that work here
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, SearchScreen))
        app.open_card(world.IVANOV)
        await until(pilot, lambda: isinstance(app.screen, CardScreen) and app.screen.card is not None)
        await pilot.press("3", "f1")
        await until(pilot, lambda: isinstance(app.screen, HelpDialog))
        text = flat(screen_text(app))
        assert "Contact history, newest first" in text
        assert ("e", "Edit data") in app.screen.keys
        assert ("1-9", "Tabs") in app.screen.keys  # a group as one entry, not "1 Personal data"


async def test_f1_in_a_dialog(make_app) -> None:
    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_card(world.IVANOV)
        await until(pilot, lambda: isinstance(app.screen, CardScreen) and app.screen.card is not None)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpDialog))
        assert "Help: Edit personal data" in screen_text(app)


async def test_ctrl_p_offers_the_commands_of_the_card(make_app) -> None:
    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_card(world.IVANOV)
        await until(pilot, lambda: isinstance(app.screen, CardScreen) and app.screen.card is not None)
        card = app.screen
        names = [name for name, _cb, _help in card.palette_commands() + app.palette_commands()]
        assert "Linked cards" in names and "Edit personal data" in names and "New client" in names
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"linked")
        await shows(pilot, "Linked cards")
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is card and card.tab == "linked")


async def test_a_user_keymap_overrides_keys(make_app) -> None:
    app = make_app("boss", keymap={"card.edit_personal": "f6", "nav.new_client": "ctrl+n", "card.tab_history": "h"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "^n New client" in screen_text(app)  # the navigation line follows the keymap
        app.open_card(world.IVANOV)
        await until(pilot, lambda: isinstance(app.screen, CardScreen) and app.screen.card is not None)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, CardScreen)  # "e" is not bound any more
        await pilot.press("h")
        await until(pilot, lambda: app.screen.tab == "history")
        await pilot.press("f6")
        await until(pilot, lambda: type(app.screen).__name__ == "EditPersonalDialog")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+n")
        await until(pilot, lambda: isinstance(app.screen, NewClientScreen))


async def test_footer_shows_what_matters_now(make_app) -> None:
    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_card(world.IVANOV)
        await until(pilot, lambda: isinstance(app.screen, CardScreen) and app.screen.card is not None)
        footer = "\n".join(screen_text(app).splitlines()[-2:])  # two lines when one does not hold them
        for words in ("Esc", "Back", "1-9", "Tabs", "Edit data", "Comment", "F1", "Help", "Strike out", "SMS"):
            assert words in footer, (words, footer)
        assert footer.split()[:2] == ["d", "Call"]  # the main action first
        for key in (" s ", " x ", " r "):
            assert key in footer, (key, footer)
